// Connecting: host key checks, authentication, unreachable hosts. Needs root (testhosts).

#include "ssh/HostConnection.h"
#include "ssh/SshTransport.h"
#include "TestFiles.h"
#include "TestHosts.h"

#include <QElapsedTimer>
#include <QScopeGuard>
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

    // connectToHost for a non-root login whose sudo wants a password: asked only then, each
    // answer checked once, a refusal or no answer a Connection error that says which.
    void connectToHost_sudoPassword_data()
    {
        QTest::addColumn<bool>("canAsk");
        QTest::addColumn<QStringList>("answers"); // "-": give up
        QTest::addColumn<QString>("error");       // empty: connects
        QTest::addColumn<QString>("verdicts");    // what secretChecked heard for sudo: y/n
        const QString pw = QStringLiteral("mailadm-test-pw");
        QTest::newRow("right") << true << QStringList{pw} << QString() << "y";
        QTest::newRow("wrong, then right") << true << QStringList{QStringLiteral("wrong"), pw} << QString() << "ny";
        QTest::newRow("wrong, then none") << true << QStringList{QStringLiteral("wrong"), QStringLiteral("-")}
                                          << "sudo on mta1-adm refused the password" << "n";
        QTest::newRow("always wrong") << true << QStringList(4, QStringLiteral("wrong")) << "sudo on mta1-adm refused the password"
                                      << "nnn";
        QTest::newRow("none given") << true << QStringList{QStringLiteral("-")} << "no sudo password given for mta1-adm" << "";
        QTest::newRow("nobody to ask") << false << QStringList() << "sudo on mta1-adm needs a password: give mailadm password-less sudo"
                                       << "";
    }
    void connectToHost_sudoPassword()
    {
        QFETCH(bool, canAsk);
        QFETCH(QStringList, answers);
        QFETCH(QString, error);
        QFETCH(QString, verdicts);
        QCOMPARE(m_hosts.call(QStringLiteral("sudo-mode"), {QStringLiteral("1"), QStringLiteral("password")}), 0);
        const auto restore = qScopeGuard([&] { m_hosts.call(QStringLiteral("sudo-mode"), {QStringLiteral("1"), QStringLiteral("nopasswd")}); });
        HostConnectCallbacks callbacks;
        QStringList prompts;
        QString heard;
        if (canAsk)
            callbacks.sudoPassword = [&](const QString &prompt, int attempt) -> std::optional<QString> {
                if (attempt != prompts.size())
                    heard += QStringLiteral("(attempt %1 after %2 questions)").arg(attempt).arg(prompts.size());
                prompts << prompt;
                if (attempt >= answers.size() || answers.at(attempt) == QLatin1String("-"))
                    return std::nullopt;
                return answers.at(attempt);
            };
        callbacks.secretChecked = [&](SecretUse use, bool accepted) {
            if (use == SecretUse::Sudo)
                heard += QLatin1Char(accepted ? 'y' : 'n');
        };
        QElapsedTimer clock;
        clock.start();
        auto c = connectToHost(SshTarget{QStringLiteral("mta1-adm"), m_hosts.sshConfig(), {}, {}, {}, {}}, callbacks, {});
        qInfo("%lld ms, %lld question(s)", clock.elapsed(), qint64(prompts.size()));
        QCOMPARE(heard, verdicts);
        for (const QString &prompt : std::as_const(prompts))
            QCOMPARE(prompt, QStringLiteral("sudo password for mailadm@mta1-adm: "));
        if (!error.isEmpty()) {
            QVERIFY(!c);
            QCOMPARE(c.error().kind, ErrorKind::Connection);
            QCOMPARE(c.error().message, error);
            return;
        }
        QVERIFY2(c, qPrintable(c ? QString() : c.error().message));
        QVERIFY(c->details); // the profile was detected: inspected through sudo
        auto id = c->transport->run(CommandLine{QStringLiteral("id"), {QStringLiteral("-u")}});
        QVERIFY(id);
        QCOMPARE(id->out, QByteArray("0\n"));
    }

    void connectToHost_passwordlessSudo_asksNothing()
    {
        HostConnectCallbacks callbacks;
        int asked = 0;
        callbacks.sudoPassword = [&](const QString &, int) -> std::optional<QString> {
            ++asked;
            return std::nullopt;
        };
        HostConnectOptions options;
        options.profile = profileById(QStringLiteral("debian"));
        options.wantDetails = false;
        auto c = connectToHost(SshTarget{QStringLiteral("mta1-adm"), m_hosts.sshConfig(), {}, {}, {}, {}}, callbacks, options);
        QVERIFY2(c, qPrintable(c ? QString() : c.error().message));
        QCOMPARE(asked, 0);
        QVERIFY(!c->details); // a forced profile and no details wanted: not inspected
        QCOMPARE(c->profile.id, QStringLiteral("debian"));
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
