// From the symptom to the fix on a real host (issue 12, items 1 and 4): mail deferred by a
// server that breaks the TLS handshake is found by `sendmail-tls queue` under that server with
// tlsFailure, the server that refuses connections is listed but not flagged, and after the fix
// `sendmail-tls retry` delivers exactly those messages while the refused one stays deferred —
// over SSH (--host) and on "this computer" (the program run inside the host).
// Hosts: tests/hosts/testhosts (root only, skipped otherwise) with its world: DNS with MX
// records, mx.broken.test (127.0.2.1, breaks the handshake) for stuck.test and hosted.test,
// mx.dead.test (127.0.2.3, nothing listens) for dead.test.
// SMTLS_TEST_VERBOSE=1 prints the timings.

#include "MailHosts.h"
#include "TestFiles.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using smtls::testing::MailHosts;

namespace {

const int A = 1;
const QString Broken = QStringLiteral("mx.broken.test");
const QString Dead = QStringLiteral("mx.dead.test");
const int WaitMs = 60000;

struct CliRun {
    int code = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject host() const
    {
        return QJsonDocument::fromJson(out).object().value(QStringLiteral("hosts")).toArray().first().toObject();
    }
    QString text() const { return QString::fromUtf8(out + err); }
};

QJsonObject serverIn(const QJsonObject &host, const QString &name)
{
    for (const QJsonValue &s : host.value(QStringLiteral("servers")).toArray())
        if (s[QLatin1String("server")].toString() == name)
            return s.toObject();
    return {};
}

QStringList stringsOf(const QJsonValue &array)
{
    QStringList out;
    for (const QJsonValue &v : array.toArray())
        out << v.toString();
    return out;
}

// The retry result per id.
QHash<QString, QJsonObject> resultsById(const QJsonObject &host)
{
    QHash<QString, QJsonObject> out;
    for (const QJsonValue &m : host.value(QStringLiteral("messages")).toArray())
        out.insert(m[QLatin1String("id")].toString(), m.toObject());
    return out;
}

} // namespace

class StuckMailTest : public QObject {
    Q_OBJECT

    MailHosts m_hosts;
    QString m_skip;
    QTemporaryDir m_home;
    QElapsedTimer m_clock;
    int m_serial = 0;
    bool m_touched = false;  // host A has mail and changes to undo

    void mark(const QString &what)
    {
        if (qEnvironmentVariableIsSet("SMTLS_TEST_VERBOSE"))
            qDebug("%7.2f s %s", double(m_clock.elapsed()) / 1000.0, qPrintable(what));
    }

    // The real program: over SSH (`--host mta1`), or inside host A as its own "this computer".
    CliRun cli(const QStringList &args, bool overSsh = true)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), m_home.path());
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("share")));
        p.setProcessEnvironment(env);
        const QString program = QStringLiteral(SMTLS_BIN_DIR "/sendmail-tls");
        if (overSsh)
            p.start(program, QStringList{QStringLiteral("--host"), QStringLiteral("mta%1").arg(A), QStringLiteral("--ssh-config"),
                                         m_hosts.sshConfig()} + args);
        else  // testhosts exec DIR I -- PROGRAM ARGS: the host's own files, queue and log
            p.start(QStringLiteral(SMTLS_SOURCE_DIR "/tests/hosts/testhosts"),
                    QStringList{QStringLiteral("exec"), m_hosts.dir(), QString::number(A), QStringLiteral("--"), program} + args);
        CliRun r;
        if (!p.waitForFinished(180000)) {
            p.kill();
            p.waitForFinished();
            r.err = "sendmail-tls did not finish within 180 s";
            return r;
        }
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        mark(QStringLiteral("sendmail-tls %1%2 -> %3").arg(overSsh ? QString() : QStringLiteral("(on the host) "), args.join(QLatin1Char(' '))).arg(r.code));
        return r;
    }

    QString exec(const QString &script)
    {
        QString out;
        m_hosts.exec(A, script, &out);
        return out;
    }

    // A message to RCPT queued on A's MTA (not tried yet).
    QString submit(const QString &local, const QString &domain)
    {
        const QString rcpt = QStringLiteral("%1-%2@%3").arg(local).arg(++m_serial).arg(domain);
        QString out;
        if (m_hosts.exec(A, QStringLiteral("printf 'Subject: %1\\n\\nstuck\\n' | sendmail -Am -odq -oi -f sender@mta1.test '%1'").arg(rcpt), &out) != 0)
            qWarning("submit %s: %s", qPrintable(rcpt), qPrintable(out));
        return rcpt;
    }

    // Runs A's queue until its log has a deferred attempt for every recipient (a daemon's queue
    // run may hold a message meanwhile). Empty when so, else what is missing.
    QString deferAll(const QStringList &rcpts)
    {
        QElapsedTimer t;
        t.start();
        for (;;) {
            const QString log = m_hosts.mailLog(A);
            QStringList missing = rcpts;
            for (const QString &line : log.split(QLatin1Char('\n')))
                if (line.contains(QLatin1String("stat=Deferred")))
                    for (const QString &r : rcpts)
                        if (line.contains(QStringLiteral("to=") + r + QStringLiteral(", ")))
                            missing.removeAll(r);
            if (missing.isEmpty())
                return {};
            if (t.elapsed() > WaitMs)
                return QStringLiteral("never deferred: %1; A's log:\n%2").arg(missing.join(QLatin1Char(' ')), log.right(4000));
            exec(QStringLiteral("sendmail -qf >/dev/null 2>&1"));  // -q alone forks and returns at once
            mark(QStringLiteral("queue run; waiting for ") + missing.join(QLatin1Char(' ')));
            QThread::msleep(300);
        }
    }

    // The world receiver NAME's log ("S<n> stored FILE from=<…> to=<…>").
    QString receiverLog(const QString &name) const
    {
        return QString::fromUtf8(smtls::testing::readAll(m_hosts.dir() + QStringLiteral("/world/%1/sessions.log").arg(name)));
    }

    // Stuck mail as the story has it: two domains behind one MX that breaks the
    // handshake, one whose MX refuses. The three recipients, in that order.
    QStringList makeStuckMail(const QString &tag)
    {
        m_touched = true;
        const QStringList rcpts{submit(tag, QStringLiteral("stuck.test")), submit(tag, QStringLiteral("hosted.test")),
                                submit(tag, QStringLiteral("dead.test"))};
        const QString why = deferAll(rcpts);
        if (!why.isEmpty())
            return {why};
        mark(QStringLiteral("stuck: ") + rcpts.join(QLatin1Char(' ')));
        return rcpts;
    }

    // queue --json of host A: the broken server flagged, the refused one not. Empty when so.
    static QString checkQueue(const CliRun &q, QStringList *brokenIds, QStringList *deadIds)
    {
        if (q.code != 0)
            return QStringLiteral("queue failed: ") + q.text();
        const QJsonObject host = q.host();
        if (host.value(QStringLiteral("logSource")).toString() != QLatin1String("/var/log/mail.log"))
            return QStringLiteral("logSource: ") + q.text();
        const QJsonArray servers = host.value(QStringLiteral("servers")).toArray();
        if (servers.size() != 2 || servers.first()[QLatin1String("server")].toString() != Broken)
            return QStringLiteral("not the two servers, the broken one first: ") + q.text();
        const QJsonObject broken = serverIn(host, Broken), dead = serverIn(host, Dead);
        if (!broken.value(QStringLiteral("tlsFailure")).toBool() || dead.value(QStringLiteral("tlsFailure")).toBool(true))
            return QStringLiteral("tlsFailure wrong: ") + q.text();
        if (broken.value(QStringLiteral("messages")).toInt() != 2 || dead.value(QStringLiteral("messages")).toInt() != 1)
            return QStringLiteral("message counts: ") + q.text();
        if (stringsOf(broken.value(QStringLiteral("domains"))) != QStringList{QStringLiteral("hosted.test"), QStringLiteral("stuck.test")}
            || broken.value(QStringLiteral("address")).toString() != QLatin1String("127.0.2.1")
            || !broken.value(QStringLiteral("lastStatus")).toString().contains(QLatin1String("TLS handshake failed"))
            || broken.value(QStringLiteral("serverFrom")).toString() != QLatin1String("log"))
            return QStringLiteral("the broken server's details: ") + q.text();
        if (!dead.value(QStringLiteral("lastStatus")).toString().contains(QLatin1String("Connection refused")))
            return QStringLiteral("the refused server's status: ") + q.text();
        const QDateTime oldest = QDateTime::fromString(broken.value(QStringLiteral("oldest")).toString(), Qt::ISODate);
        if (!oldest.isValid() || std::abs(oldest.secsTo(QDateTime::currentDateTimeUtc())) > 600)
            return QStringLiteral("oldest is not a recent ISO-8601 time: ") + q.text();
        if (!host.value(QStringLiteral("unknownServer")).toArray().isEmpty())
            return QStringLiteral("messages without a server: ") + q.text();
        *brokenIds = stringsOf(broken.value(QStringLiteral("ids")));
        *deadIds = stringsOf(dead.value(QStringLiteral("ids")));
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_clock.start();
        m_skip = m_hosts.up(1);
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        QString out;
        const int rc = m_hosts.call(QStringLiteral("world"), {QStringLiteral("start")}, &out);
        if (rc == 77) {
            m_skip = QStringLiteral("the test world cannot run here: ") + out.trimmed();
            QSKIP(qPrintable(m_skip));
        }
        QVERIFY2(rc == 0, qPrintable(out));
        QVERIFY2(m_hosts.call(QStringLiteral("world"), {QStringLiteral("use"), QString::number(A)}, &out) == 0, qPrintable(out));
        QVERIFY(m_home.isValid());
        mark(QStringLiteral("hosts and world up"));
    }
    void init()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
    }
    void cleanup()
    {
        if (!m_skip.isEmpty() || !m_touched)
            return;
        m_touched = false;
        // A queue run still going rewrites the qf files it holds: delete until they stay gone.
        exec(QStringLiteral("for i in 1 2 3 4 5 6 7 8 9 10; do find /var/spool/mqueue /var/spool/mqueue-client -maxdepth 1 -type f -delete;"
                            " sleep 0.5; [ -z \"$(find /var/spool/mqueue /var/spool/mqueue-client -maxdepth 1 -type f)\" ] && break; done"));
        const QString problems = m_hosts.restore(A);
        QVERIFY2(problems.isEmpty(), qPrintable(problems));
        QString out;
        QVERIFY2(m_hosts.call(QStringLiteral("world"), {QStringLiteral("reset")}, &out) == 0, qPrintable(out));
    }
    void cleanupTestCase() { m_hosts.down(); }

    // Bad input: nothing runs on a host (exit 3 before connecting: a host that does not exist
    // would be exit 6).
    void retry_refusesHostileServerNames_data()
    {
        QTest::addColumn<QString>("server");
        QTest::newRow("semicolon") << QStringLiteral("mx.broken.test;touch /tmp/owned");
        QTest::newRow("space") << QStringLiteral("mx.broken.test other");
        QTest::newRow("newline") << QStringLiteral("mx.broken.test\n-qR");
        QTest::newRow("command substitution") << QStringLiteral("$(reboot)");
        QTest::newRow("backquote") << QStringLiteral("`id`");
    }
    void retry_refusesHostileServerNames()
    {
        QFETCH(QString, server);
        QProcess p;
        p.start(QStringLiteral(SMTLS_BIN_DIR "/sendmail-tls"), {QStringLiteral("--host"), QStringLiteral("no-such-host.invalid"),
                                                                QStringLiteral("retry"), server});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 3);
        QVERIFY(p.readAllStandardError().contains("is not a valid destination"));
    }

    // (1) + (4) over SSH: found by server, fixed, retried; the refused message stays.
    void stuckMail_foundByServer_retriedAfterTheFix()
    {
        const QStringList rcpts = makeStuckMail(QStringLiteral("ssh"));
        QVERIFY2(rcpts.size() == 3, qPrintable(rcpts.join(QLatin1Char('\n'))));
        QElapsedTimer story;
        story.start();

        const CliRun q = cli({QStringLiteral("queue"), QStringLiteral("--json")});
        QStringList brokenIds, deadIds;
        const QString wrong = checkQueue(q, &brokenIds, &deadIds);
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
        QCOMPARE(brokenIds.size(), 2);

        // The text names the server and the command that fixes it.
        const CliRun text = cli({QStringLiteral("queue")});
        QVERIFY2(text.code == 0, qPrintable(text.text()));
        QVERIFY2(text.text().contains(QStringLiteral("fix: sendmail-tls --host mta1 set destination mx.broken.test ")), qPrintable(text.text()));
        QVERIFY2(text.text().indexOf(Broken) < text.text().indexOf(Dead), qPrintable(text.text()));

        // Before the fix, a retry changes nothing: still deferred on the handshake.
        const CliRun early = cli({QStringLiteral("retry"), Broken, QStringLiteral("--json")});
        QVERIFY2(early.code == 0, qPrintable(early.text()));
        for (const QJsonObject &m : resultsById(early.host()))
            QVERIFY2(m.value(QStringLiteral("result")).toString() == QLatin1String("deferred")
                         && m.value(QStringLiteral("status")).toString().startsWith(QLatin1String("Deferred"))
                         && m.value(QStringLiteral("tlsFailure")).toBool(),
                     qPrintable(early.text()));
        QCOMPARE(resultsById(early.host()).size(), 2);

        // The fix (no restart: only the access map is rebuilt, so no daemon queue run delivers
        // the messages before our retry does).
        const CliRun fix = cli({QStringLiteral("set"), QStringLiteral("destination"), Broken, QStringLiteral("off"),
                                QStringLiteral("--expires"), QStringLiteral("7d"), QStringLiteral("--reason"), QStringLiteral("handshake fails")});
        QVERIFY2(fix.code == 0, qPrintable(fix.text()));

        const CliRun retry = cli({QStringLiteral("retry"), QStringLiteral("--tls-failures"), QStringLiteral("--json")});
        QVERIFY2(retry.code == 0, qPrintable(retry.text()));
        const QHash<QString, QJsonObject> results = resultsById(retry.host());
        QCOMPARE(QSet<QString>(results.keyBegin(), results.keyEnd()), QSet<QString>(brokenIds.begin(), brokenIds.end()));
        for (const QJsonObject &m : results) {
            QVERIFY2(m.value(QStringLiteral("result")).toString() == QLatin1String("delivered"), qPrintable(retry.text()));
            QVERIFY2(m.value(QStringLiteral("status")).toString().startsWith(QLatin1String("Sent")), qPrintable(retry.text()));
            QCOMPARE(m.value(QStringLiteral("server")).toString(), Broken);
        }
        const qint64 toDelivered = story.elapsed();
        // The receiver really has them, in clear.
        const QString received = receiverLog(QStringLiteral("broken"));
        QVERIFY2(received.contains(QStringLiteral("to=<%1>").arg(rcpts[0])) && received.contains(QStringLiteral("to=<%1>").arg(rcpts[1])),
                 qPrintable(received));

        // The refused one: retried, still deferred, with its status.
        const CliRun refused = cli({QStringLiteral("retry"), Dead, QStringLiteral("--json")});
        QVERIFY2(refused.code == 0, qPrintable(refused.text()));
        const QHash<QString, QJsonObject> r = resultsById(refused.host());
        QCOMPARE(r.keys(), deadIds);
        QCOMPARE(r.value(deadIds.first()).value(QStringLiteral("result")).toString(), QStringLiteral("deferred"));
        QVERIFY2(r.value(deadIds.first()).value(QStringLiteral("status")).toString().contains(QLatin1String("Connection refused")),
                 qPrintable(refused.text()));

        // And the queue now holds only it.
        const CliRun after = cli({QStringLiteral("queue"), QStringLiteral("--json")});
        QVERIFY2(after.code == 0, qPrintable(after.text()));
        QCOMPARE(after.host().value(QStringLiteral("servers")).toArray().size(), 1);
        QVERIFY(!serverIn(after.host(), Dead).isEmpty());
        qInfo("over SSH: from 'queue' to 'delivered' (queue, queue, retry, set, retry) %lld ms", toDelivered);
    }

    // The log rotated away: the messages are placed by the MX answer of the host's sendmail,
    // and the qf status still tells the handshake failure from the refusal.
    void stuckMail_logRotated_placedByMx()
    {
        const QStringList rcpts = makeStuckMail(QStringLiteral("rotated"));
        QVERIFY2(rcpts.size() == 3, qPrintable(rcpts.join(QLatin1Char('\n'))));
        exec(QStringLiteral(": > /var/log/mail.log"));
        const CliRun q = cli({QStringLiteral("queue"), QStringLiteral("--json")});
        QVERIFY2(q.code == 0, qPrintable(q.text()));
        const QJsonObject host = q.host();
        const QJsonObject broken = serverIn(host, Broken), dead = serverIn(host, Dead);
        QVERIFY2(!broken.isEmpty() && !dead.isEmpty(), qPrintable(q.text()));
        QCOMPARE(broken.value(QStringLiteral("serverFrom")).toString(), QStringLiteral("mx"));
        QCOMPARE(dead.value(QStringLiteral("serverFrom")).toString(), QStringLiteral("mx"));
        QCOMPARE(broken.value(QStringLiteral("messages")).toInt(), 2);
        QVERIFY(broken.value(QStringLiteral("tlsFailure")).toBool());
        QVERIFY(!dead.value(QStringLiteral("tlsFailure")).toBool(true));
        QVERIFY(broken.value(QStringLiteral("address")).isNull());
        QVERIFY2(stringsOf(host.value(QStringLiteral("notes"))).join(QLatin1Char(' ')).contains(QLatin1String("not in the mail log")),
                 qPrintable(q.text()));
        QVERIFY(host.value(QStringLiteral("unknownServer")).toArray().isEmpty());
    }

    // The same on "this computer": the program inside the host reads its own queue and log
    // through the local transport, and runs its own sendmail.
    void stuckMail_onThisComputer()
    {
        const QStringList rcpts = makeStuckMail(QStringLiteral("local"));
        QVERIFY2(rcpts.size() == 3, qPrintable(rcpts.join(QLatin1Char('\n'))));
        const CliRun q = cli({QStringLiteral("queue"), QStringLiteral("--json")}, false);
        QStringList brokenIds, deadIds;
        const QString wrong = checkQueue(q, &brokenIds, &deadIds);
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
        QCOMPARE(q.host().value(QStringLiteral("host")).toString(), QStringLiteral("localhost"));

        const CliRun fix = cli({QStringLiteral("set"), QStringLiteral("destination"), Broken, QStringLiteral("off"),
                                QStringLiteral("--expires"), QStringLiteral("7d")}, false);
        QVERIFY2(fix.code == 0, qPrintable(fix.text()));
        const CliRun retry = cli({QStringLiteral("retry"), Broken, Dead}, false);
        QVERIFY2(retry.code == 0, qPrintable(retry.text()));
        QVERIFY2(retry.text().contains(QLatin1String("2 of 3 delivered")), qPrintable(retry.text()));
        for (const QString &id : brokenIds)
            QVERIFY2(retry.text().contains(QStringLiteral("%1  %2  delivered").arg(id, Broken)), qPrintable(retry.text()));
        QVERIFY2(retry.text().contains(QStringLiteral("%1  %2  deferred").arg(deadIds.value(0), Dead)), qPrintable(retry.text()));
    }
};

int main(int argc, char **argv)
{
    smtls::testing::TestHosts::enterPrivateNetwork(argc, argv);
    QCoreApplication app(argc, argv);
    StuckMailTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_stuckmail.moc"
