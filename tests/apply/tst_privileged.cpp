// sendmail-tls-privileged run directly (no pkexec, no root needed): the framing, what it does
// with malformed, cut and oversized frames, what its policy refuses (programs, scripts that are
// not the pipeline's, paths outside the mail folders), timeouts, and that stopping it mid-command
// leaves no process behind. The helper is pointed at a temporary tree with
// SMTLS_PRIVILEGED_TEST_FOLDERS, which the real one under pkexec ignores.
#include "apply/HostProfile.h"
#include "apply/HostWorkspace.h"
#include "apply/StateAfter.h"
#include "apply/BuiltFiles.h"
#include "apply/HostInspector.h"
#include "apply/HostSnapshots.h"
#include "delivery/DeliveryLog.h"
#include "delivery/MxLookup.h"
#include "delivery/QueuedMessage.h"
#include "delivery/StartTlsProbe.h"
#include "KnownScripts.h"
#include "PrivilegedPolicy.h"
#include "transport/PrivilegedProtocol.h"
#include "transport/PrivilegedSession.h"
#include "transport/Transport.h"
#include "TestFiles.h"

#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <csignal>
#include <thread>

using namespace smtls;
using namespace smtls::privileged;

namespace {

const QString Helper = QStringLiteral(SMTLS_BIN_DIR "/sendmail-tls-privileged");

// The helper as its peer sees it: frames out, frames in.
class HelperPeer {
public:
    explicit HelperPeer(const QString &folders)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("SMTLS_PRIVILEGED_TEST_FOLDERS"), folders);
        env.remove(QStringLiteral("PKEXEC_UID"));
        process.setProcessEnvironment(env);
        process.start(Helper, {});
    }
    ~HelperPeer()
    {
        process.closeWriteChannel();
        if (!process.waitForFinished(5000))
            process.kill(), process.waitForFinished(2000);
    }
    // The next frame, or nullopt when none came within MS (or the stream broke).
    std::optional<QByteArray> frameWithin(int ms)
    {
        QElapsedTimer clock;
        clock.start();
        for (;;) {
            Result<std::optional<QByteArray>> f = takeFrame(buffer);
            if (!f)
                return std::nullopt;
            if (*f)
                return **f;
            if (clock.elapsed() > ms)
                return std::nullopt;
            if (!process.waitForReadyRead(100) && process.state() == QProcess::NotRunning && process.bytesAvailable() == 0)
                return std::nullopt;
            buffer += process.readAllStandardOutput();
        }
    }
    std::optional<Reply> ask(const Request &request, int ms = 20000)
    {
        process.write(frame(encodeRequest(request)));
        return replyWithin(ms);
    }
    std::optional<Reply> replyWithin(int ms)
    {
        const std::optional<QByteArray> f = frameWithin(ms);
        if (!f)
            return std::nullopt;
        Result<Reply> r = decodeReply(*f);
        return r ? std::optional<Reply>(*r) : std::nullopt;
    }
    QProcess process;
    QByteArray buffer;
};

RunRequest script(const QString &text, const QStringList &parameters, qint64 timeoutMs = 20000, const QByteArray &input = {})
{
    return RunRequest{CommandLine::shellScript(text, parameters), input, timeoutMs};
}

// Every process whose parent chain reaches PID (from /proc).
QList<int> descendants(int pid)
{
    QHash<int, int> parent;
    for (const QString &entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        bool ok = false;
        const int p = entry.toInt(&ok);
        if (!ok)
            continue;
        const QByteArray stat = testing::readAll(QStringLiteral("/proc/%1/stat").arg(p));
        const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 1)
            parent.insert(p, fields[1].toInt());
    }
    QList<int> out;
    for (auto it = parent.cbegin(); it != parent.cend(); ++it)
        for (int up = it.value(), hops = 0; up > 1 && hops < 64; up = parent.value(up, 0), ++hops)
            if (up == pid) {
                out << it.key();
                break;
            }
    return out;
}

bool anyAlive(const QList<int> &pids)
{
    for (int p : pids)
        if (::kill(p, 0) == 0 && !testing::readAll(QStringLiteral("/proc/%1/stat").arg(p)).contains(") Z "))
            return true;
    return false;
}

// Records what the host readers send on "This computer" (answers sendmail -bt with an MX
// answer so that the MX reader goes on to its second command).
class Recorder : public Transport {
public:
    QList<CommandLine> commands;
    QString hostName() const override { return QStringLiteral("recorder"); }
    QString describe() const override { return hostName(); }
    Result<CommandResult> run(const CommandLine &c, const QByteArray &, std::chrono::milliseconds) override
    {
        commands << c;
        CommandResult r;
        r.exitCode = 0;
        if (c.arguments.contains(QStringLiteral("-bt")))
            r.out = "ADDRESS TEST MODE\nParsing envelope recipient address\n"
                    "mailer esmtp, host stuck.test., user a@stuck.test\n"
                    "getmxrr(stuck.test) returns 1 value(s):\n\tmx.stuck.test.\n";
        return r;
    }
    void cancel() override {}
};

} // namespace

class TestPrivileged : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_tree;
    HostProfile m_profile;

    // A run of a command the policy refuses: a Refused reply naming why, nothing run.
    void expectRefused(HelperPeer &h, const CommandLine &c, const QString &because)
    {
        const std::optional<Reply> r = h.ask(RunRequest{c, {}, 5000});
        QVERIFY2(r, qPrintable(c.display()));
        QVERIFY2(r->kind == Reply::Kind::Refused, qPrintable(c.display() + QStringLiteral(" was not refused: ") + QString::fromUtf8(r->out)));
        QVERIFY2(r->message.contains(because), qPrintable(r->message));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(QFile::exists(Helper));
        m_tree = m_dir.path();
        QVERIFY(QDir().mkpath(m_tree + QStringLiteral("/etc/mail")));
        QVERIFY(testing::writeAll(m_tree + QStringLiteral("/etc/mail/access"), "Try_TLS:broken.test NO\n"));
        m_profile = profileById(QStringLiteral("tree"));
        m_profile.stateDir = m_tree + QStringLiteral("/var/lib/sendmail-tls");
        m_profile.snapshotDir = m_tree + QStringLiteral("/var/backups/sendmail-tls");
    }

    void helloThenRunsAKnownScript()
    {
        HelperPeer h(m_tree);
        QCOMPARE(h.frameWithin(10000), std::optional<QByteArray>(QByteArray(Hello)));
        const std::optional<Reply> r = h.ask(script(remotescript::ReadFiles, {QStringLiteral("1000"), m_tree + QStringLiteral("/etc/mail/access"),
                                                                               m_tree + QStringLiteral("/etc/mail/none")}));
        QVERIFY(r);
        QCOMPARE(r->kind, Reply::Kind::Ran);
        QCOMPARE(r->exitCode, 0);
        QCOMPARE(r->out, QByteArray("F 23\nTry_TLS:broken.test NO\nM\n"));
        // stdin reaches the command, and a second request works on the same helper.
        const std::optional<Reply> w = h.ask(script(remotescript::WriteFile, {m_tree + QStringLiteral("/etc/mail/written")}, 20000, "new bytes\n"));
        QVERIFY(w && w->kind == Reply::Kind::Ran);
        QCOMPARE(w->exitCode, 0);
        QCOMPARE(testing::readAll(m_tree + QStringLiteral("/etc/mail/written")), QByteArray("new bytes\n"));
    }

    void readsFilesInsideTheFoldersOnly()
    {
        HelperPeer h(m_tree);
        QVERIFY(h.frameWithin(10000));
        std::optional<Reply> r = h.ask(ReadRequest{m_tree + QStringLiteral("/etc/mail/access"), 1000});
        QVERIFY(r && r->kind == Reply::Kind::FileData && r->present);
        QCOMPARE(r->out, QByteArray("Try_TLS:broken.test NO\n"));
        r = h.ask(ReadRequest{m_tree + QStringLiteral("/etc/mail/missing"), 1000});
        QVERIFY(r && r->kind == Reply::Kind::FileData && !r->present);
        r = h.ask(ReadRequest{m_tree + QStringLiteral("/etc/mail/access"), 5});
        QVERIFY(r && r->kind == Reply::Kind::Failed);
        for (const QString &outside : {QStringLiteral("/etc/shadow"), m_tree + QStringLiteral("/etc/mail/../../../etc/shadow"),
                                       QStringLiteral("etc/shadow")}) {
            r = h.ask(ReadRequest{outside, 1000});
            QVERIFY2(r && r->kind == Reply::Kind::Refused, qPrintable(outside));
        }
    }

    void malformedFramesAreRefusedAndTheHelperGoesOn()
    {
        HelperPeer h(m_tree);
        QVERIFY(h.frameWithin(10000));
        // An unknown request type, a run request cut short inside, one with trailing bytes,
        // an argument count far beyond the frame, an empty program: each a clear refusal.
        QByteArray cut = encodeRequest(script(QStringLiteral("true"), {}));
        cut.chop(3);
        QByteArray huge("R\0\0\0\1\0\0\0\2sh\xff\xff\xff\xff", 15);
        for (const QByteArray &payload : {QByteArray("Zjunk"), cut, encodeRequest(ReadRequest{QStringLiteral("/x"), 1}) + "extra", huge,
                                          QByteArray(), encodeRequest(RunRequest{CommandLine{}, {}, 1000})}) {
            h.process.write(frame(payload));
            const std::optional<Reply> r = h.replyWithin(10000);
            QVERIFY2(r, payload.toHex().constData());
            QCOMPARE(r->kind, Reply::Kind::Refused);
            QVERIFY2(r->message.startsWith(QStringLiteral("malformed frame")), qPrintable(r->message));
        }
        // Random bytes in well-framed payloads, starting with each request type: a refusal each.
        QRandomGenerator random(14);
        for (int i = 0; i < 300; ++i) {
            QByteArray payload(random.bounded(0, 64), Qt::Uninitialized);
            for (char &c : payload)
                c = char(random.bounded(256));
            if (!payload.isEmpty() && i % 2)
                payload[0] = i % 4 == 1 ? 'R' : 'F';
            h.process.write(frame(payload));
            const std::optional<Reply> r = h.replyWithin(10000);
            QVERIFY2(r && r->kind == Reply::Kind::Refused, payload.toHex().constData());
        }
        // Still answering.
        const std::optional<Reply> r = h.ask(ReadRequest{m_tree + QStringLiteral("/etc/mail/access"), 1000});
        QVERIFY(r && r->kind == Reply::Kind::FileData);
    }

    void anOversizedFrameEndsTheHelperAtOnce()
    {
        HelperPeer h(m_tree);
        QVERIFY(h.frameWithin(10000));
        QElapsedTimer clock;
        clock.start();
        char length[4];
        qToBigEndian<quint32>(MaxFrameBytes + 1, length);
        h.process.write(length, 4);  // and nothing more: it must not wait for 80 MB
        const std::optional<Reply> r = h.replyWithin(5000);
        QVERIFY(r);
        QCOMPARE(r->kind, Reply::Kind::Failed);
        QVERIFY2(r->message.contains(QStringLiteral("malformed input")), qPrintable(r->message));
        QVERIFY(h.process.waitForFinished(5000));
        QCOMPARE(h.process.exitCode(), 3);
        QVERIFY(clock.elapsed() < 5000);
    }

    void aStreamCutInsideAFrameEndsTheHelper()
    {
        HelperPeer h(m_tree);
        QVERIFY(h.frameWithin(10000));
        h.process.write(frame(encodeRequest(script(QStringLiteral("true"), {}))).left(10));
        h.process.closeWriteChannel();
        QVERIFY(h.process.waitForFinished(5000));
        QCOMPARE(h.process.exitCode(), 3);
        QVERIFY(h.process.readAllStandardError().contains("ended inside a frame"));
    }

    void refusesProgramsAndArgumentsThePipelineNeverSends()
    {
        HelperPeer h(m_tree);
        QVERIFY(h.frameWithin(10000));
        const QString mail = m_tree + QStringLiteral("/etc/mail");
        expectRefused(h, CommandLine{QStringLiteral("cat"), {QStringLiteral("/etc/shadow")}}, QStringLiteral("not one of the programs"));
        expectRefused(h, CommandLine{QStringLiteral("bash"), {QStringLiteral("-c"), QStringLiteral("id")}}, QStringLiteral("not one of the programs"));
        expectRefused(h, CommandLine{QStringLiteral("/tmp/sendmail"), {QStringLiteral("-bt")}}, QStringLiteral("not in a system program folder"));
        expectRefused(h, CommandLine{QStringLiteral("sendmail"), {QStringLiteral("-X"), mail + QStringLiteral("/x")}}, QStringLiteral("option '-X'"));
        expectRefused(h, CommandLine{QStringLiteral("sendmail"), {QStringLiteral("-C"), QStringLiteral("/tmp/evil.cf"), QStringLiteral("-bt")}},
                      QStringLiteral("outside the mail folders"));
        expectRefused(h, CommandLine{QStringLiteral("sendmail"), {QStringLiteral("-C/tmp/evil.cf"), QStringLiteral("-bt")}},
                      QStringLiteral("not a plain absolute path"));
        expectRefused(h, CommandLine{QStringLiteral("systemctl"), {QStringLiteral("restart"), QStringLiteral("ssh")}}, QStringLiteral("only to restart sendmail"));
        expectRefused(h, CommandLine{QStringLiteral("service"), {QStringLiteral("sendmail"), QStringLiteral("stop")}}, QStringLiteral("only as the apply runs it"));
        expectRefused(h, CommandLine{QStringLiteral("make"), {QStringLiteral("-C"), QStringLiteral("/root")}}, QStringLiteral("outside the mail folders"));
        expectRefused(h, CommandLine{QStringLiteral("touch"), {QStringLiteral("--"), QStringLiteral("/etc/nologin")}}, QStringLiteral("outside the mail folders"));
        expectRefused(h, CommandLine{QStringLiteral("logger"), {QStringLiteral("-f"), QStringLiteral("/etc/shadow")}}, QStringLiteral("logger only as"));
        expectRefused(h, CommandLine{QStringLiteral("etckeeper"), {QStringLiteral("vcs"), QStringLiteral("push")}}, QStringLiteral("etckeeper only as"));
    }

    void refusesScriptsThatAreNotThePipelines()
    {
        HelperPeer h(m_tree);
        QVERIFY(h.frameWithin(10000));
        const QString mail = m_tree + QStringLiteral("/etc/mail");
        expectRefused(h, CommandLine::shellScript(QStringLiteral("id > \"$1\""), {mail + QStringLiteral("/x")}), QStringLiteral("not one of sendmail-tls's own"));
        // One of ours with a byte more is not ours.
        expectRefused(h, CommandLine::shellScript(remotescript::ReadFiles + QStringLiteral("id\n"), {QStringLiteral("1")}),
                      QStringLiteral("not one of sendmail-tls's own"));
        expectRefused(h, CommandLine{QStringLiteral("sh"), {QStringLiteral("-c"), remotescript::RemoveFile, QStringLiteral("x"), mail}},
                      QStringLiteral("sh only as"));
        // Ours, with data that reaches outside: a path, a path that climbs out, a relative word.
        expectRefused(h, CommandLine::shellScript(remotescript::ReadFiles, {QStringLiteral("1000"), QStringLiteral("/etc/shadow")}),
                      QStringLiteral("outside the mail folders"));
        expectRefused(h, CommandLine::shellScript(remotescript::RemoveFile, {mail + QStringLiteral("/../../../etc/passwd")}),
                      QStringLiteral("not a plain absolute path"));
        expectRefused(h, CommandLine::shellScript(remotescript::ReadFiles, {QStringLiteral("1000"), QStringLiteral("..")}),
                      QStringLiteral("relative"));
        // A sequence: another body, a shell inside, words it would not run, another program.
        const CommandLine restart{QStringLiteral("service"), {QStringLiteral("sendmail"), QStringLiteral("restart")}};
        CommandLine forged = CommandLine::sequence({restart});
        forged.arguments[1].replace(QStringLiteral("\"${1}\""), QStringLiteral("rm -rf /; \"${1}\""));
        expectRefused(h, forged, QStringLiteral("not a command sequence"));
        expectRefused(h, CommandLine::sequence({CommandLine::shellScript(QStringLiteral("id"))}), QStringLiteral("no shell script inside"));
        CommandLine extra = CommandLine::sequence({restart});
        extra.arguments << QStringLiteral("extra");
        expectRefused(h, extra, QStringLiteral("words it does not run"));
        expectRefused(h, CommandLine::sequence({CommandLine{QStringLiteral("reboot"), {}}}), QStringLiteral("not one of the programs"));
        expectRefused(h, CommandLine::sequence({restart}, QStringLiteral("id\n")), QStringLiteral("around the command sequence"));
        // A program as data of our scripts: makemap's script running something else.
        CommandLine otherProgram = profileById(QStringLiteral("debian")).buildMapCommand(QStringLiteral("hash"), mail + QStringLiteral("/a"), mail + QStringLiteral("/a"));
        otherProgram.arguments[3] = QStringLiteral("bash");
        expectRefused(h, otherProgram,
                      QStringLiteral("where makemap was expected"));
    }

    void acceptsWhatThePipelineSends()
    {
        // In-process: the policy says yes to the pipeline's real commands on /etc/mail (the
        // full apply through the helper is tst_privilegedapply).
        const PrivilegedPolicy policy(PrivilegedPolicy::systemFolders());
        for (const HostProfile &p : builtInProfiles()) {
            const HostWorkspace ws(p, QStringLiteral("1700000000-ab12"), [](const QString &s) { return s; });
            QList<CommandLine> activation{CommandLine{QStringLiteral("touch"), {QStringLiteral("--"), p.mcPath}}};
            for (const CommandLine &c : {p.rebuild, p.restart})
                if (!c.program.isEmpty())
                    activation << c;
            const QList<CommandLine> commands{
                ws.lockCommand(60, 30), ws.renewLockCommand(), ws.releaseLockCommand(),
                ws.checkAndSnapshotCommand({{QStringLiteral("/etc/mail/access"), QStringLiteral("-")}}, {ws.stagedPath(QStringLiteral("/etc/mail/access"))}),
                ws.installCommand({{QStringLiteral("/etc/mail/access"), ws.stagedPath(QStringLiteral("/etc/mail/access"))}}),
                ws.activateCommand(activation, {p.cfPath, QStringLiteral("/etc/mail/access.db")}),
                ws.healthCommand(QStringLiteral("127.0.0.1"), QStringLiteral("25"), p.pidFile, true, p.addressTestCommand(p.cfPath)),
                p.compileCommand(p.mcPath, ws.stagedPath(p.cfPath)),
                p.buildMapCommand(QStringLiteral("hash"), QStringLiteral("/etc/mail/access"), ws.stagedPath(QStringLiteral("/etc/mail/access"))),
                stateAfterCommand({p.cfPath}, {}, p.status),
                CommandLine{p.sendmail, {QStringLiteral("-qf"), QStringLiteral("-qI4B2Mk1aA012345")}},
                // The audit's (issue 14 item 5), whose text may hold anything, paths included.
                CommandLine{QStringLiteral("logger"), {QStringLiteral("-t"), QStringLiteral("sendmail-tls"), QStringLiteral("-p"),
                                                       QStringLiteral("mail.notice"), QStringLiteral("--"), QStringLiteral("apply /etc/mail/access ok")}},
                CommandLine{QStringLiteral("etckeeper"), {QStringLiteral("commit"), QStringLiteral("-m"), QStringLiteral("sendmail-tls: a/b")}},
            };
            for (const CommandLine &c : commands) {
                const Status s = policy.check(c);
                QVERIFY2(!s, qPrintable(p.id + QStringLiteral(": ") + c.display() + QStringLiteral(": ") + (s ? s->message : QString())));
            }
        }
        // What the readers send, with their real data, on the built-in profiles' paths.
        Recorder r;
        const HostProfile debian = profileById(QStringLiteral("debian"));
        (void)inspectHost(r, &debian);
        (void)readDeliveryLog(r, {QStringLiteral("4B2Mk1aA012345")});
        (void)readQueues(r, debian);
        (void)listHostSnapshots(r, debian);
        (void)removeHostSnapshots(r, debian, {QStringLiteral("1700000000-ab12")});
        (void)builtFileProblems(r, debian, MailConfig{});
        (void)lookupMxOnHost(r, debian, QStringLiteral("a@stuck.test"));
        (void)probeFromHost(r, QStringLiteral("mx.stuck.test"), 25, std::chrono::seconds(5));
        QVERIFY2(r.commands.size() >= 9, qPrintable(QString::number(r.commands.size())));
        // The MX reader got as far as its second command (the servers' addresses), after -bt.
        qsizetype bt = 0;
        while (bt < r.commands.size() && !r.commands[bt].arguments.contains(QStringLiteral("-bt")))
            ++bt;
        QVERIFY(bt + 1 < r.commands.size() && r.commands[bt + 1].program == QLatin1String("sh"));
        for (const CommandLine &c : std::as_const(r.commands)) {
            const Status s = policy.check(c);
            QVERIFY2(!s, qPrintable(c.display().left(200) + QStringLiteral(": ") + (s ? s->message : QString())));
        }
        // The readers' scripts were all collected (each kind at least once).
        const KnownScripts &known = KnownScripts::get();
        for (Script kind : {Script::Facts, Script::ReadLog, Script::ReadQueues, Script::RemoveSnapshots, Script::Health, Script::StateAfter})
            QVERIFY(known.scripts.values().contains(kind));
        QVERIFY2(known.scripts.size() >= 25, qPrintable(QString::number(known.scripts.size())));
        QVERIFY(known.activateAround.contains(QStringLiteral("run_sequence \"$@\"")));
    }

    void aCommandThatRunsTooLongIsStopped()
    {
        HelperPeer h(m_tree);
        QVERIFY(h.frameWithin(10000));
        // The apply lock held by someone else: lockCommand waits (sleep 1, again and again).
        const HostWorkspace ws(m_profile, QStringLiteral("1-aaaa"), [](const QString &s) { return s; });
        QVERIFY(QDir().mkpath(m_profile.stateDir + QStringLiteral("/lock")));
        QElapsedTimer clock;
        clock.start();
        const std::optional<Reply> r = h.ask(RunRequest{ws.lockCommand(60, 30), "{}", 1500});
        QVERIFY(r);
        QCOMPARE(r->kind, Reply::Kind::Failed);
        QVERIFY2(r->message.contains(QStringLiteral("timed out after 1 s")), qPrintable(r->message));
        QVERIFY2(clock.elapsed() < 4000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(descendants(int(h.process.processId())), QList<int>());
        QVERIFY(QDir().rmdir(m_profile.stateDir + QStringLiteral("/lock")));
    }

    void stoppingTheHelperMidCommandLeavesNoProcess_data()
    {
        QTest::addColumn<QString>("how");
        QTest::newRow("peer closes stdin (cancel)") << QStringLiteral("eof");
        QTest::newRow("SIGTERM") << QStringLiteral("term");
        QTest::newRow("SIGKILL") << QStringLiteral("kill");
    }
    void stoppingTheHelperMidCommandLeavesNoProcess()
    {
        QFETCH(QString, how);
        HelperPeer h(m_tree);
        QVERIFY(h.frameWithin(10000));
        const HostWorkspace ws(m_profile, QStringLiteral("1-aaaa"), [](const QString &s) { return s; });
        QVERIFY(QDir().mkpath(m_profile.stateDir + QStringLiteral("/lock")));
        h.process.write(frame(encodeRequest(RunRequest{ws.lockCommand(60, 30), "{}", 60000})));
        const int helper = int(h.process.processId());
        QList<int> running;
        QVERIFY(QTest::qWaitFor([&] { return !(running = descendants(helper)).isEmpty(); }, 5000));
        QElapsedTimer clock;
        clock.start();
        if (how == QLatin1String("eof"))
            h.process.closeWriteChannel();
        else
            ::kill(helper, how == QLatin1String("term") ? SIGTERM : SIGKILL);
        QVERIFY(h.process.waitForFinished(3000));
        QVERIFY(clock.elapsed() < 3000);
        // The script (its sh) at once; a `sleep 1` it started lives at most its second.
        QVERIFY2(QTest::qWaitFor([&] { return !anyAlive(running); }, 1500), qPrintable(how));
        QVERIFY(QDir().rmdir(m_profile.stateDir + QStringLiteral("/lock")));
    }

    // ElevatedTransport's end: one helper for many requests, refusals as errors, cancel from
    // another thread stops the running command at once. `env` stands in for pkexec.
    void theSessionKeepsOneHelperAndCancels()
    {
        qputenv("SMTLS_PRIVILEGED_TEST_FOLDERS", m_tree.toLocal8Bit());
        PrivilegedSession session(QStringLiteral("env"), Helper);
        for (int i = 0; i < 3; ++i) {
            const Result<CommandResult> r = session.run(CommandLine::shellScript(remotescript::ReadFiles, {QStringLiteral("100"), m_tree + QStringLiteral("/etc/mail/access")}),
                                                        {}, std::chrono::seconds(20));
            QVERIFY2(r && r->ok(), r ? r->err.constData() : qPrintable(r.error().message));
        }
        const Result<std::optional<QByteArray>> file = session.readFile(m_tree + QStringLiteral("/etc/mail/access"), 1000);
        QVERIFY(file && file->has_value());
        const Result<CommandResult> refused = session.run(CommandLine{QStringLiteral("id"), {}}, {}, std::chrono::seconds(5));
        QVERIFY(!refused);
        QCOMPARE(refused.error().kind, ErrorKind::Refused);
        QCOMPARE(session.starts(), 1);

        const HostWorkspace ws(m_profile, QStringLiteral("1-aaaa"), [](const QString &s) { return s; });
        QVERIFY(QDir().mkpath(m_profile.stateDir + QStringLiteral("/lock")));
        std::thread canceller([&session] {
            std::this_thread::sleep_for(std::chrono::milliseconds(700));
            session.cancel();
        });
        QElapsedTimer clock;
        clock.start();
        const Result<CommandResult> waited = session.run(ws.lockCommand(60, 30), "{}", std::chrono::seconds(60));
        canceller.join();
        QVERIFY(!waited);
        QCOMPARE(waited.error().kind, ErrorKind::Cancelled);
        QVERIFY2(clock.elapsed() < 4000, qPrintable(QString::number(clock.elapsed())));
        // Cancelled for good; and no process of the helper's is left (its children are ours).
        QVERIFY(!session.run(CommandLine{QStringLiteral("true"), {}}, {}, std::chrono::seconds(5)));
        QVERIFY(QTest::qWaitFor([] { return descendants(int(::getpid())).isEmpty(); }, 2000));
        QVERIFY(QDir().rmdir(m_profile.stateDir + QStringLiteral("/lock")));

        PrivilegedSession missing(QStringLiteral("env"), m_tree + QStringLiteral("/no-helper"));
        const Result<CommandResult> none = missing.run(CommandLine{QStringLiteral("true"), {}}, {}, std::chrono::seconds(5));
        QVERIFY(!none);
        QVERIFY2(none.error().message.contains(QStringLiteral("exit 127")), qPrintable(none.error().message));
        qunsetenv("SMTLS_PRIVILEGED_TEST_FOLDERS");
    }

    void takesNoArguments()
    {
        QProcess p;
        p.start(Helper, {QStringLiteral("--root"), QStringLiteral("/")});
        QVERIFY(p.waitForFinished(5000));
        QCOMPARE(p.exitCode(), 2);
    }

    void thePolkitActionIsWellFormed()
    {
        const QString policy = QStringLiteral(SMTLS_BIN_DIR "/../polkit/org.sendmailtls.privileged.policy");
        const QByteArray text = testing::readAll(policy);
        QVERIFY(text.contains("<allow_active>auth_admin_keep</allow_active>"));
        QVERIFY(text.contains("<allow_any>auth_admin</allow_any>"));
        QVERIFY(text.contains("org.freedesktop.policykit.exec.path\">/"));
        QVERIFY(text.contains("/sendmail-tls/sendmail-tls-privileged</annotate>"));
        if (QStandardPaths::findExecutable(QStringLiteral("xmllint")).isEmpty())
            QSKIP("xmllint not installed (installer/setup.sh test installs libxml2-utils)");
        QProcess lint;
        lint.start(QStringLiteral("xmllint"), {QStringLiteral("--noout"), policy});
        QVERIFY(lint.waitForFinished(10000));
        QVERIFY2(lint.exitCode() == 0, lint.readAllStandardError().constData());
    }
};

QTEST_GUILESS_MAIN(TestPrivileged)
#include "tst_privileged.moc"
