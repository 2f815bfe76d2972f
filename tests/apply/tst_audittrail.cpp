// The audit line and the etckeeper commit message (AuditTrail.h): the fields and their order,
// hostile text made one bounded printable line, the commands as argument lists, and what
// writeAudit does with a host whose logger is missing or whose etckeeper fails (a fake host
// that answers like them: exit 127 from sh, exit 1 from git's "nothing to commit").
#include "Destination.h"
#include "TestFiles.h"
#include "apply/ApplyPipeline.h"
#include "apply/AuditTrail.h"
#include "transport/LocalTransport.h"
#include "transport/Transport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace smtls;

namespace {

AuditEntry sampleEntry()
{
    AuditEntry e;
    e.outcome = QStringLiteral("applied");
    e.kind = QStringLiteral("destination");
    e.change = QStringLiteral("set destination mx.example.com off");
    e.files = {QStringLiteral("/etc/mail/access")};
    e.snapshot = QStringLiteral("20261202-101500-mta1");
    e.hostSnapshot = QStringLiteral("/var/lib/sendmail-tls/snapshots/20261202101500123-0a1b");
    e.user = QStringLiteral("alice");
    e.login = QStringLiteral("root");
    e.from = QStringLiteral("ws1.example.org");
    return e;
}

// Answers each command by its program (and a script by a word in it); records what ran.
class FakeHost : public Transport {
public:
    QMap<QString, CommandResult> answers;
    QList<CommandLine> ran;
    QString hostName() const override { return QStringLiteral("fake"); }
    QString describe() const override { return QStringLiteral("fake host"); }
    Result<CommandResult> run(const CommandLine &command, const QByteArray &, std::chrono::milliseconds) override
    {
        ran << command;
        const QString key = command.program == QLatin1String("sh") || command.program == QLatin1String("/bin/sh")
            ? QStringLiteral("etckeeper-state") : command.program;
        return answers.value(key, CommandResult{0, {}, {}});
    }
    void cancel() override {}
};

bool printable(const QString &line)
{
    for (const uint c : line.toUcs4())
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029 || c == 0x202e || c == 0x200b)
            return false;
    return true;
}

// key=value pairs, values optionally in double quotes with backslash escapes; a quoted value
// cut by the length bound ends the line.
QList<QPair<QString, QString>> logfmt(const QString &line)
{
    QList<QPair<QString, QString>> out;
    qsizetype i = 0;
    while (i < line.size()) {
        const qsizetype eq = line.indexOf(QLatin1Char('='), i);
        if (eq < 0)
            break;
        const QString key = line.mid(i, eq - i);
        QString value;
        i = eq + 1;
        if (i < line.size() && line.at(i) == QLatin1Char('"')) {
            for (++i; i < line.size() && line.at(i) != QLatin1Char('"'); ++i) {
                if (line.at(i) == QLatin1Char('\\') && i + 1 < line.size())
                    ++i;
                value += line.at(i);
            }
            ++i;
        } else {
            while (i < line.size() && line.at(i) != QLatin1Char(' '))
                value += line.at(i++);
        }
        out.append({key, value});
        while (i < line.size() && line.at(i) == QLatin1Char(' '))
            ++i;
    }
    return out;
}

} // namespace

class AuditTrailTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void line_fieldsInOrder_shortOnesFirst()
    {
        QCOMPARE(auditLine(sampleEntry()),
                 QStringLiteral("outcome=applied kind=destination user=alice login=root from=ws1.example.org "
                                "files=/etc/mail/access snapshot=20261202-101500-mta1 "
                                "host-snapshot=/var/lib/sendmail-tls/snapshots/20261202101500123-0a1b "
                                "change=\"set destination mx.example.com off\""));
        AuditEntry failed = sampleEntry();
        failed.outcome = QStringLiteral("rolled back");
        failed.cause = QStringLiteral("sendmail: restart failed");
        failed.snapshot.clear();
        failed.hostSnapshot.clear();
        failed.login.clear();
        QCOMPARE(auditLine(failed),
                 QStringLiteral("outcome=\"rolled back\" kind=destination user=alice from=ws1.example.org files=/etc/mail/access "
                                "change=\"set destination mx.example.com off\" cause=\"sendmail: restart failed\""));
    }

    void safe_escapesControlAndInvisibleCharacters()
    {
        QCOMPARE(auditSafe(QStringLiteral("a\nb\rc\td\x1b[2J"), 100), QStringLiteral("a\\x0ab\\x0dc\\x09d\\x1b[2J"));
        QCOMPARE(auditSafe(QStringLiteral("say \"hi\" \\ bye"), 100), QStringLiteral("say \\\"hi\\\" \\\\ bye"));
        QCOMPARE(auditSafe(QString::fromUtf8("x\u2028y\u202Ez\u200B\u0085"), 100), QStringLiteral("x\\u{2028}y\\u{202e}z\\u{200b}\\x85"));
        QCOMPARE(auditSafe(QString::fromUtf8("Grüße, 東京 ✓"), 100), QString::fromUtf8("Grüße, 東京 ✓"));  // printable stays
    }

    void safe_cutsWithDots_neverInsideAnEscape()
    {
        QCOMPARE(auditSafe(QStringLiteral("abcde"), 5), QStringLiteral("abcde"));
        QCOMPARE(auditSafe(QStringLiteral("abcdef"), 5), QStringLiteral("ab..."));
        QCOMPARE(auditSafe(QStringLiteral("ab\n\n"), 7), QStringLiteral("ab..."));
        QCOMPARE(auditSafe(QString(1'000'000, QLatin1Char('x')), 240).size(), 240);
    }

    void hostileChange_oneBoundedLine_outcomeAndWhoKept()
    {
        AuditEntry e = sampleEntry();
        e.change = QStringLiteral("set destination x off\nDec  2 10:00:00 mta1 sendmail-tls: outcome=applied user=root\r\x1b]0;owned\x07")
            + QString::fromUtf8("\u202Edeilppa") + QString(50'000, QLatin1Char('A'));
        e.cause = QString(50'000, QChar(0x6771));  // 東… : 3 bytes each in UTF-8
        e.outcome = QStringLiteral("failed");
        const QString line = auditLine(e);
        QVERIFY2(printable(line), qPrintable(line));
        QVERIFY(line.toUtf8().size() <= MaxAuditLineBytes);
        QVERIFY(line.startsWith(QStringLiteral("outcome=failed kind=destination user=alice login=root from=ws1.example.org ")));
        QVERIFY(line.contains(QStringLiteral("change=\"set destination x off\\x0aDec  2 10:00:00 mta1 sendmail-tls: outcome=applied "
                                             "user=root\\x0d\\x1b]0;owned\\x07\\u{202e}deilppaAAA")));
        QVERIFY(line.endsWith(QStringLiteral("...")));
        // The forged text stays inside the quoted change value: read as logfmt, the line has one
        // outcome, and no field after the change.
        const QList<QPair<QString, QString>> fields = logfmt(line);
        QStringList keys;
        for (const auto &f : fields)
            keys << f.first;
        QCOMPARE(keys, (QStringList{QStringLiteral("outcome"), QStringLiteral("kind"), QStringLiteral("user"), QStringLiteral("login"),
                                    QStringLiteral("from"), QStringLiteral("files"), QStringLiteral("snapshot"),
                                    QStringLiteral("host-snapshot"), QStringLiteral("change"), QStringLiteral("cause")}));
        QCOMPARE(fields.first().second, QStringLiteral("failed"));
    }

    void etckeeperMessage_oneLine()
    {
        QCOMPARE(etckeeperMessage(sampleEntry()),
                 QStringLiteral("sendmail-tls: set destination mx.example.com off (destination by alice as root from ws1.example.org, "
                                "snapshot 20261202-101500-mta1)"));
        AuditEntry e = sampleEntry();
        e.change = QStringLiteral("a\nb") + QString(5000, QLatin1Char('c'));
        const QString m = etckeeperMessage(e);
        QVERIFY(printable(m));
        QVERIFY(m.toUtf8().size() <= MaxAuditLineBytes);
    }

    void commands_areArgumentLists()
    {
        const QString line = QStringLiteral("-p kern.emerg $(reboot) `id`; rm -rf /");
        const CommandLine logger = auditLoggerCommand(line);
        QCOMPARE(logger.program, QStringLiteral("logger"));
        QCOMPARE(logger.arguments, (QStringList{QStringLiteral("-t"), QStringLiteral("sendmail-tls"), QStringLiteral("-p"),
                                                QStringLiteral("mail.notice"), QStringLiteral("--"), line}));
        const CommandLine commit = etckeeperCommitCommand(line);
        QCOMPARE(commit.program, QStringLiteral("etckeeper"));
        QCOMPARE(commit.arguments, (QStringList{QStringLiteral("commit"), QStringLiteral("-m"), line}));
        // the state script is constant: no data in it
        QCOMPARE(etckeeperStateCommand(), etckeeperStateCommand());
        QVERIFY(etckeeperStateCommand().display().contains(QStringLiteral("etckeeper unclean")));
    }

    void missingLogger_isAWarning_andNoEtckeeperWithoutACommit()
    {
        FakeHost host;
        host.answers[QStringLiteral("logger")] = CommandResult{127, {}, "sh: 1: logger: not found\n"};
        const AuditWritten w = writeAudit(host, sampleEntry(), false);
        QVERIFY(!w.lineWritten);
        QCOMPARE(w.warnings.size(), 1);
        QVERIFY2(w.warnings.first().contains(QStringLiteral("logger failed or is missing (exit 127): sh: 1: logger: not found")),
                 qPrintable(w.warnings.first()));
        QCOMPARE(host.ran.size(), 1);
    }

    void etckeeper_absentCleanUnclean_andFailing()
    {
        for (const auto &[state, commits] : {std::pair{"absent", false}, std::pair{"clean", false}, std::pair{"unclean", true}}) {
            FakeHost host;
            host.answers[QStringLiteral("etckeeper-state")] = CommandResult{0, QByteArray(state) + "\n", {}};
            const AuditWritten w = writeAudit(host, sampleEntry(), true);
            QVERIFY2(w.warnings.isEmpty(), qPrintable(w.warnings.join(QLatin1Char('\n'))));
            QVERIFY(w.lineWritten);
            QCOMPARE(host.ran.size(), commits ? 3 : 2);
            if (commits) {
                QCOMPARE(host.ran.last(), etckeeperCommitCommand(etckeeperMessage(sampleEntry())));
                QCOMPARE(w.said, QStringLiteral("one line in the host's syslog (mail.notice, tag sendmail-tls); committed to etckeeper"));
            }
        }
        FakeHost host;
        host.answers[QStringLiteral("etckeeper-state")] = CommandResult{0, "unclean\n", {}};
        host.answers[QStringLiteral("etckeeper")] = CommandResult{1, {}, "fatal: unable to write new index file\n"};
        const AuditWritten w = writeAudit(host, sampleEntry(), true);
        QVERIFY(w.lineWritten);
        QCOMPARE(w.warnings, QStringList{QStringLiteral("warning: etckeeper commit failed (exit 1): fatal: unable to write new index file")});
    }

    // A --root tree is not a host: its /etc and syslog would be this computer's. An edit-only
    // apply on one (no tools needed) has no audit step and runs neither logger nor etckeeper.
    void treeUnderARoot_noAuditStep()
    {
        QTemporaryDir dir;
        QDir().mkpath(dir.filePath(QStringLiteral("etc/mail")));
        for (const char *name : {"sendmail.mc", "access"})
            QVERIFY(QFile::copy(testing::demoTree() + QStringLiteral("/etc/mail/") + QLatin1String(name),
                                dir.filePath(QStringLiteral("etc/mail/")) + QLatin1String(name)));
        LocalTransport tree(dir.path(), QStringLiteral("tree"));
        ApplyRequest request{Change::destination(*parseDestination(QStringLiteral("mx.audit-tree.test")), TlsSetting::Off),
                             QStringLiteral("test")};
        request.editOnly = true;
        const ApplyReport r = applyChange(tree, profileById(QStringLiteral("tree")), request);
        QVERIFY2(r.outcome == ApplyOutcome::Applied, qPrintable(reportText(r)));
        QVERIFY(!r.find(Step::Audit));
        for (const CommandLogEntry &c : r.allCommands())
            QVERIFY2(!c.command.startsWith(QStringLiteral("logger")) && !c.command.contains(QStringLiteral("etckeeper")), qPrintable(c.command));
    }
};

QTEST_GUILESS_MAIN(AuditTrailTest)
#include "tst_audittrail.moc"
