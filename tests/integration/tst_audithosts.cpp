// Audit on the host (issue 14 item 5), on a real test host over SSH (root, integration; skipped
// otherwise): every apply, undo and expiry leaves ONE line in the host's syslog — the test
// hosts' /dev/log sink writes the mail facility to their own /var/log/mail.log, where sendmail's
// lines go too — and, with /etc under etckeeper (initialised in the host's private /etc: an
// overlay, see tests/hosts/testhosts), one commit per change with the change as message. A dry
// run writes nothing; a rolled back apply is logged with its cause and not committed; a hostile
// description stays one escaped line; a host without a working logger gets a warning, and the
// change still applies.
// etckeeper is the real package's, unpacked by installer/setup.sh into the build tree and never
// installed on this machine (its postinst would put this machine's /etc under git): testhosts
// puts it into the host (TESTHOSTS_ETCKEEPER). Without it the etckeeper checks are skipped with
// a reason, except in CI (CI=true), where that is a failure: a check skipped there is worthless.
#include "InvokingUser.h"
#include "MailHosts.h"
#include "TestHosts.h"
#include "apply/ApplyPipeline.h"
#include "apply/AuditTrail.h"
#include "apply/HostInspector.h"
#include "Destination.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace smtls;
using smtls::testing::MailHosts;

namespace {

struct Run : smtls::testing::MailHosts::CliRun {
    QJsonObject host() const
    {
        return QJsonDocument::fromJson(out).object().value(QStringLiteral("hosts")).toArray().first().toObject();
    }
    QString stepState(const QString &name) const
    {
        for (const QJsonValue &s : host().value(QStringLiteral("steps")).toArray())
            if (s.toObject().value(QStringLiteral("step")).toString() == name)
                return s.toObject().value(QStringLiteral("state")).toString();
        return {};
    }
};

} // namespace

class AuditHostsTest : public QObject {
    Q_OBJECT
    MailHosts m_hosts;
    QString m_skip;
    QTemporaryDir m_home;
    bool m_etckeeper = false;
    QString m_noEtckeeper;  // why the etckeeper checks cannot run

    Run cli(const QStringList &arguments) { return {m_hosts.runCli({1}, m_home.path(), arguments)}; }
    QString inHost(const QString &script)
    {
        QString out;
        const int code = m_hosts.exec(1, script, &out);
        if (code != 0)
            qWarning("in host: %s -> %d: %s", qPrintable(script), code, qPrintable(out));
        return out.trimmed();
    }
    // The host's mail log lines from our tag, after FROM characters.
    QStringList auditLines(qsizetype from) const
    {
        QStringList out;
        for (const QString &l : m_hosts.mailLog(1).mid(from).split(QLatin1Char('\n')))
            if (l.contains(QStringLiteral(" sendmail-tls: ")))
                out << l;
        if (qEnvironmentVariableIsSet("SMTLS_TEST_VERBOSE"))
            for (const QString &l : out)
                qDebug("%s", qPrintable(l));
        return out;
    }
    qsizetype logSize() const { return m_hosts.mailLog(1).size(); }
    int commits() { return m_etckeeper ? inHost(QStringLiteral("git -C /etc rev-list --count HEAD")).toInt() : 0; }
    QString lastCommitMessage() { return inHost(QStringLiteral("git -C /etc log -1 --format=%B")); }

    // Who and where, as the line says them for an apply from this process.
    // Where installer/setup.sh unpacks the etckeeper package (build/test-tools/etckeeper).
    static QString unpackedEtckeeper() { return QDir::cleanPath(QStringLiteral(SMTLS_BIN_DIR "/../test-tools/etckeeper")); }
    static bool inCi()
    {
        const QByteArray ci = qgetenv("CI");
        return !ci.isEmpty() && ci != "false" && ci != "0";
    }

    QString whoAndWhere() const
    {
        return QStringLiteral("user=%1 login=root from=%2").arg(invokingUser(), QSysInfo::machineHostName());
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!qEnvironmentVariableIsSet("TESTHOSTS_ETCKEEPER") && QFileInfo(unpackedEtckeeper() + QStringLiteral("/usr/bin/etckeeper")).isExecutable())
            qputenv("TESTHOSTS_ETCKEEPER", QFile::encodeName(unpackedEtckeeper()));
        const bool unpacked = qEnvironmentVariableIsSet("TESTHOSTS_ETCKEEPER");
        m_skip = m_hosts.up(1);
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        // etckeeper in host 1's own /etc (the machine's repository, if any, is hidden there): the
        // unpacked one (in /usr/local/bin there), else outside CI the machine's if it has one.
        if (!unpacked && inCi()) {
            m_noEtckeeper = QStringLiteral("no etckeeper unpacked in %1 (installer/setup.sh test unpacks it)").arg(unpackedEtckeeper());
            return;
        }
        QString out;
        const QString which = unpacked ? QStringLiteral("[ \"$(command -v etckeeper)\" = /usr/local/bin/etckeeper ]")
                                       : QStringLiteral("command -v etckeeper >/dev/null");
        m_etckeeper = m_hosts.exec(1, which + QStringLiteral(" && etckeeper init >/dev/null && etckeeper commit -m 'before the test' >/dev/null"),
                                   &out) == 0;
        if (!m_etckeeper)
            m_noEtckeeper = unpacked ? QStringLiteral("the unpacked etckeeper (%1) does not work in the test host: %2")
                                           .arg(qEnvironmentVariable("TESTHOSTS_ETCKEEPER"), out.trimmed().section(QLatin1Char('\n'), -3))
                                     : QStringLiteral("no etckeeper: installer/setup.sh test (or deps) unpacks it into %1").arg(unpackedEtckeeper());
    }
    void cleanupTestCase()
    {
        if (m_skip.isEmpty()) {
            m_hosts.exec(1, QStringLiteral("rm -rf /etc/.git /etc/.etckeeper /etc/.gitignore"));
            m_hosts.down();
        }
    }

    // First, so that the reason shows before the checks that go without it.
    void etckeeper_inTheHost()
    {
        if (m_noEtckeeper.isEmpty())
            return;
        if (inCi())
            QFAIL(qPrintable(m_noEtckeeper));
        QSKIP(qPrintable(m_noEtckeeper + QStringLiteral("; the etckeeper checks of this test are skipped")));
    }

    void setThenUndo_oneLineAndOneCommitEach()
    {
        qsizetype from = logSize();
        const int before = commits();
        const Run set = cli({QStringLiteral("set"), QStringLiteral("destination"), QStringLiteral("mx.audit-a.test"), QStringLiteral("off"),
                             QStringLiteral("--json")});
        QVERIFY2(set.code == 0, (set.out + set.err).constData());
        const QString id = set.host().value(QStringLiteral("snapshot")).toString();
        QVERIFY(!id.isEmpty());
        QCOMPARE(set.stepState(QStringLiteral("audit")), QStringLiteral("ok"));
        if (qEnvironmentVariableIsSet("SMTLS_TEST_VERBOSE"))
            for (const QJsonValue &s : set.host().value(QStringLiteral("steps")).toArray())
                qDebug("step %s %d ms: %s", qPrintable(s[QStringLiteral("step")].toString()), s[QStringLiteral("ms")].toInt(),
                       qPrintable(s[QStringLiteral("message")].toString()));
        QStringList lines = auditLines(from);
        QCOMPARE(lines.size(), 1);
        // "Dec  2 10:30:48 mta1 sendmail-tls: outcome=applied …"
        QVERIFY2(lines.first().contains(QStringLiteral(" mta1 sendmail-tls: outcome=applied kind=destination ") + whoAndWhere()
                                        + QStringLiteral(" files=/etc/mail/access snapshot=") + id
                                        + QStringLiteral(" host-snapshot=/var/backups/sendmail-tls/")),
                 qPrintable(lines.first()));
        QVERIFY2(lines.first().endsWith(QStringLiteral(" change=\"set destination mx.audit-a.test off\"")), qPrintable(lines.first()));
        if (m_etckeeper) {
            QCOMPARE(commits(), before + 1);
            QCOMPARE(lastCommitMessage(),
                     QStringLiteral("sendmail-tls: set destination mx.audit-a.test off (destination by %1 as root from %2, snapshot %3)")
                         .arg(invokingUser(), QSysInfo::machineHostName(), id));
            const QString files = inHost(QStringLiteral("git -C /etc show --name-only --format= HEAD"));
            QVERIFY2(files.split(QLatin1Char('\n')).contains(QStringLiteral("mail/access")), qPrintable(files));
        }

        // Undo (rollback ID): its own line and commit.
        from = logSize();
        const Run undo = cli({QStringLiteral("rollback"), id, QStringLiteral("--json")});
        QVERIFY2(undo.code == 0, (undo.out + undo.err).constData());
        lines = auditLines(from);
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines.first().contains(QStringLiteral("sendmail-tls: outcome=applied kind=undo ") + whoAndWhere()), qPrintable(lines.first()));
        QVERIFY2(lines.first().contains(QStringLiteral("change=\"undo snapshot ") + id), qPrintable(lines.first()));
        if (m_etckeeper) {
            QCOMPARE(commits(), before + 2);
            QVERIFY2(lastCommitMessage().startsWith(QStringLiteral("sendmail-tls: undo snapshot ") + id), qPrintable(lastCommitMessage()));
        }
    }

    void dryRunAndNothingToDo_writeNothing()
    {
        const qsizetype from = logSize();
        const int before = commits();
        const Run dry = cli({QStringLiteral("set"), QStringLiteral("destination"), QStringLiteral("mx.audit-dry.test"), QStringLiteral("off"),
                             QStringLiteral("--dry-run")});
        QVERIFY2(dry.code == 0, (dry.out + dry.err).constData());
        QVERIFY(dry.out.contains("mx.audit-dry.test"));
        // `expire` with nothing expired (what a timer does every hour) changes nothing: no line.
        const Run expire = cli({QStringLiteral("expire")});
        QVERIFY2(expire.code == 0, (expire.out + expire.err).constData());
        QCOMPARE(auditLines(from), QStringList());
        QCOMPARE(commits(), before);
    }

    void expiry_loggedAndCommitted()
    {
        const Run set = cli({QStringLiteral("set"), QStringLiteral("destination"), QStringLiteral("mx.audit-exp.test"), QStringLiteral("off"),
                             QStringLiteral("--expires"), QStringLiteral("1h")});
        QVERIFY2(set.code == 0, (set.out + set.err).constData());
        // An hour is long: the note's end moved to the past, as if the hour had gone by.
        inHost(QStringLiteral("sed -i 's/(expires [0-9T:Z-]*)/(expires 2020-01-01T00:00:00Z)/' /etc/mail/access"));
        QVERIFY(m_hosts.file(1, QStringLiteral("access")).contains("(expires 2020-01-01T00:00:00Z)"));
        const qsizetype from = logSize();
        const int before = commits();
        const Run expire = cli({QStringLiteral("expire"), QStringLiteral("--json")});
        QVERIFY2(expire.code == 0, (expire.out + expire.err).constData());
        QCOMPARE(expire.host().value(QStringLiteral("outcome")).toString(), QStringLiteral("applied"));
        QVERIFY(!m_hosts.file(1, QStringLiteral("access")).contains("mx.audit-exp.test"));
        const QStringList lines = auditLines(from);
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines.first().contains(QStringLiteral("sendmail-tls: outcome=applied kind=expire ") + whoAndWhere()), qPrintable(lines.first()));
        if (m_etckeeper) {
            QCOMPARE(commits(), before + 1);
            QVERIFY2(lastCommitMessage().startsWith(QStringLiteral("sendmail-tls: ")), qPrintable(lastCommitMessage()));
            QVERIFY2(lastCommitMessage().contains(QStringLiteral("(expire by ")), qPrintable(lastCommitMessage()));
        }
    }

    void rolledBack_loggedWithItsCause_notCommitted()
    {
        QVERIFY(m_hosts.breakRestart(1, QStringLiteral("on")));
        const qsizetype from = logSize();
        const int before = commits();
        const Run r = cli({QStringLiteral("set"), QStringLiteral("global"), QStringLiteral("off"), QStringLiteral("--via"),
                           QStringLiteral("client-options"), QStringLiteral("--json")});
        const QString restored = m_hosts.restore(1);
        QVERIFY2(restored.isEmpty(), qPrintable(restored));
        QVERIFY2(r.code != 0, (r.out + r.err).constData());
        QCOMPARE(r.host().value(QStringLiteral("outcome")).toString(), QStringLiteral("rolled back"));
        const QStringList lines = auditLines(from);
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines.first().contains(QStringLiteral("sendmail-tls: outcome=\"rolled back\" kind=global ") + whoAndWhere()),
                 qPrintable(lines.first()));
        QVERIFY2(lines.first().contains(QStringLiteral(" cause=\"")) && lines.first().contains(QStringLiteral("restart")),
                 qPrintable(lines.first()));
        QCOMPARE(commits(), before);
    }

    void hostileDescription_oneEscapedBoundedLine()
    {
        auto c = m_hosts.connect(QStringLiteral("mta1"));
        QVERIFY2(c, qPrintable(c ? QString() : c.error().describe()));
        const Result<HostDetails> details = inspectHost(**c);
        QVERIFY(details);
        const QString hostile = QStringLiteral("add a line\nDec  2 10:00:00 mta1 sendmail-tls: outcome=applied user=root forged\r\x1b[31m")
            + QString::fromUtf8("\u202E") + QString(20000, QLatin1Char('x'));
        const Change change = Change::custom(hostile, [](const MailConfig &config) -> Result<ConfigChange> {
            ConfigChange out = unchangedConfig(config);
            out.access.after += "Try_TLS:mx.audit-hostile.test\tNO\n";
            return out;
        });
        const qsizetype from = logSize();
        const int before = commits();
        const ApplyReport r = applyChange(**c, details->detectedProfile, ApplyRequest{change, QStringLiteral("mallory\nroot")});
        QVERIFY2(r.outcome == ApplyOutcome::Applied, qPrintable(r.summary));
        const QStringList lines = auditLines(from);
        QCOMPARE(lines.size(), 1);  // the newline in the description did not make a second one
        const QString line = lines.first();
        QVERIFY2(line.contains(QStringLiteral(" user=mallory\\x0aroot ")), qPrintable(line));
        QVERIFY2(line.contains(QStringLiteral("change=\"add a line\\x0aDec  2 10:00:00 mta1 sendmail-tls: outcome=applied user=root "
                                              "forged\\x0d\\x1b[31m\\u{202e}xxx")),
                 qPrintable(line));
        QVERIFY(line.section(QStringLiteral(" sendmail-tls: "), 1).toUtf8().size() <= MaxAuditLineBytes);
        for (const QChar ch : line)
            QVERIFY(ch.unicode() >= 0x20 && ch.unicode() != 0x7f && ch.unicode() != 0x202e);
        if (m_etckeeper) {
            QCOMPARE(commits(), before + 1);
            QCOMPARE(lastCommitMessage().count(QLatin1Char('\n')), 0);
            QVERIFY(lastCommitMessage().startsWith(QStringLiteral("sendmail-tls: add a line\\x0aDec  2")));
        }
        QVERIFY(m_hosts.restore(1).isEmpty());
    }

    // A non-root login: logger and etckeeper run through sudo; the line names the login, and
    // etckeeper makes the sudo caller the commit's author.
    void sudoLogin_namedInTheLineAndAsTheAuthor()
    {
        auto c = m_hosts.connect(QStringLiteral("mta1-adm"));
        QVERIFY2(c, qPrintable(c ? QString() : c.error().describe()));
        const Result<HostDetails> details = inspectHost(**c);
        QVERIFY(details);
        const qsizetype from = logSize();
        const int before = commits();
        const ApplyReport r = applyChange(
            **c, details->detectedProfile,
            ApplyRequest{Change::destination(*parseDestination(QStringLiteral("mx.audit-sudo.test")), TlsSetting::Off), QStringLiteral("dave")});
        QVERIFY2(r.outcome == ApplyOutcome::Applied, qPrintable(r.summary));
        const QStringList lines = auditLines(from);
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines.first().contains(QStringLiteral("sendmail-tls: outcome=applied kind=destination user=dave login=mailadm from=")),
                 qPrintable(lines.first()));
        if (m_etckeeper) {
            QCOMPARE(commits(), before + 1);
            QCOMPARE(inHost(QStringLiteral("git -C /etc log -1 --format=%an")), QStringLiteral("mailadm"));
        }
        QVERIFY(m_hosts.restore(1).isEmpty());
    }

    void refusedAtTheLock_loggedWithItsCause()
    {
        auto c = m_hosts.connect(QStringLiteral("mta1"));
        QVERIFY2(c, qPrintable(c ? QString() : c.error().describe()));
        const Result<HostDetails> details = inspectHost(**c);
        QVERIFY(details);
        // Another apply holds the lock (fresh: not stale), and we wait one second for it.
        const QString lock = details->detectedProfile.stateDir + QStringLiteral("/lock");
        QVERIFY(m_hosts.exec(1, QStringLiteral("mkdir -p '%1' && echo '{\"user\":\"bob\",\"client\":\"ws2\"}' > '%1/owner'").arg(lock)) == 0);
        ApplyOptions how;
        how.lockWait = std::chrono::seconds(1);
        const qsizetype from = logSize();
        const int before = commits();
        const ApplyReport r = applyChange(**c, details->detectedProfile,
                                          ApplyRequest{Change::destination(*parseDestination(QStringLiteral("mx.audit-lock.test")), TlsSetting::Off),
                                                       QStringLiteral("carol")},
                                          how);
        m_hosts.exec(1, QStringLiteral("rm -rf '%1'").arg(lock));
        QVERIFY2(r.outcome == ApplyOutcome::Refused, qPrintable(r.summary));
        const QStringList lines = auditLines(from);
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines.first().contains(QStringLiteral("sendmail-tls: outcome=refused kind=destination user=carol login=root from=")),
                 qPrintable(lines.first()));
        QVERIFY2(lines.first().contains(QStringLiteral("change=\"set destination mx.audit-lock.test off\" cause=\"another apply holds "
                                                       "this host's lock")),
                 qPrintable(lines.first()));
        QCOMPARE(commits(), before);
    }

    void brokenLogger_aWarning_theChangeStillApplies()
    {
        // logger that fails, in host 1 only (its own mount namespace).
        QVERIFY(m_hosts.exec(1, QStringLiteral("mount --bind /bin/false \"$(command -v logger)\"")) == 0);
        const qsizetype from = logSize();
        const int before = commits();
        const Run r = cli({QStringLiteral("set"), QStringLiteral("destination"), QStringLiteral("mx.audit-nolog.test"), QStringLiteral("off"),
                           QStringLiteral("--json")});
        m_hosts.exec(1, QStringLiteral("umount \"$(command -v logger)\""));
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        QCOMPARE(r.host().value(QStringLiteral("outcome")).toString(), QStringLiteral("applied"));
        QCOMPARE(r.stepState(QStringLiteral("audit")), QStringLiteral("skipped"));
        const QStringList notes = r.host().value(QStringLiteral("notes")).toVariant().toStringList();
        QVERIFY2(notes.filter(QStringLiteral("warning: no audit line in the host's syslog: logger failed or is missing")).size() == 1,
                 qPrintable(notes.join(QLatin1Char('\n'))));
        QCOMPARE(auditLines(from), QStringList());
        if (m_etckeeper)
            QCOMPARE(commits(), before + 1);  // the etckeeper commit does not depend on the log
        QVERIFY(m_hosts.restore(1).isEmpty());
    }
};

int main(int argc, char **argv)
{
    smtls::testing::TestHosts::enterPrivateNetwork(argc, argv);
    QCoreApplication app(argc, argv);
    AuditHostsTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_audithosts.moc"
