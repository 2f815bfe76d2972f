// Layout, words and keyboard of the main window (issue 13, item 7), offscreen with the real
// widgets on the Demo host, at the two screen sizes administrators use: 1366×768 (a laptop) and
// 1920×1080, each less a panel and a title bar (what a window manager leaves to the window).
// - Explain and Problems are on the screen without scrolling the policy page;
// - no label, button or host list cell is cut (its size is at least its size hint);
// - dialogs (exception, host, import) are sized to their content: placeholders and labels whole;
// - no mojibake ("â€¦", U+FFFD) and no doubled word in what the window shows;
// - the Log names hosts by their name and hides our internal helper scripts unless
//   "Show all commands" is on;
// - keyboard: Delete removes the selected rule (staged), Ctrl+E adds an exception, Ctrl+N a
//   host; the default button of a dialog is named (never a bare OK/Yes/Cancel).
#include "DestinationDialog.h"
#include "HostDialog.h"
#include "HostImportDialog.h"
#include "HostSession.h"
#include "LogModel.h"
#include "MainWindow.h"
#include "MxSuggestion.h"
#include "PolicyPanel.h"
#include "RulesTable.h"

#include "GuiFlows.h"
#include "GuiTestSetup.h"
#include "LayoutChecks.h"

#include <QAbstractButton>
#include <QApplication>
#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QGroupBox>
#include <QMenuBar>
#include <QToolBar>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QTableView>
#include <QTest>
#include <QTreeView>

using namespace smtls;
using namespace smtls::gui;
using namespace layoutchecks;  // cutWidgets, badWords (shared with tst_guipseudo)

namespace {

// What a desktop leaves to a maximised window: a panel (~32 px) and a title bar (~38 px).
constexpr int Decorations = 70;

QString plain(QString text) { return text.remove(QLatin1Char('&')); }

// The default button of a dialog: there is one and it says what it does.
QString defaultButtonProblem(QDialog *dialog)
{
    for (QPushButton *b : dialog->findChildren<QPushButton *>())
        if (b->isDefault() && b->isVisible()) {
            const QString text = plain(b->text());
            if (QStringList{QStringLiteral("OK"), QStringLiteral("Cancel"), QStringLiteral("Yes"), QStringLiteral("No")}.contains(text))
                return QStringLiteral("%1: the default button is a bare \"%2\"").arg(dialog->objectName(), text);
            return {};
        }
    return QStringLiteral("%1: no default button (Enter does something unnamed)").arg(dialog->objectName());
}


bool demoReady(MainWindow &w)
{
    HostSession *demo = w.sessionById(QStringLiteral("demo"));
    return QTest::qWaitFor([demo] { return demo && demo->state() && !demo->busy() && !demo->policyViewPending(); }, 60000);
}

// Fully inside the visible part of the policy page (no scrolling needed).
bool onScreen(QWidget *box, QScrollArea *scroll)
{
    const QRect r(box->mapTo(scroll->viewport(), QPoint(0, 0)), box->size());
    return scroll->viewport()->rect().contains(r);
}

} // namespace

class TestGuiLayout : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { useEmptyTestDataFolder(QStringLiteral("tst_guilayout")); }

    void mainWindow_data()
    {
        QTest::addColumn<QSize>("screen");
        QTest::newRow("1366x768") << QSize(1366, 768);
        QTest::newRow("1920x1080") << QSize(1920, 1080);
    }
    void mainWindow()
    {
        QFETCH(QSize, screen);
        MainWindow w;
        w.resize(screen.width(), screen.height() - Decorations);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        w.selectHost(QStringLiteral("demo"));
        QVERIFY(demoReady(w));
        QTest::qWait(100);  // the last layout requests
        QCOMPARE(w.size(), QSize(screen.width(), screen.height() - Decorations));

        // Explain and Problems without scrolling the page.
        auto *scroll = w.findChild<QScrollArea *>(QStringLiteral("policyScroll"));
        QVERIFY(scroll);
        PolicyPanel *panel = w.policyPanel();
        auto *explainBox = qobject_cast<QGroupBox *>(panel->explainInput()->parentWidget());
        auto *problemsBox = qobject_cast<QGroupBox *>(panel->findChild<QListView *>(QStringLiteral("problems"))->parentWidget());
        QVERIFY(explainBox && problemsBox);
        if (qEnvironmentVariableIsSet("LAYOUT_DEBUG")) {
            for (QWidget *x : QList<QWidget *>{w.findChild<QDockWidget *>(QStringLiteral("logDock")), w.tabs(), scroll, w.menuBar(), w.findChild<QToolBar *>()})
                qInfo("%s: y %d h %d", x->metaObject()->className(), x->mapTo(&w, QPoint()).y(), x->height());
        }
        if (qEnvironmentVariableIsSet("LAYOUT_DEBUG"))
            for (QGroupBox *b : panel->findChildren<QGroupBox *>())
                qInfo("%s: y %d h %d min %d hint %d", qPrintable(b->title()), b->mapTo(scroll->viewport(), QPoint()).y(), b->height(), b->minimumSizeHint().height(), b->sizeHint().height());
        QVERIFY2(onScreen(explainBox, scroll), qPrintable(QStringLiteral("Explain is below the fold: at y %1, the page shows %2 px")
                                                              .arg(explainBox->mapTo(scroll->viewport(), QPoint()).y()).arg(scroll->viewport()->height())));
        QVERIFY2(onScreen(problemsBox, scroll), qPrintable(QStringLiteral("Problems are below the fold: they end at y %1, the page shows %2 px")
                                                               .arg(problemsBox->mapTo(scroll->viewport(), QPoint()).y() + problemsBox->height()).arg(scroll->viewport()->height())));
        // The rules stay usable beside them: several rows visible.
        QTableView *rules = panel->findChild<RulesTable *>()->table();
        QVERIFY2(rules->viewport()->height() >= rules->verticalHeader()->defaultSectionSize() * 2,
                 qPrintable(QStringLiteral("the rules table shows %1 px").arg(rules->viewport()->height())));

        // Nothing cut, no mojibake, no doubled words.
        const QStringList cut = cutWidgets(&w);
        QVERIFY2(cut.isEmpty(), qPrintable(cut.join(QLatin1Char('\n'))));
        const QStringList bad = badWords(&w);
        QVERIFY2(bad.isEmpty(), qPrintable(bad.join(QLatin1Char('\n'))));
        // The host list: every cell whole (the State column was cut at 1366).
        const QStringList cutCells = testing::cutHostCells(w.findChild<QTreeView *>(QStringLiteral("hostTree")));
        QVERIFY2(cutCells.isEmpty(), qPrintable(cutCells.join(QLatin1Char('\n'))));
        const QString name = QString::fromLatin1(QTest::currentDataTag());
        w.grab().save(QStringLiteral("%1/tst_guilayout-%2.png").arg(QDir::tempPath(), name));
    }

    void dialogsFitTheirContent()
    {
        MainWindow w;
        w.resize(1366, 768 - Decorations);
        w.show();
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        w.selectHost(QStringLiteral("demo"));
        QVERIFY(demoReady(w));

        // Ctrl+E: the exception dialog.
        QTest::keyClick(&w, Qt::Key_E, Qt::ControlModifier);
        auto *exception = testing::visibleDialog<DestinationDialog>(QStringLiteral("destinationDialog"));
        QVERIFY2(exception, "Ctrl+E opened no exception dialog");
        QTest::qWait(50);
        QStringList cut = cutWidgets(exception);
        QVERIFY2(cut.isEmpty(), qPrintable(QStringLiteral("exception dialog %1×%2:\n").arg(exception->width()).arg(exception->height()) + cut.join(QLatin1Char('\n'))));
        QVERIFY(exception->width() >= exception->minimumSizeHint().width() && exception->height() >= exception->minimumSizeHint().height());
        exception->reject();

        // Ctrl+N: the host dialog.
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QTest::keyClick(&w, Qt::Key_N, Qt::ControlModifier);
        auto *host = testing::visibleDialog<HostDialog>(QStringLiteral("hostDialog"));
        QVERIFY2(host, "Ctrl+N opened no host dialog");
        QTest::qWait(50);
        cut = cutWidgets(host);
        QVERIFY2(cut.isEmpty(), qPrintable(QStringLiteral("host dialog %1×%2:\n").arg(host->width()).arg(host->height()) + cut.join(QLatin1Char('\n'))));
        QCOMPARE(defaultButtonProblem(host), QString());
        const QStringList bad = badWords(host);
        QVERIFY2(bad.isEmpty(), qPrintable(bad.join(QLatin1Char('\n'))));
        host->reject();

        HostImportDialog import(QString(), {});
        import.show();
        QTest::qWait(50);
        cut = cutWidgets(&import);
        QVERIFY2(cut.isEmpty(), qPrintable(cut.join(QLatin1Char('\n'))));
        QCOMPARE(defaultButtonProblem(&import), QString());
    }

    void deleteRemovesTheSelectedRule()
    {
        MainWindow w;
        w.resize(1366, 768 - Decorations);
        w.show();
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        w.selectHost(QStringLiteral("demo"));
        QVERIFY(demoReady(w));
        HostSession *demo = w.sessionById(QStringLiteral("demo"));
        QTableView *rules = w.policyPanel()->findChild<RulesTable *>()->table();
        QTRY_VERIFY(rules->model()->rowCount() > 0);
        const int rowsBefore = rules->model()->rowCount();
        const int pendingBefore = demo->pendingCount();
        rules->setFocus();
        rules->selectionModel()->setCurrentIndex(rules->model()->index(0, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QTest::keyClick(rules, Qt::Key_Delete);
        QTRY_COMPARE(demo->pendingCount(), pendingBefore + 1);  // staged, not applied
        QVERIFY(demo->pendingCount() > 0);
        Q_UNUSED(rowsBefore);
        // Delete in the Explain field edits the text, never a rule.
        w.policyPanel()->explainInput()->setText(QStringLiteral("abc"));
        w.policyPanel()->explainInput()->setFocus();
        w.policyPanel()->explainInput()->setCursorPosition(0);
        QTest::keyClick(w.policyPanel()->explainInput(), Qt::Key_Delete);
        QCOMPARE(w.policyPanel()->explainInput()->text(), QStringLiteral("bc"));
        QCOMPARE(demo->pendingCount(), pendingBefore + 1);
    }

    void explainTakesAnAddressAndNamesRecipients()
    {
        MainWindow w;
        w.show();
        w.selectHost(QStringLiteral("demo"));
        QVERIFY(demoReady(w));
        PolicyPanel *panel = w.policyPanel();
        panel->explainInput()->setText(QStringLiteral("user@example.com"));
        QTRY_VERIFY2(panel->explainAnswer().contains(QStringLiteral("recipient")), qPrintable(panel->explainAnswer()));
        QVERIFY2(!panel->explainAnswer().contains(QStringLiteral("will be tried")), qPrintable(panel->explainAnswer()));
        QVERIFY(panel->explainServers()->isVisible());  // the recipient's servers (or why not) below
        panel->explainInput()->setText(QStringLiteral("bad name"));
        QTRY_VERIFY2(panel->explainAnswer().contains(QStringLiteral("not a server name"), Qt::CaseInsensitive), qPrintable(panel->explainAnswer()));
        panel->explainInput()->setText(QStringLiteral("mx.example.net"));
        QTRY_VERIFY2(panel->explainAnswer().contains(QStringLiteral("IP address were not considered")), qPrintable(panel->explainAnswer()));
        panel->explainAddress()->setText(QStringLiteral("192.0.2"));
        QTRY_VERIFY2(panel->explainAnswer().contains(QStringLiteral("not a complete IPv4 or IPv6 address")), qPrintable(panel->explainAnswer()));
        panel->explainAddress()->setText(QStringLiteral("192.0.2.7"));
        QTRY_VERIFY2(panel->explainAnswer().contains(QStringLiteral("decided by")), qPrintable(panel->explainAnswer()));
        QVERIFY2(!panel->explainAnswer().contains(QStringLiteral("not considered")), qPrintable(panel->explainAnswer()));
    }

    void logNamesHostsAndHidesHelpers()
    {
        MainWindow w;
        w.show();
        w.selectHost(QStringLiteral("demo"));
        QVERIFY(demoReady(w));
        HostSession *demo = w.sessionById(QStringLiteral("demo"));
        auto *view = w.findChild<QTableView *>(QStringLiteral("logView"));
        auto *showAll = w.findChild<QAction *>(QStringLiteral("showAllCommands"));
        QVERIFY(view && showAll);
        QVERIFY(!showAll->isChecked());
        LogModel *log = w.logModel();
        const int all = log->rowCount();
        const int visible = view->model()->rowCount();
        qInfo("after reading the Demo: %d commands, %d shown", all, visible);
        for (int row = 0; row < all && row < 6; ++row)
            qInfo("  %s", qPrintable(log->entryAt(row).command.left(100)));
        CommandLogEntry helper;
        helper.host = QStringLiteral("root@127.0.1.1");
        helper.command = QStringLiteral("sh -c 'newer() { [ -n \"$(find \"$1\" -newer \"$2\")\" ]; }; newer \"$@\"' sh /etc/mail/access.db /etc/mail/access");
        helper.exitCode = 0;
        CommandLogEntry real = helper;
        real.command = QStringLiteral("sh -c 'run_sequence() { \"${1}\" \"${2}\"; }\nrun_sequence \"$@\"\n' sh makemap hash");
        Q_EMIT demo->commandLogged(helper);
        Q_EMIT demo->commandLogged(real);
        QTRY_COMPARE(log->rowCount(), all + 2);
        QCOMPARE(view->model()->rowCount(), visible + 1);  // the helper hidden, the real commands shown
        const QModelIndex last = view->model()->index(view->model()->rowCount() - 1, LogModel::HostColumn);
        QCOMPARE(last.data().toString(), QStringLiteral("Demo"));  // the host's name, not its address
        QCOMPARE(last.data(Qt::ToolTipRole).toString(), QStringLiteral("root@127.0.1.1"));
        QVERIFY(view->actions().contains(showAll));  // in the log's context menu (and the View menu)
        showAll->trigger();
        QCOMPARE(view->model()->rowCount(), log->rowCount());
        showAll->trigger();
        QCOMPARE(view->model()->rowCount(), visible + 1);
        QVERIFY(LogModel::isInternalHelper(QStringLiteral("sudo -n sh -c 'cat \"$1\"' sh /etc/mail/access")));
        QVERIFY(!LogModel::isInternalHelper(QStringLiteral("makemap hash /etc/mail/access")));
    }
};

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    initGuiResources();
    TestGuiLayout test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_guilayout.moc"
