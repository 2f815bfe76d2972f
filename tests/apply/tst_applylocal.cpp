// The apply pipeline through the local transport on a copy of a tree: validation with the real
// tools, the map rebuilt, refusal before install changes nothing, a failing restart is rolled
// back to the old bytes except a file someone else wrote meanwhile, what a dead apply staged is
// removed by the next, one apply at a time, and every host script runs under busybox sh.
#include "apply/ApplyPipeline.h"
#include "apply/BuiltFiles.h"
#include "apply/HostSnapshots.h"
#include "apply/OutcomeRecord.h"
#include "SnapshotStore.h"
#include "transport/LocalTransport.h"
#include "TestFiles.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

#include <atomic>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace smtls;

namespace {

const QString DemoTree = testing::demoTree();
using testing::readAll;

bool copyTree(const QString &from, const QString &to)
{
    QDir().mkpath(to + QStringLiteral("/etc/mail"));
    for (const char *name : {"sendmail.mc", "access"})
        if (!QFile::copy(from + QStringLiteral("/etc/mail/") + QLatin1String(name), to + QStringLiteral("/etc/mail/") + QLatin1String(name)))
            return false;
    return true;
}

HostProfile treeProfile()
{
    HostProfile p = profileById(QStringLiteral("tree"));
    // sendmail -bt sleeps 60 s on a host name without a domain: a private UTS namespace.
    p.sendmailWrapper = {QStringLiteral("unshare"), QStringLiteral("--uts"), QStringLiteral("sh"), QStringLiteral("-c"),
                         QStringLiteral("hostname mta.sendmail-tls.test && exec \"$@\""), QStringLiteral("sh")};
    return p;
}

// A planner gone wrong: an .mc that m4 cannot compile (a curly quote leaves a string open).
Change brokenMcChange()
{
    const ChangePlanner broken = [](const MailConfig &c) -> Result<ConfigChange> {
        ConfigChange change;
        change.mc = FileChange{c.mc.fileName(), c.mc.bytes(), c.mc.bytes() + "define(`confFOO', `bar\xe2\x80\x99)dnl\n", true};
        change.access = FileChange{c.accessPath, c.access->bytes(), c.access->bytes(), true};
        return change;
    };
    return Change::custom(QStringLiteral("broken"), broken);
}

Change destinationOff(const char *name)
{
    return Change::destination(*parseDestination(QString::fromLatin1(name)), TlsSetting::Off);
}

// The tree's sendmail.cf, as the real host has it (the pipeline puts it back on rollback).
bool compileCf(LocalTransport &t, const HostProfile &profile)
{
    const Result<CommandResult> r = t.run(profile.compileCommand(t.mapPath(profile.mcPath), t.mapPath(profile.cfPath)));
    return r && r->ok();
}

// A hand-made change to both text files (so sendmail.cf is rebuilt and restarted, and the map
// rebuilt): a comment at the end of the .mc, one line at the end of the access file.
Change mcAndAccessEdited(const QByteArray &accessLine)
{
    return Change::custom(QStringLiteral("mc and access"), [accessLine](const MailConfig &c) -> Result<ConfigChange> {
        ConfigChange change;
        change.mc = FileChange{c.mc.fileName(), c.mc.bytes(), c.mc.bytes() + "dnl edited by a test\n", true};
        change.access = FileChange{c.accessPath, c.access->bytes(), c.access->bytes() + accessLine, true};
        return change;
    });
}

// A restart that fails the first time it runs and works after (the rollback's restart).
CommandLine restartFailingOnce(const QString &tree)
{
    return CommandLine::shellScript(QStringLiteral("[ -e \"$1\" ] && exit 0; : > \"$1\"; exit 1"),
                                    {tree + QStringLiteral("/restarted-once")});
}

QStringList stagedLeftovers(const QString &tree)
{
    return QDir(tree + QStringLiteral("/etc/mail")).entryList({QStringLiteral(".sendmail-tls-*")}, QDir::Hidden | QDir::Files);
}

// Where the pipeline lists the staged names an apply may use (HostWorkspace::stagedListPath).
QString stagedList(const QString &tree)
{
    return tree + QStringLiteral("/var/lib/sendmail-tls/journal.json.staged");
}

bool ageLock(const QString &tree, qint64 seconds)
{
    QFile owner(tree + QStringLiteral("/var/lib/sendmail-tls/lock/owner"));
    return owner.open(QIODevice::ReadWrite)
        && owner.setFileTime(QDateTime::currentDateTime().addSecs(-seconds), QFileDevice::FileModificationTime);
}

// Every file operation through the host-side scripts (ReadFiles, WriteFile, RemoveFile), as
// over SSH, on a local tree: LocalTransport does them in C++.
class ScriptedTree : public Transport {
public:
    explicit ScriptedTree(const QString &root) : m_local(root, QStringLiteral("tree"))
    {
        m_local.setCommandLog([this](const CommandLogEntry &e) { logCommand(e); });
    }
    QString hostName() const override { return m_local.hostName(); }
    QString describe() const override { return m_local.describe(); }
    Result<CommandResult> run(const CommandLine &command, const QByteArray &in, std::chrono::milliseconds timeout) override
    {
        return m_local.run(command, in, timeout);
    }
    QString commandPath(const QString &hostPath) const override { return m_local.commandPath(hostPath); }
    QString snapshotPath(const QString &hostPath) const override { return m_local.snapshotPath(hostPath); }
    void cancel() override { m_local.cancel(); }

private:
    LocalTransport m_local;
};

// A stand-in for the daemon the health check greets: "220" to whoever connects on 127.0.0.1.
class FakeDaemon {
public:
    FakeDaemon()
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t size = sizeof a;
        if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 || ::listen(m_fd, 8) != 0
            || ::getsockname(m_fd, reinterpret_cast<sockaddr *>(&a), &size) != 0)
            return;
        m_port = ntohs(a.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    ~FakeDaemon()
    {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
        if (m_fd >= 0)
            ::close(m_fd);
    }
    int port() const { return m_port; }
    int greeted() const { return m_greeted; }

private:
    void serve()
    {
        while (!m_stop) {
            pollfd listening{m_fd, POLLIN, 0};
            if (::poll(&listening, 1, 100) <= 0)
                continue;
            const int c = ::accept(m_fd, nullptr, nullptr);
            if (c < 0)
                continue;
            static const char greeting[] = "220 fake.test ESMTP\r\n";
            if (::write(c, greeting, sizeof greeting - 1) > 0)
                ++m_greeted;
            // Until the client hangs up (at most 2 s of silence).
            pollfd peer{c, POLLIN, 0};
            char buffer[256];
            while (::poll(&peer, 1, 2000) > 0 && ::read(c, buffer, sizeof buffer) > 0) {
            }
            ::close(c);
        }
    }
    int m_fd = -1;
    int m_port = 0;
    std::atomic<int> m_greeted{0};
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

// PATH for the rest of a scope, then the old one again.
class PathOverride {
public:
    explicit PathOverride(const QByteArray &path) : m_old(qgetenv("PATH")) { qputenv("PATH", path); }
    ~PathOverride() { qputenv("PATH", m_old); }
    PathOverride(const PathOverride &) = delete;
    PathOverride &operator=(const PathOverride &) = delete;

private:
    QByteArray m_old;
};

// A folder where every applet of BUSYBOX (sh included) is a link to it.
bool linkBusyboxApplets(const QString &busybox, const QString &folder)
{
    QProcess list;
    list.start(busybox, {QStringLiteral("--list")});
    if (!list.waitForFinished(10000) || list.exitCode() != 0)
        return false;
    const QList<QByteArray> applets = list.readAllStandardOutput().split('\n');
    for (const QByteArray &applet : applets)
        if (!applet.trimmed().isEmpty() && !QFile::link(busybox, folder + QLatin1Char('/') + QString::fromLatin1(applet.trimmed())))
            return false;
    return QFileInfo::exists(folder + QStringLiteral("/sh"));
}

QStringList stepNames(const ApplyReport &r)
{
    QStringList out;
    for (const StepRecord &s : r.steps)
        out << s.name() + (s.state == StepState::Failed ? QStringLiteral("!") : QString());
    return out;
}

} // namespace

class TestApplyLocal : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (::geteuid() != 0)
            QSKIP("needs root: sendmail -bt runs in a private UTS namespace (it sleeps 60 s on an unqualified host name)");
        for (const char *tool : {"/usr/bin/m4", "/usr/sbin/makemap", "/usr/sbin/sendmail"})
            if (!QFile::exists(QLatin1String(tool)))
                QSKIP("m4/makemap/sendmail not installed (installer/setup.sh test installs them)");
    }

    void destinationOff_isValidatedInstalledAndMapBuilt()
    {
        QTemporaryDir dir;
        QVERIFY(copyTree(DemoTree, dir.path()));
        // The tree needs a sendmail.cf for the try_tls check: compile the demo's.
        LocalTransport t(dir.path(), QStringLiteral("tree"));
        const HostProfile profile = treeProfile();
        QVERIFY(compileCf(t, profile));
        const QByteArray before = readAll(dir.filePath(QStringLiteral("etc/mail/access")));
        const ApplyReport r = applyChange(t, profile, {destinationOff("broken.test"), QStringLiteral("test")});
        QVERIFY2(r.outcome == ApplyOutcome::Applied, qPrintable(r.summary + QLatin1Char(' ') + stepNames(r).join(QLatin1Char(','))));
        QCOMPARE(stepNames(r), QStringList({QStringLiteral("lock"), QStringLiteral("read"), QStringLiteral("check-unchanged"), QStringLiteral("snapshot"),
                                            QStringLiteral("upload"), QStringLiteral("validate"), QStringLiteral("install"),
                                            QStringLiteral("activate"), QStringLiteral("health-check"), QStringLiteral("cleanup")}));
        const QByteArray after = readAll(dir.filePath(QStringLiteral("etc/mail/access")));
        QVERIFY(after.contains("\nTry_TLS:broken.test\tNO\n"));
        QVERIFY(after.startsWith(before.left(before.indexOf("Try_TLS:192.0.2"))));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("etc/mail/access.db"))));
        // Nothing staged is left behind, the journal is gone, the snapshot stays.
        QStringList leftovers = QDir(dir.filePath(QStringLiteral("etc/mail"))).entryList({QStringLiteral(".sendmail-tls-*")}, QDir::Hidden | QDir::Files);
        QVERIFY2(leftovers.isEmpty(), qPrintable(leftovers.join(QLatin1Char(' '))));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("var/lib/sendmail-tls/journal.json"))));
        QCOMPARE(QDir(dir.filePath(QStringLiteral("var/backups/sendmail-tls"))).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size(), 1);
        // The commands ran as argument lists and each is in the report, under the step that ran it.
        QVERIFY(r.allCommands().size() >= 5);
        QVERIFY(r.find(Step::Validate) && !r.find(Step::Validate)->commands.isEmpty());
        QVERIFY(r.find(Step::Install) && r.find(Step::Install)->commands.size() == 1);
        QVERIFY(r.find(Step::Validate)->commands.first().command.contains(QStringLiteral("makemap")));
        QVERIFY(r.find(Step::Snapshot)->commands.isEmpty());  // the local snapshot runs no command
        // The report's JSON keeps the tree and the flat list.
        const QJsonObject json = reportJson(r);
        QCOMPARE(json.value(QStringLiteral("commands")).toArray().size(), r.allCommands().size());
        QCOMPARE(json.value(QStringLiteral("steps")).toArray().at(5).toObject().value(QStringLiteral("step")).toString(), QStringLiteral("validate"));
        QVERIFY(!json.value(QStringLiteral("steps")).toArray().at(5).toObject().value(QStringLiteral("commands")).toArray().isEmpty());
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("var/lib/sendmail-tls/lock"))));  // released
    }

    // A text file edited after its built file does nothing yet: found through the transport
    // (test -nt on the host), with the command that rebuilds.
    void builtFiles_olderThanTheirText_areReported()
    {
        QTemporaryDir dir;
        QVERIFY(copyTree(DemoTree, dir.path()));
        LocalTransport t(dir.path(), QStringLiteral("tree"));
        const HostProfile profile = treeProfile();
        QVERIFY(compileCf(t, profile));
        const QString access = dir.filePath(QStringLiteral("etc/mail/access"));
        QVERIFY(t.run(profile.buildMapCommand(QStringLiteral("hash"), access, access))->ok());
        const auto setAge = [](const QString &path, int secondsAgo) {
            QFile f(path);
            return f.open(QIODevice::ReadWrite)
                && f.setFileTime(QDateTime::currentDateTime().addSecs(-secondsAgo), QFileDevice::FileModificationTime);
        };
        const auto problems = [&]() -> QStringList {
            const Result<HostState> state = readHostState(t, profile);
            if (!state)
                return {QStringLiteral("read failed: ") + state.error().describe()};
            const Result<Problems> found = builtFileProblems(t, profile, state->config);
            if (!found)
                return {QStringLiteral("check failed: ") + found.error().describe()};
            QStringList out;
            for (const Problem &p : *found)
                out << p.message;
            return out;
        };
        const QString mc = dir.filePath(QStringLiteral("etc/mail/sendmail.mc")), cf = dir.filePath(QStringLiteral("etc/mail/sendmail.cf"));
        const QString db = access + QStringLiteral(".db");
        QVERIFY(setAge(mc, 100) && setAge(cf, 50) && setAge(access, 100) && setAge(db, 50));
        QCOMPARE(problems(), QStringList());

        QVERIFY(setAge(mc, 10));  // edited after the build
        QStringList found = problems();
        QCOMPARE(found.size(), 1);
        QVERIFY2(found[0].contains(QStringLiteral("sendmail.cf")) && found[0].contains(QStringLiteral("restart")), qPrintable(found[0]));

        QVERIFY(setAge(mc, 100) && setAge(access, 10));
        found = problems();
        QCOMPARE(found.size(), 1);
        QVERIFY2(found[0].contains(QStringLiteral("makemap hash")) && found[0].contains(QStringLiteral("access.db")), qPrintable(found[0]));

        QVERIFY(QFile::remove(db));
        found = problems();
        QCOMPARE(found.size(), 1);
        QVERIFY2(found[0].contains(QStringLiteral("never built")), qPrintable(found[0]));
    }

    void brokenMc_isRefusedByValidationAndNothingChanges()
    {
        QTemporaryDir dir;
        QVERIFY(copyTree(DemoTree, dir.path()));
        const QByteArray mcBefore = readAll(dir.filePath(QStringLiteral("etc/mail/sendmail.mc")));
        LocalTransport t(dir.path(), QStringLiteral("tree"));
        const ApplyReport r = applyChange(t, treeProfile(), {brokenMcChange(), QStringLiteral("test")});
        QCOMPARE(r.outcome, ApplyOutcome::Refused);
        QVERIFY2(r.summary.contains(QStringLiteral("m4")), qPrintable(r.summary));
        QCOMPARE(readAll(dir.filePath(QStringLiteral("etc/mail/sendmail.mc"))), mcBefore);
        QVERIFY(!stepNames(r).contains(QStringLiteral("install")));
        QVERIFY(QDir(dir.filePath(QStringLiteral("var/backups/sendmail-tls"))).entryList(QDir::Dirs | QDir::NoDotAndDotDot).isEmpty());
        QVERIFY(QDir(dir.filePath(QStringLiteral("etc/mail"))).entryList({QStringLiteral(".sendmail-tls-*")}, QDir::Hidden | QDir::Files).isEmpty());
    }

    // A journal on the host before an apply is an earlier apply's that died while installing
    // (the next connection reports it): an apply refused before installing leaves it there.
    void refusedApply_keepsADeadApplysJournal()
    {
        QTemporaryDir dir;
        QVERIFY(copyTree(DemoTree, dir.path()));
        const QString journal = dir.filePath(QStringLiteral("var/lib/sendmail-tls/journal.json"));
        QVERIFY(QDir().mkpath(QFileInfo(journal).path()));
        const QByteArray dead = R"({"id":"20260101000000000-abcd","change":"x","files":[]})";
        QVERIFY(testing::writeAll(journal, dead));
        LocalTransport t(dir.path(), QStringLiteral("tree"));
        const ApplyReport r = applyChange(t, treeProfile(), {brokenMcChange(), QStringLiteral("test")});
        QCOMPARE(r.outcome, ApplyOutcome::Refused);
        QVERIFY(stepNames(r).contains(QStringLiteral("validate!")));
        QCOMPARE(readAll(journal), dead);
        QCOMPARE(stagedLeftovers(dir.path()), QStringList());
        QVERIFY(!QFileInfo::exists(stagedList(dir.path())));
    }

    void failingRestart_isRolledBackToTheOldBytes()
    {
        QTemporaryDir dir;
        QVERIFY(copyTree(DemoTree, dir.path()));
        LocalTransport t(dir.path(), QStringLiteral("tree"));
        HostProfile profile = treeProfile();
        QVERIFY(compileCf(t, profile));
        const QByteArray mcBefore = readAll(dir.filePath(QStringLiteral("etc/mail/sendmail.mc")));
        const QByteArray cfBefore = readAll(dir.filePath(QStringLiteral("etc/mail/sendmail.cf")));
        // The restart fails once; the rollback's restart then works.
        profile.restart = CommandLine::shellScript(QStringLiteral("[ -e \"$1\" ] && exit 0; : > \"$1\"; exit 1"),
                                                   {dir.filePath(QStringLiteral("restarted-once"))});
        QTemporaryDir here;
        const SnapshotStore local(here.path());
        ApplyOptions options;
        options.localSnapshots = &local;
        const ApplyReport r = applyChange(t, profile, {Change::global(false, Mechanism::ClientOptions), QStringLiteral("test")}, options);
        QCOMPARE(r.outcome, ApplyOutcome::RolledBack);
        QVERIFY(stepNames(r).contains(QStringLiteral("activate!")));
        QVERIFY(stepNames(r).contains(QStringLiteral("rollback")));
        QCOMPARE(readAll(dir.filePath(QStringLiteral("etc/mail/sendmail.mc"))), mcBefore);
        QCOMPARE(readAll(dir.filePath(QStringLiteral("etc/mail/sendmail.cf"))), cfBefore);
        // A change that did not happen is not history: no snapshot here nor on the host.
        QVERIFY(local.list()->isEmpty());
        QVERIFY(r.snapshotId.isEmpty());
        QVERIFY(QDir(dir.filePath(QStringLiteral("var/backups/sendmail-tls"))).entryList(QDir::Dirs | QDir::NoDotAndDotDot).isEmpty());
    }

    // Someone else (an editor that ignores our lock) writes a file we installed while the new
    // files are being activated; the restart fails: the rollback puts back every other file and
    // leaves theirs, says so, and keeps the snapshot (the one copy of the old bytes left).
    void rollback_leavesAFileChangedBySomeoneElseSinceInstall()
    {
        QTemporaryDir dir;
        QVERIFY(copyTree(DemoTree, dir.path()));
        LocalTransport t(dir.path(), QStringLiteral("tree"));
        HostProfile profile = treeProfile();
        QVERIFY(compileCf(t, profile));
        const QString mc = dir.filePath(QStringLiteral("etc/mail/sendmail.mc"));
        const QString cf = dir.filePath(QStringLiteral("etc/mail/sendmail.cf"));
        const QString access = dir.filePath(QStringLiteral("etc/mail/access"));
        const QByteArray mcBefore = readAll(mc), cfBefore = readAll(cf), accessBefore = readAll(access);
        profile.restart = restartFailingOnce(dir.path());
        QTemporaryDir here;
        const SnapshotStore local(here.path());
        ApplyOptions options;
        options.localSnapshots = &local;
        QByteArray installedAccess;
        options.beforeStep = [&](Step step) {
            if (step != Step::Activate)
                return;
            installedAccess = readAll(access);
            QFile f(access);
            QVERIFY(f.open(QIODevice::Append));
            f.write("Connect:10.9.9.9 REJECT\n");
        };
        const ApplyReport r = applyChange(t, profile, {mcAndAccessEdited("Try_TLS:rollback.test NO\n"), QStringLiteral("test")}, options);
        QVERIFY2(r.outcome == ApplyOutcome::RolledBack, qPrintable(reportText(r)));
        QVERIFY(installedAccess.endsWith("Try_TLS:rollback.test NO\n"));
        // Theirs stays, on top of what we had installed; every other file is the old one again.
        QCOMPARE(readAll(access), installedAccess + "Connect:10.9.9.9 REJECT\n");
        QCOMPARE(readAll(mc), mcBefore);
        QCOMPARE(readAll(cf), cfBefore);
        QVERIFY(accessBefore != installedAccess);
        // Said in the rollback step and in the summary, naming the file and why.
        const StepRecord *rollback = r.find(Step::Rollback);
        QVERIFY(rollback && rollback->state == StepState::Done);
        QVERIFY2(rollback->message.contains(QStringLiteral("/etc/mail/access")) && rollback->message.contains(QStringLiteral("someone else")),
                 qPrintable(rollback->message));
        QVERIFY2(!rollback->message.contains(QStringLiteral("sendmail.mc")), qPrintable(rollback->message));
        QVERIFY2(r.summary.startsWith(QStringLiteral("/etc/mail/access changed by someone else since the install and left as it is")),
                 qPrintable(r.summary));
        // Checked after the failure: that file holds someone else's bytes, the others are old.
        QVERIFY2(r.stateAfter.contains(QStringLiteral("/etc/mail/access holds neither the old nor the new version")), qPrintable(r.stateAfter));
        // The snapshots stay, here and on the host; nothing staged or journaled is left.
        QCOMPARE(local.list()->size(), 1);
        const QStringList hostKept = QDir(dir.filePath(QStringLiteral("var/backups/sendmail-tls"))).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QCOMPARE(hostKept.size(), 1);
        // ...marked as the failed change they are, for History (both manifests).
        const auto manifest = [](const QString &path) {
            QFile f(path);
            return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
        };
        for (const QString &path : {here.filePath(r.snapshotId + QStringLiteral("/manifest.json")),
                                    dir.filePath(QStringLiteral("var/backups/sendmail-tls/") + hostKept.first() + QStringLiteral("/manifest.json"))}) {
            const QJsonObject m = manifest(path);
            QCOMPARE(recordedOutcome(m), QStringLiteral("rolled back"));
            QCOMPARE(m.value(QStringLiteral("outcomeSummary")).toString(), r.summary);
            QVERIFY2(!m.value(QStringLiteral("files")).toArray().isEmpty() || m.contains(QStringLiteral("host")), qPrintable(path));  // the rest kept
        }
        QCOMPARE(local.load(r.snapshotId)->files.size(), 3);  // still loads
        QCOMPARE(stagedLeftovers(dir.path()), QStringList());
        QCOMPARE(QDir(dir.filePath(QStringLiteral("var/lib/sendmail-tls"))).entryList(QDir::Files), QStringList());
    }

    // The same rollback without a foreign edit puts back every file: the check does not
    // mistake our own rebuild's or install's bytes for someone else's.
    void rollback_withoutForeignEdits_restoresEveryFile()
    {
        QTemporaryDir dir;
        QVERIFY(copyTree(DemoTree, dir.path()));
        LocalTransport t(dir.path(), QStringLiteral("tree"));
        HostProfile profile = treeProfile();
        QVERIFY(compileCf(t, profile));
        const QString access = dir.filePath(QStringLiteral("etc/mail/access"));
        const QByteArray accessBefore = readAll(access);
        const QByteArray mcBefore = readAll(dir.filePath(QStringLiteral("etc/mail/sendmail.mc")));
        profile.restart = restartFailingOnce(dir.path());
        const ApplyReport r = applyChange(t, profile, {mcAndAccessEdited("Try_TLS:rollback.test NO\n"), QStringLiteral("test")});
        QVERIFY2(r.outcome == ApplyOutcome::RolledBack, qPrintable(reportText(r)));
        // The cause, then the state as checked; the outcome is said once (by its renderings).
        QVERIFY2(r.summary.startsWith(QStringLiteral("Activating (")) && r.summary.endsWith(QStringLiteral("The old files are active again.")),
                 qPrintable(r.summary));
        QVERIFY2(!reportText(r).contains(QStringLiteral("rolled back:"), Qt::CaseInsensitive), qPrintable(reportText(r)));
        QCOMPARE(r.find(Step::CheckState)->state, StepState::Done);
        QCOMPARE(r.find(Step::Rollback)->message, QString());
        QCOMPARE(readAll(access), accessBefore);
        QCOMPARE(readAll(dir.filePath(QStringLiteral("etc/mail/sendmail.mc"))), mcBefore);
        QVERIFY(QDir(dir.filePath(QStringLiteral("var/backups/sendmail-tls"))).entryList(QDir::Dirs | QDir::NoDotAndDotDot).isEmpty());
    }

    // ------------------------------------------------------------- what a dead apply leaves

    // An apply dies after staging (its transport gone at validation: nothing it runs afterwards
    // reaches the host, not its cleanup nor the lock's release). The next apply, once it holds
    // the lock (broken as stale), removes the staged files the dead one listed, and says so.
    void deadApply_stagedFilesAreRemovedByTheNextApply()
    {
        QTemporaryDir dir;
        QVERIFY(copyTree(DemoTree, dir.path()));
        const HostProfile profile = treeProfile();
        {
            LocalTransport dying(dir.path(), QStringLiteral("tree"));
            QVERIFY(compileCf(dying, profile));
            ApplyOptions options;
            options.beforeStep = [&](Step step) {
                if (step == Step::Validate)
                    dying.cancel();
            };
            const ApplyReport dead = applyChange(dying, profile, {mcAndAccessEdited("Try_TLS:dead.test NO\n"), QStringLiteral("test")}, options);
            QVERIFY2(dead.outcome == ApplyOutcome::Refused, qPrintable(reportText(dead)));
        }
        const QStringList left = stagedLeftovers(dir.path());
        QCOMPARE(left.size(), 2);  // the staged sendmail.mc and access
        QVERIFY(QFileInfo::exists(stagedList(dir.path())));
        QVERIFY(ageLock(dir.path(), 2 * 3600));

        LocalTransport t(dir.path(), QStringLiteral("tree"));
        ApplyOptions options;
        options.lockWait = std::chrono::seconds(2);
        const ApplyReport r = applyChange(t, profile, {destinationOff("after-dead.test"), QStringLiteral("test")}, options);
        QVERIFY2(r.outcome == ApplyOutcome::Applied, qPrintable(reportText(r)));
        QCOMPARE(stagedLeftovers(dir.path()), QStringList());
        QVERIFY(!QFileInfo::exists(stagedList(dir.path())));
        const QString said = r.find(Step::Lock)->message;
        QVERIFY2(said.startsWith(QStringLiteral("removed 2 staged file(s)")), qPrintable(said));
        for (const QString &name : left)
            QVERIFY2(said.contains(name), qPrintable(said));
        QVERIFY(!readAll(dir.filePath(QStringLiteral("etc/mail/access"))).contains("Try_TLS:dead.test"));
    }

    // The list is only trusted for names of our staged form: a list naming anything else
    // (however it came to be) removes nothing else, and says what it left alone.
    void deadApplyList_removesOnlyStagedNames()
    {
        QTemporaryDir dir;
        QVERIFY(copyTree(DemoTree, dir.path()));
        LocalTransport t(dir.path(), QStringLiteral("tree"));
        const HostProfile profile = treeProfile();
        QVERIFY(compileCf(t, profile));
        const QString root = dir.path();
        const QString staged = root + QStringLiteral("/etc/mail/.sendmail-tls-20260101000000000-abcd.access");
        const QStringList others{root + QStringLiteral("/etc/passwd"), root + QStringLiteral("/etc/mail/local-host-names"),
                                 root + QStringLiteral("/etc/mail/../mail/.sendmail-tls-20260101000000000-abcd.mc"),
                                 root + QStringLiteral("/etc/mail/.sendmail-tls.AbC123"), QStringLiteral("etc/mail/.sendmail-tls-1-abcd.x")};
        QVERIFY(testing::writeAll(staged, "staged\n"));
        for (const QString &f : others.mid(0, 4))
            QVERIFY(testing::writeAll(f, "user file\n"));
        QVERIFY(QDir().mkpath(root + QStringLiteral("/var/lib/sendmail-tls")));
        QVERIFY(testing::writeAll(stagedList(root), (QStringList{staged} + others).join(QLatin1Char('\n')).toUtf8() + '\n'));

        const ApplyReport r = applyChange(t, profile, {destinationOff("list.test"), QStringLiteral("test")});
        QVERIFY2(r.outcome == ApplyOutcome::Applied, qPrintable(reportText(r)));
        QVERIFY(!QFileInfo::exists(staged));
        for (const QString &f : others.mid(0, 4))
            QCOMPARE(readAll(f), QByteArray("user file\n"));
        const QString said = r.find(Step::Lock)->message;
        QVERIFY2(said.contains(QStringLiteral("removed 1 staged file(s)")) && said.contains(staged), qPrintable(said));
        for (const QString &f : others)
            QVERIFY2(said.contains(f), qPrintable(f + QStringLiteral(" not in: ") + said));
    }

    // Someone edits the file between our read and our write: refused, and the edit stays. Both
    // ways of checking: the host-side hash of a full apply, and edit-only on this computer's
    // files (a second read compared byte for byte, the snapshot kept only here) — a same-size
    // edit included, which a size check alone would miss.
    void staleFile_isRefused_data()
    {
        QTest::addColumn<bool>("editOnly");
        QTest::addColumn<QString>("how");
        for (bool editOnly : {false, true})
            for (const char *how : {"append", "same size", "removed"})
                QTest::addRow("%s, %s", editOnly ? "edit-only" : "pipeline", how) << editOnly << QString::fromLatin1(how);
    }
    void staleFile_isRefused()
    {
        QFETCH(bool, editOnly);
        QFETCH(QString, how);
        QTemporaryDir dir, here;
        QVERIFY(copyTree(DemoTree, dir.path()));
        LocalTransport t(dir.path(), QStringLiteral("tree"));
        const QString access = dir.filePath(QStringLiteral("etc/mail/access"));
        const SnapshotStore local(here.path());
        ApplyOptions options;
        options.localSnapshots = &local;
        QByteArray edited;
        options.beforeStep = [&](Step step) {
            if (step != Step::CheckUnchanged)
                return;
            if (how == QLatin1String("removed")) {
                QVERIFY(QFile::remove(access));
                return;
            }
            edited = readAll(access);
            if (how == QLatin1String("append"))
                edited += "Connect:10.9.9.9 REJECT\n";
            else
                edited[edited.size() - 2] = edited[edited.size() - 2] == 'X' ? 'Y' : 'X';
            QVERIFY(smtls::testing::writeAll(access, edited));
        };
        ApplyRequest request{destinationOff("stale.test"), QStringLiteral("test")};
        request.editOnly = editOnly;
        const ApplyReport r = applyChange(t, treeProfile(), request, options);
        QCOMPARE(r.outcome, ApplyOutcome::Refused);
        QVERIFY2(r.summary.contains(QStringLiteral("changed on the host")), qPrintable(r.summary));
        if (how == QLatin1String("removed"))
            QVERIFY(!QFile::exists(access));
        else
            QCOMPARE(readAll(access), edited);
        QVERIFY2(local.list() && local.list()->isEmpty(), "a refused change leaves no snapshot");
    }

    // A snapshot keeps the bytes it took, whatever happens to the live file afterwards: vim
    // writes in place when a file has more than one link, so a snapshot that linked the live
    // file (or that shared its inode after a refused write) would change with it.
    void snapshot_keepsItsBytesAfterAnInPlaceEditOfTheLiveFile_data()
    {
        QTest::addColumn<bool>("editOnly");
        QTest::newRow("pipeline") << false;
        QTest::newRow("edit-only") << true;
    }
    void snapshot_keepsItsBytesAfterAnInPlaceEditOfTheLiveFile()
    {
        QFETCH(bool, editOnly);
        QTemporaryDir dir, here;
        QVERIFY(copyTree(DemoTree, dir.path()));
        LocalTransport t(dir.path(), QStringLiteral("tree"));
        const QString access = dir.filePath(QStringLiteral("etc/mail/access"));
        const QByteArray original = readAll(access);
        const SnapshotStore local(here.path());
        ApplyOptions options;
        options.localSnapshots = &local;
        ApplyRequest request{destinationOff("inplace.test"), QStringLiteral("test")};
        request.editOnly = editOnly;
        const ApplyReport r = applyChange(t, treeProfile(), request, options);
        QCOMPARE(r.outcome, ApplyOutcome::Applied);
        const QByteArray applied = readAll(access);
        QVERIFY(applied.contains("Try_TLS:inplace.test"));

        // Overwrite the live file's bytes in place (same inode), as vim does.
        QFile live(access);
        QVERIFY(live.open(QIODevice::ReadWrite));
        QVERIFY(live.write(QByteArray(int(applied.size()), '#')) == applied.size());
        live.close();

        const Result<Snapshot> snap = local.load(r.snapshotId);
        QVERIFY2(snap, snap ? "" : qPrintable(snap.error().message));
        bool found = false;
        for (const SnapshotFile &f : snap->files) {
            if (!f.path.endsWith(QLatin1String("/etc/mail/access")))
                continue;
            found = true;
            QCOMPARE(f.before, original);
            QCOMPARE(f.after, applied);
        }
        QVERIFY(found);
    }

    // ------------------------------------------------------------- POSIX sh only

    // Every host-side script of an apply, run by busybox sh with only busybox's applets and
    // sendmail's own tools on PATH (no bash, no GNU coreutils): a change applied, one rolled
    // back past a foreign edit, the health check's greeting (nc, there being no bash), snapshots
    // listed and pruned, a held lock waited for, a stale one broken, a dead apply's staged files
    // removed. File reads and writes go through the scripts too, as over SSH.
    void busyboxShell_runsEveryHostScript()
    {
        const QString busybox = QStandardPaths::findExecutable(QStringLiteral("busybox"));
        if (busybox.isEmpty())
            QSKIP("busybox is not installed (Debian package busybox, one of the test packages of installer/setup.sh): the host scripts' "
                  "POSIX-only check needs it");
        QTemporaryDir dir, bin, tools;
        QVERIFY(linkBusyboxApplets(busybox, bin.path()));
        for (const char *tool : {"m4", "makemap", "sendmail"})
            QVERIFY(QFile::link(QStandardPaths::findExecutable(QLatin1String(tool), {QStringLiteral("/usr/bin"), QStringLiteral("/usr/sbin")}),
                                tools.filePath(QLatin1String(tool))));
        QVERIFY(copyTree(DemoTree, dir.path()));
        const QString root = dir.path();
        const QString mc = root + QStringLiteral("/etc/mail/sendmail.mc"), access = root + QStringLiteral("/etc/mail/access");
        // The daemon the health check greets listens on a free port of 127.0.0.1.
        FakeDaemon daemon;
        QVERIFY(daemon.port() > 0);
        QByteArray mcText = readAll(mc);
        QVERIFY(mcText.contains("Name=MTA-v4, Port=smtp,"));
        QVERIFY(testing::writeAll(mc, mcText.replace("Name=MTA-v4, Port=smtp,", "Name=MTA-v4, Port=" + QByteArray::number(daemon.port()) + ',')));
        HostProfile profile = treeProfile();
        {
            LocalTransport plain(root, QStringLiteral("tree"));
            QVERIFY(compileCf(plain, profile));
        }
        profile.healthCheck = true;
        QVERIFY(::chown(QFile::encodeName(access).constData(), 123, 45) == 0);
        QVERIFY(::chmod(QFile::encodeName(access).constData(), 0640) == 0);

        const PathOverride path((bin.path() + QLatin1Char(':') + tools.path()).toLocal8Bit());
        ScriptedTree t(root);
        // The shell really is busybox's, and there is no bash to fall back on.
        const Result<CommandResult> which =
            t.run(CommandLine::shellScript(QStringLiteral("readlink /proc/$$/exe; command -v bash || echo no-bash")), {}, 10s);
        QVERIFY(which && which->ok());
        QCOMPARE(which->out, (QFileInfo(busybox).canonicalFilePath() + QStringLiteral("\nno-bash\n")).toUtf8());

        // A change applied: health check greeted through nc; the access file keeps owner and mode.
        ApplyReport r = applyChange(t, profile, {destinationOff("busybox.test"), QStringLiteral("test")});
        QVERIFY2(r.outcome == ApplyOutcome::Applied, qPrintable(reportText(r, true)));
        QVERIFY(readAll(access).contains("\nTry_TLS:busybox.test\tNO\n"));
        QCOMPARE(QFileInfo(access).ownerId(), 123u);
        QCOMPARE(QFileInfo(access).groupId(), 45u);
        struct stat st {};
        QVERIFY(::stat(QFile::encodeName(access).constData(), &st) == 0);
        QCOMPARE(st.st_mode & 07777, mode_t(0640));
        QVERIFY(daemon.greeted() >= 1);
        const Result<HostState> state = readHostState(t, profile);
        QVERIFY(state);
        QVERIFY(builtFileProblems(t, profile, state->config));

        // A change rolled back past someone else's edit.
        profile.restart = restartFailingOnce(root);
        ApplyOptions foreignEdit;
        foreignEdit.beforeStep = [&](Step step) {
            if (step == Step::Activate) {
                QFile f(access);
                QVERIFY(f.open(QIODevice::Append));
                f.write("Connect:10.9.9.9 REJECT\n");
            }
        };
        const QByteArray mcBefore = readAll(mc);
        const int greetedBefore = daemon.greeted();
        r = applyChange(t, profile, {mcAndAccessEdited("Try_TLS:rollback.test NO\n"), QStringLiteral("test")}, foreignEdit);
        QVERIFY2(r.outcome == ApplyOutcome::RolledBack, qPrintable(reportText(r, true)));
        QVERIFY2(r.summary.startsWith(QStringLiteral("/etc/mail/access changed by someone else")), qPrintable(r.summary));
        QCOMPARE(readAll(mc), mcBefore);
        QVERIFY(readAll(access).endsWith("Try_TLS:rollback.test NO\nConnect:10.9.9.9 REJECT\n"));
        QVERIFY(daemon.greeted() > greetedBefore);  // the rollback's health check waited for the greeting
        profile.restart = CommandLine{};

        // History: both snapshots listed, pruned to the newest.
        const Result<QList<Snapshot>> snapshots = listHostSnapshots(t, profile);
        QVERIFY(snapshots);
        QCOMPARE(snapshots->size(), 2);
        QVERIFY(!removeHostSnapshots(t, profile, {snapshots->last().id}));
        QCOMPARE(listHostSnapshots(t, profile)->size(), 1);

        // A held lock is waited for, then refused; once stale it is broken. A dead apply's list
        // loses its staged file, never another.
        QVERIFY(plantLock(root, R"({"id":"other","user":"alice","client":"ws9","pid":77,"started":"2026-12-02T10:00:00Z","change":"x"})", 0));
        ApplyOptions shortWait;
        shortWait.lockWait = std::chrono::seconds(1);
        r = applyChange(t, profile, {destinationOff("locked.test"), QStringLiteral("test")}, shortWait);
        QVERIFY2(r.outcome == ApplyOutcome::Refused && r.summary.contains(QStringLiteral("alice@ws9")), qPrintable(reportText(r, true)));
        QVERIFY(ageLock(root, 2 * 3600));
        const QString staged = root + QStringLiteral("/etc/mail/.sendmail-tls-20260101000000000-abcd.access");
        QVERIFY(testing::writeAll(staged, "staged\n"));
        QVERIFY(testing::writeAll(stagedList(root), (staged + QLatin1Char('\n') + root + QStringLiteral("/etc/passwd\n")).toUtf8()));
        QVERIFY(testing::writeAll(root + QStringLiteral("/etc/passwd"), "user file\n"));
        r = applyChange(t, profile, {destinationOff("unlocked.test"), QStringLiteral("test")}, shortWait);
        QVERIFY2(r.outcome == ApplyOutcome::Applied, qPrintable(reportText(r, true)));
        QVERIFY2(r.notes.join(QLatin1Char(' ')).contains(QStringLiteral("alice@ws9")), qPrintable(r.notes.join(QLatin1Char('|'))));
        QVERIFY(!QFileInfo::exists(staged));
        QCOMPARE(readAll(root + QStringLiteral("/etc/passwd")), QByteArray("user file\n"));
        QCOMPARE(stagedLeftovers(root), QStringList());
    }

    // ------------------------------------------------------------- one apply at a time

    static bool plantLock(const QString &tree, const QByteArray &owner, qint64 ageSeconds)
    {
        const QString lock = tree + QStringLiteral("/var/lib/sendmail-tls/lock");
        if (!QDir().mkpath(lock))
            return false;
        QFile f(lock + QStringLiteral("/owner"));
        if (!f.open(QIODevice::WriteOnly) || f.write(owner) != owner.size())
            return false;
        f.close();
        const QDateTime when = QDateTime::currentDateTime().addSecs(-ageSeconds);
        QFile o(lock + QStringLiteral("/owner"));
        return o.open(QIODevice::ReadWrite) && o.setFileTime(when, QFileDevice::FileModificationTime);
    }

    void lock_heldByAnotherApply_refusesAfterTheWaitNamingTheHolder()
    {
        QTemporaryDir dir;
        QVERIFY(copyTree(DemoTree, dir.path()));
        QVERIFY(plantLock(dir.path(), R"({"id":"other","user":"alice","client":"ws9","pid":77,"started":"2026-12-02T10:00:00Z","change":"set global off"})", 0));
        const QByteArray before = readAll(dir.filePath(QStringLiteral("etc/mail/access")));
        LocalTransport t(dir.path(), QStringLiteral("tree"));
        ApplyOptions options;
        options.lockWait = std::chrono::seconds(2);
        QElapsedTimer clock;
        clock.start();
        const ApplyReport r = applyChange(t, treeProfile(), {destinationOff("locked.test"), QStringLiteral("test")}, options);
        QCOMPARE(r.outcome, ApplyOutcome::Refused);
        QCOMPARE(r.error.kind, ErrorKind::Refused);
        QVERIFY2(r.summary.contains(QStringLiteral("alice@ws9 (pid 77)")) && r.summary.contains(QStringLiteral("set global off")), qPrintable(r.summary));
        QVERIFY2(clock.elapsed() >= 2000 && clock.elapsed() < 20000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(stepNames(r), QStringList{QStringLiteral("lock!")});
        QCOMPARE(readAll(dir.filePath(QStringLiteral("etc/mail/access"))), before);
        QVERIFY(QFileInfo::exists(dir.filePath(QStringLiteral("var/lib/sendmail-tls/lock/owner"))));  // not ours: left alone
    }

    void lock_leftByADeadApply_isBrokenAndSaidSo()
    {
        QTemporaryDir dir;
        QVERIFY(copyTree(DemoTree, dir.path()));
        LocalTransport t(dir.path(), QStringLiteral("tree"));
        const HostProfile profile = treeProfile();
        QVERIFY(compileCf(t, profile));
        QVERIFY(plantLock(dir.path(), R"({"id":"dead","user":"bob","client":"ws1","pid":12,"started":"2026-12-01T10:00:00Z","change":"x"})", 2 * 3600));
        ApplyOptions options;
        options.lockWait = std::chrono::seconds(2);
        const ApplyReport r = applyChange(t, profile, {destinationOff("after-dead.test"), QStringLiteral("test")}, options);
        QVERIFY2(r.outcome == ApplyOutcome::Applied, qPrintable(r.summary));
        QVERIFY2(r.notes.join(QLatin1Char(' ')).contains(QStringLiteral("bob@ws1")), qPrintable(r.notes.join(QLatin1Char('|'))));
        QVERIFY(readAll(dir.filePath(QStringLiteral("etc/mail/access"))).contains("Try_TLS:after-dead.test"));
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("var/lib/sendmail-tls/lock"))));
    }

    // Two admins at once (the window and a cron job): both changes land, none is lost.
    void concurrentApplies_bothChangesLand()
    {
        QTemporaryDir dir;
        QVERIFY(copyTree(DemoTree, dir.path()));
        const HostProfile profile = treeProfile();
        {
            LocalTransport t(dir.path(), QStringLiteral("tree"));
            QVERIFY(compileCf(t, profile));
        }
        constexpr int Rounds = 4;
        for (int round = 0; round < Rounds; ++round) {
            ApplyReport reports[2];
            std::thread workers[2];
            for (int i = 0; i < 2; ++i)
                workers[i] = std::thread([&, i] {
                    LocalTransport t(dir.path(), QStringLiteral("tree"));
                    const QByteArray name = "r" + QByteArray::number(round) + "-admin" + QByteArray::number(i) + ".test";
                    reports[i] = applyChange(t, profile, {destinationOff(name.constData()), QStringLiteral("admin")});
                });
            for (std::thread &w : workers)
                w.join();
            for (int i = 0; i < 2; ++i)
                QVERIFY2(reports[i].outcome == ApplyOutcome::Applied, qPrintable(reports[i].summary));
        }
        const QByteArray access = readAll(dir.filePath(QStringLiteral("etc/mail/access")));
        for (int round = 0; round < Rounds; ++round)
            for (int i = 0; i < 2; ++i)
                QVERIFY2(access.contains("Try_TLS:r" + QByteArray::number(round) + "-admin" + QByteArray::number(i) + ".test\tNO"),
                         "a change reported applied is missing");
    }
};

QTEST_GUILESS_MAIN(TestApplyLocal)
#include "tst_applylocal.moc"
