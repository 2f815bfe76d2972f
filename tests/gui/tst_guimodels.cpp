// The GUI's own small pieces without a window: notes split into date and reason, ~/.ssh/config
// import; and every model of ui/ keeps Qt's model contract (QAbstractItemModelTester) while it is
// fed realistic data. (Staged edits are core Changes: tests/core/tst_change.)
#include "ApplyProgressModel.h"
#include "DestinationRulesModel.h"
#include "HostConnector.h"
#include "HostListModel.h"
#include "HostSession.h"
#include "HostStore.h"
#include "Change.h"
#include "transport/LocalTransport.h"
#include "LogModel.h"
#include "RuleQuery.h"
#include "SnapshotModel.h"
#include "TestFiles.h"
#include "WorkerPool.h"

#include "GuiTestSetup.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>

#include <algorithm>
#include <atomic>
#include <memory>
#include <numeric>
#include <utility>
#include <vector>

using namespace smtls;
using namespace smtls::gui;

namespace {
MailConfig demoConfig()
{
    LocalTransport tree(testing::demoTree());
    Result<HostState> state = readHostState(tree, profileById(QStringLiteral("tree")));
    return state ? state->config : MailConfig{};
}
Change destination(const char *name, TlsSetting setting)
{
    return Change::destination(*parseDestination(QString::fromLatin1(name)), setting);
}
// The tester reports a broken contract as a test failure, at the signal that broke it.
std::unique_ptr<QAbstractItemModelTester> testerFor(QAbstractItemModel *model)
{
    return std::make_unique<QAbstractItemModelTester>(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
}

Snapshot snapshot(const QString &id, const QDateTime &time, const QString &change, const QString &user = QStringLiteral("root"))
{
    Snapshot s;
    s.id = id;
    s.host = QStringLiteral("mta1.example.net");
    s.time = time;
    s.user = user;
    s.change = change;
    s.reason = QStringLiteral("ticket 4711");
    return s;
}

ApplyReport report(const QString &host, ApplyOutcome outcome, const QList<Step> &steps)
{
    ApplyReport r;
    r.host = host;
    r.change = QStringLiteral("set destination mx.broken.test off");
    r.outcome = outcome;
    r.summary = outcomeName(outcome);
    for (Step step : steps)
        r.steps.append(StepRecord{step, StepState::Done, {}, 12, {}});
    if (outcome != ApplyOutcome::Applied) {
        r.steps.last().state = StepState::Failed;
        r.error = makeError(ErrorKind::Validation, QStringLiteral("sendmail -bt disagrees"), host);
    }
    return r;
}

// An SSH host on a loopback port nobody listens on: unreachable at once, nothing written.
HostEntry hostEntry(const QString &id, const QString &group, HostKind kind = HostKind::Ssh)
{
    HostEntry e;
    e.id = id;
    e.name = id;
    e.group = group;
    e.kind = kind;
    e.address = QStringLiteral("127.0.0.1");
    e.port = 1;
    return e;
}

} // namespace

class TestGuiModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        initGuiResources();
        // The Demo host copies its tree into the application's data folder.
        useEmptyTestDataFolder(QStringLiteral("tst_guimodels"));
    }
    void cleanupTestCase() { QVERIFY(workerPool()->waitForDone(60000)); }

    void splitNote_data()
    {
        QTest::addColumn<QString>("note");
        QTest::addColumn<QString>("date");
        QTest::addColumn<QString>("why");
        QTest::newRow("dated with reason") << QStringLiteral("2026-11-25 TLS off: broken cert") << QStringLiteral("2026-11-25") << QStringLiteral("broken cert");
        QTest::newRow("dated without reason") << QStringLiteral("2026-11-25 TLS off") << QStringLiteral("2026-11-25") << QString();
        QTest::newRow("free text") << QStringLiteral("hand written") << QString() << QStringLiteral("hand written");
    }
    void splitNote()
    {
        QFETCH(QString, note);
        QFETCH(QString, date);
        QFETCH(QString, why);
        const auto [d, w] = DestinationRulesModel::splitNote(note);
        QCOMPARE(d, date);
        QCOMPARE(w, why);
    }

    void importSshConfig_skipsWildcardsAndKeepsSettings()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("config"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("Host *\n  User nobody\nHost mta1 mta2\n  HostName 10.0.0.1\n  Port 2222\n  User admin\n"
                "Host relay\n  IdentityFile ~/.ssh/relay\n");
        f.close();
        const QList<HostEntry> hosts = HostStore::importSshConfig(file);
        QCOMPARE(hosts.size(), 3);
        QCOMPARE(hosts[0].name, QStringLiteral("mta1"));
        QCOMPARE(hosts[1].port, 2222);
        QCOMPARE(hosts[1].user, QStringLiteral("admin"));
        QCOMPARE(hosts[2].auth, AuthMethod::KeyFile);
        QCOMPARE(hosts[2].user, QString());
    }

    void destinationRulesModel_keepsTheModelContract()
    {
        DestinationRulesModel model;
        const auto tester = testerFor(&model);
        const MailConfig config = demoConfig();
        const auto rules = std::make_shared<const QList<DestinationRule>>(config.policy().destinations());
        QVERIFY(rules->size() >= 3);
        model.setRules(rules);
        QCOMPARE(qsizetype(model.rowCount()), rules->size());
        QCOMPARE(model.index(0, DestinationRulesModel::LineColumn).data().toInt(), rules->at(0).line);
        // The rows a query kept, in its order: the last rule first, then the first.
        model.setRules(rules, std::make_shared<const QList<int>>(QList<int>{int(rules->size()) - 1, 0}));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.ruleCount(), rules->size());
        QCOMPARE(model.index(0, DestinationRulesModel::LineColumn).data().toInt(), rules->last().line);
        QCOMPARE(model.ruleAt(1).line, rules->at(0).line);
        // The same table after one more exception was staged, then for a host without any.
        const Result<ConfigChange> change = destination("mx.broken.test", TlsSetting::Off).plan(config);
        QVERIFY(change.ok());
        const MailConfig staged = configAfter(config, *change);
        model.setRules(std::make_shared<const QList<DestinationRule>>(staged.policy().destinations()));
        QCOMPARE(qsizetype(model.rowCount()), rules->size() + 1);
        model.setRules({});
        QCOMPARE(model.rowCount(), 0);
    }

    // What the table's filter and header ask a worker: the rows kept, in the order asked, ties
    // in file order; the filter looks at every column as shown (the note's date and reason too).
    void ruleQuery_filtersAndSortsAsShown()
    {
        const MailConfig config = demoConfig();
        const QList<DestinationRule> rules = config.policy().destinations();
        const std::atomic<bool> notCancelled{false};
        const auto run = [&](const RuleQuery &q) { return runRuleQuery(rules, q, notCancelled).value_or(QList<int>{-1}); };
        const auto names = [&](const QList<int> &rows) {
            QStringList out;
            for (int row : rows)
                out << DestinationRulesModel::text(rules.at(row), DestinationRulesModel::DestinationColumn);
            return out;
        };
        QList<int> all(rules.size());
        std::iota(all.begin(), all.end(), 0);
        QCOMPARE(run({}), all);
        QCOMPARE(names(run({QStringLiteral("BROKEN-TLS"), -1, Qt::AscendingOrder})), QStringList{QStringLiteral("mx1.broken-tls.example")});
        // "certificate store" is only in the note's reason (the Why column).
        QCOMPARE(names(run({QStringLiteral("certificate store"), -1, Qt::AscendingOrder})), QStringList{QStringLiteral("mx1.broken-tls.example")});
        QCOMPARE(names(run({QStringLiteral("2026-11-20"), -1, Qt::AscendingOrder})), QStringList{QStringLiteral("mx1.broken-tls.example")});
        QVERIFY(run({QStringLiteral("nothing like this"), -1, Qt::AscendingOrder}).isEmpty());
        QStringList sorted = names(all);
        std::sort(sorted.begin(), sorted.end());
        QCOMPARE(names(run({{}, DestinationRulesModel::DestinationColumn, Qt::AscendingOrder})), sorted);
        std::reverse(sorted.begin(), sorted.end());
        QCOMPARE(names(run({{}, DestinationRulesModel::DestinationColumn, Qt::DescendingOrder})), sorted);
        QList<int> byLineDown = all;
        std::reverse(byLineDown.begin(), byLineDown.end());
        QCOMPARE(run({{}, DestinationRulesModel::LineColumn, Qt::DescendingOrder}), byLineDown);
        // By TLS: "off" before "on" (the demo's "NO # until they upgrade" is not NO), each in file order.
        QList<int> byTls = all;
        std::stable_sort(byTls.begin(), byTls.end(), [&](int a, int b) {
            return DestinationRulesModel::text(rules.at(a), DestinationRulesModel::TlsColumn)
                < DestinationRulesModel::text(rules.at(b), DestinationRulesModel::TlsColumn);
        });
        QVERIFY(byTls != all);
        QCOMPARE(run({{}, DestinationRulesModel::TlsColumn, Qt::AscendingOrder}), byTls);
        const std::atomic<bool> cancelled{true};
        QVERIFY(!runRuleQuery(rules, {QStringLiteral("x"), -1, Qt::AscendingOrder}, cancelled));
    }

    void snapshotModel_keepsTheModelContract()
    {
        SnapshotModel model;
        const auto tester = testerFor(&model);
        const QDateTime now = QDateTime::currentDateTime();
        const QList<Snapshot> local{snapshot(QStringLiteral("l1"), now.addDays(-2), QStringLiteral("set destination a.example off")),
                                    snapshot(QStringLiteral("l2"), now.addSecs(-60), QStringLiteral("set tls on"))};
        // The same apply on the host (other id, a few seconds later), and one made there by hand.
        const QList<Snapshot> onHost{snapshot(QStringLiteral("h1"), now.addSecs(-55), QStringLiteral("set tls on")),
                                     snapshot(QStringLiteral("h2"), now.addDays(-1), QStringLiteral("set destination b.example off"),
                                              QStringLiteral("colleague"))};
        model.setItems(mergeHistory(local, onHost));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.itemAt(0).hostId, QStringLiteral("h1"));
        model.setItems(mergeHistory(local, {}));
        QCOMPARE(model.rowCount(), 2);
        model.setItems({});
        QCOMPARE(model.rowCount(), 0);
    }

    void logModel_keepsTheModelContract()
    {
        LogModel model;
        auto tester = testerFor(&model);
        for (int i = 0; i < 20; ++i)
            model.append(CommandLogEntry{QStringLiteral("mta%1").arg(i % 3), QStringLiteral("sh -c 'test -f \"$1\"' sh /etc/mail/access"),
                                         i % 4 == 0 ? 1 : 0, i % 7 == 0 ? QStringLiteral("connection lost") : QString(), i * 10});
        QCOMPARE(model.rowCount(), 20);
        // Full: the oldest goes as the newest comes. Checked without the tester up to there: it
        // walks the whole table at every insertion.
        tester.reset();
        for (int i = model.rowCount(); i < LogModel::MaxEntries; ++i)
            model.append(CommandLogEntry{QStringLiteral("mta1"), QStringLiteral("true"), 0, {}, 1});
        tester = testerFor(&model);
        // The tester cannot see a row dropped in silence (the count after an insertion still
        // adds up): a view can, so the removals must be signalled.
        const QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        model.append(CommandLogEntry{QStringLiteral("mta9"), QStringLiteral("false"), 1, {}, 2});
        model.append(CommandLogEntry{QStringLiteral("mta9"), QStringLiteral("true"), 0, {}, 3});
        QCOMPARE(model.rowCount(), LogModel::MaxEntries);
        QCOMPARE(removed.count(), 2);
        QCOMPARE(model.entryAt(0).host, QStringLiteral("mta2"));  // entry 2: entries 0 and 1 went
        QCOMPARE(model.entryAt(LogModel::MaxEntries - 1).milliseconds, 3);
    }

    void applyProgressModel_keepsTheModelContract()
    {
        ApplyProgressModel model;
        const auto tester = testerFor(&model);
        const QStringList hosts{QStringLiteral("mta1"), QStringLiteral("mta2"), QStringLiteral("mta3")};
        model.setHosts(hosts);
        for (Step step : {Step::Read, Step::Snapshot, Step::Validate})
            for (const QString &host : hosts)
                model.updateStep(host, StepRecord{step, StepState::Running, {}, 0, {}});
        model.updateStep(QStringLiteral("elsewhere"), StepRecord{Step::Read, StepState::Running, {}, 0, {}});
        model.finish(report(QStringLiteral("mta1"), ApplyOutcome::Applied, {Step::Read, Step::Install}));
        // The outcome once, not "applied: applied" (the summary starts with it already).
        QCOMPARE(model.index(0, ApplyProgressModel::ResultColumn).data().toString(), QStringLiteral("applied"));
        model.finish(report(QStringLiteral("mta2"), ApplyOutcome::Refused, {Step::Read, Step::Validate}));
        QVERIFY(!model.allFinished());
        model.updateStep(QStringLiteral("mta3"), StepRecord{Step::Activate, StepState::Failed, QStringLiteral("restart failed"), 0, {}});
        model.finish(report(QStringLiteral("mta3"), ApplyOutcome::RolledBack, {Step::Activate, Step::Rollback}));
        QVERIFY(model.allFinished());
        QCOMPARE(model.reportFor(QStringLiteral("mta2"))->outcome, ApplyOutcome::Refused);
        model.setHosts({QStringLiteral("mta4")});
        QCOMPARE(model.rowCount(), 1);
        model.setHosts({});
    }

    void hostListModel_keepsTheModelContract()
    {
        HostListModel model;
        const auto tester = testerFor(&model);
        const auto connector = std::make_shared<const HostConnector>();
        QTemporaryDir snapshots;
        const auto store = std::make_shared<const SnapshotStore>(snapshots.path());
        std::vector<std::unique_ptr<HostSession>> sessions;
        // One Demo host (there is only one: its tree is a single folder) and SSH hosts in groups.
        for (const HostEntry &e : {hostEntry(QStringLiteral("demo"), {}, HostKind::Demo), hostEntry(QStringLiteral("lab1"), QStringLiteral("Lab")),
                                   hostEntry(QStringLiteral("mta1"), {}), hostEntry(QStringLiteral("lab2"), QStringLiteral("Lab"))}) {
            sessions.push_back(std::make_unique<HostSession>(e, connector, store));
            model.addSession(sessions.back().get());
        }
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.rowCount(model.index(1, 0)), 2);
        // Reading changes a row's state from the worker's queued results; mta1 stays unread.
        HostSession *demo = sessions[0].get();
        for (HostSession *s : {demo, sessions[1].get(), sessions[3].get()})
            s->reload();
        for (const auto &s : sessions)
            QTRY_VERIFY_WITH_TIMEOUT(!s->busy(), 60000);
        QCOMPARE(sessions[1]->reach(), HostSession::Reach::Unreachable);
        QVERIFY2(demo->reach() == HostSession::Reach::Reachable, qPrintable(demo->loadError()));
        demo->stage(destination("mx.broken.test", TlsSetting::Off));
        QVERIFY(model.indexOf(demo, HostListModel::StateColumn).data().toString().contains(QStringLiteral("1 pending")));
        demo->undoStack()->undo();
        model.removeSession(sessions[1].get());
        model.removeSession(sessions[3].get());
        QCOMPARE(model.rowCount(), 1);
        for (const auto &s : sessions)
            model.removeSession(s.get());
        QCOMPARE(model.rowCount(), 0);
    }

    void hostListModel_hostEditedIntoAnotherGroup_signalsTheMove()
    {
        HostListModel model;
        const auto tester = testerFor(&model);
        const auto connector = std::make_shared<const HostConnector>();
        const auto store = std::make_shared<const SnapshotStore>(QString());
        HostSession mta1(hostEntry(QStringLiteral("mta1"), {}), connector, store);
        HostSession mta2(hostEntry(QStringLiteral("mta2"), {}), connector, store);
        model.addSession(&mta1);
        model.addSession(&mta2);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy layout(&model, &QAbstractItemModel::layoutChanged);
        QSignalSpy moved(&model, &QAbstractItemModel::rowsMoved);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        // What the host dialog does (MainWindow::editHost): the same session, a new group.
        mta2.setEntry(hostEntry(QStringLiteral("mta2"), QStringLiteral("Lab")));
        QCOMPARE(model.rowCount(model.index(0, 0)), 1);
        QVERIFY(reset.count() + layout.count() + moved.count() + inserted.count() > 0);
        QCOMPARE(model.rowCount(), 2);  // "Hosts" and "Lab"
        model.removeSession(&mta1);
        model.removeSession(&mta2);
    }
};

QTEST_MAIN(TestGuiModels)
#include "tst_guimodels.moc"
