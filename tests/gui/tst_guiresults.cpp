// The result page of an apply that did not go through, driven through its real widgets
// (offscreen) on the Demo host whose restart is made to fail (a test connector changes only
// the restart command of the Demo's profile: the files, m4, makemap and sendmail -bt are real):
// the cause quoted from the failing command, the state after it, the steps expanded without
// hovering, Show log, Retry until it applies; the host row says why; no mojibake, no doubled
// outcome, no "cleanup" as the step.
#include "ApplyDialog.h"
#include "ApplyProgressModel.h"
#include "HostConnector.h"
#include "HostListModel.h"
#include "HostSession.h"
#include "HostStore.h"

#include "GuiFlows.h"
#include "GuiTestSetup.h"

#include "Destination.h"
#include "SnapshotStore.h"

#include <QFile>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QStandardPaths>
#include <QTest>
#include <QTreeView>

#include <unistd.h>

using namespace smtls;
using namespace smtls::gui;

namespace {

const QString ForcedCause = QStringLiteral("sendmail: restart failed (forced by the test)");

// The Demo host with a restart that prints the forced cause after some make-like noise and
// fails: always, or only the first time (then it works, as a repaired init script would).
class FailingRestartDemo : public HostConnector {
public:
    explicit FailingRestartDemo(bool always) : m_always(always) {}
    Result<Connection> connect(const HostEntry &entry, const CommandLog &log, Details details) const override
    {
        Result<Connection> c = HostConnector::connect(entry, log, details);
        if (c) {
            // A script file, as an init script is: the command line names it, not its text.
            const QString script = HostConnector::demoRoot() + QStringLiteral("/failing-restart");
            QFile f(script);
            if (!f.open(QIODevice::WriteOnly)
                || f.write("echo \"make: Entering directory '/etc/mail'\"; echo 'Updating sendmail.cf ...'\n"
                           "[ \"$2\" = once ] && [ -e \"$1\" ] && exit 0\n"
                           ": > \"$1\"; echo 'sendmail: restart failed (forced by the test)' >&2; exit 1\n") < 0)
                return makeError(ErrorKind::Internal, QStringLiteral("test: cannot write ") + script);
            c->profile.restart = CommandLine{QStringLiteral("sh"), {script, HostConnector::demoRoot() + QStringLiteral("/restart-failed"),
                                                                    m_always ? QStringLiteral("always") : QStringLiteral("once")}};
        }
        return c;
    }

private:
    bool m_always;
};

HostEntry demoEntry()
{
    for (const HostEntry &e : HostStore::builtIns())
        if (e.kind == HostKind::Demo)
            return e;
    return {};
}

QByteArray demoFile(const char *name)
{
    QFile f(HostConnector::demoRoot() + QStringLiteral("/etc/mail/") + QLatin1String(name));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Every text the page shows, host rows and step rows, every column.
QString allTexts(const ApplyProgressModel &m)
{
    QString out;
    for (int row = 0; row < m.rowCount(); ++row) {
        const QModelIndex host = m.index(row, 0);
        for (int col = 0; col < m.columnCount(); ++col)
            out += m.index(row, col).data().toString() + QLatin1Char('|');
        out += QLatin1Char('\n');
        for (int step = 0; step < m.rowCount(host); ++step) {
            for (int col = 0; col < m.columnCount(); ++col)
                out += m.index(step, col, host).data().toString() + QLatin1Char('|');
            out += QLatin1Char('\n');
        }
    }
    return out;
}

} // namespace

class TestGuiResults : public QObject {
    Q_OBJECT

    std::shared_ptr<const SnapshotStore> m_store;

    // The hard switch M=S changes sendmail.mc: sendmail.cf is regenerated and the restart runs.
    static Change restartingChange() { return Change::global(false, Mechanism::ClientOptions, QStringLiteral("results test")); }

private Q_SLOTS:
    void initTestCase()
    {
        initGuiResources();
        useEmptyTestDataFolder(QStringLiteral("tst_guiresults"));
        if (const QString why = testing::whyTheDemoCannotApply(); !why.isEmpty())
            QSKIP(qPrintable(why));
    }
    void init()
    {
        useEmptyTestDataFolder(QStringLiteral("tst_guiresults"));
        m_store = std::make_shared<const SnapshotStore>(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)
                                                        + QStringLiteral("/snapshots"));
    }

    // The restart fails once: rolled back, said with its cause and the state after; the steps
    // are there without hovering; Show log has the commands; Retry applies it.
    void failedRestart_resultPage_showLog_retry()
    {
        HostSession demo(demoEntry(), std::make_shared<const FailingRestartDemo>(false), m_store);
        HostListModel hosts;
        hosts.addSession(&demo);
        demo.reload();
        QTRY_VERIFY_WITH_TIMEOUT(demo.state() != nullptr && !demo.busy(), 30000);
        const QByteArray mcBefore = demoFile("sendmail.mc");
        demo.stage(restartingChange());
        QCOMPARE(demo.pendingCount(), 1);

        ApplyDialog dialog;
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.start({&demo}, QStringLiteral("results test"));
        QTRY_VERIFY_WITH_TIMEOUT(dialog.finished(), 120000);
        ApplyProgressModel *model = dialog.model();
        const ApplyReport report = *model->reportFor(QStringLiteral("Demo"));
        QVERIFY2(report.outcome == ApplyOutcome::RolledBack, qPrintable(reportText(report)));
        QCOMPARE(demoFile("sendmail.mc"), mcBefore);

        // The row: the outcome once, the cause from the failing command (not make's first
        // line), the state after as checked; where it stopped, not "cleanup".
        const QModelIndex host = model->hostIndex(QStringLiteral("Demo"));
        const QString result = model->index(host.row(), ApplyProgressModel::ResultColumn).data().toString();
        QVERIFY2(result.startsWith(QStringLiteral("Rolled back: Activating (")), qPrintable(result));
        QVERIFY2(result.contains(ForcedCause), qPrintable(result));
        QVERIFY2(result.endsWith(QStringLiteral("The old files are active again.")), qPrintable(result));
        QVERIFY2(!result.contains(QStringLiteral("Entering directory")), qPrintable(result));
        QCOMPARE(model->index(host.row(), ApplyProgressModel::StepColumn).data().toString(), QStringLiteral("Rebuild and restart failed"));
        const QString texts = allTexts(*model);
        for (const char *wrong : {"\xc3\xa2\xe2\x82\xac\xc2\xa6" /* â€¦ */, "rolled back: rolled back", "Rolled back: Rolled back", "Rolled back: rolled back",
                                  "applied: applied", "cleanup"})
            QVERIFY2(!texts.contains(QString::fromUtf8(wrong), Qt::CaseInsensitive), qPrintable(texts));

        // The steps, without hovering: expanded because it did not apply, one row per step.
        QVERIFY(dialog.view()->isExpanded(host));
        QVERIFY(model->rowCount(host) >= 8);
        QStringList steps;
        for (int i = 0; i < model->rowCount(host); ++i)
            steps << model->index(i, ApplyProgressModel::HostColumn, host).data().toString() + QLatin1Char('=')
                    + model->index(i, ApplyProgressModel::StepColumn, host).data().toString().section(QStringLiteral(" · "), 0, 0);
        QVERIFY2(steps.contains(QStringLiteral("Rebuild and restart=Failed")), qPrintable(steps.join(QLatin1Char(','))));
        QVERIFY2(steps.contains(QStringLiteral("Roll back=Done")), qPrintable(steps.join(QLatin1Char(','))));
        QVERIFY2(steps.contains(QStringLiteral("Check the state after the failure=Done")), qPrintable(steps.join(QLatin1Char(','))));
        const QModelIndex checkRow = model->index(int(steps.indexOf(QStringLiteral("Check the state after the failure=Done"))),
                                                  ApplyProgressModel::ResultColumn, host);
        QCOMPARE(checkRow.data().toString(), QStringLiteral("The old files are active again."));
        // Each step's text is a sentence.
        for (int i = 0; i < model->rowCount(host); ++i) {
            const QString message = model->index(i, ApplyProgressModel::ResultColumn, host).data().toString();
            QVERIFY2(message.isEmpty() || !message.at(0).isLower(), qPrintable(message));
        }

        // The host row says why, not only "last: rolled back".
        QVERIFY2(HostListModel::stateSummary(demo).contains(QStringLiteral("last apply rolled back\n") + ForcedCause),
                 qPrintable(HostListModel::stateSummary(demo)));
        QVERIFY(!hosts.indexOf(&demo, HostListModel::StateColumn).data(Qt::DecorationRole).isNull());

        // Show log: every step with its commands, the failing one's output included.
        auto *showLog = dialog.findChild<QPushButton *>(QStringLiteral("showLogButton"));
        QVERIFY(showLog && showLog->isEnabled());
        QTest::mouseClick(showLog, Qt::LeftButton);
        auto *log = dialog.findChild<QPlainTextEdit *>(QStringLiteral("applyLogText"));
        QVERIFY(log && log->isVisible());
        QVERIFY2(log->toPlainText().contains(QStringLiteral("restart-failed")) && log->toPlainText().contains(ForcedCause)
                     && log->toPlainText().contains(QStringLiteral("check-state")),
                 qPrintable(log->toPlainText()));

        // Retry: the edit was kept staged; the restart works now, so it applies.
        auto *retry = dialog.findChild<QPushButton *>(QStringLiteral("retryButton"));
        QVERIFY(retry && retry->isEnabled());
        QCOMPARE(demo.pendingCount(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(!demo.busy(), 30000);  // the re-read after the first result
        QTest::mouseClick(retry, Qt::LeftButton);
        QVERIFY(!dialog.finished());
        QTRY_VERIFY_WITH_TIMEOUT(dialog.finished(), 120000);
        const ApplyReport again = *model->reportFor(QStringLiteral("Demo"));
        QVERIFY2(again.outcome == ApplyOutcome::Applied, qPrintable(reportText(again)));
        QVERIFY(demoFile("sendmail.mc").contains("M=S"));
        QCOMPARE(model->index(host.row(), ApplyProgressModel::StepColumn).data().toString(), QStringLiteral("Finished"));
        QVERIFY2(model->index(host.row(), ApplyProgressModel::ResultColumn).data().toString().startsWith(QStringLiteral("Applied: The new sendmail.cf")),
                 qPrintable(model->index(host.row(), ApplyProgressModel::ResultColumn).data().toString()));
        QVERIFY(!retry->isEnabled());
        QVERIFY2(log->toPlainText().contains(QStringLiteral("APPLIED")), qPrintable(log->toPlainText()));  // the open log follows
        QTRY_VERIFY_WITH_TIMEOUT(!demo.busy(), 30000);
        QVERIFY2(HostListModel::stateSummary(demo).contains(QStringLiteral("last: applied")), qPrintable(HostListModel::stateSummary(demo)));
    }

    // The restart is broken for good: it fails in the rollback too, but the old files are back,
    // so the result says so, once, and not "FAILED and the rollback failed too".
    void restartBrokenForGood_saysTheOldFilesAreActive()
    {
        HostSession demo(demoEntry(), std::make_shared<const FailingRestartDemo>(true), m_store);
        demo.reload();
        QTRY_VERIFY_WITH_TIMEOUT(demo.state() != nullptr && !demo.busy(), 30000);
        demo.stage(restartingChange());
        ApplyDialog dialog;
        dialog.show();
        dialog.start({&demo}, QStringLiteral("results test"));
        QTRY_VERIFY_WITH_TIMEOUT(dialog.finished(), 120000);
        const QModelIndex host = dialog.model()->hostIndex(QStringLiteral("Demo"), ApplyProgressModel::ResultColumn);
        const QString result = host.data().toString();
        QVERIFY2(result.startsWith(QStringLiteral("Rolled back: ")), qPrintable(result));
        QVERIFY2(result.contains(QStringLiteral("Putting the old files back worked; restarting then failed again, for the same reason. "
                                                "The old files are active again.")),
                 qPrintable(result));
        QVERIFY2(!result.contains(QStringLiteral("FAILED")) && !result.contains(QStringLiteral("rollback failed"), Qt::CaseInsensitive),
                 qPrintable(result));
        QVERIFY(dialog.findChild<QPushButton *>(QStringLiteral("retryButton"))->isEnabled());
    }
};

QTEST_MAIN(TestGuiResults)
#include "tst_guiresults.moc"
