// Host profiles: detection from what a host says about itself, and custom profiles from JSON.
#include "apply/HostInspector.h"
#include "apply/HostProfile.h"

#include <QTest>

using namespace smtls;

class TestHostProfile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void detect_picksTheSystem_data()
    {
        QTest::addColumn<QString>("osRelease");
        QTest::addColumn<QString>("uname");
        QTest::addColumn<QString>("id");
        QTest::newRow("debian") << QStringLiteral("ID=debian\nVERSION_ID=\"12\"") << QStringLiteral("Linux") << QStringLiteral("debian");
        QTest::newRow("ubuntu") << QStringLiteral("ID=ubuntu\nID_LIKE=debian") << QStringLiteral("Linux") << QStringLiteral("debian");
        QTest::newRow("rocky") << QStringLiteral("ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"") << QStringLiteral("Linux") << QStringLiteral("rhel");
        QTest::newRow("fedora") << QStringLiteral("ID=fedora") << QStringLiteral("Linux") << QStringLiteral("rhel");
        QTest::newRow("freebsd") << QString() << QStringLiteral("FreeBSD") << QStringLiteral("freebsd");
    }
    void detect_picksTheSystem()
    {
        QFETCH(QString, osRelease);
        QFETCH(QString, uname);
        QFETCH(QString, id);
        HostFacts facts;
        facts.osRelease = osRelease;
        facts.uname = uname;
        QCOMPARE(detectProfile(facts).id, id);
    }

    void detect_freebsdUsesTheHostsMcFile()
    {
        HostFacts facts;
        facts.uname = QStringLiteral("FreeBSD");
        facts.freebsdMcName = QStringLiteral("mx1.example.org.mc");
        const HostProfile p = detectProfile(facts);
        QCOMPARE(p.mcPath, QStringLiteral("/etc/mail/mx1.example.org.mc"));
        QVERIFY(p.compileCommand(p.mcPath, QStringLiteral("/tmp/x.cf")).arguments.contains(QStringLiteral("/usr/share/sendmail/cf/m4/cf.m4")));
    }

    void custom_fromJson()
    {
        const Result<HostProfile> p = profileFromJson(
            R"({"base": "rhel", "mcPath": "/opt/mail/sendmail.mc", "cfPath": "/opt/mail/sendmail.cf",
                "restart": ["/usr/local/bin/mailctl", "restart", "--quiet"], "rebuild": [], "healthCheck": false})");
        QVERIFY(p.ok());
        QCOMPARE(p->id, QStringLiteral("custom"));
        QCOMPARE(p->mcPath, QStringLiteral("/opt/mail/sendmail.mc"));
        QCOMPARE(p->restart.program, QStringLiteral("/usr/local/bin/mailctl"));
        QCOMPARE(p->restart.arguments, QStringList({QStringLiteral("restart"), QStringLiteral("--quiet")}));
        QVERIFY(p->rebuild.program.isEmpty());
        QVERIFY(!p->healthCheck);
        QCOMPARE(p->pidFile, QStringLiteral("/run/sendmail.pid"));  // from the rhel base
    }

    void custom_rejectsShellStringsAndRelativePaths_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("command as string") << QByteArray(R"({"restart": "systemctl restart sendmail; rm -rf /"})");
        QTest::newRow("relative path") << QByteArray(R"({"mcPath": "etc/mail/sendmail.mc"})");
        QTest::newRow("not json") << QByteArray("restart=1");
    }
    void custom_rejectsShellStringsAndRelativePaths()
    {
        QFETCH(QByteArray, json);
        const Result<HostProfile> p = profileFromJson(json);
        QVERIFY(!p.ok());
        QCOMPARE(p.error().kind, ErrorKind::InvalidInput);
    }
    // What inspecting a host found, as problems: an interrupted apply is an error; a sendmail
    // without STARTTLS, or one whose version could not be read, is said once; a normal one is quiet.
    void hostDetailProblems_sayWhatMatters()
    {
        const HostProfile debian = profileById(QStringLiteral("debian"));
        HostDetails normal;
        normal.sendmailVersion = QStringLiteral("8.17.1.9");
        normal.startTlsCompiled = true;
        QVERIFY(hostDetailProblems(normal, debian).isEmpty());

        HostDetails noTls = normal;
        noTls.startTlsCompiled = false;
        Problems p = hostDetailProblems(noTls, debian);
        QCOMPARE(p.size(), 1);
        QCOMPARE(p[0].severity, Severity::Info);
        QVERIFY2(p[0].message.contains(QStringLiteral("without STARTTLS")) && p[0].message.contains(QStringLiteral("8.17.1.9")), qPrintable(p[0].message));

        HostDetails unknown;
        p = hostDetailProblems(unknown, debian);
        QCOMPARE(p.size(), 1);
        QVERIFY(p[0].message.contains(QStringLiteral("could not be read")));

        HostDetails interrupted = normal;
        interrupted.unfinishedApply = QStringLiteral("an apply was interrupted; the OLD files are still in place.");
        p = hostDetailProblems(interrupted, debian);
        QCOMPARE(p.size(), 1);
        QCOMPARE(p[0].severity, Severity::Error);
        QCOMPARE(p[0].message, interrupted.unfinishedApply);
        QVERIFY(p[0].file.endsWith(QStringLiteral("journal.json")));
    }
};

QTEST_GUILESS_MAIN(TestHostProfile)
#include "tst_hostprofile.moc"
