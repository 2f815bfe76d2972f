// Running commands over a real SSH session: quoting, stdin, both output streams, exit codes,
// timeouts, cancellation, sudo, and the readFile/writeFile scripts. Needs root (testhosts).

#include "ssh/SshTransport.h"
#include "TestHosts.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTest>

#include <thread>

using namespace smtls;
using namespace smtls::ssh;

class SshRunTest : public QObject {
    Q_OBJECT

    testing::TestHosts m_hosts;
    QString m_skip;

    std::unique_ptr<SshTransport> connectTo(const QString &alias)
    {
        auto r = SshTransport::connect(SshTarget{alias, m_hosts.sshConfig(), {}, {}, {}, {}}, SshCallbacks{}, SshOptions{});
        if (!r) {
            qWarning("%s", qPrintable(r.error().message));
            return nullptr;
        }
        return std::move(*r);
    }
    bool remoteProcessExists(const QString &pattern)
    {
        auto root = connectTo(QStringLiteral("mta1"));
        auto r = root->run(CommandLine{QStringLiteral("pgrep"), {QStringLiteral("-f"), pattern}});
        return r && r->exitCode == 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_skip = m_hosts.up(1);
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
    }
    void init()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
    }
    void cleanupTestCase() { m_hosts.down(); }

    void run_asRootOrThroughSudo_data()
    {
        QTest::addColumn<QString>("alias");
        QTest::addColumn<QString>("program");
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("root true") << "mta1" << "true" << QStringList{} << QByteArray();
        QTest::newRow("root id -u") << "mta1" << "id" << QStringList{QStringLiteral("-u")} << QByteArray("0\n");
        QTest::newRow("mailadm sudo id -u") << "mta1-adm" << "id" << QStringList{QStringLiteral("-u")} << QByteArray("0\n");
        QTest::newRow("mailadm sudo finds /usr/sbin") << "mta1-adm" << "sh"
                                                      << QStringList{QStringLiteral("-c"), QStringLiteral("command -v sendmail")}
                                                      << QByteArray("/usr/sbin/sendmail\n");
    }
    void run_asRootOrThroughSudo()
    {
        QFETCH(QString, alias);
        QFETCH(QString, program);
        QFETCH(QStringList, arguments);
        QFETCH(QByteArray, expected);
        QElapsedTimer clock;
        clock.start();
        auto t = connectTo(alias);
        QVERIFY(t);
        const qint64 connectMs = clock.elapsed();
        auto r = t->run(CommandLine{program, arguments});
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QCOMPARE(r->exitCode, 0);
        QCOMPARE(r->out, expected);
        QCOMPARE(r->err, QByteArray());
        qInfo("connect %lld ms, connect+run %lld ms", connectMs, clock.elapsed());
    }

    void run_argumentsArriveByteExact_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("shell metacharacters") << QStringList{QStringLiteral("$HOME"), QStringLiteral("a;b"), QStringLiteral("\"q\""),
                                                             QStringLiteral("`id`"), QStringLiteral("it's"), QStringLiteral("$(reboot)")};
        QTest::newRow("newlines and spaces") << QStringList{QStringLiteral("a\nb"), QStringLiteral("  two  spaces "), QStringLiteral("\t")};
        QTest::newRow("empty argument") << QStringList{QString(), QStringLiteral("x"), QString()};
        QTest::newRow("non-ascii") << QStringList{QStringLiteral("\u00ff"), QStringLiteral("\ufffd"), QStringLiteral("gr\u00fc\u00df")};
        QTest::newRow("quotes only") << QStringList{QStringLiteral("'"), QStringLiteral("''"), QStringLiteral("'\\''")};
    }
    void run_argumentsArriveByteExact()
    {
        QFETCH(QStringList, arguments);
        for (const QString &alias : {QStringLiteral("mta1"), QStringLiteral("mta1-adm")}) {
            auto t = connectTo(alias);
            QVERIFY(t);
            auto r = t->run(CommandLine{QStringLiteral("printf"), QStringList{QStringLiteral("%s\\0")} + arguments});
            QVERIFY(r);
            QByteArray expected;
            for (const QString &a : arguments)
                expected += a.toUtf8() + '\0';
            QCOMPARE(r->out, expected);
        }
    }

    void run_binaryStdinRoundTrips_data()
    {
        QTest::addColumn<QString>("alias");
        QTest::addColumn<int>("size");
        QTest::newRow("root 1 MB") << "mta1" << 1024 * 1024;
        QTest::newRow("mailadm 1 MB") << "mta1-adm" << 1024 * 1024;
        QTest::newRow("root 5 MB (more than a window)") << "mta1" << 5 * 1024 * 1024;
        QTest::newRow("root 1 byte NUL") << "mta1" << 0;
    }
    void run_binaryStdinRoundTrips()
    {
        QFETCH(QString, alias);
        QFETCH(int, size);
        QByteArray data(size, '\0');
        for (qsizetype i = 0; i < data.size(); i += 4)
            data[i] = char(QRandomGenerator::global()->bounded(256)); // every 4th random, the rest NUL
        if (size == 0)
            data = QByteArray(1, '\0');
        auto t = connectTo(alias);
        QVERIFY(t);
        auto r = t->run(CommandLine{QStringLiteral("cat"), {}}, data);
        QVERIFY(r);
        QCOMPARE(r->out.size(), data.size());
        QVERIFY(r->out == data);
    }

    void run_floodOnBothStreamsDoesNotDeadlock()
    {
        auto t = connectTo(QStringLiteral("mta1"));
        QVERIFY(t);
        const QString script = QStringLiteral("head -c 4000000 /dev/zero >&2 & head -c 3000000 /dev/zero; wait");
        auto r = t->run(CommandLine::shellScript(script), {}, 30s);
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QCOMPARE(r->out.size(), 3000000);
        QCOMPARE(r->err.size(), 4000000);
    }

    void run_nonZeroExitIsAResult_data()
    {
        QTest::addColumn<int>("code");
        QTest::newRow("1") << 1;
        QTest::newRow("3") << 3;
        QTest::newRow("255") << 255;
    }
    void run_nonZeroExitIsAResult()
    {
        QFETCH(int, code);
        auto t = connectTo(QStringLiteral("mta1"));
        QVERIFY(t);
        auto r = t->run(CommandLine::shellScript(QStringLiteral("echo oops >&2; exit \"$1\""), {QString::number(code)}));
        QVERIFY(r);
        QCOMPARE(r->exitCode, code);
        QCOMPARE(r->err, QByteArray("oops\n"));
    }

    void run_timeoutEndsRemoteCommand_data()
    {
        QTest::addColumn<QString>("alias");
        QTest::newRow("root") << "mta1";
        QTest::newRow("mailadm via sudo") << "mta1-adm";
    }
    void run_timeoutEndsRemoteCommand()
    {
        QFETCH(QString, alias);
        auto t = connectTo(alias);
        QVERIFY(t);
        const QString marker = QStringLiteral("30.%1").arg(QRandomGenerator::global()->bounded(100000));
        QElapsedTimer clock;
        clock.start();
        auto r = t->run(CommandLine{QStringLiteral("sleep"), {marker}}, {}, 1s);
        const qint64 ms = clock.elapsed();
        QVERIFY(!r);
        QCOMPARE(r.error().kind, ErrorKind::Connection);
        QVERIFY2(r.error().message.contains(QLatin1String("timed out after 1 s")), qPrintable(r.error().message));
        QVERIFY2(ms < 2500, qPrintable(QString::number(ms)));
        QVERIFY(!remoteProcessExists(QStringLiteral("sleep ") + marker));
        auto after = t->run(CommandLine{QStringLiteral("true"), {}});
        QVERIFY(after && after->exitCode == 0); // the session survives a timeout
        qInfo("timeout returned after %lld ms", ms);
    }

    void cancel_fromAnotherThreadStopsRunningAndLaterCalls()
    {
        auto t = connectTo(QStringLiteral("mta1"));
        QVERIFY(t);
        const QString marker = QStringLiteral("29.%1").arg(QRandomGenerator::global()->bounded(100000));
        QElapsedTimer clock;
        clock.start();
        std::thread canceller([&] {
            std::this_thread::sleep_for(500ms);
            t->cancel();
        });
        auto r = t->run(CommandLine{QStringLiteral("sleep"), {marker}}, {}, 30s);
        canceller.join();
        const qint64 ms = clock.elapsed();
        QVERIFY(!r);
        QCOMPARE(r.error().kind, ErrorKind::Cancelled);  // typed: nobody matches the word "cancelled"
        QCOMPARE(r.error().message, QStringLiteral("cancelled"));
        QVERIFY2(ms < 1500, qPrintable(QString::number(ms)));
        QVERIFY(!remoteProcessExists(QStringLiteral("sleep ") + marker));
        auto later = t->run(CommandLine{QStringLiteral("true"), {}});
        QVERIFY(!later);
        QCOMPARE(later.error().kind, ErrorKind::Cancelled);
    }

    void connectionLoss_failsNowAndLaterCallsFast()
    {
        auto t = connectTo(QStringLiteral("mta1"));
        QVERIFY(t);
        std::thread killer([&] {
            std::this_thread::sleep_for(700ms);
            m_hosts.call(QStringLiteral("kill-sessions"), {QStringLiteral("1")});
        });
        auto r = t->run(CommandLine{QStringLiteral("sleep"), {QStringLiteral("20")}}, {}, 15s);
        killer.join();
        QVERIFY(!r);
        QVERIFY2(r.error().message.contains(QLatin1String("lost")), qPrintable(r.error().message));
        QElapsedTimer clock;
        clock.start();
        auto later = t->run(CommandLine{QStringLiteral("true"), {}});
        QVERIFY(!later);
        QVERIFY(later.error().message.contains(QLatin1String("lost")));
        QVERIFY(clock.elapsed() < 100);
    }

    void fileScripts_keepOwnerAndModeAndReportMissing_data()
    {
        QTest::addColumn<QString>("alias");
        QTest::newRow("root") << "mta1";
        QTest::newRow("mailadm via sudo") << "mta1-adm";
    }
    void fileScripts_keepOwnerAndModeAndReportMissing()
    {
        QFETCH(QString, alias);
        auto root = connectTo(QStringLiteral("mta1"));
        auto t = connectTo(alias);
        QVERIFY(root && t);
        const QString path = QStringLiteral("/etc/mail/smtls-test-%1").arg(alias);
        auto made = root->run(CommandLine::shellScript(
            QStringLiteral("printf old > \"$1\" && chown root:smmsp \"$1\" && chmod 0640 \"$1\""), {path}));
        QVERIFY(made && made->exitCode == 0);
        const QByteArray content("new\n$x 'q' \"d\"\n\xff\xfe end");
        const Status written = t->writeFile(path, content);
        QVERIFY2(!written, written ? qPrintable(written->describe()) : "");
        auto back = t->readFile(path, 1 << 20);
        QVERIFY(back && back->has_value());
        QCOMPARE(**back, content);
        auto stat = root->run(CommandLine{QStringLiteral("stat"), {QStringLiteral("-c"), QStringLiteral("%U:%G %a"), path}});
        QVERIFY(stat);
        QCOMPARE(stat->out, QByteArray("root:smmsp 640\n"));
        QVERIFY(!t->removeFile(path));
        auto missing = t->readFile(path, 1 << 20);
        QVERIFY(missing);
        QVERIFY(!missing->has_value());
    }

    void log_recordsEveryCommandWithoutStdin()
    {
        auto t = connectTo(QStringLiteral("mta1"));
        QVERIFY(t);
        QList<CommandLogEntry> log;
        t->setCommandLog([&](const CommandLogEntry &e) { log << e; });
        QVERIFY(t->run(CommandLine{QStringLiteral("cat"), {}}, QByteArray("secret-stdin")));
        QVERIFY(t->run(CommandLine::shellScript(QStringLiteral("exit 4"))));
        QCOMPARE(log.size(), 2);
        QCOMPARE(log[0].command, QStringLiteral("cat"));
        QCOMPARE(log[0].exitCode, 0);
        QCOMPARE(log[1].exitCode, 4);
        QCOMPARE(log[0].host, QStringLiteral("mta1"));
        QVERIFY(!log[0].command.contains(QLatin1String("secret")));
    }

    void parallel_sessionsInThreadsWork()
    {
        constexpr int Threads = 6;
        std::atomic_int good{0};
        std::vector<std::thread> threads;
        QElapsedTimer clock;
        clock.start();
        for (int i = 0; i < Threads; ++i)
            threads.emplace_back([&, i] {
                auto r = SshTransport::connect(SshTarget{i % 2 ? QStringLiteral("mta1") : QStringLiteral("mta1-adm"),
                                                         m_hosts.sshConfig(), {}, {}, {}, {}},
                                               {}, {});
                if (!r)
                    return;
                for (int k = 0; k < 5; ++k) {
                    auto out = (*r)->run(CommandLine{QStringLiteral("echo"), {QString::number(i * 10 + k)}});
                    if (!out || out->out != QString::number(i * 10 + k).toUtf8() + '\n')
                        return;
                }
                ++good;
            });
        for (auto &th : threads)
            th.join();
        QCOMPARE(good.load(), Threads);
        qInfo("%d sessions x 5 commands in parallel: %lld ms", Threads, clock.elapsed());
    }
};

int main(int argc, char **argv)
{
    smtls::testing::TestHosts::enterPrivateNetwork(argc, argv);
    QCoreApplication app(argc, argv);
    SshRunTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_sshrun.moc"
