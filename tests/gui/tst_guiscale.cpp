// The desktop application at 200 % scaling (QT_SCALE_FACTOR=2, set before the application
// starts), offscreen, on the Demo host: the window, the diff preview, the apply dialog and the
// host dialog lay out without clipping any button, label or field (each gets at least its
// minimum size hint), and the icons come out at twice their pixel size (SVG, not a blurred
// bitmap). Run with a dark palette too, as the README promises both.
#include "ApplyDialog.h"
#include "DestinationDialog.h"
#include "DiffPreviewDialog.h"
#include "HostConnector.h"
#include "HostDialog.h"
#include "HostSession.h"
#include "MainWindow.h"
#include "Theme.h"
#include "WorkerPool.h"

#include "GuiTestSetup.h"

#include <QAbstractButton>
#include <QApplication>
#include <QComboBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QStyle>
#include <QStandardPaths>
#include <QTest>
#include <QThreadPool>

#include <cstdlib>

using namespace smtls;
using namespace smtls::gui;

namespace {

// Widgets shown with less room than they need: "class 'text' WxH < min WxH".
QStringList clipped(QWidget *top)
{
    QStringList out;
    const QList<QWidget *> widgets = top->findChildren<QWidget *>();
    for (QWidget *w : widgets) {
        if (!w->isVisibleTo(top) || w->isWindow())
            continue;
        // Qt places the dock's float/close buttons itself, 2 px under their hint at any scale.
        if (w->inherits("QDockWidgetTitleButton"))
            continue;
        // A spin box's or combo box's own editor: sized by its box, which is checked itself.
        if (w->parentWidget() && (w->parentWidget()->inherits("QAbstractSpinBox") || w->parentWidget()->inherits("QComboBox")))
            continue;
        // Everything keeps the minimum it was given; controls and boxes also their minimum hint.
        const bool control = qobject_cast<QAbstractButton *>(w) || qobject_cast<QLabel *>(w) || qobject_cast<QLineEdit *>(w)
            || qobject_cast<QComboBox *>(w) || qobject_cast<QGroupBox *>(w);
        if (!control) {
            if (w->width() < w->minimumWidth() || w->height() < w->minimumHeight())
                out << QStringLiteral("%1 '%2' %3x%4 < its minimum %5x%6")
                           .arg(QString::fromLatin1(w->metaObject()->className()), w->objectName())
                           .arg(w->width()).arg(w->height()).arg(w->minimumWidth()).arg(w->minimumHeight());
            continue;
        }
        auto *label = qobject_cast<QLabel *>(w);
        if (label && label->wordWrap())
            continue;  // wraps instead: its minimum is one word
        const QSize min = w->minimumSizeHint().expandedTo(w->minimumSize());
        if (w->width() < min.width() || w->height() < min.height()) {
            QString text;
            if (auto *b = qobject_cast<QAbstractButton *>(w))
                text = b->text();
            else if (label)
                text = label->text();
            out << QStringLiteral("%1 '%2' %3x%4 < min %5x%6")
                       .arg(QString::fromLatin1(w->metaObject()->className()), text.left(40))
                       .arg(w->width()).arg(w->height()).arg(min.width()).arg(min.height());
        }
    }
    return out;
}

// Text that does not fit where it is shown: a line edit narrower than its placeholder (the
// example it gives is cut), a word-wrapped label lower than its wrapped text.
QStringList cutText(QWidget *top)
{
    QStringList out;
    for (QLineEdit *edit : top->findChildren<QLineEdit *>()) {
        if (!edit->isVisibleTo(top) || edit->placeholderText().isEmpty() || (edit->parentWidget() && edit->parentWidget()->inherits("QAbstractSpinBox")))
            continue;
        // The text area: the frame and Qt's own margins (2 px each side) inside the edit.
        const int room = edit->width() - edit->style()->pixelMetric(QStyle::PM_DefaultFrameWidth, nullptr, edit) * 2 - 4
            - edit->textMargins().left() - edit->textMargins().right();
        const int needed = edit->fontMetrics().horizontalAdvance(edit->placeholderText());
        if (room < needed)
            out << QStringLiteral("QLineEdit '%1': placeholder needs %2 px, has %3").arg(edit->objectName()).arg(needed).arg(room);
    }
    for (QLabel *label : top->findChildren<QLabel *>()) {
        if (!label->isVisibleTo(top) || !label->wordWrap() || label->text().isEmpty())
            continue;
        const int needed = label->heightForWidth(label->width());
        if (label->height() < needed)
            out << QStringLiteral("QLabel '%1' (%2): %3 px high, its text needs %4")
                       .arg(label->objectName(), label->text().left(40)).arg(label->height()).arg(needed);
    }
    return out;
}

} // namespace

class TestGuiScale : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        initGuiResources();
        useEmptyTestDataFolder(QStringLiteral("tst_guiscale"));
        QCOMPARE(qApp->devicePixelRatio(), 2.0);
    }

    void cleanupTestCase() { QVERIFY(workerPool()->waitForDone(60000)); }

    void destinationDialog_fits_data();
    void destinationDialog_fits();

    void views_doNotClip_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::newRow("default palette") << false;
        QTest::newRow("dark palette") << true;
    }

    void views_doNotClip()
    {
        QFETCH(bool, dark);
        if (dark)
            applyDarkPalette(*qApp);
        MainWindow w;
        w.resize(1280, 900);  // the default size, in device-independent pixels
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.selectHost(QStringLiteral("demo"));
        HostSession *demo = w.sessionById(QStringLiteral("demo"));
        QTRY_VERIFY_WITH_TIMEOUT(demo->state() != nullptr && !demo->busy(), 60000);
        QVERIFY2(clipped(&w).isEmpty(), qPrintable(clipped(&w).join(QLatin1Char('\n'))));

        // Icons: twice the pixels at a device pixel ratio of 2.
        auto *preview = w.findChild<QAbstractButton *>(QStringLiteral("previewButton"));
        QVERIFY(preview);
        const QPixmap icon = preview->icon().pixmap(preview->iconSize(), 2.0);
        QCOMPARE(icon.width(), preview->iconSize().width() * 2);
        const QImage grabbed = w.grab().toImage();
        QCOMPARE(grabbed.width(), w.width() * 2);

        demo->stage(Change::destination(*parseDestination(QStringLiteral("scale.example")), TlsSetting::Off));
        DiffPreviewDialog *diff = w.preview();
        QVERIFY(QTest::qWaitForWindowExposed(diff));
        QTRY_VERIFY(diff->isReady());  // laid out as it is with the diff shown, not the busy bar
        QVERIFY2(clipped(diff).isEmpty(), qPrintable(clipped(diff).join(QLatin1Char('\n'))));
        diff->reject();
        demo->undoStack()->undo();

        HostEntry entry;
        HostDialog hostDialog(entry, &w);
        hostDialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&hostDialog));
        QVERIFY2(clipped(&hostDialog).isEmpty(), qPrintable(clipped(&hostDialog).join(QLatin1Char('\n'))));
        hostDialog.reject();
        if (dark)
            qApp->setPalette(qApp->style()->standardPalette());
    }
};

// The exception dialog (issue 13 found it 307×150, its placeholders and its check cut): as it
// opens, editing an exception that ends by itself, and with its longest message (the fallback
// refused on an old sendmail).
void TestGuiScale::destinationDialog_fits_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("default palette") << false;
    QTest::newRow("dark palette") << true;
}

void TestGuiScale::destinationDialog_fits()
{
    QFETCH(bool, dark);
    if (dark)
        applyDarkPalette(*qApp);
    const auto check = [](QWidget *dialog, const char *what) {
        QCoreApplication::processEvents();  // the layout after a change of text
        const QStringList problems = clipped(dialog) + cutText(dialog);
        QVERIFY2(problems.isEmpty(), qPrintable(QLatin1String(what) + QStringLiteral(": ") + problems.join(QLatin1Char('\n'))));
    };
    {
        DestinationDialog dialog;
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        check(&dialog, "new exception");
        dialog.setValues(QStringLiteral("mx.example.com"), TlsSetting::Fallback, QStringLiteral("ticket 4711"));
        check(&dialog, "fallback");
        dialog.setFallbackUnavailable(QStringLiteral("Not offered: mta-old.example.net runs sendmail 8.15.2, and the fallback to clear text "
                                                     "(TLSFallbacktoClear, TLS_Clt_Features Flags=C) exists since sendmail 8.16. Use \"off\" "
                                                     "for the servers whose handshake fails, or upgrade sendmail."));
        check(&dialog, "fallback refused");
        dialog.findChild<QSpinBox *>(QStringLiteral("expiresAmount"))->setValue(400);
        dialog.setValues(QStringLiteral("mx.example.com"), TlsSetting::Off, {});
        check(&dialog, "expiry refused");
    }
    {
        DestinationRule rule;
        rule.destination = *parseDestination(QStringLiteral("mx1.broken-tls.example"));
        rule.tls = false;
        rule.line = 10;
        rule.expires = QDateTime::currentDateTimeUtc().addDays(5).toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss'Z'"));
        DestinationDialog dialog(nullptr, &rule);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(dialog.findChild<QWidget *>(QStringLiteral("expiresKeep"))->isVisible());
        check(&dialog, "editing");
    }
    if (dark)
        qApp->setPalette(qApp->style()->standardPalette());
}

int main(int argc, char **argv)
{
    qputenv("QT_SCALE_FACTOR", "2");
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    TestGuiScale test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_guiscale.moc"
