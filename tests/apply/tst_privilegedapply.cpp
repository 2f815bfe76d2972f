// One authentication per apply on "This computer": a full apply through ElevatedTransport, as
// the desktop application makes it for a user who is not root, with a fake pkexec on PATH that
// counts its starts and runs the helper (pointed at a temporary tree) without asking. One
// apply = one start, whatever it runs; without the helper (today's fallback) every command is
// its own start.
#include "apply/ApplyPipeline.h"
#include "transport/ElevatedTransport.h"
#include "transport/LocalTransport.h"
#include "TestFiles.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace smtls;

namespace {

const QString Helper = QStringLiteral(SMTLS_BIN_DIR "/sendmail-tls-privileged");

// The variables of a scope, then the old values again.
class EnvOverride {
public:
    void set(const char *name, const QByteArray &value)
    {
        m_old.append({name, qEnvironmentVariableIsSet(name) ? std::optional<QByteArray>(qgetenv(name)) : std::nullopt});
        qputenv(name, value);
    }
    ~EnvOverride()
    {
        for (auto it = m_old.crbegin(); it != m_old.crend(); ++it)
            it->second ? (void)qputenv(it->first, *it->second) : (void)qunsetenv(it->first);
    }

private:
    QList<std::pair<const char *, std::optional<QByteArray>>> m_old;
};

bool writeScript(const QString &path, const QByteArray &text)
{
    return testing::writeAll(path, text)
        && QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadOther | QFile::ExeOther);
}

// A change to both text files (so sendmail.cf is compiled and the restart runs, and the map
// rebuilt): a comment at the end of the .mc, one rule at the end of the access file.
Change mcAndAccessEdited(const QByteArray &server)
{
    return Change::custom(QStringLiteral("mc and access"), [server](const MailConfig &c) -> Result<ConfigChange> {
        ConfigChange change;
        change.mc = FileChange{c.mc.fileName(), c.mc.bytes(), c.mc.bytes() + "dnl edited by a test\n", true};
        change.access = FileChange{c.accessPath, c.access->bytes(), c.access->bytes() + "Try_TLS:" + server + " NO\n", true};
        return change;
    });
}

} // namespace

class TestPrivilegedApply : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_tree, m_bin, m_count;
    HostProfile m_profile;
    EnvOverride m_env;

    int starts() const { return int(testing::readAll(m_count).count('\n')); }
    QString summary(const ApplyReport &r) const
    {
        QStringList steps;
        for (const StepRecord &s : r.steps)
            steps << s.name() + (s.state == StepState::Failed ? QStringLiteral("! ") + s.message : QString());
        return r.summary + QStringLiteral(" | ") + steps.join(QStringLiteral(", "));
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (::geteuid() != 0)
            QSKIP("needs root: sendmail -bt runs in a private UTS namespace (it sleeps 60 s on an unqualified host name)");
        for (const char *tool : {"/usr/bin/m4", "/usr/sbin/makemap", "/usr/sbin/sendmail"})
            if (!QFile::exists(QLatin1String(tool)))
                QSKIP("m4/makemap/sendmail not installed (installer/setup.sh test installs them)");
        QVERIFY(QFile::exists(Helper));
        m_tree = m_dir.filePath(QStringLiteral("root"));
        m_bin = m_dir.filePath(QStringLiteral("bin"));
        m_count = m_dir.filePath(QStringLiteral("pkexec-starts"));
        const QString mail = m_tree + QStringLiteral("/etc/mail");
        QVERIFY(QDir().mkpath(mail) && QDir().mkpath(m_bin));
        for (const char *name : {"sendmail.mc", "access"})
            QVERIFY(QFile::copy(testing::demoTree() + QStringLiteral("/etc/mail/") + QLatin1String(name), mail + QLatin1Char('/') + QLatin1String(name)));
        // The map in the tree (the demo's .mc names /etc/mail/access, this computer's).
        QByteArray mc = testing::readAll(mail + QStringLiteral("/sendmail.mc"));
        QVERIFY(mc.contains("FEATURE(`access_db', , `skip')"));
        mc.replace("FEATURE(`access_db', , `skip')", "FEATURE(`access_db', `hash -T<TMPF> -o " + mail.toUtf8() + "/access', `skip')");
        QVERIFY(testing::writeAll(mail + QStringLiteral("/sendmail.mc"), mc));
        // pkexec that asks nothing: it notes the start and runs what it was given.
        QVERIFY(writeScript(m_bin + QStringLiteral("/pkexec"), "#!/bin/sh\necho start >> \"$SMTLS_FAKE_PKEXEC_COUNT\"\nexec \"$@\"\n"));
        // The helper runs "sendmail" from PATH (the test's, kept only outside pkexec): a host
        // name with a domain, or -bt sleeps 60 s.
        QVERIFY(writeScript(m_bin + QStringLiteral("/sendmail"),
                            "#!/bin/sh\nexec unshare --uts sh -c 'hostname mta.sendmail-tls.test && exec /usr/sbin/sendmail \"$@\"' sh \"$@\"\n"));
        m_env.set("PATH", m_bin.toLocal8Bit() + ':' + qgetenv("PATH"));
        m_env.set("DISPLAY", ":0");  // a graphical session: ElevatedTransport picks pkexec
        m_env.set("SMTLS_FAKE_PKEXEC_COUNT", m_count.toLocal8Bit());
        m_env.set("SMTLS_PRIVILEGED_TEST_FOLDERS", m_tree.toLocal8Bit());

        m_profile = profileById(QStringLiteral("tree"));
        m_profile.mcPath = mail + QStringLiteral("/sendmail.mc");
        m_profile.cfPath = mail + QStringLiteral("/sendmail.cf");
        m_profile.accessPath = mail + QStringLiteral("/access");
        m_profile.stateDir = m_tree + QStringLiteral("/var/lib/sendmail-tls");
        m_profile.snapshotDir = m_tree + QStringLiteral("/var/backups/sendmail-tls");
        m_profile.restart = CommandLine{QStringLiteral("true"), {}};  // runs the activation, restarts nothing
        LocalTransport here;
        const Result<CommandResult> cf = here.run(m_profile.compileCommand(m_profile.mcPath, m_profile.cfPath));
        QVERIFY(cf && cf->ok());
        // The map the access file names, built as on a real host.
        const Result<CommandResult> map = here.run(m_profile.buildMapCommand(QStringLiteral("hash"), m_profile.accessPath, m_profile.accessPath));
        QVERIFY(map && map->ok());
    }

    void oneApplyIsOnePkexecStart_data()
    {
        QTest::addColumn<QString>("what");
        QTest::newRow("destination off (access map)") << QStringLiteral("destination");
        QTest::newRow(".mc and access (compile, map, activation)") << QStringLiteral("both");
    }
    void oneApplyIsOnePkexecStart()
    {
        QFETCH(QString, what);
        EnvOverride env;
        env.set("SMTLS_PRIVILEGED_HELPER", Helper.toLocal8Bit());
        QFile::remove(m_count);
        const Change change = what == QLatin1String("destination")
            ? Change::destination(*parseDestination(QStringLiteral("broken.test")), TlsSetting::Off)
            : mcAndAccessEdited("first.test");
        const QByteArray before = testing::readAll(m_profile.accessPath);
        int commands = 0;
        {
            ElevatedTransport t(QStringLiteral("this computer"));
            QVERIFY2(t.describe().contains(QStringLiteral("sendmail-tls-privileged")), qPrintable(t.describe()));
            t.setCommandLog([&](const CommandLogEntry &) { ++commands; });
            const ApplyReport r = applyChange(t, m_profile, {change, QStringLiteral("test")});
            QVERIFY2(r.outcome == ApplyOutcome::Applied, qPrintable(summary(r)));
            QCOMPARE(t.helperStarts(), 1);
            if (what == QLatin1String("both")) {
                QStringList steps;
                for (const StepRecord &s : r.steps)
                    steps << s.name();
                QVERIFY2(steps.contains(QStringLiteral("activate")), qPrintable(steps.join(QLatin1Char(','))));
            }
        }
        QCOMPARE(starts(), 1);
        QVERIFY(testing::readAll(m_profile.accessPath) != before);
        QVERIFY(QFile::exists(m_profile.accessPath + QStringLiteral(".db")));
        qInfo("%s: %d commands, %d pkexec start(s)", qPrintable(what), commands, starts());
    }

    // Today's way, still used when the helper is not installed: one pkexec per command.
    void withoutTheHelperEveryCommandIsAStart()
    {
        EnvOverride env;
        env.set("SMTLS_PRIVILEGED_HELPER", m_dir.filePath(QStringLiteral("no-such-helper")).toLocal8Bit());
        QFile::remove(m_count);
        int commands = 0;
        {
            ElevatedTransport t(QStringLiteral("this computer"));
            QVERIFY2(t.describe().contains(QStringLiteral("not installed")), qPrintable(t.describe()));
            t.setCommandLog([&](const CommandLogEntry &) { ++commands; });
            const ApplyReport r = applyChange(t, m_profile, {mcAndAccessEdited("second.test"), QStringLiteral("test")});
            QVERIFY2(r.outcome == ApplyOutcome::Applied, qPrintable(summary(r)));
            QCOMPARE(t.helperStarts(), 0);
        }
        QCOMPARE(starts(), commands);
        QVERIFY(starts() > 1);
        qInfo("without the helper: %d commands, %d pkexec starts", commands, starts());
    }
};

QTEST_GUILESS_MAIN(TestPrivilegedApply)
#include "tst_privilegedapply.moc"
