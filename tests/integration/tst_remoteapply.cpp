// A change applied over SSH to real sendmail hosts (tests/hosts/testhosts: sshd + sendmail in
// private namespaces; root only, skipped otherwise) really takes effect, and every failure —
// validation, failed restart, changed host key, stale file, lost connection — leaves the host
// with all of its old files or all of its new ones.

#include "apply/ApplyPipeline.h"
#include "Destination.h"
#include "apply/HostInspector.h"
#include "apply/HostSnapshots.h"
#include "MailHosts.h"
#include "apply/MultiHostApply.h"
#include "PolicyEditor.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <thread>

using namespace smtls;
using testing::MailHosts;

Q_DECLARE_METATYPE(smtls::ApplyOutcome)

namespace {

const QString BrokenMx = QStringLiteral("mx.broken.test");   // mailertable routes broken.test here
const QString BrokenMxAddr = QStringLiteral("127.0.2.1");
const QByteArray Lsquo = "\xe2\x80\x98";  // ‘
const QByteArray Rsquo = "\xe2\x80\x99";  // ’

ChangePlanner destinationOff()
{
    return [](const MailConfig &c) -> Result<ConfigChange> {
        const Result<Destination> d = parseDestination(BrokenMx);
        if (!d)
            return d.error();
        return planDestination(c, *d, TlsSetting::Off);
    };
}

ChangePlanner globalClientOptions(bool on)
{
    return [on](const MailConfig &c) { return planGlobal(c, on, Mechanism::ClientOptions); };
}

// mx.broken.test off AND global off via M=S: touches sendmail.mc, sendmail.cf, access and
// access.db, and restarts. The plan is kept in *planned.
ChangePlanner everythingOff(ConfigChange *planned)
{
    return [planned](const MailConfig &c) -> Result<ConfigChange> {
        const Result<ConfigChange> d = destinationOff()(c);
        if (!d)
            return d;
        const MailConfig next{SendmailMc(d->mc.after, d->mc.path), AccessMap(d->access.after, d->access.path), d->access.path};
        const Result<ConfigChange> g = planGlobal(next, false, Mechanism::ClientOptions);
        if (!g)
            return g;
        ConfigChange out = *d;
        out.mc.after = g->mc.after;
        out.access.after = g->access.after;
        out.notes += g->notes;
        out.touched += g->touched;
        *planned = out;
        return out;
    };
}

// The .mc as it is with ANCHOR replaced (a hand edit gone wrong); nothing else changes.
ChangePlanner editedMc(const QByteArray &anchor, const QByteArray &replacement)
{
    return [anchor, replacement](const MailConfig &c) -> Result<ConfigChange> {
        if (!c.mc.bytes().contains(anchor))
            return makeError(ErrorKind::Internal, QStringLiteral("test: anchor not in sendmail.mc: ") + QString::fromUtf8(anchor));
        ConfigChange change;
        change.mc = FileChange{c.mc.fileName(), c.mc.bytes(), QByteArray(c.mc.bytes()).replace(anchor, replacement), true};
        change.access.path = c.accessPath;
        change.access.existedBefore = c.access.has_value();
        if (c.access)
            change.access.before = change.access.after = c.access->bytes();
        return change;
    };
}

ApplyRequest request(const QString &change, ChangePlanner planner)
{
    return ApplyRequest{Change::custom(change, std::move(planner), QStringLiteral("integration test")), QStringLiteral("tester"), false};
}

QString describe(const ApplyReport &r)
{
    QString s = QStringLiteral("%1: %2 — %3 [error %4: %5]\n").arg(r.host, outcomeName(r.outcome), r.summary).arg(int(r.error.kind)).arg(r.error.message);
    for (const StepRecord &step : r.steps)
        s += QStringLiteral("  %1 %2 %3 ms %4\n").arg(step.name()).arg(int(step.state)).arg(step.milliseconds).arg(step.message);
    if (qEnvironmentVariableIsSet("SMTLS_TEST_VERBOSE"))
        for (const CommandLogEntry &c : r.allCommands())
            s += QStringLiteral("    $ %1 -> %2 (%3 ms)\n").arg(c.command.left(100)).arg(c.exitCode).arg(c.milliseconds);
    return s;
}

bool stepState(const ApplyReport &r, const QString &name, StepState state)
{
    for (const StepRecord &s : r.steps)
        if (s.name() == name)
            return s.state == state;
    return false;
}

// Every live ClientPortOptions line of a .cf carries the modifier S.
bool cfSkipsStartTls(const QByteArray &cf)
{
    static const QRegularExpression line(QStringLiteral("^O ClientPortOptions=.*\\bM=[A-Za-z]*S"), QRegularExpression::MultilineOption);
    return line.match(QString::fromLatin1(cf)).hasMatch();
}

// A .cf without its "built by … on <date>" line (m4 makes it differ per run) and without the
// copy of the .mc that Debian's `make` appends (the product compiles with m4 alone).
QByteArray withoutBuildStamp(QByteArray cf)
{
    if (const qsizetype trailer = cf.indexOf("\n### /etc/mail/sendmail.mc ###\n"); trailer >= 0)
        cf.truncate(trailer + 1);
    QByteArrayList lines = cf.split('\n');
    lines.removeIf([](const QByteArray &l) { return l.startsWith("##### built by"); });
    return lines.join('\n');
}

} // namespace

class RemoteApplyTest : public QObject {
    Q_OBJECT

    MailHosts m_hosts;
    QString m_skip;
    QElapsedTimer m_clock;
    void mark(const char *what)
    {
        if (qEnvironmentVariableIsSet("SMTLS_TEST_VERBOSE"))
            qDebug("%7.2f s %s", double(m_clock.elapsed()) / 1000.0, what);
    }

    struct Host {
        std::unique_ptr<ssh::SshTransport> transport;
        HostProfile profile;
        HostDetails details;
        QString error;
    };
    Host open(const QString &alias)
    {
        Host h;
        auto c = m_hosts.connect(alias);
        if (!c) {
            h.error = c.error().describe();
            return h;
        }
        h.transport = std::move(*c);
        const Result<HostDetails> d = inspectHost(*h.transport);
        if (!d) {
            h.error = d.error().describe();
            h.transport.reset();
            return h;
        }
        h.details = *d;
        h.profile = d->detectedProfile;
        return h;
    }
    HostJob job(int host)
    {
        const QString alias = QStringLiteral("mta%1").arg(host);
        return HostJob{alias, [this, alias]() -> Result<std::pair<std::unique_ptr<Transport>, HostProfile>> {
                           auto c = m_hosts.connect(alias);
                           if (!c)
                               return c.error();
                           std::unique_ptr<Transport> t = std::move(*c);
                           const Result<HostDetails> d = inspectHost(*t);
                           if (!d)
                               return d.error();
                           return std::make_pair(std::move(t), d->detectedProfile);
                       }};
    }

    // What the host has, per file: "old" (as `up` left it), "new" (as planned) or "other".
    QStringList fileStates(int host, const ConfigChange &plan)
    {
        const auto state = [&](const QString &name, const QByteArray &after) {
            const QByteArray now = m_hosts.file(host, name);
            return now == m_hosts.pristine(host, name) ? QStringLiteral("old") : now == after ? QStringLiteral("new") : QStringLiteral("other");
        };
        const QByteArray cf = m_hosts.file(host, QStringLiteral("sendmail.cf"));
        const QString cfState = cf == m_hosts.pristine(host, QStringLiteral("sendmail.cf")) ? QStringLiteral("old")
            : cfSkipsStartTls(cf)                                                         ? QStringLiteral("new")
                                                                                          : QStringLiteral("other");
        const QByteArray db = m_hosts.file(host, QStringLiteral("access.db"));
        const QString dbState = db == m_hosts.pristine(host, QStringLiteral("access.db")) ? QStringLiteral("old")
            : m_hosts.accessDbDump(host).contains(QLatin1String("try_tls:mx.broken.test"))  ? QStringLiteral("new")
                                                                                            : QStringLiteral("other");
        return {state(QStringLiteral("sendmail.mc"), plan.mc.after), cfState, state(QStringLiteral("access"), plan.access.after), dbState};
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_clock.start();
        m_skip = m_hosts.up(3);
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        mark("up");
        for (int i = 1; i <= 3; ++i) {
            QVERIFY2(m_hosts.banner(i).startsWith(QStringLiteral("220 mta%1.test").arg(i)), qPrintable(m_hosts.banner(i)));
            QCOMPARE(m_hosts.tryTls(i, BrokenMx, BrokenMxAddr), QStringLiteral("OK"));
        }
    }
    void init()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        mark("init");
    }
    void cleanup()
    {
        if (!m_skip.isEmpty())
            return;
        mark("test done");
        for (int i = 1; i <= 3; ++i) {
            const QString problems = m_hosts.restore(i);
            QVERIFY2(problems.isEmpty(), qPrintable(QStringLiteral("restoring host %1: %2").arg(i).arg(problems)));
        }
        mark("restored");
    }
    void cleanupTestCase() { m_hosts.down(); }

    // (1) and (8): the host's own sendmail skips TLS for the destination; map rebuilt, no restart.
    void destinationOff_hostsSendmailSkipsTlsWithoutRestart_data()
    {
        QTest::addColumn<QString>("alias");
        QTest::addColumn<bool>("root");
        QTest::newRow("root login") << "mta1" << true;
        QTest::newRow("sudo login") << "mta1-adm" << false;
    }
    void destinationOff_hostsSendmailSkipsTlsWithoutRestart()
    {
        QFETCH(QString, alias);
        QFETCH(bool, root);
        const QString accessOwner = m_hosts.ownerAndMode(1, QStringLiteral("access"));
        const QString dbOwner = m_hosts.ownerAndMode(1, QStringLiteral("access.db"));
        const QDateTime dbTime = m_hosts.fileInfo(1, QStringLiteral("access.db")).lastModified();
        const qint64 pid = m_hosts.daemonPid(1);
        QVERIFY(pid > 0);

        mark("before open");
        Host h = open(alias);
        mark("opened");
        QVERIFY2(h.transport, qPrintable(h.error));
        QCOMPARE(h.transport->loginIsRoot(), root);
        QCOMPARE(h.profile.id, QStringLiteral("debian"));
        const ApplyReport r = applyChange(*h.transport, h.profile, request(QStringLiteral("set destination mx.broken.test off"), destinationOff()));
        QVERIFY2(r.outcome == ApplyOutcome::Applied, qPrintable(describe(r)));
        if (qEnvironmentVariableIsSet("SMTLS_TEST_VERBOSE"))
            qDebug().noquote() << describe(r);

        QVERIFY2(m_hosts.tryTls(1, BrokenMx, BrokenMxAddr).startsWith(QLatin1String("$# error")), qPrintable(m_hosts.tryTls(1, BrokenMx, BrokenMxAddr)));
        QCOMPARE(m_hosts.tryTls(1, QStringLiteral("mx.other.test"), QStringLiteral("127.0.2.2")), QStringLiteral("OK"));
        QVERIFY(m_hosts.file(1, QStringLiteral("access")).contains("Try_TLS:mx.broken.test"));
        QVERIFY(m_hosts.fileInfo(1, QStringLiteral("access.db")).lastModified() > dbTime);
        QCOMPARE(m_hosts.changedFiles(1), (QStringList{QStringLiteral("access"), QStringLiteral("access.db")}));
        QCOMPARE(m_hosts.daemonPid(1), pid);  // a rebuilt map needs no restart
        QCOMPARE(m_hosts.ownerAndMode(1, QStringLiteral("access")), accessOwner);
        QCOMPARE(m_hosts.ownerAndMode(1, QStringLiteral("access.db")), dbOwner);
        QCOMPARE(m_hosts.stagedLeftovers(1), QStringList());
        QVERIFY(!m_hosts.journalLeft(1));
        QCOMPARE(m_hosts.hostSnapshots(1).size(), 1);
    }

    // (2) The hard switch: M=S in sendmail.cf, daemon restarted and greeting; and back on.
    void globalOffViaClientOptions_restartsWithModifierS_andBackOn()
    {
        const qint64 pid0 = m_hosts.daemonPid(1);
        Host h = open(QStringLiteral("mta1"));
        QVERIFY2(h.transport, qPrintable(h.error));

        const ApplyReport off = applyChange(*h.transport, h.profile, request(QStringLiteral("set global off --via client-options"), globalClientOptions(false)));
        QVERIFY2(off.outcome == ApplyOutcome::Applied, qPrintable(describe(off)));
        const QByteArray cf = m_hosts.file(1, QStringLiteral("sendmail.cf"));
        QVERIFY2(cfSkipsStartTls(cf), cf.mid(cf.indexOf("ClientPortOptions") - 5, 200).constData());
        QVERIFY(m_hosts.file(1, QStringLiteral("sendmail.mc")).contains("M=S"));
        const qint64 pid1 = m_hosts.daemonPid(1);
        QVERIFY2(pid1 > 0 && pid1 != pid0, qPrintable(QStringLiteral("pid %1 -> %2").arg(pid0).arg(pid1)));
        QVERIFY2(m_hosts.banner(1).startsWith(QLatin1String("220 mta1.test")), qPrintable(m_hosts.banner(1)));
        QCOMPARE(m_hosts.changedFiles(1), (QStringList{QStringLiteral("sendmail.mc"), QStringLiteral("sendmail.cf")}));

        const ApplyReport on = applyChange(*h.transport, h.profile, request(QStringLiteral("set global on"), globalClientOptions(true)));
        QVERIFY2(on.outcome == ApplyOutcome::Applied, qPrintable(describe(on)));
        QVERIFY(!cfSkipsStartTls(m_hosts.file(1, QStringLiteral("sendmail.cf"))));
        QCOMPARE(m_hosts.file(1, QStringLiteral("sendmail.mc")), m_hosts.pristine(1, QStringLiteral("sendmail.mc")));
        QCOMPARE(withoutBuildStamp(m_hosts.file(1, QStringLiteral("sendmail.cf"))), withoutBuildStamp(m_hosts.pristine(1, QStringLiteral("sendmail.cf"))));
        const qint64 pid2 = m_hosts.daemonPid(1);
        QVERIFY(pid2 > 0 && pid2 != pid1);
        QVERIFY2(m_hosts.banner(1).startsWith(QLatin1String("220 mta1.test")), qPrintable(m_hosts.banner(1)));
        QVERIFY(!m_hosts.journalLeft(1));
        QCOMPARE(m_hosts.stagedLeftovers(1), QStringList());
    }

    // (3) A broken hand edit is stopped by validation; the host is byte-for-byte untouched.
    void brokenMc_isBlockedByValidation_hostUntouched_data()
    {
        QTest::addColumn<QByteArray>("anchor");
        QTest::addColumn<QByteArray>("replacement");
        QTest::newRow("curly quotes around a FEATURE")
            << QByteArray("FEATURE(`access_db', , `skip')dnl") << QByteArray("FEATURE(" + Lsquo + "access_db" + Rsquo + ", , " + Lsquo + "skip" + Rsquo + ")dnl");
        QTest::newRow("curly closing quote in a define")
            << QByteArray("MAILER_DEFINITIONS") << QByteArray("define(`confSMTP_LOGIN_MSG', `$j Sendmail" + Rsquo + ")dnl\nMAILER_DEFINITIONS");
        QTest::newRow("curly quotes in CLIENT_OPTIONS")
            << QByteArray("MAILER_DEFINITIONS") << QByteArray("CLIENT_OPTIONS(" + Lsquo + "Family=inet, M=S" + Rsquo + ")dnl\nMAILER_DEFINITIONS");
    }
    void brokenMc_isBlockedByValidation_hostUntouched()
    {
        QFETCH(QByteArray, anchor);
        QFETCH(QByteArray, replacement);
        const qint64 pid = m_hosts.daemonPid(1);
        Host h = open(QStringLiteral("mta1"));
        QVERIFY2(h.transport, qPrintable(h.error));
        const ApplyReport r = applyChange(*h.transport, h.profile, request(QStringLiteral("hand edit"), editedMc(anchor, replacement)));
        QVERIFY2(r.outcome == ApplyOutcome::Refused, qPrintable(describe(r)));
        QVERIFY2(r.error.kind == ErrorKind::Validation, qPrintable(describe(r)));
        QVERIFY(stepState(r, QStringLiteral("validate"), StepState::Failed));
        QCOMPARE(m_hosts.changedFiles(1), QStringList());
        QCOMPARE(m_hosts.stagedLeftovers(1), QStringList());
        QVERIFY(!m_hosts.journalLeft(1));
        QCOMPARE(m_hosts.daemonPid(1), pid);
        QVERIFY(m_hosts.banner(1).startsWith(QLatin1String("220")));
    }

    // (4) The new files are installed but the daemon cannot take them: back to the old ones.
    void failureAfterInstall_rollsBackToOldFilesAndRunningDaemon_data()
    {
        QTest::addColumn<QString>("trigger");
        QTest::newRow("restart fails") << "break-restart";
        QTest::newRow("daemon gone at health check") << "stop-daemon";
    }
    void failureAfterInstall_rollsBackToOldFilesAndRunningDaemon()
    {
        QFETCH(QString, trigger);
        if (trigger == QLatin1String("break-restart"))
            QVERIFY(m_hosts.breakRestart(1, QStringLiteral("once")));
        Host h = open(QStringLiteral("mta1"));
        QVERIFY2(h.transport, qPrintable(h.error));
        int hookRc = 0;
        ApplyOptions how;
        how.beforeStep = [&](Step step) {
            if (trigger == QLatin1String("stop-daemon") && step == Step::HealthCheck)
                hookRc = m_hosts.exec(1, QStringLiteral("service sendmail stop >/dev/null 2>&1"));
        };
        const ApplyReport r = applyChange(*h.transport, h.profile, request(QStringLiteral("set global off --via client-options"), globalClientOptions(false)), how);
        QCOMPARE(hookRc, 0);
        QVERIFY2(r.outcome == ApplyOutcome::RolledBack, qPrintable(describe(r)));
        QVERIFY(stepState(r, QStringLiteral("rollback"), StepState::Done));
        QCOMPARE(m_hosts.changedFiles(1), QStringList());
        QVERIFY(!cfSkipsStartTls(m_hosts.file(1, QStringLiteral("sendmail.cf"))));
        QVERIFY2(m_hosts.banner(1).startsWith(QLatin1String("220 mta1.test")), qPrintable(m_hosts.banner(1)));
        QVERIFY(!m_hosts.journalLeft(1));
        QCOMPARE(m_hosts.stagedLeftovers(1), QStringList());
        // The daemon now running was started from the old sendmail.cf (it did not start before it).
        QString out;
        QCOMPARE(m_hosts.exec(1, QStringLiteral("p=$(head -n1 /run/sendmail/mta/sendmail.pid) && started=$(( $(date +%s) - $(ps -o etimes= -p \"$p\") ))"
                                                   " && [ \"$started\" -ge \"$(stat -c %Y /etc/mail/sendmail.cf)\" ] && echo newer"), &out), 0);
        QCOMPARE(out.trimmed(), QStringLiteral("newer"));
    }

    // (4b) The restart fails, and meanwhile someone (an editor that ignores our lock) appended
    // to the access file we installed: the rollback restores sendmail.mc, sendmail.cf and
    // access.db (which Debian's make rebuilt from their edit: our own rebuild, still ours) and
    // leaves their access file, says so, and keeps the host's snapshot.
    void rollback_leavesAFileChangedBySomeoneElseSinceInstall()
    {
        QVERIFY(m_hosts.breakRestart(1, QStringLiteral("once")));
        Host h = open(QStringLiteral("mta1"));
        QVERIFY2(h.transport, qPrintable(h.error));
        const QByteArray foreign = "Try_TLS:foreign.test NO\n";
        int hookRc = -2;
        ApplyOptions how;
        how.beforeStep = [&](Step step) {
            if (step == Step::Activate)
                hookRc = m_hosts.exec(1, QStringLiteral("printf 'Try_TLS:foreign.test NO\\n' >> /etc/mail/access"));
        };
        ConfigChange plan;
        const ApplyReport r = applyChange(*h.transport, h.profile, request(QStringLiteral("everything off"), everythingOff(&plan)), how);
        QCOMPARE(hookRc, 0);
        QVERIFY2(r.outcome == ApplyOutcome::RolledBack, qPrintable(describe(r)));
        QCOMPARE(m_hosts.file(1, QStringLiteral("access")), plan.access.after + foreign);
        // The map is the old one again (rebuilt from the old text: the same entries, not
        // necessarily the same bytes), so sendmail answers as before the apply.
        QCOMPARE(m_hosts.file(1, QStringLiteral("sendmail.mc")), m_hosts.pristine(1, QStringLiteral("sendmail.mc")));
        QCOMPARE(m_hosts.file(1, QStringLiteral("sendmail.cf")), m_hosts.pristine(1, QStringLiteral("sendmail.cf")));
        const QString map = m_hosts.accessDbDump(1);
        QVERIFY2(!map.contains(QLatin1String("mx.broken.test")) && !map.contains(QLatin1String("foreign.test")), qPrintable(map));
        QCOMPARE(m_hosts.tryTls(1, BrokenMx, BrokenMxAddr), QStringLiteral("OK"));
        QVERIFY2(r.find(Step::Rollback)->message.contains(QStringLiteral("left /etc/mail/access as it is: changed by someone else")),
                 qPrintable(describe(r)));
        QVERIFY2(r.summary.startsWith(QStringLiteral("/etc/mail/access changed by someone else since the install and left as it is")),
                 qPrintable(describe(r)));
        QVERIFY2(m_hosts.banner(1).startsWith(QLatin1String("220 mta1.test")), qPrintable(m_hosts.banner(1)));
        QVERIFY(!m_hosts.journalLeft(1));
        QCOMPARE(m_hosts.stagedLeftovers(1), QStringList());
        QCOMPARE(m_hosts.hostSnapshots(1).size(), 1);
    }

    // (4c) The restart is broken for good: it fails with the new files and again in the
    // rollback. The old files are back and the daemon that ran before the apply still runs, so
    // the result says so — checked on the host, not assumed — and quotes the init script's
    // line, not make's "Entering directory".
    void restartBrokenForGood_resultSaysOldFilesActiveAndDaemonRunning()
    {
        const qint64 pid = m_hosts.daemonPid(1);
        QVERIFY(pid > 0);
        QVERIFY(m_hosts.breakRestart(1, QStringLiteral("on")));
        Host h = open(QStringLiteral("mta1"));
        QVERIFY2(h.transport, qPrintable(h.error));
        const ApplyReport r = applyChange(*h.transport, h.profile, request(QStringLiteral("set global off --via client-options"), globalClientOptions(false)));
        qInfo("%s", qPrintable(reportText(r)));
        QVERIFY2(r.outcome == ApplyOutcome::RolledBack, qPrintable(describe(r)));
        const QString initLine = QStringLiteral("sendmail: restart failed (broken on purpose by testhosts break-restart)");
        QCOMPARE(r.cause, initLine);
        QVERIFY2(r.summary.startsWith(QStringLiteral("Activating (make -C /etc/mail, then service sendmail restart) failed (exit 1): ") + initLine),
                 qPrintable(r.summary));
        QVERIFY2(!reportText(r).contains(QStringLiteral("Entering directory")), qPrintable(reportText(r)));
        QVERIFY2(!reportText(r).contains(QStringLiteral("rollback failed"), Qt::CaseInsensitive), qPrintable(reportText(r)));
        QCOMPARE(r.stateAfter, QStringLiteral("The old files are active again; sendmail is running (pid %1, started before this apply, "
                                              "so it never loaded the new files).").arg(pid));
        QVERIFY2(r.summary.endsWith(r.stateAfter), qPrintable(r.summary));
        QCOMPARE(r.find(Step::Rollback)->state, StepState::Failed);  // its restart failed too: said, not hidden
        QVERIFY2(r.summary.contains(QStringLiteral("Putting the old files back worked; restarting then failed again, for the same reason.")), qPrintable(r.summary));
        QCOMPARE(r.find(Step::CheckState)->state, StepState::Done);
        // What the report says, the host shows.
        QCOMPARE(m_hosts.changedFiles(1), QStringList());
        QCOMPARE(m_hosts.daemonPid(1), pid);
        QVERIFY2(m_hosts.banner(1).startsWith(QLatin1String("220 mta1.test")), qPrintable(m_hosts.banner(1)));
        QVERIFY(!m_hosts.journalLeft(1));
        QCOMPARE(m_hosts.stagedLeftovers(1), QStringList());
        QCOMPARE(m_hosts.hostSnapshots(1).size(), 0);  // not a change: not in the history
    }
    // (4d) The daemon is gone after the failure: the result says it is not running.
    void daemonGoneAfterFailure_resultSaysItIsNotRunning()
    {
        QVERIFY(m_hosts.breakRestart(1, QStringLiteral("on")));
        Host h = open(QStringLiteral("mta1"));
        QVERIFY2(h.transport, qPrintable(h.error));
        ApplyOptions how;
        int hookRc = -2;
        how.beforeStep = [&](Step step) {
            if (step == Step::Rollback)
                hookRc = m_hosts.exec(1, QStringLiteral("kill \"$(head -n1 /run/sendmail/mta/sendmail.pid)\"; sleep 1"));
        };
        const ApplyReport r = applyChange(*h.transport, h.profile, request(QStringLiteral("set global off --via client-options"), globalClientOptions(false)), how);
        QCOMPARE(hookRc, 0);
        QVERIFY2(r.outcome == ApplyOutcome::RollbackFailed, qPrintable(describe(r)));
        QCOMPARE(r.stateAfter, QStringLiteral("The old files are back in place; sendmail is not running."));
        QVERIFY2(r.summary.contains(r.stateAfter) && r.summary.contains(QStringLiteral("Putting the old files back failed too")), qPrintable(r.summary));
        QCOMPARE(m_hosts.changedFiles(1), QStringList());
        QVERIFY(!m_hosts.daemonRunning(1));
    }

    // (7b) The connection dies after the new files were staged: they stay on the host (nothing
    // can remove them then). The next apply, once it holds the lock (the dead one's broken as
    // stale), removes them and says so in its lock step.
    void deadApply_stagedFilesAreRemovedByTheNextApply()
    {
        Host h = open(QStringLiteral("mta1"));
        QVERIFY2(h.transport, qPrintable(h.error));
        int killRc = -2;
        ApplyOptions dying;
        dying.beforeStep = [&](Step s) {
            if (s == Step::Validate)
                killRc = m_hosts.call(QStringLiteral("kill-sessions"), {QStringLiteral("1")});
        };
        ConfigChange plan;
        const ApplyReport dead = applyChange(*h.transport, h.profile, request(QStringLiteral("everything off"), everythingOff(&plan)), dying);
        QCOMPARE(killRc, 0);
        QVERIFY2(dead.outcome != ApplyOutcome::Applied, qPrintable(describe(dead)));
        const QStringList left = m_hosts.stagedLeftovers(1);
        QCOMPARE(left.size(), 2);  // sendmail.mc and access, staged
        QCOMPARE(m_hosts.exec(1, QStringLiteral("touch -d '-2 hours' /var/lib/sendmail-tls/lock/owner")), 0);

        Host again = open(QStringLiteral("mta1"));
        QVERIFY2(again.transport, qPrintable(again.error));
        ApplyOptions next;
        next.lockWait = std::chrono::seconds(5);
        const ApplyReport r = applyChange(*again.transport, again.profile, request(QStringLiteral("set destination mx.broken.test off"), destinationOff()), next);
        QVERIFY2(r.outcome == ApplyOutcome::Applied, qPrintable(describe(r)));
        QCOMPARE(m_hosts.stagedLeftovers(1), QStringList());
        const QString said = r.find(Step::Lock)->message;
        for (const QString &name : left)
            QVERIFY2(said.contains(QStringLiteral("/etc/mail/") + name), qPrintable(said));
    }

    // (5) A changed host key: refused before anything is read or written.
    void changedHostKey_isRefusedAndNothingWritten_data()
    {
        QTest::addColumn<QString>("alias");
        QTest::newRow("root login") << "mta2";
        QTest::newRow("sudo login") << "mta2-adm";
    }
    void changedHostKey_isRefusedAndNothingWritten()
    {
        QFETCH(QString, alias);
        QVERIFY(m_hosts.rekey(2));
        const auto c = m_hosts.connect(alias);
        QVERIFY(!c);
        QCOMPARE(c.error().kind, ErrorKind::Refused);
        const QList<ApplyReport> r = applyToHosts({job(2)}, request(QStringLiteral("set destination mx.broken.test off"), destinationOff()), {});
        QCOMPARE(r.size(), 1);
        QVERIFY2(r[0].outcome == ApplyOutcome::Refused, qPrintable(describe(r[0])));
        QCOMPARE(r[0].error.kind, ErrorKind::Refused);
        QCOMPARE(m_hosts.changedFiles(2), QStringList());
        QCOMPARE(m_hosts.stagedLeftovers(2), QStringList());
        QVERIFY(!m_hosts.journalLeft(2));
        QCOMPARE(m_hosts.hostSnapshots(2), QStringList());
        QCOMPARE(m_hosts.tryTls(2, BrokenMx, BrokenMxAddr), QStringLiteral("OK"));
    }

    // (6) Someone edits a file between our read and our write: refused, their edit kept.
    void fileEditedMeanwhile_isRefusedAndForeignEditKept_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("appended");
        QTest::addColumn<bool>("global");
        QTest::newRow("access") << "access" << QByteArray("Try_TLS:foreign.test NO\n") << false;
        QTest::newRow("sendmail.mc") << "sendmail.mc" << QByteArray("dnl edited by someone else\n") << true;
    }
    void fileEditedMeanwhile_isRefusedAndForeignEditKept()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, appended);
        QFETCH(bool, global);
        Host h = open(QStringLiteral("mta1"));
        QVERIFY2(h.transport, qPrintable(h.error));
        int hookRc = -2;
        ApplyOptions how;
        how.beforeStep = [&](Step step) {
            if (step == Step::CheckUnchanged)
                hookRc = m_hosts.exec(1, QStringLiteral("printf '%1' >> /etc/mail/%2").arg(QString::fromLatin1(appended).replace(QLatin1String("\n"), QLatin1String("\\n")), file));
        };
        const ApplyReport r = applyChange(*h.transport, h.profile,
                                          global ? request(QStringLiteral("set global off --via client-options"), globalClientOptions(false))
                                                 : request(QStringLiteral("set destination mx.broken.test off"), destinationOff()),
                                          how);
        QCOMPARE(hookRc, 0);
        QVERIFY2(r.outcome == ApplyOutcome::Refused, qPrintable(describe(r)));
        QCOMPARE(r.error.kind, ErrorKind::Refused);
        QVERIFY(stepState(r, QStringLiteral("check-unchanged"), StepState::Failed));
        QCOMPARE(m_hosts.file(1, file), m_hosts.pristine(1, file) + appended);
        QCOMPARE(m_hosts.changedFiles(1), QStringList{file});
        QCOMPARE(m_hosts.stagedLeftovers(1), QStringList());
        QVERIFY(!m_hosts.journalLeft(1));
        QCOMPARE(m_hosts.hostSnapshots(1), QStringList());
    }

    // (7) The connection dies (or the user cancels) at each step: a fresh connection finds the
    // old files or the new ones, never a mix, and is told about an apply left unfinished.
    void interruptedApply_leavesOldOrNewStateAndSaysSo_data()
    {
        QTest::addColumn<QString>("step");
        QTest::addColumn<QString>("how");  // kill: at the step's start; kill-later: 300 ms into it; cancel
        QTest::addColumn<QString>("expect");  // old, new, either
        for (const char *s : {"snapshot", "upload", "validate", "install"})
            QTest::addRow("kill at %s", s) << QString::fromLatin1(s) << "kill" << "old";
        for (const char *s : {"activate", "health-check"})
            QTest::addRow("kill at %s", s) << QString::fromLatin1(s) << "kill" << "new";
        for (const char *s : {"validate", "install", "activate"})
            QTest::addRow("kill during %s", s) << QString::fromLatin1(s) << "kill-later" << "either";
        for (const char *s : {"upload", "install"})
            QTest::addRow("cancel at %s", s) << QString::fromLatin1(s) << "cancel" << "old";
        QTest::newRow("cancel at activate") << "activate" << "cancel" << "new";
    }
    void interruptedApply_leavesOldOrNewStateAndSaysSo()
    {
        QFETCH(QString, step);
        QFETCH(QString, how);
        QFETCH(QString, expect);
        Host h = open(QStringLiteral("mta1"));
        QVERIFY2(h.transport, qPrintable(h.error));
        QVERIFY(h.details.unfinishedApply.isEmpty());
        ConfigChange plan;
        std::atomic<bool> cancelled{false};
        std::thread killer;
        int killRc = -2;
        ApplyOptions options;
        options.cancelled = [&]() { return cancelled.load(); };
        options.beforeStep = [&](Step s) {
            if (stepName(s) != step)
                return;
            if (how == QLatin1String("kill"))
                killRc = m_hosts.call(QStringLiteral("kill-sessions"), {QStringLiteral("1")});
            else if (how == QLatin1String("kill-later"))
                killer = std::thread([&]() {
                    std::this_thread::sleep_for(std::chrono::milliseconds(300));
                    killRc = m_hosts.call(QStringLiteral("kill-sessions"), {QStringLiteral("1")});
                });
            else
                cancelled = true;
        };
        const ApplyReport r = applyChange(*h.transport, h.profile, request(QStringLiteral("everything off"), everythingOff(&plan)), options);
        if (killer.joinable())
            killer.join();
        if (how != QLatin1String("cancel"))
            QCOMPARE(killRc, 0);
        QVERIFY(plan.mc.changed() && plan.access.changed());

        // A command cut off from its session may still be finishing on the host (the install
        // script ignores SIGHUP on purpose): let the host settle before judging it.
        // The files all "old" is not settled while an install script still runs (a kill during
        // validate can land after validate ended and install began): wait for both, twice in a
        // row. ([l]ib: the pattern must not match the pgrep's own shell.)
        const auto installRunning = [&] {
            return m_hosts.call(QStringLiteral("exec"), {QStringLiteral("1"), QStringLiteral("--"), QStringLiteral("sh"),
                                                         QStringLiteral("-c"),
                                                         QStringLiteral("pgrep -f '[l]ib/sendmail-tls/journal' >/dev/null")})
                == 0;
        };
        QStringList states = fileStates(1, plan);
        for (int wait = 0, settled = 0; wait < 75 && settled < 2; ++wait) {
            QThread::msleep(200);
            const QStringList now = fileStates(1, plan);
            settled = now == states && now.count(now.first()) == now.size() && !installRunning() ? settled + 1 : 0;
            states = now;
        }
        const QString all = states.first();
        QVERIFY2(states.count(all) == states.size() && all != QLatin1String("other"),
                 qPrintable(QStringLiteral("mc, cf, access, access.db: %1\n%2").arg(states.join(QLatin1Char(' ')), describe(r))));
        if (expect != QLatin1String("either"))
            QVERIFY2(all == expect, qPrintable(QStringLiteral("%1 files, expected %2\n%3").arg(all, expect, describe(r))));
        if (all == QLatin1String("old"))
            QVERIFY2(r.outcome != ApplyOutcome::Applied, qPrintable(describe(r)));
        if (how == QLatin1String("cancel")) {  // the connection is fine: it cleans up after itself
            QVERIFY2(r.outcome == (expect == QLatin1String("old") ? ApplyOutcome::Refused : ApplyOutcome::Applied), qPrintable(describe(r)));
            QCOMPARE(m_hosts.stagedLeftovers(1), QStringList());
            QVERIFY(!m_hosts.journalLeft(1));
        }

        Host again = open(QStringLiteral("mta1"));
        QVERIFY2(again.transport, qPrintable(again.error));
        const QString unfinished = again.details.unfinishedApply;
        QCOMPARE(!unfinished.isEmpty(), m_hosts.journalLeft(1));
        if (!unfinished.isEmpty())
            QVERIFY2(unfinished.contains(all == QLatin1String("new") ? QLatin1String("the NEW files are installed")
                                                                     : QLatin1String("the OLD files are still in place")),
                     qPrintable(unfinished));
        // A journal is left exactly when the files were installed and not confirmed.
        if (r.outcome == ApplyOutcome::RollbackFailed && all == QLatin1String("new"))
            QVERIFY2(!unfinished.isEmpty(), qPrintable(describe(r)));
        // "Rollback failed" (a human must look) only when something was installed.
        QVERIFY2(!(r.outcome == ApplyOutcome::RollbackFailed && all == QLatin1String("old") && !m_hosts.journalLeft(1)), qPrintable(describe(r)));
        if (r.outcome == ApplyOutcome::Applied || r.outcome == ApplyOutcome::RolledBack || all == QLatin1String("old"))
            QVERIFY2(unfinished.isEmpty(), qPrintable(unfinished + QLatin1Char('\n') + describe(r)));
        // Whatever happened, the daemon answers.
        // A restart that outlived the dropped connection may still be between stop and start
        // (Debian's init script sleeps 2 s): give it the time a restart takes.
        bool greets = false;
        for (int attempt = 0; attempt < 20 && !greets; ++attempt) {
            greets = m_hosts.banner(1).startsWith(QLatin1String("220"));
            if (!greets)
                QTest::qWait(1000);
        }
        QVERIFY2(greets, qPrintable(describe(r)));
    }

    // (8) A non-root login with sudo changes every file and keeps each one's owner and mode.
    void sudoLogin_appliesAndKeepsOwnersAndModes()
    {
        QMap<QString, QString> owners;
        for (const QString &f : testing::mailFiles())
            owners[f] = m_hosts.ownerAndMode(1, f);
        QCOMPARE(owners[QStringLiteral("access.db")], QStringLiteral("smmta:smmsp 640"));  // what Debian's make gives
        Host h = open(QStringLiteral("mta1-adm"));
        QVERIFY2(h.transport, qPrintable(h.error));
        QVERIFY(!h.transport->loginIsRoot());
        ConfigChange plan;
        const ApplyReport r = applyChange(*h.transport, h.profile, request(QStringLiteral("everything off"), everythingOff(&plan)));
        QVERIFY2(r.outcome == ApplyOutcome::Applied, qPrintable(describe(r)));
        QCOMPARE(fileStates(1, plan), (QStringList{QStringLiteral("new"), QStringLiteral("new"), QStringLiteral("new"), QStringLiteral("new")}));
        for (const QString &f : testing::mailFiles())
            QCOMPARE(m_hosts.ownerAndMode(1, f), owners[f]);
        QVERIFY(m_hosts.tryTls(1, BrokenMx, BrokenMxAddr).startsWith(QLatin1String("$# error")));
        QVERIFY(m_hosts.banner(1).startsWith(QLatin1String("220 mta1.test")));
        QCOMPARE(m_hosts.stagedLeftovers(1), QStringList());
    }

    // (9) Three hosts at once, host 2 fails: hosts 1 and 3 change, host 2 keeps its old files.
    void threeHostsInParallel_oneFailingDoesNotStopTheOthers_data()
    {
        QTest::addColumn<QString>("failure");
        QTest::addColumn<QList<smtls::ApplyOutcome>>("host2");
        QTest::newRow("restart fails once") << "once" << QList<ApplyOutcome>{ApplyOutcome::RolledBack};
        QTest::newRow("restart always fails") << "on" << QList<ApplyOutcome>{ApplyOutcome::RolledBack, ApplyOutcome::RollbackFailed};
        QTest::newRow("host key changed") << "rekey" << QList<ApplyOutcome>{ApplyOutcome::Refused};
    }
    void threeHostsInParallel_oneFailingDoesNotStopTheOthers()
    {
        QFETCH(QString, failure);
        QFETCH(QList<smtls::ApplyOutcome>, host2);
        QVERIFY(failure == QLatin1String("rekey") ? m_hosts.rekey(2) : m_hosts.breakRestart(2, failure));
        const qint64 pid1 = m_hosts.daemonPid(1), pid3 = m_hosts.daemonPid(3);
        const QList<ApplyReport> r = applyToHosts({job(1), job(2), job(3)},
                                                  request(QStringLiteral("set global off --via client-options"), globalClientOptions(false)), {});
        QCOMPARE(r.size(), 3);
        QCOMPARE(r[0].host, QStringLiteral("mta1"));
        QCOMPARE(r[1].host, QStringLiteral("mta2"));
        QVERIFY2(r[0].outcome == ApplyOutcome::Applied, qPrintable(describe(r[0])));
        QVERIFY2(host2.contains(r[1].outcome), qPrintable(describe(r[1])));
        QVERIFY2(r[2].outcome == ApplyOutcome::Applied, qPrintable(describe(r[2])));
        for (int i : {1, 3}) {
            QVERIFY(cfSkipsStartTls(m_hosts.file(i, QStringLiteral("sendmail.cf"))));
            QVERIFY(m_hosts.daemonPid(i) != (i == 1 ? pid1 : pid3));
            QVERIFY(m_hosts.banner(i).startsWith(QStringLiteral("220 mta%1.test").arg(i)));
            QVERIFY(!m_hosts.journalLeft(i));
        }
        QCOMPARE(m_hosts.changedFiles(2), QStringList());
        QVERIFY(m_hosts.banner(2).startsWith(QLatin1String("220 mta2.test")));
        QCOMPARE(m_hosts.stagedLeftovers(2), QStringList());
    }

    // (10) The command-line tool end to end: two hosts changed, a third one's status.
    void cli_setsDestinationOnTwoHostsAndShowsStatus()
    {
        QTemporaryDir home;
        const MailHosts::CliRun run = m_hosts.runCli({1, 2}, home.path(), {QStringLiteral("set"), QStringLiteral("destination"), BrokenMx, QStringLiteral("off"), QStringLiteral("--json")});
        QVERIFY2(run.code == 0, (run.out + run.err).constData());
        const QJsonArray hosts = QJsonDocument::fromJson(run.out).object().value(QStringLiteral("hosts")).toArray();
        QCOMPARE(hosts.size(), 2);
        for (int i = 0; i < 2; ++i) {
            QCOMPARE(hosts[i].toObject().value(QStringLiteral("host")).toString(), QStringLiteral("mta%1").arg(i + 1));
            QCOMPARE(hosts[i].toObject().value(QStringLiteral("outcome")).toString(), QStringLiteral("applied"));
        }
        for (int i : {1, 2})
            QVERIFY(m_hosts.tryTls(i, BrokenMx, BrokenMxAddr).startsWith(QLatin1String("$# error")));
        QCOMPARE(m_hosts.tryTls(3, BrokenMx, BrokenMxAddr), QStringLiteral("OK"));
        QCOMPARE(m_hosts.changedFiles(3), QStringList());

        QString version;
        QCOMPARE(m_hosts.exec(3, QStringLiteral("sendmail -d0.1 -bv root | sed -n 's/^Version //p'"), &version), 0);
        version = version.trimmed();
        QVERIFY(!version.isEmpty());
        const MailHosts::CliRun status = m_hosts.runCli({3}, home.path(), {QStringLiteral("status")});
        const QString text = QString::fromUtf8(status.out + status.err);
        QVERIFY2(status.code == 0, qPrintable(text));
        QVERIFY2(text.contains(version) && text.contains(QLatin1String("with STARTTLS")), qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("mta3")), qPrintable(text));
    }

    // Retention on the host: the same rule as for this computer's store (snapshotsToPrune), the
    // removal in one round trip, and nothing but snapshot ids ever named.
    void hostSnapshots_prunedToTheNewest()
    {
        Host h = open(QStringLiteral("mta1"));
        QVERIFY2(h.transport, qPrintable(h.error));
        for (const char *name : {"prune-one.test", "prune-two.test"}) {
            const ApplyReport r = applyChange(*h.transport, h.profile,
                                              {Change::destination(*parseDestination(QLatin1String(name)), TlsSetting::Off), QStringLiteral("tester")});
            QVERIFY2(r.outcome == ApplyOutcome::Applied, qPrintable(describe(r)));
        }
        const Result<QList<Snapshot>> before = listHostSnapshots(*h.transport, h.profile);
        QVERIFY(before.ok() && before->size() >= 2);
        const QStringList doomed = snapshotsToPrune(*before, 1, std::nullopt);
        QCOMPARE(doomed.size(), before->size() - 1);
        QVERIFY(!doomed.contains(before->first().id));
        QVERIFY(!removeHostSnapshots(*h.transport, h.profile, doomed));
        const Result<QList<Snapshot>> after = listHostSnapshots(*h.transport, h.profile);
        QVERIFY(after.ok());
        QCOMPARE(after->size(), 1);
        QCOMPARE(after->first().id, before->first().id);
        QCOMPARE(after->first().change, QStringLiteral("set destination prune-two.test off"));
        const Status hostile = removeHostSnapshots(*h.transport, h.profile, {QStringLiteral("../../etc")});
        QVERIFY(hostile && hostile->kind == ErrorKind::InvalidInput);
    }
};

int main(int argc, char **argv)
{
    smtls::testing::TestHosts::enterPrivateNetwork(argc, argv);
    QCoreApplication app(argc, argv);
    RemoteApplyTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_remoteapply.moc"
