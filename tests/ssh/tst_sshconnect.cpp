// Connecting: host key checks, authentication, unreachable hosts. Needs root (testhosts).

#include "SshTransport.h"
#include "TestFiles.h"
#include "TestHosts.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace smtls;
using namespace smtls::ssh;

Q_DECLARE_METATYPE(smtls::ssh::HostKeyDecision)

class SshConnectTest : public QObject {
    Q_OBJECT

    testing::TestHosts m_hosts;
    QString m_skip;
    QTemporaryDir m_tmp;

    // A config of our own: host I as USER, the test key (or none), the given known_hosts.
    QString writeConfig(int host, const QString &user, const QString &knownHosts, bool withKey = true)
    {
        const QString path = m_tmp.filePath(QStringLiteral("config-%1-%2").arg(host).arg(user));
        QFile f(path);
        f.open(QIODevice::WriteOnly);
        f.write(QStringLiteral("Host t\n  HostName %1\n  User %2\n  IdentityFile %3\n  UserKnownHostsFile %4\n")
                    .arg(testing::TestHosts::address(host), user,
                         withKey ? m_hosts.clientKey() : QStringLiteral("/nonexistent/key"), knownHosts)
                    .toUtf8());
        return path;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_skip = m_hosts.up(2);
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
    }
    void init()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
    }
    void cleanupTestCase() { m_hosts.down(); }

    void unknownHostKey_asksWithSshKeygenFingerprint_data()
    {
        QTest::addColumn<HostKeyDecision>("decision");
        QTest::addColumn<bool>("connects");
        QTest::addColumn<bool>("remembered");
        QTest::newRow("reject") << HostKeyDecision::Reject << false << false;
        QTest::newRow("accept once") << HostKeyDecision::AcceptOnce << true << false;
        QTest::newRow("accept and remember") << HostKeyDecision::AcceptAndRemember << true << true;
    }
    void unknownHostKey_asksWithSshKeygenFingerprint()
    {
        QFETCH(HostKeyDecision, decision);
        QFETCH(bool, connects);
        QFETCH(bool, remembered);
        const QString knownHosts = m_tmp.filePath(QStringLiteral("kh-%1").arg(QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-'))));
        QFile::remove(knownHosts);
        QList<HostKeyInfo> asked;
        SshCallbacks callbacks;
        callbacks.unknownHostKey = [&](const HostKeyInfo &info) {
            asked << info;
            return decision;
        };
        auto r = SshTransport::connect(SshTarget{QStringLiteral("t"), writeConfig(1, QStringLiteral("root"), knownHosts), {}, {}, {}, {}},
                                       callbacks, {});
        QCOMPARE(asked.size(), 1);
        QCOMPARE(asked[0].fingerprint, m_hosts.fingerprint(1));
        QVERIFY(asked[0].fingerprint.startsWith(QLatin1String("SHA256:")));
        QCOMPARE(asked[0].host, testing::TestHosts::address(1));
        QCOMPARE(asked[0].keyType, QStringLiteral("ssh-ed25519"));
        QCOMPARE(bool(r), connects);
        if (!connects)
            QCOMPARE(r.error().kind, ErrorKind::Refused);
        QCOMPARE(testing::readAll(knownHosts).contains(testing::TestHosts::address(1).toUtf8()), remembered);
        if (remembered) { // the next connection knows the key and does not ask
            auto again = SshTransport::connect(SshTarget{QStringLiteral("t"), writeConfig(1, QStringLiteral("root"), knownHosts), {}, {}, {}, {}},
                                               callbacks, {});
            QVERIFY(again);
            QCOMPARE(asked.size(), 1);
        }
    }

    void changedHostKey_isRefusedWithoutAsking()
    {
        QString out;
        QCOMPARE(m_hosts.call(QStringLiteral("rekey"), {QStringLiteral("2")}, &out), 0);
        const QString newFingerprint = m_hosts.fingerprint(2);
        int asked = 0;
        SshCallbacks callbacks;
        callbacks.unknownHostKey = [&](const HostKeyInfo &) {
            ++asked;
            return HostKeyDecision::AcceptAndRemember;
        };
        auto r = SshTransport::connect(SshTarget{QStringLiteral("mta2"), m_hosts.sshConfig(), {}, {}, {}, {}}, callbacks, {});
        QVERIFY(!r);
        QCOMPARE(r.error().kind, ErrorKind::Refused);
        QVERIFY2(r.error().message.contains(newFingerprint), qPrintable(r.error().message));
        QVERIFY(r.error().message.contains(QLatin1String("changed")));
        QCOMPARE(asked, 0);
    }

    void password_wrongIsConnectionErrorRightLogsIn_data()
    {
        QTest::addColumn<QString>("password");
        QTest::addColumn<bool>("connects");
        QTest::newRow("wrong") << "not-the-password" << false;
        QTest::newRow("right") << "mailadm-test-pw" << true;
    }
    void password_wrongIsConnectionErrorRightLogsIn()
    {
        QFETCH(QString, password);
        QFETCH(bool, connects);
        int prompts = 0;
        SshCallbacks callbacks;
        callbacks.askSecret = [&](const QString &, bool echo) -> std::optional<QString> {
            if (echo || prompts++ > 0)
                return std::nullopt; // one try
            return password;
        };
        SshOptions options;
        options.useAgent = false;
        auto r = SshTransport::connect(SshTarget{QStringLiteral("t"), writeConfig(1, QStringLiteral("mailadm"), m_hosts.knownHosts(), false),
                                                 {}, {}, {}, {}},
                                       callbacks, options);
        QCOMPARE(bool(r), connects);
        QVERIFY(prompts >= 1);
        if (!connects) {
            QCOMPARE(r.error().kind, ErrorKind::Connection);
            QVERIFY2(r.error().message.startsWith(QLatin1String("authentication failed for mailadm@127.0.1.1")),
                     qPrintable(r.error().message));
            QVERIFY(!r.error().message.contains(password));
        }
    }

    void sudoWithPassword_runsAsRootAndKeepsStdin()
    {
        QCOMPARE(m_hosts.call(QStringLiteral("sudo-mode"), {QStringLiteral("1"), QStringLiteral("password")}), 0);
        const auto restore = qScopeGuard([&] { m_hosts.call(QStringLiteral("sudo-mode"), {QStringLiteral("1"), QStringLiteral("nopasswd")}); });
        auto withoutPassword = SshTransport::connect(SshTarget{QStringLiteral("mta1-adm"), m_hosts.sshConfig(), {}, {}, {}, {}}, {}, {});
        QVERIFY(withoutPassword);
        auto refused = (*withoutPassword)->run(CommandLine{QStringLiteral("id"), {QStringLiteral("-u")}});
        QVERIFY(refused);
        QVERIFY(refused->exitCode != 0); // sudo -n: "a password is required", at once

        SshOptions options;
        options.sudoPassword = QStringLiteral("mailadm-test-pw");
        auto t = SshTransport::connect(SshTarget{QStringLiteral("mta1-adm"), m_hosts.sshConfig(), {}, {}, {}, {}}, {}, options);
        QVERIFY(t);
        auto id = (*t)->run(CommandLine{QStringLiteral("id"), {QStringLiteral("-u")}});
        QVERIFY(id);
        QCOMPARE(id->out, QByteArray("0\n"));
        auto cat = (*t)->run(CommandLine{QStringLiteral("cat"), {}}, QByteArray("line 1\nline 2\n"));
        QVERIFY(cat);
        QCOMPARE(cat->out, QByteArray("line 1\nline 2\n"));
        auto again = (*t)->run(CommandLine{QStringLiteral("cat"), {}}, QByteArray("x"));
        QVERIFY(again);
        QCOMPARE(again->out, QByteArray("x")); // no leftover password when sudo has cached it
    }

    void unreachable_failsQuicklyWithConnectionError()
    {
        QElapsedTimer clock;
        clock.start();
        auto r = SshTransport::connect(SshTarget{QStringLiteral("t"), writeConfig(1, QStringLiteral("root"), m_hosts.knownHosts()),
                                                 QStringLiteral("127.0.9.9"), 22, {}, {}},
                                       {}, {});
        QVERIFY(!r);
        QCOMPARE(r.error().kind, ErrorKind::Connection);
        QVERIFY2(r.error().message.contains(QLatin1String("127.0.9.9")), qPrintable(r.error().message));
        QVERIFY(clock.elapsed() < 2000);
    }
};

int main(int argc, char **argv)
{
    smtls::testing::TestHosts::enterPrivateNetwork(argc, argv);
    QCoreApplication app(argc, argv);
    SshConnectTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_sshconnect.moc"
