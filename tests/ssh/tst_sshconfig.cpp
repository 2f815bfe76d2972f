// Resolving a host alias from an ssh_config file (no network).

#include "ssh/SshConfig.h"
#include "ssh/SshHandles.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace smtls;
using namespace smtls::ssh;

class SshConfigTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;
    QString m_config;

private Q_SLOTS:
    void initTestCase()
    {
        m_config = m_tmp.filePath(QStringLiteral("config"));
        QFile f(m_config);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("Host web\n  HostName 192.0.2.7\n  Port 2222\n  User mailadm\n  IdentityFile /keys/web_ed25519\n"
                "  UserKnownHostsFile /kh/web\n  StrictHostKeyChecking no\n"
                "Host jumped\n  HostName 10.0.0.5\n  ProxyJump bastion\n"
                "Host *\n  User fallback\n");
    }

    void resolve_takesFileValuesAndOverrides_data()
    {
        QTest::addColumn<QString>("alias");
        QTest::addColumn<std::optional<QString>>("address");
        QTest::addColumn<std::optional<int>>("port");
        QTest::addColumn<std::optional<QString>>("user");
        QTest::addColumn<QString>("wantAddress");
        QTest::addColumn<int>("wantPort");
        QTest::addColumn<QString>("wantUser");
        QTest::addColumn<QString>("wantIdentity");
        QTest::addColumn<QString>("wantKnownHosts");
        const std::optional<QString> none;
        QTest::newRow("file values") << "web" << none << std::optional<int>() << none << "192.0.2.7" << 2222 << "mailadm"
                                     << "/keys/web_ed25519" << "/kh/web";
        QTest::newRow("overrides win over the file, port included")
            << "web" << std::optional<QString>(QStringLiteral("198.51.100.1")) << std::optional<int>(22)
            << std::optional<QString>(QStringLiteral("root")) << "198.51.100.1" << 22 << "root" << "/keys/web_ed25519"
            << "/kh/web";
        QTest::newRow("unknown alias uses Host *") << "other.example" << none << std::optional<int>() << none
                                                   << "other.example" << 22 << "fallback" << QString() << QString();
    }
    void resolve_takesFileValuesAndOverrides()
    {
        QFETCH(QString, alias);
        QFETCH(std::optional<QString>, address);
        QFETCH(std::optional<int>, port);
        QFETCH(std::optional<QString>, user);
        QFETCH(QString, wantAddress);
        QFETCH(int, wantPort);
        QFETCH(QString, wantUser);
        QFETCH(QString, wantIdentity);
        QFETCH(QString, wantKnownHosts);
        SessionHandle session(ssh_new());
        auto r = configureSession(session.get(), SshTarget{alias, m_config, address, port, user, {}});
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QCOMPARE(r->address, wantAddress);
        QCOMPARE(r->port, wantPort);
        QCOMPARE(r->user, wantUser);
        if (!wantIdentity.isEmpty())
            QCOMPARE(r->identityFiles.value(0), wantIdentity);
        if (!wantKnownHosts.isEmpty())
            QCOMPARE(r->knownHostsFile, wantKnownHosts);
        else
            QVERIFY(r->knownHostsFile.endsWith(QLatin1String("/.ssh/known_hosts")));
    }

    void resolve_proxyJumpUsesTheSameConfigFile()
    {
        SessionHandle session(ssh_new());
        auto r = configureSession(session.get(), SshTarget{QStringLiteral("jumped"), m_config, {}, {}, {}, {}});
        QVERIFY(r);
        QVERIFY2(r->proxyCommand.contains(QLatin1String("-F ") + m_config), qPrintable(r->proxyCommand));
        QVERIFY(r->proxyCommand.endsWith(QLatin1String(" bastion")));
    }

    void resolve_missingFileIsAnError()
    {
        SessionHandle session(ssh_new());
        auto r = configureSession(session.get(), SshTarget{QStringLiteral("web"), m_tmp.filePath(QStringLiteral("nope")), {}, {}, {}, {}});
        QVERIFY(!r);
        QCOMPARE(r.error().kind, ErrorKind::InvalidConfig);
    }
};

QTEST_GUILESS_MAIN(SshConfigTest)
#include "tst_sshconfig.moc"
