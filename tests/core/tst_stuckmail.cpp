// Stuck mail by server: real qf files and mail.log lines captured on a test host
// (tests/core/data/queue, see its README), read through the same host-side scripts as over SSH
// (a LocalTransport on a copy of the tree), joined and grouped; a queue of thousands.
#include "delivery/QueueRetry.h"
#include "delivery/StuckMail.h"
#include "transport/LocalTransport.h"
#include "apply/HostProfile.h"
#include "TestFiles.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>

using namespace smtls;
using testing::readAll;
using testing::writeAll;

namespace {

const QString DataTree = QStringLiteral(SMTLS_SOURCE_DIR "/tests/core/data/queue");

bool copyTree(const QString &from, const QString &to)
{
    QDirIterator it(from, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        const QString target = to + file.mid(from.size());
        if (!QDir().mkpath(QFileInfo(target).path()) || !QFile::copy(file, target))
            return false;
    }
    return true;
}

HostProfile debianPaths()
{
    return profileById(QStringLiteral("debian"));
}

// The MX answer of a test: one server per domain, from a table.
MxResolver mxTable(const QHash<QString, QString> &table, int *asked = nullptr)
{
    return [table, asked](const QString &domain) -> Result<QStringList> {
        if (asked)
            ++*asked;
        if (!table.contains(domain))
            return makeError(ErrorKind::Connection, QStringLiteral("no MX for ") + domain);
        return QStringList{table.value(domain)};
    };
}

const StuckServer *findServer(const StuckMail &s, const QString &name)
{
    for (const StuckServer &server : s.servers)
        if (server.server == name)
            return &server;
    return nullptr;
}

// A queue id of the form sendmail writes, numbered.
QString fakeId(int n)
{
    return QStringLiteral("6B3Q%1").arg(n, 10, 10, QLatin1Char('0'));
}

class PathOverride {
public:
    explicit PathOverride(const QByteArray &path) : m_old(qgetenv("PATH")) { qputenv("PATH", path); }
    ~PathOverride() { qputenv("PATH", m_old); }
    PathOverride(const PathOverride &) = delete;
    PathOverride &operator=(const PathOverride &) = delete;

private:
    QByteArray m_old;
};

bool linkBusyboxApplets(const QString &busybox, const QString &folder)
{
    QProcess list;
    list.start(busybox, {QStringLiteral("--list")});
    if (!list.waitForFinished(10000) || list.exitCode() != 0)
        return false;
    for (const QByteArray &applet : list.readAllStandardOutput().split('\n'))
        if (!applet.trimmed().isEmpty() && !QFile::link(busybox, folder + QLatin1Char('/') + QString::fromLatin1(applet.trimmed())))
            return false;
    return true;
}

} // namespace

class TestStuckMail : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // ------------------------------------------------------------------ qf files

    void parseQueueFile_readsWhatSendmailWrote_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<qint64>("queued");
        QTest::addColumn<qint64>("lastAttempt");
        QTest::addColumn<int>("attempts");
        QTest::addColumn<QString>("sender");
        QTest::addColumn<QStringList>("recipients");
        QTest::addColumn<QString>("status");
        QTest::newRow("two recipients, status cut to Deferred by the host status cache")
            << QStringLiteral("/var/spool/mqueue/qf6B27RG3p002244") << qint64(1796196436) << qint64(1796196442) << 2 << QStringLiteral("alice@mta1.test")
            << QStringList{QStringLiteral("b@tls.test"), QStringLiteral("a@tls.test")} << QStringLiteral("Deferred");
        QTest::newRow("refused") << QStringLiteral("/var/spool/mqueue/qf6B27RG7r002268") << qint64(1796196436) << qint64(1796196442) << 3
                                 << QStringLiteral("bob@mta1.test") << QStringList{QStringLiteral("c@dead.test")} << QStringLiteral("Deferred: Connection refused by mta3.test.");
        QTest::newRow("received over SMTP: angle brackets, binary byte in a header")
            << QStringLiteral("/var/spool/mqueue/qf6B27RNvX002534") << qint64(1796196444) << qint64(1796196445) << 1 << QStringLiteral("<carol@mta1.test>")
            << QStringList{QStringLiteral("<d@tls.test>")} << QStringLiteral("Deferred: 454 4.7.0 TLS handshake failed.");
        QTest::newRow("submission queue") << QStringLiteral("/var/spool/mqueue-client/qf6B27RK85002438") << qint64(1796196440) << qint64(1796196440) << 1
                                          << QStringLiteral("carol@mta1.test") << QStringList{QStringLiteral("d@tls.test")}
                                          << QStringLiteral("Deferred: Connection refused by [127.0.1.1]");
    }
    void parseQueueFile_readsWhatSendmailWrote()
    {
        QFETCH(QString, file);
        QFETCH(qint64, queued);
        QFETCH(qint64, lastAttempt);
        QFETCH(int, attempts);
        QFETCH(QString, sender);
        QFETCH(QStringList, recipients);
        QFETCH(QString, status);
        const Result<QueuedMessage> m = parseQueueFile(readAll(DataTree + file));
        QVERIFY2(m, qPrintable(m ? QString() : m.error().message));
        QCOMPARE(m->queued.toSecsSinceEpoch(), queued);
        QCOMPARE(m->queued.timeSpec(), Qt::UTC);
        QCOMPARE(m->lastAttempt.toSecsSinceEpoch(), lastAttempt);
        QCOMPARE(m->attempts, attempts);
        QCOMPARE(m->sender, sender);
        QCOMPARE(m->recipients, recipients);
        QCOMPARE(m->status, status);
    }

    void parseQueueFile_refusesWhatIsNotOne()
    {
        QVERIFY(!parseQueueFile(QByteArray()));
        QVERIFY(!parseQueueFile("Subject: hello\n\nbody\n"));
        QVERIFY(!parseQueueFile("V8\nMDeferred\n"));  // no T line
        // Only what comes before the terminating "." is the control file.
        const Result<QueuedMessage> m = parseQueueFile("V8\nT1796196436\nRPFD:a@b.test\n.\nRPFD:not@this.test\n");
        QVERIFY(m);
        QCOMPARE(m->recipients, QStringList{QStringLiteral("a@b.test")});
    }

    void isQueueId_acceptsOnlyQueueIds_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<bool>("ok");
        QTest::newRow("real") << QStringLiteral("6B27RG3p002244") << true;
        QTest::newRow("empty") << QStringLiteral("") << false;
        QTest::newRow("semicolon") << QStringLiteral("6B27RG3p;rm -rf /") << false;
        QTest::newRow("newline") << QStringLiteral("6B27RG3p002244\n-qR") << false;
        QTest::newRow("space") << QStringLiteral("6B27RG3p 002244") << false;
        QTest::newRow("option") << QStringLiteral("-C/tmp/evil.cf") << false;
        QTest::newRow("dollar") << QStringLiteral("6B27$(id)02244") << false;
        QTest::newRow("short substring") << QStringLiteral("6B27") << false;
    }
    void isQueueId_acceptsOnlyQueueIds()
    {
        QFETCH(QString, id);
        QFETCH(bool, ok);
        QCOMPARE(isQueueId(id), ok);
    }

    // ------------------------------------------------------------------ the log

    void deliveryLog_findsTheServerAndTheTlsFailure()
    {
        const QByteArray lines = readAll(DataTree + QStringLiteral("/var/log/mail.log"));
        QVERIFY(!lines.isEmpty());
        const DeliveryLog log = parseDeliveryLines(lines, {});

        // Deferred by the handshake: relay=SERVER. [ADDR], dsn 4.7.0.
        const QList<DeliveryAttempt> d = log.lastAttempts.value(QStringLiteral("6B27RNvX002534"));
        QCOMPARE(d.size(), 1);
        QCOMPARE(d[0].server, QStringLiteral("mta2.test"));
        QCOMPARE(d[0].address, QStringLiteral("127.0.1.2"));
        QCOMPARE(d[0].dsn, QStringLiteral("4.7.0"));
        QCOMPARE(d[0].stat, QStringLiteral("Deferred: 454 4.7.0 TLS handshake failed."));
        QCOMPARE(d[0].recipients, QStringList{QStringLiteral("d@tls.test")});
        QCOMPARE(d[0].mailer, QStringLiteral("smtp"));
        QVERIFY(d[0].tlsFailure);
        QVERIFY(d[0].tlsError.contains(QLatin1String("wrong version number")));
        QCOMPARE(d[0].time, QStringLiteral("Dec  2 07:27:25"));

        // The same server again in one queue run reads "relay=mta2.test., dsn=4.7.0, stat=Deferred":
        // the STARTTLS error of that process (no queue id on it) marks it, the address carries over.
        const QList<DeliveryAttempt> a = log.lastAttempts.value(QStringLiteral("6B27RG3p002244"));
        QCOMPARE(a.size(), 1);
        QCOMPARE(a[0].stat, QStringLiteral("Deferred"));
        QCOMPARE(a[0].recipients, (QStringList{QStringLiteral("a@tls.test"), QStringLiteral("b@tls.test")}));
        QVERIFY(a[0].tlsFailure);
        QCOMPARE(a[0].address, QStringLiteral("127.0.1.2"));

        // Refused: not a TLS failure, though the same process logged one for another server.
        const QList<DeliveryAttempt> c = log.lastAttempts.value(QStringLiteral("6B27RG7r002268"));
        QCOMPARE(c.size(), 1);
        QCOMPARE(c[0].server, QStringLiteral("mta3.test"));
        QCOMPARE(c[0].dsn, QStringLiteral("4.4.1"));
        QVERIFY(!c[0].tlsFailure);

        // One message, two servers: the newest attempt of each recipient.
        const QList<DeliveryAttempt> ef = log.lastAttempts.value(QStringLiteral("6B27RGQL002292"));
        QCOMPARE(ef.size(), 2);
        QCOMPARE(ef[0].recipients, QStringList{QStringLiteral("e@tls.test")});
        QVERIFY(ef[0].tlsFailure);
        QCOMPARE(ef[1].recipients, QStringList{QStringLiteral("f@dead.test")});
        QVERIFY(!ef[1].tlsFailure);

        // Delivered after the fix, and a bounce.
        const QList<DeliveryAttempt> h = log.lastAttempts.value(QStringLiteral("6B27RHEI002338"));
        QCOMPARE(h.size(), 1);
        QVERIFY(h[0].delivered());
        QVERIFY(!h[0].tlsFailure);
        QCOMPARE(h[0].stat, QStringLiteral("Sent (2.0.0 Ok: stored as 0001-S2.eml)"));
        const QList<DeliveryAttempt> g = log.lastAttempts.value(QStringLiteral("6B27RH6t002316"));
        QVERIFY(!g.isEmpty());
        QVERIFY(g.last().bounced());

        // The submission queue's relay is a [literal].
        const QList<DeliveryAttempt> msp = log.lastAttempts.value(QStringLiteral("6B27RK85002438"));
        QCOMPARE(msp.size(), 1);
        QCOMPARE(msp[0].server, QStringLiteral("127.0.1.1"));
        QCOMPARE(msp[0].mailer, QStringLiteral("relay"));
    }

    void deliveryLog_onlyTheIdsAskedFor()
    {
        const DeliveryLog log = parseDeliveryLines(readAll(DataTree + QStringLiteral("/var/log/mail.log")),
                                                   {QStringLiteral("6B27RG7r002268")});
        QCOMPARE(log.lastAttempts.keys(), QStringList{QStringLiteral("6B27RG7r002268")});
    }

    void deliveryLog_isoTimestampsAndIpv6()
    {
        // rsyslog's high-precision format (Debian 13's default) and an IPv6 relay.
        const QByteArray line = "2026-12-02T07:27:25.123456+00:00 mta1 sm-mta[77]: 6B27RNvX002534: to=<d@tls.test>, delay=00:00:01, "
                                "xdelay=00:00:01, mailer=esmtp, pri=30265, relay=mx.v6.test. [IPv6:2001:db8:0:0:0:0:0:25], dsn=4.7.0, "
                                "stat=Deferred: 454 4.7.0 TLS handshake failed.\n";
        const DeliveryLog log = parseDeliveryLines(line, {});
        const DeliveryAttempt a = log.lastAttempts.value(QStringLiteral("6B27RNvX002534")).value(0);
        QCOMPARE(a.time, QStringLiteral("2026-12-02T07:27:25.123456+00:00"));
        QCOMPARE(a.server, QStringLiteral("mx.v6.test"));
        QCOMPARE(a.address, QStringLiteral("2001:db8:0:0:0:0:0:25"));
        QVERIFY(a.tlsFailure);
    }

    // ------------------------------------------------------------------ grouping

    void readStuckMail_groupsByServerTlsFailuresFirst()
    {
        QTemporaryDir dir;
        QVERIFY(copyTree(DataTree, dir.path()));
        LocalTransport tree(dir.path(), QStringLiteral("tree"));
        const Result<StuckMail> s = readStuckMail(tree, debianPaths());
        QVERIFY2(s, qPrintable(s ? QString() : s.error().message));
        QCOMPARE(s->host, QStringLiteral("tree"));
        QCOMPARE(s->logSource, QStringLiteral("/var/log/mail.log"));
        QCOMPARE(s->totalMessages, 5);
        QCOMPARE(s->messages.size(), 5);
        QVERIFY2(s->notes.isEmpty(), qPrintable(s->notes.join(QLatin1Char('\n'))));
        QVERIFY(s->unknownServer.isEmpty());

        QStringList order;
        for (const StuckServer &server : s->servers)
            order << server.server;
        QCOMPARE(order, (QStringList{QStringLiteral("mta2.test"), QStringLiteral("mta3.test"), QStringLiteral("127.0.1.1")}));

        const StuckServer &tls = s->servers[0];
        QVERIFY(tls.tlsFailure);
        QCOMPARE(tls.serverFrom, QStringLiteral("log"));
        QCOMPARE(tls.address, QStringLiteral("127.0.1.2"));
        QCOMPARE(tls.messages, 3);
        QCOMPARE(tls.ids, (QStringList{QStringLiteral("6B27RG3p002244"), QStringLiteral("6B27RGQL002292"), QStringLiteral("6B27RNvX002534")}));
        QCOMPARE(tls.domains, QStringList{QStringLiteral("tls.test")});
        QCOMPARE(tls.oldest, QDateTime::fromSecsSinceEpoch(1796196436, Qt::UTC));
        QCOMPARE(tls.lastStatus, QStringLiteral("Deferred: 454 4.7.0 TLS handshake failed."));

        const StuckServer &refused = s->servers[1];
        QVERIFY(!refused.tlsFailure);
        QCOMPARE(refused.messages, 2);
        QCOMPARE(refused.domains, QStringList{QStringLiteral("dead.test")});
        QCOMPARE(refused.lastStatus, QStringLiteral("Deferred: Connection refused by mta3.test."));

        const StuckServer &msp = s->servers[2];
        QCOMPARE(msp.ids, QStringList{QStringLiteral("6B27RK85002438")});
        QVERIFY(!msp.tlsFailure);
        QCOMPARE(s->messages.last().queue, QStringLiteral("mta"));
        bool sawMsp = false;
        for (const QueuedMessage &m : s->messages)
            if (m.id == QLatin1String("6B27RK85002438")) {
                sawMsp = true;
                QCOMPARE(m.queue, QStringLiteral("msp"));
                QCOMPARE(m.directory, QStringLiteral("/var/spool/mqueue-client"));
            }
        QVERIFY(sawMsp);
    }

    void readStuckMail_withoutLog_placesByMx()
    {
        QTemporaryDir dir;
        QVERIFY(copyTree(DataTree, dir.path()));
        QVERIFY(QFile::remove(dir.filePath(QStringLiteral("var/log/mail.log"))));
        LocalTransport tree(dir.path(), QStringLiteral("tree"));
        int asked = 0;
        const Result<StuckMail> s =
            readStuckMail(tree, debianPaths(), mxTable({{QStringLiteral("tls.test"), QStringLiteral("mta2.test")}}, &asked));
        QVERIFY(s);
        QVERIFY(s->logSource.isEmpty());
        QVERIFY(s->notes.join(QLatin1Char(' ')).contains(QLatin1String("no mail log")));
        // tls.test by MX, once however many messages; dead.test has no answer; the submission
        // queue's message is never placed by an MX (it goes to the local MTA).
        QCOMPARE(asked, 2);
        const StuckServer *mx = findServer(*s, QStringLiteral("mta2.test"));
        QVERIFY(mx);
        QCOMPARE(mx->serverFrom, QStringLiteral("mx"));
        QVERIFY(mx->address.isEmpty());
        QCOMPARE(mx->messages, 3);
        // The qf status says what the handshake did, even without the log.
        QVERIFY(mx->tlsFailure);
        QStringList unknown;
        for (const UnplacedMessage &u : s->unknownServer)
            unknown << u.id;
        unknown.sort();
        QCOMPARE(unknown, (QStringList{QStringLiteral("6B27RG7r002268"), QStringLiteral("6B27RGQL002292"), QStringLiteral("6B27RK85002438")}));
        QVERIFY(s->notes.join(QLatin1Char(' ')).contains(QLatin1String("placed by the MX answer")));

        // Without an MX resolver, all of them are unknown, and it is not an error.
        const Result<StuckMail> none = readStuckMail(tree, debianPaths());
        QVERIFY(none);
        QVERIFY(none->servers.isEmpty());
        QCOMPARE(none->unknownServer.size(), 5);
    }

    // Each MX lookup is a few commands on the host: thousands of lost messages to thousands of
    // domains ask for a bounded number, and say so.
    void readStuckMail_withoutLog_boundsMxLookups()
    {
        QTemporaryDir dir;
        QVERIFY(copyTree(DataTree, dir.path()));
        QVERIFY(QFile::remove(dir.filePath(QStringLiteral("var/log/mail.log"))));
        const QByteArray qf = readAll(DataTree + QStringLiteral("/var/spool/mqueue/qf6B27RG7r002268"));
        for (int i = 0; i < 80; ++i) {
            QByteArray mine = qf;
            mine.replace("c@dead.test", "c@d" + QByteArray::number(i) + ".test");
            QVERIFY(writeAll(dir.filePath(QStringLiteral("var/spool/mqueue/qf") + fakeId(i)), mine));
        }
        LocalTransport tree(dir.path(), QStringLiteral("tree"));
        int asked = 0;
        const MxResolver everywhere = [&asked](const QString &domain) -> Result<QStringList> {
            ++asked;
            return QStringList{QStringLiteral("mx.") + domain};
        };
        const Result<StuckMail> s = readStuckMail(tree, debianPaths(), everywhere);
        QVERIFY(s);
        QCOMPARE(asked, 50);
        QCOMPARE(s->servers.size(), 50);
        // tls.test and dead.test (the real messages, oldest) and 48 of the 80 domains are placed;
        // the other 32 and the submission queue's message are not.
        QCOMPARE(s->unknownServer.size(), 32 + 1);
        QVERIFY(s->notes.join(QLatin1Char(' ')).contains(QLatin1String("for 50 recipient domains only")));
    }

    void readStuckMail_missingQueueAndHostileFileNames()
    {
        QTemporaryDir dir;
        QVERIFY(copyTree(DataTree, dir.path()));
        // A file in the queue whose name is not a queue id is never used as one.
        QVERIFY(QFile::copy(DataTree + QStringLiteral("/var/spool/mqueue/qf6B27RG7r002268"),
                            dir.filePath(QStringLiteral("var/spool/mqueue/qf$(touch x); -qR"))));
        QVERIFY(QDir(dir.filePath(QStringLiteral("var/spool/mqueue-client"))).removeRecursively());
        LocalTransport tree(dir.path(), QStringLiteral("tree"));
        const Result<StuckMail> s = readStuckMail(tree, debianPaths());
        QVERIFY(s);
        QCOMPARE(s->totalMessages, 4);
        QVERIFY(s->notes.join(QLatin1Char(' ')).contains(QLatin1String("1 queue file(s) could not be read")));
        for (const QueuedMessage &m : s->messages)
            QVERIFY2(isQueueId(m.id), qPrintable(m.id));
    }

    void readStuckMail_wildcardQueueDirectoriesAndQfFolders()
    {
        QTemporaryDir dir;
        QVERIFY(copyTree(DataTree, dir.path()));
        // QueueDirectory=/var/spool/mqueue/q* with qf/ subfolders (sendmail's multiple queues).
        QVERIFY(writeAll(dir.filePath(QStringLiteral("etc/mail/sendmail.cf")), "O QueueDirectory=/var/spool/mq/q*\n"));
        const QString q1 = dir.filePath(QStringLiteral("var/spool/mq/q1/qf")), q2 = dir.filePath(QStringLiteral("var/spool/mq/q2"));
        QVERIFY(QDir().mkpath(q1) && QDir().mkpath(q2));
        QVERIFY(QFile::copy(DataTree + QStringLiteral("/var/spool/mqueue/qf6B27RG3p002244"), q1 + QStringLiteral("/qf6B27RG3p002244")));
        QVERIFY(QFile::copy(DataTree + QStringLiteral("/var/spool/mqueue/qf6B27RG7r002268"), q2 + QStringLiteral("/qf6B27RG7r002268")));
        LocalTransport tree(dir.path(), QStringLiteral("tree"));
        const Result<QueueContents> q = readQueues(tree, debianPaths());
        QVERIFY(q);
        QCOMPARE(q->messages.size(), 3);  // two MTA queues and the submission queue
        QStringList folders;
        for (const QueuedMessage &m : q->messages)
            folders << m.directory;
        folders.sort();
        QCOMPARE(folders, (QStringList{QStringLiteral("/var/spool/mq/q1/qf"), QStringLiteral("/var/spool/mq/q2"),
                                       QStringLiteral("/var/spool/mqueue-client")}));
    }

    // ------------------------------------------------------------------ retry choice

    void messagesToRetry_byServerParentDomainOrTlsFailure()
    {
        QTemporaryDir dir;
        QVERIFY(copyTree(DataTree, dir.path()));
        LocalTransport tree(dir.path(), QStringLiteral("tree"));
        const Result<StuckMail> s = readStuckMail(tree, debianPaths());
        QVERIFY(s);
        const QStringList tls{QStringLiteral("6B27RG3p002244"), QStringLiteral("6B27RGQL002292"), QStringLiteral("6B27RNvX002534")};
        QCOMPARE(messagesToRetry(*s, {}, true), tls);
        QCOMPARE(messagesToRetry(*s, {QStringLiteral("MTA2.test")}, false), tls);
        QCOMPARE(messagesToRetry(*s, {QStringLiteral("test")}, false).size(), 4);  // not 127.0.1.1
        QCOMPARE(messagesToRetry(*s, {QStringLiteral("127.0.1.2")}, false), tls);
        // A message at two servers is retried once.
        QCOMPARE(messagesToRetry(*s, {QStringLiteral("mta3.test")}, true).size(), 4);
        QVERIFY(messagesToRetry(*s, {QStringLiteral("ta2.test")}, false).isEmpty());
        // A tree has no queue runner: refused before anything runs.
        const Result<RetryReport> r = retryMessages(tree, debianPaths(), *s, tls);
        QVERIFY(!r);
        QCOMPARE(r.error().kind, ErrorKind::Usage);
        const Result<RetryReport> bad = retryMessages(tree, debianPaths(), *s, {QStringLiteral("x;reboot")});
        QVERIFY(!bad);
        QCOMPARE(bad.error().kind, ErrorKind::InvalidInput);
    }

    // ------------------------------------------------------------------ big logs and queues

    // The tail first; an id whose lines are older than the tail is looked for in the whole
    // log and in the rotated one, and only the ids' lines come back.
    void readDeliveryLog_goesBackOnlyForIdsNotInTheTail()
    {
        QTemporaryDir dir;
        const QString logFile = dir.filePath(QStringLiteral("var/log/mail.log"));
        QVERIFY(QDir().mkpath(QFileInfo(logFile).path()));
        const QByteArray real = readAll(DataTree + QStringLiteral("/var/log/mail.log"));
        const QList<QByteArray> realLines = real.split('\n');
        QByteArray old, recent;
        for (const QByteArray &l : realLines) {
            if (l.contains("6B27RG7r002268"))
                old += l + '\n';        // refused: only at the start of mail.log
            else if (l.contains("6B27RNvX002534"))
                recent += l + '\n';     // TLS failure: in the tail
        }
        QByteArray rotated;
        for (const QByteArray &l : realLines)
            if (l.contains("6B27RGQL002292") && l.contains("to="))
                rotated += l + '\n';    // only in mail.log.1
        // 10 MiB of other messages' lines between them.
        QByteArray filler;
        const QByteArray other = realLines.value(2) + '\n';
        while (filler.size() < 10 * 1024 * 1024)
            filler += other;
        QVERIFY(writeAll(logFile, old + filler + recent));
        QVERIFY(writeAll(logFile + QStringLiteral(".1"), rotated));
        LocalTransport tree(dir.path(), QStringLiteral("tree"));
        const QStringList ids{QStringLiteral("6B27RG7r002268"), QStringLiteral("6B27RNvX002534"), QStringLiteral("6B27RGQL002292"),
                              QStringLiteral("6B27AAAAAAAAAA")};
        int runs = 0;
        tree.setCommandLog([&](const CommandLogEntry &) { ++runs; });
        const Result<DeliveryLog> log = readDeliveryLog(tree, ids);
        QVERIFY2(log, qPrintable(log ? QString() : log.error().message));
        QCOMPARE(runs, 2);  // the tail, then further back for the ids not in it
        QCOMPARE(log->source, QStringLiteral("/var/log/mail.log"));
        QVERIFY(log->lastAttempts.value(QStringLiteral("6B27RNvX002534")).value(0).tlsFailure);
        QCOMPARE(log->lastAttempts.value(QStringLiteral("6B27RG7r002268")).value(0).server, QStringLiteral("mta3.test"));
        QCOMPARE(log->lastAttempts.value(QStringLiteral("6B27RGQL002292")).size(), 2);
        QVERIFY(!log->lastAttempts.contains(QStringLiteral("6B27AAAAAAAAAA")));

        // All found in the tail: one run only.
        runs = 0;
        QVERIFY(readDeliveryLog(tree, {QStringLiteral("6B27RNvX002534")}));
        QCOMPARE(runs, 1);
    }

    // 5,000 queued messages, 40,000 log lines: all grouped right (the time is the bench's: ninja bench,
    // "queue by server").
    void readStuckMail_fiveThousandMessages()
    {
        QTemporaryDir dir;
        QVERIFY(copyTree(DataTree, dir.path()));
        const QString spool = dir.filePath(QStringLiteral("var/spool/mqueue"));
        const QByteArray tlsQf = readAll(spool + QStringLiteral("/qf6B27RNvX002534"));
        const QByteArray refusedQf = readAll(spool + QStringLiteral("/qf6B27RG7r002268"));
        const QByteArray tlsLine = [] {
            for (const QByteArray &l : readAll(DataTree + QStringLiteral("/var/log/mail.log")).split('\n'))
                if (l.contains("6B27RNvX002534: to="))
                    return l;
            return QByteArray();
        }();
        QVERIFY(!tlsLine.isEmpty());
        constexpr int Count = 5000;
        QByteArray log = readAll(DataTree + QStringLiteral("/var/log/mail.log"));
        for (int i = 0; i < Count; ++i) {
            const QString id = fakeId(i);
            const bool tls = i % 5 != 0;
            QByteArray qf = tls ? tlsQf : refusedQf;
            QVERIFY(writeAll(spool + QStringLiteral("/qf") + id, qf));
            QByteArray line = tlsLine;
            line.replace("6B27RNvX002534", id.toLatin1());
            if (!tls)
                line.replace("relay=mta2.test. [127.0.1.2], dsn=4.7.0, stat=Deferred: 454 4.7.0 TLS handshake failed.",
                             "relay=mx" + QByteArray::number(i % 7) + ".dead.test. [127.0.2.9], dsn=4.4.1, stat=Deferred: Connection refused by mx.dead.test.");
            for (int attempt = 0; attempt < 8; ++attempt)
                log += line + '\n';
        }
        QVERIFY(writeAll(dir.filePath(QStringLiteral("var/log/mail.log")), log));
        LocalTransport tree(dir.path(), QStringLiteral("tree"));
        QElapsedTimer clock;
        clock.start();
        const Result<StuckMail> s = readStuckMail(tree, debianPaths());
        const qint64 ms = clock.elapsed();
        QVERIFY(s);
        QCOMPARE(s->totalMessages, Count + 5);
        QVERIFY(!s->servers.isEmpty());
        QCOMPARE(s->servers[0].server, QStringLiteral("mta2.test"));
        QCOMPARE(s->servers[0].messages, Count * 4 / 5 + 3);
        QVERIFY(s->servers[0].tlsFailure);
        int refused = 0;
        for (const StuckServer &server : s->servers)
            if (server.server.endsWith(QLatin1String(".dead.test"))) {
                refused += server.messages;
                QVERIFY(!server.tlsFailure);
            }
        QCOMPARE(refused, Count / 5);
        struct rusage self {}, children {};
        getrusage(RUSAGE_SELF, &self);
        getrusage(RUSAGE_CHILDREN, &children);
        qInfo("5,000 queued messages, %lld KiB of log: %lld ms; peak RSS %ld MiB here, %ld MiB in the host-side scripts",
              qlonglong(log.size() / 1024), ms, self.ru_maxrss / 1024, children.ru_maxrss / 1024);
    }

    // The host-side scripts use POSIX sh and tools only: busybox's, with nothing else on PATH.
    void busyboxShell_readsQueueAndLog()
    {
        const QString busybox = QStandardPaths::findExecutable(QStringLiteral("busybox"));
        if (busybox.isEmpty())
            QSKIP("busybox is not installed (Debian package busybox): the POSIX-only check needs it");
        QTemporaryDir dir, bin;
        QVERIFY(copyTree(DataTree, dir.path()));
        QVERIFY(linkBusyboxApplets(busybox, bin.path()));
        const PathOverride path(bin.path().toLocal8Bit());
        LocalTransport tree(dir.path(), QStringLiteral("tree"));
        const Result<CommandResult> which = tree.run(CommandLine::shellScript(QStringLiteral("readlink /proc/$$/exe; command -v bash || echo no-bash")));
        QVERIFY(which && which->ok());
        QCOMPARE(which->out, (QFileInfo(busybox).canonicalFilePath() + QStringLiteral("\nno-bash\n")).toUtf8());
        const Result<StuckMail> s = readStuckMail(tree, debianPaths());
        QVERIFY2(s, qPrintable(s ? QString() : s.error().message));
        QCOMPARE(s->totalMessages, 5);
        QCOMPARE(s->servers.value(0).server, QStringLiteral("mta2.test"));
        QCOMPARE(s->servers.value(0).messages, 3);
        QVERIFY(s->servers.value(0).tlsFailure);
        QCOMPARE(s->logSource, QStringLiteral("/var/log/mail.log"));
    }
};

QTEST_GUILESS_MAIN(TestStuckMail)
#include "tst_stuckmail.moc"
