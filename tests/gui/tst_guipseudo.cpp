// The GUI with the pseudo-translation (translations/pseudo-translate: every translated text
// "[áççéñţéð ~~~]", ~30 % longer), offscreen at 1366×768 less the desktop's panel and title bar,
// on the Demo host: the main views (Policy, Pending changes, History, Queue, the Log) and the
// dialogs (exception, host, import, apply preview, apply result) show
// (a) nothing cut: labels, buttons, tabs, column titles, group titles, placeholders, menus and
//     tool bars at least as large as their text needs (tests/support/LayoutChecks.h, shared with
//     tst_guilayout);
// (b) nothing untranslated: a visible text with words outside the pseudo brackets is a string
//     that escaped tr() (data — host names, addresses, paths — is let through).
// selfCheck() shows that both checks fail on an English string and on a too-narrow button.
// Texts that come from core/ (problems, error messages, the Explain answer) stay English for
// now; they are shown in item views and labels this test does not read (see README,
// "Translations").
#include "DestinationDialog.h"
#include "DiffPreviewDialog.h"
#include "ApplyDialog.h"
#include "HistoryPanel.h"
#include "HostDialog.h"
#include "HostListModel.h"
#include "ApplyProgressModel.h"
#include "HostImportDialog.h"
#include "HostSession.h"
#include "MainWindow.h"
#include "Translations.h"

#include "GuiFlows.h"
#include "GuiTestSetup.h"
#include "LayoutChecks.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QPushButton>
#include <QSet>
#include <QTabWidget>
#include <QTest>
#include <QTreeView>

using namespace smtls;
using namespace smtls::gui;
using namespace layoutchecks;

namespace {

constexpr int Decorations = 70;  // a panel and a title bar, as in tst_guilayout
const QSize Window(1366, 768 - Decorations);

// Names and words that are never translated: the Demo host's name, program and protocol names.
const QStringList NotTranslated = {QStringLiteral("Demo"), QStringLiteral("sendmail"), QStringLiteral("STARTTLS"),
                                   QStringLiteral("TLS"), QStringLiteral("SSH"), QStringLiteral("MX")};

// Widgets that show texts of core/ (English for now; README, "Translations").
const QStringList CoreTexts = {QStringLiteral("queueNotes")};

// Everything wrong in TOP as shown now, headed by WHERE.
QStringList problemsIn(QWidget *top, const QString &where)
{
    QStringList problems;
    for (const QString &p : cutWidgets(top) + cutBars(top))
        problems << QStringLiteral("%1: cut: %2").arg(where, p);
    for (const QString &p : untranslatedTexts(top, NotTranslated, CoreTexts))
        problems << QStringLiteral("%1: untranslated: %2").arg(where, p);
    return problems;
}

// Each problem on its own line (a failure message is cut at 1,000 characters); true when none.
bool reported(QStringList problems)
{
    problems.removeDuplicates();
    for (const QString &p : std::as_const(problems))
        qWarning("%s", qPrintable(p));
    return problems.isEmpty();
}


bool demoReady(MainWindow &w)
{
    HostSession *demo = w.sessionById(QStringLiteral("demo"));
    return demo && QTest::qWaitFor([demo] { return demo->state() && !demo->busy() && !demo->policyViewPending(); }, 60000);
}

} // namespace

class TestGuiPseudo : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { useEmptyTestDataFolder(QStringLiteral("tst_guipseudo")); }

    void pseudoTranslationIsLoaded()
    {
        const QString t = QCoreApplication::translate("GuiApplication", "Use a dark palette.");
        QVERIFY2(t.startsWith(QLatin1Char('[')) && t.contains(QStringLiteral("Ûšé")), qPrintable(t));
    }

    // The checks themselves: an English string and a button narrower than its text are found.
    void selfCheck()
    {
        QWidget top;
        auto *layout = new QHBoxLayout(&top);
        auto *english = new QPushButton(QStringLiteral("Apply changes"), &top);
        auto *narrow = new QPushButton(QCoreApplication::translate("GuiApplication", "Use a dark palette."), &top);
        narrow->setFixedWidth(40);
        auto *data = new QPushButton(QStringLiteral("mx1.example.net"), &top);
        layout->addWidget(english);
        layout->addWidget(narrow);
        layout->addWidget(data);
        top.show();
        QVERIFY(QTest::qWaitForWindowExposed(&top));
        const QStringList untranslated = untranslatedTexts(&top, NotTranslated);
        QCOMPARE(untranslated.size(), 1);
        QVERIFY2(untranslated.first().contains(QStringLiteral("Apply changes")), qPrintable(untranslated.join(QLatin1Char('\n'))));
        const QStringList cut = cutWidgets(&top);
        QCOMPARE(cut.size(), 1);
        QVERIFY2(cut.first().contains(QStringLiteral("Ûšé")), qPrintable(cut.join(QLatin1Char('\n'))));
        QCOMPARE(untranslatedPart(QStringLiteral("<b>[Ĥöšt ~]</b>: %1 [ţ ~]").arg(QStringLiteral("root@127.0.1.1")), NotTranslated), QString());
        QCOMPARE(untranslatedPart(QStringLiteral("[Ĥöšt ~] 3 rules"), NotTranslated), QStringLiteral("rules"));
    }

    void mainViews()
    {
        MainWindow w;
        w.resize(Window);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.selectHost(QStringLiteral("demo"));
        QVERIFY(demoReady(w));
        QStringList problems;
        QSet<QString> seen;  // what every tab shares (menus, host list, log): reported once
        for (int tab = 0; tab < w.tabs()->count(); ++tab) {
            w.tabs()->setCurrentIndex(tab);
            QTest::qWait(100);  // the page's layout and its models' first rows
            if (qEnvironmentVariableIsSet("PSEUDO_DEBUG"))  // who makes the page wide
                for (QWidget *c : w.tabs()->currentWidget()->findChildren<QWidget *>())
                    if (c->isVisible() && c->minimumSizeHint().width() > 350)
                        qInfo("%s %s: min %d hint %d", c->metaObject()->className(), qPrintable(describe(c)), c->minimumSizeHint().width(), c->sizeHint().width());
            if (w.size() != Window)  // grown past the screen: its right or bottom edge is not seen
                problems << QStringLiteral("the window is %1×%2 on tab %3: it needs more than the screen's %4×%5")
                                .arg(w.width()).arg(w.height()).arg(tab).arg(Window.width()).arg(Window.height());
            for (const QString &p : untranslatedCells(w.findChild<QTreeView *>(QStringLiteral("hostTree"))->model(), HostListModel::StateColumn, NotTranslated))
                problems << QStringLiteral("host list: untranslated: %1").arg(p);
            for (const QString &p : problemsIn(&w, QStringLiteral("main window")))
                if (!seen.contains(p)) {
                    seen.insert(p);
                    problems << QStringLiteral("%1 (tab %2)").arg(p).arg(tab);
                }
            w.grab().save(QStringLiteral("%1/tst_guipseudo-tab%2.png").arg(QDir::tempPath()).arg(tab));
        }
        QVERIFY2(reported(problems), "see the lines above");
    }

    void dialogs()
    {
        MainWindow w;
        w.resize(Window);
        w.show();
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        w.selectHost(QStringLiteral("demo"));
        QVERIFY(demoReady(w));
        QStringList problems;

        // Ctrl+E: the exception dialog; it stages an exception for the apply below.
        QTest::keyClick(&w, Qt::Key_E, Qt::ControlModifier);
        auto *exception = testing::visibleDialog<DestinationDialog>(QStringLiteral("destinationDialog"));
        QVERIFY2(exception, "Ctrl+E opened no exception dialog");
        QTest::qWait(50);
        problems += problemsIn(exception, QStringLiteral("exception dialog"));
        exception->setValues(QStringLiteral("pseudo.example.org"), TlsSetting::Off, QStringLiteral("pseudo-translation test"));
        exception->accept();
        QTest::qWait(0);

        // Ctrl+N: the host dialog.
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QTest::keyClick(&w, Qt::Key_N, Qt::ControlModifier);
        auto *host = testing::visibleDialog<HostDialog>(QStringLiteral("hostDialog"));
        QVERIFY2(host, "Ctrl+N opened no host dialog");
        QTest::qWait(50);
        problems += problemsIn(host, QStringLiteral("host dialog"));
        host->reject();

        HostImportDialog import(QString(), {});
        import.show();
        QTest::qWait(50);
        problems += problemsIn(&import, QStringLiteral("import dialog"));
        import.close();

        // The apply preview, then the result of the apply.
        HostSession *demo = w.sessionById(QStringLiteral("demo"));
        QTRY_VERIFY(demo->pendingCount() > 0);
        DiffPreviewDialog *preview = w.preview();
        QVERIFY(preview);
        QTRY_VERIFY_WITH_TIMEOUT(preview->isReady(), 30000);
        QTest::qWait(50);
        problems += problemsIn(preview, QStringLiteral("apply preview"));
        preview->findChild<QLineEdit *>(QStringLiteral("applyReason"))->setText(QStringLiteral("pseudo-translation test"));
        QTest::mouseClick(preview->findChild<QPushButton *>(QStringLiteral("applyButton")), Qt::LeftButton);
        ApplyDialog *apply = nullptr;
        QVERIFY(QTest::qWaitFor([&] { return (apply = w.findChild<ApplyDialog *>(QStringLiteral("applyDialog"))) != nullptr; }, 10000));
        QTRY_VERIFY_WITH_TIMEOUT(apply->finished(), 120000);
        QTest::qWait(100);
        problems += problemsIn(apply, QStringLiteral("apply result"));
        for (const QString &p : untranslatedCells(apply->model(), ApplyProgressModel::StepColumn, NotTranslated))
            problems << QStringLiteral("apply result: untranslated: %1").arg(p);
        apply->grab().save(QStringLiteral("%1/tst_guipseudo-result.png").arg(QDir::tempPath()));
        apply->accept();
        QTRY_VERIFY_WITH_TIMEOUT(!demo->busy() && !demo->policyViewPending(), 30000);

        // History with the apply in it.
        w.tabs()->setCurrentIndex(w.tabs()->indexOf(w.historyPanel()));
        QTest::qWait(200);
        problems += problemsIn(&w, QStringLiteral("history after an apply"));
        QVERIFY2(reported(problems), "see the lines above");
    }
};

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    initGuiResources();
    const QStringList loaded = installTranslations(QStringLiteral(SMTLS_PSEUDO_QM));
    if (!loaded.contains(QStringLiteral(SMTLS_PSEUDO_QM))) {
        qCritical("the pseudo-translation %s did not load (loaded: %s)", SMTLS_PSEUDO_QM, qPrintable(loaded.join(QLatin1Char(' '))));
        return 1;
    }
    TestGuiPseudo test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_guipseudo.moc"
