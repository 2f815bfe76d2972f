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
#include "Theme.h"
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
        // The expiry's time has colons of its own: the reason starts after ": ".
        QTest::newRow("with an expiry") << QStringLiteral("2026-12-02 TLS fallback (expires 2026-12-09T10:30:00Z): handshake fails")
                                        << QStringLiteral("2026-12-02") << QStringLiteral("handshake fails");
        QTest::newRow("expiry, no reason") << QStringLiteral("2026-12-02 TLS off (expires 2026-12-09)") << QStringLiteral("2026-12-02") << QString();
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

    // The Expires column's words, at a fixed moment: minutes, hours, then days (a moment rounds
    // ahead, so "7d" set a little earlier still reads "in 7 days"; a date counts midnights).
    void relativeExpiry_data()
    {
        QTest::addColumn<QString>("iso");
        QTest::addColumn<QString>("shown");
        const QDateTime now = QDateTime(QDate(2026, 12, 2), QTime(12, 0), Qt::UTC);
        const auto at = [&](qint64 secs) { return now.addSecs(secs).toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss'Z'")); };
        QTest::newRow("7d set 5 s ago") << at(7 * 86400 - 5) << QStringLiteral("in 7 days");
        QTest::newRow("6.6 days") << at(6 * 86400 + 14 * 3600) << QStringLiteral("in 7 days");
        QTest::newRow("47 hours") << at(47 * 3600) << QStringLiteral("in 47 hours");
        QTest::newRow("3 hours") << at(3 * 3600 - 60) << QStringLiteral("in 3 hours");
        QTest::newRow("1 hour") << at(3600) << QStringLiteral("in 1 hour");
        QTest::newRow("30 minutes") << at(30 * 60) << QStringLiteral("in 30 minutes");
        QTest::newRow("seconds") << at(20) << QStringLiteral("in 1 minute");
        QTest::newRow("5 hours ago") << at(-5 * 3600) << QStringLiteral("expired 5 hours ago");
        QTest::newRow("49 hours ago") << at(-49 * 3600) << QStringLiteral("expired 2 days ago");
        QTest::newRow("71 hours ago") << at(-71 * 3600) << QStringLiteral("expired 2 days ago");
        QTest::newRow("unreadable") << QStringLiteral("next week") << QString();
    }
    void relativeExpiry()
    {
        QFETCH(QString, iso);
        QFETCH(QString, shown);
        const QDateTime now = QDateTime(QDate(2026, 12, 2), QTime(12, 0), Qt::UTC);
        QCOMPARE(DestinationRulesModel::relativeExpiry(iso, now), shown);
    }
    void relativeExpiry_dateCountsMidnights()
    {
        // --until a week from today reads "in 7 days" whatever the hour; the day it begins has passed.
        const QDate today = QDate::currentDate();
        for (const QTime &time : {QTime(0, 30), QTime(12, 0), QTime(23, 30)}) {
            const QDateTime now = QDateTime(today, time).toUTC();
            QCOMPARE(DestinationRulesModel::relativeExpiry(today.addDays(7).toString(Qt::ISODate), now), QStringLiteral("in 7 days"));
            QCOMPARE(DestinationRulesModel::relativeExpiry(today.addDays(-3).toString(Qt::ISODate), now), QStringLiteral("expired 3 days ago"));
        }
    }

    // The TLS and Expires columns of rules as core reads them: on, fallback (own entry or the
    // global option), off; an expiry ahead, one passed, an unreadable one, none.
    void rulesModel_showsStatesAndExpiries()
    {
        const QByteArray mc = "FEATURE(`access_db')dnl\nFEATURE(`tls_session_features')dnl\n";
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const QString ahead = now.addDays(5).addSecs(60).toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss'Z'"));
        const QString passed = now.addDays(-3).addSecs(-60).toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss'Z'"));
        const QByteArray access = QStringLiteral(
            "# sendmail-tls: 2026-11-01 TLS off (expires %1): ticket 1\n"
            "Try_TLS:ahead.example\tNO\n"
            "# sendmail-tls: 2026-11-01 TLS off (expires %2): ticket 2\n"
            "Try_TLS:passed.example\tNO\n"
            "# sendmail-tls: 2026-11-01 TLS off (expires next tuesday): ticket 3\n"
            "Try_TLS:unreadable.example\tNO\n"
            "Try_TLS:plain.example\tYES\n"
            "# sendmail-tls: 2026-11-01 TLS fallback: flaky\n"
            "TLS_Clt_Features:flaky.example\tFlags=C\n").arg(ahead, passed).toUtf8();
        const SendmailMc parsedMc(mc, QStringLiteral("/etc/mail/sendmail.mc"));
        const AccessMap map(access, QStringLiteral("/etc/mail/access"));
        const auto rules = std::make_shared<const QList<DestinationRule>>(Policy(parsedMc, &map).destinations());
        DestinationRulesModel model;
        const auto tester = testerFor(&model);
        model.setRules(rules);
        QCOMPARE(model.rowCount(), 5);
        const auto cell = [&](const char *name, int column, int role = Qt::DisplayRole) {
            for (int row = 0; row < model.rowCount(); ++row)
                if (model.index(row, 0).data().toString() == QLatin1String(name))
                    return model.index(row, column).data(role);
            return QVariant();
        };
        QCOMPARE(cell("ahead.example", DestinationRulesModel::TlsColumn).toString(), QStringLiteral("off"));
        QCOMPARE(cell("plain.example", DestinationRulesModel::TlsColumn).toString(), QStringLiteral("on"));
        QCOMPARE(cell("flaky.example", DestinationRulesModel::TlsColumn).toString(), QStringLiteral("fallback"));
        QVERIFY(!cell("flaky.example", DestinationRulesModel::TlsColumn, Qt::DecorationRole).value<QIcon>().isNull());
        // Its line is the entry's (it has no Try_TLS rule), its reason the entry's note.
        QCOMPARE(cell("flaky.example", DestinationRulesModel::LineColumn).toInt(), 9);
        QCOMPARE(cell("flaky.example", DestinationRulesModel::WhyColumn).toString(), QStringLiteral("flaky"));
        QCOMPARE(cell("ahead.example", DestinationRulesModel::ExpiresColumn).toString(), QStringLiteral("in 5 days"));
        QCOMPARE(cell("ahead.example", DestinationRulesModel::WhyColumn).toString(), QStringLiteral("ticket 1"));
        QCOMPARE(cell("passed.example", DestinationRulesModel::ExpiresColumn).toString(), QStringLiteral("expired 3 days ago"));
        QCOMPARE(cell("unreadable.example", DestinationRulesModel::ExpiresColumn).toString(), QStringLiteral("unreadable"));
        QCOMPARE(cell("plain.example", DestinationRulesModel::ExpiresColumn).toString(), QStringLiteral("never"));
        const QColor warning = warningColor(QPalette());
        QCOMPARE(cell("passed.example", DestinationRulesModel::ExpiresColumn, Qt::ForegroundRole).value<QBrush>().color(), warning);
        QCOMPARE(cell("unreadable.example", DestinationRulesModel::ExpiresColumn, Qt::ForegroundRole).value<QBrush>().color(), warning);
        QVERIFY(cell("ahead.example", DestinationRulesModel::ExpiresColumn, Qt::ForegroundRole).value<QBrush>().color() != warning);
        QVERIFY(cell("unreadable.example", DestinationRulesModel::ExpiresColumn, Qt::ToolTipRole).toString().contains(QStringLiteral("cannot read")));

        // Sorted by when they end (not by the words), never and unreadable last; filtered by the words.
        const std::atomic<bool> notCancelled{false};
        const auto names = [&](const RuleQuery &q) {
            QStringList out;
            for (int row : runRuleQuery(*rules, q, notCancelled).value_or(QList<int>{}))
                out << rules->at(row).destination.display();
            return out;
        };
        QCOMPARE(names({{}, DestinationRulesModel::ExpiresColumn, Qt::AscendingOrder}),
                 (QStringList{QStringLiteral("passed.example"), QStringLiteral("ahead.example"), QStringLiteral("plain.example"),
                              QStringLiteral("flaky.example"), QStringLiteral("unreadable.example")}));
        QCOMPARE(names({QStringLiteral("expired"), -1, Qt::AscendingOrder}), QStringList{QStringLiteral("passed.example")});
        QCOMPARE(names({QStringLiteral("fallback"), -1, Qt::AscendingOrder}), QStringList{QStringLiteral("flaky.example")});
        QCOMPARE(names({QStringLiteral("in 5 days"), -1, Qt::AscendingOrder}), QStringList{QStringLiteral("ahead.example")});
        QCOMPARE(names({QStringLiteral("flaky"), DestinationRulesModel::TlsColumn, Qt::AscendingOrder}), QStringList{QStringLiteral("flaky.example")});
        // By state: fallback, off, on (each in file order).
        QCOMPARE(names({{}, DestinationRulesModel::TlsColumn, Qt::AscendingOrder}).first(), QStringLiteral("flaky.example"));
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
        QCOMPARE(model.index(0, ApplyProgressModel::ResultColumn).data().toString(), QStringLiteral("Applied."));
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
