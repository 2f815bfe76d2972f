// The test hosts' world (tests/hosts/testhosts world; root only, skipped otherwise) is what the
// real world is to a sendmail host: its DNS gives MX records, and the servers behind them break
// the TLS handshake, refuse the connection, deliver over TLS, or accept and never answer. The
// tests of issue 12 (queue by server, mx, probe, retry) stand on these facts; this proves them
// with host 1's real sendmail, through MailHosts (tests/support).
// The times of `world start` and `world use` are printed (qInfo).

#include "MailHosts.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTest>

using smtls::testing::MailHosts;

namespace {

const int Host = 1;
const QString HandshakeFailed = QStringLiteral("stat=Deferred: 454 4.7.0 TLS handshake failed.");

// The receiver's file for RECIPIENT in its sessions.log ("S3 stored 0001-S3.eml from=<…> to=<…>").
QString storedFile(const QString &log, const QString &recipient)
{
    static const QRegularExpression stored(QStringLiteral("^S\\d+ stored (\\S+) from=\\S+ to=<([^>]*)>$"), QRegularExpression::MultilineOption);
    QString file;
    for (QRegularExpressionMatchIterator it = stored.globalMatch(log); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        if (m.captured(2) == recipient)
            file = m.captured(1);
    }
    return file;
}

} // namespace

class TestWorldTest : public QObject {
    Q_OBJECT

    MailHosts m_hosts;
    QString m_skip;

    // Host 1 sends to RECIPIENT (its MTA queue id in *id); the log line of the first delivery
    // attempt, or why there is none, in parentheses.
    QString attempt(const QString &recipient, QString *id)
    {
        const qsizetype from = m_hosts.mailLog(Host).size();
        const QString why = m_hosts.sendMail(Host, recipient, id);
        if (!why.isEmpty())
            return QStringLiteral("(not sent: %1)").arg(why);
        const QString line = m_hosts.waitForDeliveryLine(Host, *id, 30000, from);
        return line.isEmpty() ? QStringLiteral("(no attempt of %1 in 30 s; log:\n%2)").arg(*id, m_hosts.mailLog(Host).mid(from)) : line;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QElapsedTimer clock;
        clock.start();
        m_skip = m_hosts.up(1);
        const qint64 up = clock.restart();
        if (m_skip.isEmpty())
            m_skip = m_hosts.startWorld();
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        const qint64 world = clock.restart();
        const QString why = m_hosts.useWorldDns(Host);
        QVERIFY2(why.isEmpty(), qPrintable(why));
        qInfo("up 1 host %lld ms, world start %lld ms, world use %lld ms", up, world, clock.elapsed());
    }
    void init()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        const QString why = m_hosts.useWorldDns(Host);  // restore() stopped it
        QVERIFY2(why.isEmpty(), qPrintable(why));
    }
    void cleanup()
    {
        if (!m_skip.isEmpty())
            return;
        const QString host = m_hosts.restore(Host);
        QVERIFY2(host.isEmpty(), qPrintable(host));
        const QString world = m_hosts.restoreWorld();
        QVERIFY2(world.isEmpty(), qPrintable(world));
    }
    void cleanupTestCase() { m_hosts.down(); }

    // sendmail -bt on the host answers with the world's MX records, in preference order.
    void mxAsTheHostSeesIt()
    {
        QCOMPARE(m_hosts.mxHosts(Host, QStringLiteral("stuck.test")), QStringList{QStringLiteral("mx.broken.test.")});
        QCOMPARE(m_hosts.mxHosts(Host, QStringLiteral("hosted.test")), QStringList{QStringLiteral("mx.broken.test.")});
        QCOMPARE(m_hosts.mxHosts(Host, QStringLiteral("dead.test")), QStringList{QStringLiteral("mx.dead.test.")});
        QCOMPARE(m_hosts.mxHosts(Host, QStringLiteral("good.test")), QStringList{QStringLiteral("mx.good.test.")});
        QCOMPARE(m_hosts.mxHosts(Host, QStringLiteral("backup.test")), (QStringList{QStringLiteral("mx.dead.test."), QStringLiteral("mx.good.test.")}));
        QCOMPARE(m_hosts.mxHosts(Host, QStringLiteral("aonly.test")), QStringList{QStringLiteral("aonly.test.")});  // no MX: the name itself
        QCOMPARE(m_hosts.mxHosts(Host, QStringLiteral("nowhere.test")), QStringList());
        QVERIFY2(m_hosts.worldDnsLog().contains(QLatin1String("query[MX] stuck.test from ")), qPrintable(m_hosts.worldDnsLog()));
        // a record added at run time, and gone after restoreWorld()
        QVERIFY(m_hosts.addWorldMx(QStringLiteral("later.test"), QStringLiteral("mx.good.test"), 5).isEmpty());
        QCOMPARE(m_hosts.mxHosts(Host, QStringLiteral("later.test")), QStringList{QStringLiteral("mx.good.test.")});
        QVERIFY(m_hosts.restoreWorld().isEmpty());
        QCOMPARE(m_hosts.mxHosts(Host, QStringLiteral("later.test")), QStringList());
        // shell text is not a domain
        QVERIFY(!m_hosts.addWorldMx(QStringLiteral("x;reboot.test"), QStringLiteral("mx.good.test"), 5).isEmpty());
    }

    // The broken MX: the message stays queued, deferred by the handshake, logged with the server.
    void stuckOnTheHandshake()
    {
        QString id;
        const QString line = attempt(QStringLiteral("someone@stuck.test"), &id);
        QVERIFY2(line.contains(QLatin1String("relay=mx.broken.test. [127.0.2.1]")) && line.contains(HandshakeFailed), qPrintable(line));
        QVERIFY2(m_hosts.mailLog(Host).contains(QLatin1String("STARTTLS=client, error: connect failed=-1, reason=wrong version number")),
                 qPrintable(m_hosts.mailLog(Host)));
        QVERIFY2(m_hosts.queueIds(Host).contains(id), qPrintable(m_hosts.queueIds(Host).join(QLatin1Char(' '))));
        QVERIFY2(m_hosts.worldReceiverLog(QStringLiteral("broken")).contains(QLatin1String(" starttls broken")),
                 qPrintable(m_hosts.worldReceiverLog(QStringLiteral("broken"))));
        QVERIFY(storedFile(m_hosts.worldReceiverLog(QStringLiteral("broken")), QStringLiteral("someone@stuck.test")).isEmpty());
        // a second domain behind the same server fails the same way
        QString second;
        const QString hosted = attempt(QStringLiteral("other@hosted.test"), &second);
        QVERIFY2(hosted.contains(QLatin1String("relay=mx.broken.test. [127.0.2.1]")) && hosted.contains(HandshakeFailed), qPrintable(hosted));
        QStringList both{id, second};
        both.sort();
        QCOMPARE(m_hosts.queueIds(Host), both);
    }

    // Nothing listens behind mx.dead.test: refused, deferred, no TLS involved.
    void refused()
    {
        QString id;
        const QString line = attempt(QStringLiteral("someone@dead.test"), &id);
        QVERIFY2(line.contains(QLatin1String("relay=mx.dead.test. [127.0.2.3]")) && line.contains(QLatin1String("stat=Deferred: Connection refused by mx.dead.test.")),
                 qPrintable(line));
        QVERIFY(m_hosts.queueIds(Host).contains(id));
        QCOMPARE(MailHosts::greeting(MailHosts::worldAddress(QStringLiteral("dead")), 25, 2), QString());
    }

    // The good MX: delivered over TLS, the receiver saw STARTTLS and stored the message.
    void deliveredOverTls()
    {
        QString id;
        const QString recipient = QStringLiteral("someone@good.test");
        const QString line = attempt(recipient, &id);
        QVERIFY2(line.contains(QLatin1String("relay=mx.good.test. [127.0.2.2]")) && line.contains(QLatin1String("stat=Sent")), qPrintable(line));
        QVERIFY2(m_hosts.mailLog(Host).contains(QLatin1String("STARTTLS=client, relay=mx.good.test., version=TLSv1.")), qPrintable(m_hosts.mailLog(Host)));
        QVERIFY(!m_hosts.queueIds(Host).contains(id));
        const QString log = m_hosts.worldReceiverLog(QStringLiteral("good"));
        QVERIFY2(log.contains(QLatin1String(" starttls ok TLSv1.")), qPrintable(log));
        const QString file = storedFile(log, recipient);
        QVERIFY2(!file.isEmpty() && line.contains(QStringLiteral("stored as ") + file), qPrintable(log + line));
        const QByteArray message = m_hosts.worldReceivedMessage(QStringLiteral("good"), file);
        QVERIFY2(message.startsWith("X-Receiver: ") && message.contains("starttls=yes") && message.contains(" tls=TLSv1."), message.constData());
        // the primary refuses, the backup (preference 20) takes it
        QString backupId;
        const QString backup = attempt(QStringLiteral("someone@backup.test"), &backupId);
        QVERIFY2(backup.contains(QLatin1String("relay=mx.good.test. [127.0.2.2]")) && backup.contains(QLatin1String("stat=Sent")), qPrintable(backup));
    }

    // The silent server accepts the connection and says nothing; switched to plain, it greets.
    void silentNeverAnswers()
    {
        const QString address = MailHosts::worldAddress(QStringLiteral("silent"));
        QElapsedTimer clock;
        clock.start();
        QCOMPARE(MailHosts::greeting(address, 25, 2), QString());
        QVERIFY(clock.elapsed() >= 1900);  // it waited: the connection was accepted, not refused
        QVERIFY2(m_hosts.worldReceiverLog(QStringLiteral("silent")).contains(QLatin1String("S1 silent")),
                 qPrintable(m_hosts.worldReceiverLog(QStringLiteral("silent"))));
        QVERIFY(m_hosts.setWorldReceiverMode(QStringLiteral("silent"), QStringLiteral("plain")).isEmpty());
        QVERIFY2(MailHosts::greeting(address, 25, 5).startsWith(QLatin1String("220 ")), qPrintable(MailHosts::greeting(address, 25, 5)));
        QVERIFY(m_hosts.setWorldReceiverMode(QStringLiteral("silent"), QStringLiteral("off")).isEmpty());
        clock.restart();
        QCOMPARE(MailHosts::greeting(address, 25, 5), QString());
        QVERIFY(clock.elapsed() < 1900);  // refused at once
        QVERIFY(!m_hosts.setWorldReceiverMode(QStringLiteral("silent"), QStringLiteral("loud")).isEmpty());
    }

    // restore() puts the host back: queues empty, name resolution from /etc/hosts only.
    void restorePutsTheHostBack()
    {
        QString id;
        QVERIFY(attempt(QStringLiteral("someone@stuck.test"), &id).contains(HandshakeFailed));
        QVERIFY(!m_hosts.queueIds(Host).isEmpty());
        QVERIFY(m_hosts.restore(Host).isEmpty());
        QCOMPARE(m_hosts.queueIds(Host), QStringList());
        QCOMPARE(m_hosts.mxHosts(Host, QStringLiteral("stuck.test")), QStringList());
        QString resolv;
        m_hosts.exec(Host, QStringLiteral("cat /etc/resolv.conf; grep '^hosts' /etc/nsswitch.conf /etc/mail/service.switch"), &resolv);
        QVERIFY2(!resolv.contains(MailHosts::worldDnsAddress()) && !resolv.contains(QLatin1String("dns")), qPrintable(resolv));
    }
};

int main(int argc, char **argv)
{
    smtls::testing::TestHosts::enterPrivateNetwork(argc, argv);
    QCoreApplication app(argc, argv);
    TestWorldTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_testworld.moc"
