// Mail that is stuck on a broken TLS handshake really goes out once `sendmail-tls` sets a
// fallback to clear text, and exceptions that expire really end (issue 11), on real hosts
// (tests/hosts/testhosts; root only, skipped otherwise):
//   host 1 (mta1.test, "A") is the sender, managed over SSH by the real `sendmail-tls` program;
//   host 2 (mta2.test, "B") runs tests/hosts/smtp-receiver in place of its sendmail: it offers
//   STARTTLS, answers the ClientHello with plain text, and otherwise accepts mail in clear.
// A sends mail for relay.test to [mta2.test] (mailertable + its /etc/hosts; loopback only, no
// DNS). Each case starts from the state `up` left A in, with an empty queue.
// SMTLS_TEST_VERBOSE=1 prints the timings.

#include "MailHosts.h"
#include "TestFiles.h"

#include <QDate>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using smtls::testing::MailHosts;

namespace {

const int A = 1;  // the sender, changed by sendmail-tls
const int B = 2;  // the receiver whose TLS handshake fails
const QString Server = QStringLiteral("mta2.test");  // what sendmail calls B ({server_name})
const QString ServerAddr = QStringLiteral("127.0.1.2");
const QString Domain = QStringLiteral("relay.test");  // recipients' domain, routed to [mta2.test]
const QString HandshakeFailed = QStringLiteral("454 4.7.0 TLS handshake failed.");
const int DeliveryWaitMs = 60000;

struct CliRun {
    int code = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
    // The one host's object of a --host run's JSON ({"hosts": [ … ]}).
    QJsonObject host() const { return json().value(QStringLiteral("hosts")).toArray().first().toObject(); }
    QString text() const { return QString::fromUtf8(out + err); }
};

QString stepStates(const QJsonObject &host)
{
    QStringList s;
    for (const QJsonValue &step : host.value(QStringLiteral("steps")).toArray())
        s << step[QLatin1String("step")].toString() + QLatin1Char('=') + step[QLatin1String("state")].toString();
    return s.join(QLatin1Char(' '));
}

// The destination rule of `status --json` for NAME (empty: none).
QJsonObject destinationIn(const QJsonObject &statusHost, const QString &name)
{
    for (const QJsonValue &d : statusHost.value(QStringLiteral("destinations")).toArray())
        if (d[QLatin1String("destination")].toString() == name)
            return d.toObject();
    return {};
}

QStringList problemMessages(const QJsonObject &statusHost)
{
    QStringList out;
    for (const QJsonValue &p : statusHost.value(QStringLiteral("problems")).toArray())
        out << p[QLatin1String("message")].toString();
    return out;
}

// Lines of a syslog text written by process PID ("… sm-mta[PID]: …" or "… sendmail[PID]: …").
QStringList linesOf(const QString &log, const QString &pid)
{
    QStringList out;
    const QString tag = QLatin1Char('[') + pid + QStringLiteral("]: ");
    for (const QString &line : log.split(QLatin1Char('\n')))
        if (line.contains(tag))
            out << line;
    return out;
}

} // namespace

class FallbackDeliveryTest : public QObject {
    Q_OBJECT

    MailHosts m_hosts;
    QString m_skip;
    QTemporaryDir m_home;  // this computer's side of sendmail-tls (snapshot store)
    QElapsedTimer m_clock;
    int m_serial = 0;

    void mark(const QString &what)
    {
        if (qEnvironmentVariableIsSet("SMTLS_TEST_VERBOSE"))
            qDebug("%7.2f s %s", double(m_clock.elapsed()) / 1000.0, qPrintable(what));
    }

    // The real program; with onHost, as `sendmail-tls --host mta1 --ssh-config … ARGS`.
    CliRun cli(const QStringList &args, bool onHost = true)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), m_home.path());
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("share")));
        QProcess p;
        p.setProcessEnvironment(env);
        const QStringList hostArgs{QStringLiteral("--host"), QStringLiteral("mta%1").arg(A), QStringLiteral("--ssh-config"), m_hosts.sshConfig()};
        p.start(QStringLiteral(SMTLS_BIN_DIR "/sendmail-tls"), (onHost ? hostArgs : QStringList()) + args);
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
        mark(QStringLiteral("sendmail-tls %1 -> %2").arg(args.join(QLatin1Char(' '))).arg(r.code));
        return r;
    }

    QString exec(int host, const QString &script)
    {
        QString out;
        m_hosts.exec(host, script, &out);
        return out;
    }

    // A new message from A to a recipient of its own, queued (not tried yet).
    QString submit(const QString &what)
    {
        const QString rcpt = QStringLiteral("%1-%2@%3").arg(what).arg(++m_serial).arg(Domain);
        QString out;
        const int rc = m_hosts.exec(A,
                                    QStringLiteral("printf 'Subject: %1\\nTo: %1\\n\\nthis went out in clear text\\n'"
                                                   " | sendmail -Am -odq -oi -f sender@mta1.test '%1'")
                                        .arg(rcpt),
                                    &out);
        if (rc != 0)
            qWarning("submit %s: %d %s", qPrintable(rcpt), rc, qPrintable(out));
        return rcpt;
    }

    // A's log line for the delivery attempt of RCPT in LOG that matches STATUS ("" when none).
    static QString attemptLine(const QString &log, const QString &rcpt, const QString &status)
    {
        QString found;
        for (const QString &line : log.split(QLatin1Char('\n')))
            if ((line.contains(QStringLiteral("to=") + rcpt + QLatin1Char(',')) || line.contains(QStringLiteral("to=<") + rcpt + QStringLiteral(">,")))
                && line.contains(status))
                found = line;
        return found;
    }

    // Runs A's queue (`sendmail -qf`: in the foreground) until A's log, after FROM, says STATUS for
    // RCPT; a daemon's queue run may hold the message's lock meanwhile, so this retries.
    QString runQueueUntil(const QString &rcpt, const QString &status, qsizetype from)
    {
        QElapsedTimer t;
        t.start();
        for (;;) {
            const QString line = attemptLine(m_hosts.mailLog(A).mid(from), rcpt, status);
            if (!line.isEmpty() || t.elapsed() > DeliveryWaitMs)
                return line;
            exec(A, QStringLiteral("sendmail -qf >/dev/null 2>&1"));  // exits 65 after a Try_TLS NO: judged by the log
            QThread::msleep(300);
        }
    }

    // Queue a message on A and see it stuck: deferred with the handshake failure in A's log and
    // in mailq. Its recipient in *rcpt; empty when so, else what went otherwise.
    QString stuckMessage(const QString &what, QString *rcpt)
    {
        const qsizetype from = m_hosts.mailLog(A).size();
        *rcpt = submit(what);
        const QString line = runQueueUntil(*rcpt, QStringLiteral("stat=Deferred: ") + HandshakeFailed, from);
        if (line.isEmpty())
            return QStringLiteral("%1 was not deferred with \"%2\"; A's log:\n%3").arg(*rcpt, HandshakeFailed, m_hosts.mailLog(A).mid(from));
        if (!line.contains(QStringLiteral("relay=%1. [%2]").arg(Server, ServerAddr)))
            return QStringLiteral("the attempt went elsewhere: ") + line;
        const QString queue = exec(A, QStringLiteral("mailq"));
        if (!queue.contains(*rcpt) || !queue.contains(QStringLiteral("(Deferred: ") + HandshakeFailed + QLatin1Char(')')))
            return QStringLiteral("mailq on A does not show %1 deferred:\n%2").arg(*rcpt, queue);
        if (m_hosts.receiverLog(B).contains(*rcpt))
            return QStringLiteral("B has %1 although A deferred it").arg(*rcpt);
        mark(QStringLiteral("stuck: ") + *rcpt);
        return {};
    }

    // How a message reached B, told by both sides.
    struct Delivery {
        QString aLine;           // A's "stat=Sent" line
        QStringList aProcess;    // every line A's delivering process logged after the change
        QString file;            // B's file for it
        QString session;         // B's session that stored it ("S7")
        QStringList bSessions;   // B's log after the change
        QByteArray message;      // the stored message
        QString problem;         // why it does not count as delivered
    };

    // Waits (running A's queue) until RCPT is at B; A's and B's logs are read after the offsets.
    Delivery delivered(const QString &rcpt, qsizetype aFrom, qsizetype bFrom)
    {
        Delivery d;
        d.aLine = runQueueUntil(rcpt, QStringLiteral("stat=Sent"), aFrom);
        const QString bLog = m_hosts.receiverLog(B).mid(bFrom);
        d.bSessions = bLog.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        if (d.aLine.isEmpty()) {
            d.problem = QStringLiteral("A never logged stat=Sent for %1; A's log:\n%2\nB's log:\n%3").arg(rcpt, m_hosts.mailLog(A).mid(aFrom), bLog);
            return d;
        }
        static const QRegularExpression stored(QStringLiteral("^(S\\d+) stored (\\S+) from=\\S+ to=<([^>]*)>$"));
        for (const QString &line : d.bSessions) {
            const QRegularExpressionMatch m = stored.match(line);
            if (m.hasMatch() && m.captured(3) == rcpt) {
                d.session = m.captured(1);
                d.file = m.captured(2);
            }
        }
        if (d.file.isEmpty()) {
            d.problem = QStringLiteral("A says sent, B has no message for %1:\n%2\nB's log:\n%3").arg(rcpt, d.aLine, bLog);
            return d;
        }
        if (!d.aLine.contains(QStringLiteral("relay=%1. [%2]").arg(Server, ServerAddr)) || !d.aLine.contains(QStringLiteral("stored as ") + d.file)) {
            d.problem = QStringLiteral("A's line names another server or message than B's %1: %2").arg(d.file, d.aLine);
            return d;
        }
        static const QRegularExpression process(QStringLiteral("(?:sm-mta|sendmail)\\[(\\d+)\\]: "));
        d.aProcess = linesOf(m_hosts.mailLog(A).mid(aFrom), process.match(d.aLine).captured(1));
        d.message = m_hosts.receivedMessage(B, d.file);
        mark(QStringLiteral("delivered: %1 as %2 in %3, by %4").arg(rcpt, d.file, d.session,
                                                                    d.aLine.contains(QLatin1String(" sm-mta["))
                                                                        ? QStringLiteral("the daemon's queue run")
                                                                        : QStringLiteral("this test's sendmail -qf")));
        return d;
    }

    // B's log lines of one session.
    static QStringList session(const Delivery &d, const QString &id)
    {
        QStringList out;
        for (const QString &line : d.bSessions)
            if (line.startsWith(id + QLatin1Char(' ')))
                out << line;
        return out;
    }
    static QString previousSession(const QString &id) { return QStringLiteral("S%1").arg(id.mid(1).toInt() - 1); }

    // The message went out in clear, and (fallback) only after a handshake that failed in the
    // same delivery, or (off) without STARTTLS being tried at all. Empty when so.
    static QString checkPath(const Delivery &d, const QString &rcpt, bool fallback)
    {
        const QString both = QStringLiteral("\nA: %1\nB: %2").arg(d.aProcess.join(QStringLiteral("\n   ")), d.bSessions.join(QStringLiteral("\n   ")));
        if (!d.problem.isEmpty())
            return d.problem;
        if (!d.message.startsWith(QStringLiteral("X-Receiver: session=%1 starttls=no from=<sender@mta1.test> to=<%2>").arg(d.session, rcpt).toUtf8())
            || !d.message.contains("this went out in clear text"))
            return QStringLiteral("B's message is not the one sent, or came after STARTTLS: ") + QString::fromUtf8(d.message.left(300));
        const bool aTriedTls = d.aProcess.filter(QStringLiteral("STARTTLS=client, error: connect failed")).size() > 0;
        const QStringList before = session(d, previousSession(d.session));
        if (fallback) {
            // A's process logged the failed handshake, then sent the message: the fallback. B saw
            // the broken handshake and, on the very next connection, the message without STARTTLS.
            if (!aTriedTls || !d.aProcess.filter(QStringLiteral("reject=") + HandshakeFailed).size())
                return QStringLiteral("A's delivering process did not try TLS first") + both;
            if (!before.contains(previousSession(d.session) + QStringLiteral(" starttls broken")))
                return QStringLiteral("the session before B's %1 was no failed handshake").arg(d.session) + both;
        } else {
            // A's process logged that the access map said not to try TLS with B, then sent it.
            if (aTriedTls)
                return QStringLiteral("A tried TLS although it should not") + both;
            if (d.aProcess.filter(QStringLiteral("ruleset=try_tls, arg1=%1,").arg(Server)).isEmpty()
                || d.aProcess.filter(QStringLiteral("do not try TLS with %1 [%2]").arg(Server, ServerAddr)).isEmpty())
                return QStringLiteral("A's delivering process did not log why it skipped TLS") + both;
            if (!d.bSessions.filter(QStringLiteral(" starttls broken")).isEmpty())
                return QStringLiteral("B saw STARTTLS after the change") + both;
        }
        if (!session(d, d.session).filter(QStringLiteral("starttls")).isEmpty())
            return QStringLiteral("STARTTLS in the delivering session") + both;
        return {};
    }

    // The host's copy of FILE (under /etc/mail) with its one "(expires …)" set to WHEN, keeping
    // the file's time (a test-only step standing in for the passing of time: sendmail-tls has no
    // clock to set, and a newer file would add a "changed since the map/cf was built" problem).
    bool ageExpiry(const QString &file, const QString &when)
    {
        const QString path = m_hosts.dir() + QStringLiteral("/host%1/etc-mail/").arg(A) + file;
        const QDateTime mtime = QFileInfo(path).lastModified();
        QString text = QString::fromUtf8(smtls::testing::readAll(path));
        static const QRegularExpression expires(QStringLiteral("\\(expires [^)]*\\)"));
        if (text.count(expires) != 1)
            return false;
        text.replace(expires, QStringLiteral("(expires %1)").arg(when));
        QFile f(path);  // in place: owner and mode stay
        if (!f.open(QIODevice::ReadWrite | QIODevice::Truncate) || f.write(text.toUtf8()) < 0 || !f.flush())
            return false;
        return f.setFileTime(mtime, QFileDevice::FileModificationTime);  // after the last write
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_clock.start();
        m_skip = m_hosts.up(2);
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        mark(QStringLiteral("up"));
        const QString why = m_hosts.startReceiver(B, QStringLiteral("break-tls"));
        QVERIFY2(why.isEmpty(), qPrintable(why));
        QVERIFY2(MailHosts::banner(B).contains(QLatin1String("smtp-receiver (break-tls)")), qPrintable(MailHosts::banner(B)));
        QVERIFY(m_home.isValid());
        mark(QStringLiteral("receiver up"));
    }
    void init()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        const QString why = m_hosts.route(A, Domain, B);
        QVERIFY2(why.isEmpty(), qPrintable(why));
        QCOMPARE(m_hosts.tryTls(A, Server, ServerAddr), QStringLiteral("OK"));
        mark(QStringLiteral("init"));
    }
    void cleanup()
    {
        if (!m_skip.isEmpty())
            return;
        const QString problems = m_hosts.restore(A);
        QVERIFY2(problems.isEmpty(), qPrintable(QStringLiteral("restoring host %1: %2").arg(A).arg(problems)));
        mark(QStringLiteral("restored"));
    }
    void cleanupTestCase() { m_hosts.down(); }

    // (1) Stuck on the handshake; `sendmail-tls --host A set …` through the whole pipeline; the
    // next queue run delivers it in clear: right after the failed handshake (fallback), or
    // without trying STARTTLS (off, the control).
    void stuckMail_isDeliveredInClear_data()
    {
        QTest::addColumn<QStringList>("set");
        QTest::addColumn<bool>("fallback");   // the path: fallback after a failed handshake / no TLS
        QTest::addColumn<bool>("restart");    // sendmail.cf regenerated, daemon restarted
        QTest::addColumn<QString>("decidedBy");  // explain's fallbackDecidedBy
        QTest::newRow("set destination fallback") << QStringList{QStringLiteral("destination"), Server, QStringLiteral("fallback")} << true << true
                                                  << QStringLiteral("TLS_Clt_Features:mta2.test");
        QTest::newRow("set global fallback") << QStringList{QStringLiteral("global"), QStringLiteral("fallback")} << true << true
                                             << QStringLiteral("TLSFallbacktoClear");
        QTest::newRow("set destination off (control)") << QStringList{QStringLiteral("destination"), Server, QStringLiteral("off")} << false << false
                                                       << QString();
    }
    void stuckMail_isDeliveredInClear()
    {
        QFETCH(QStringList, set);
        QFETCH(bool, fallback);
        QFETCH(bool, restart);
        QFETCH(QString, decidedBy);

        // (a) baseline: deferred with the handshake failure, nothing at B.
        QString rcpt;
        const QString notStuck = stuckMessage(QStringLiteral("stuck"), &rcpt);
        QVERIFY2(notStuck.isEmpty(), qPrintable(notStuck));
        const qint64 pid = m_hosts.daemonPid(A);

        // (b)–(d) the change, through validate, install and activate.
        const qsizetype aFrom = m_hosts.mailLog(A).size();
        const qsizetype bFrom = m_hosts.receiverLog(B).size();
        const CliRun r = cli(QStringList{QStringLiteral("set")} + set + QStringList{QStringLiteral("--json")});
        QVERIFY2(r.code == 0, qPrintable(r.text()));
        const QJsonObject host = r.host();
        QCOMPARE(host.value(QStringLiteral("outcome")).toString(), QStringLiteral("applied"));
        for (const char *step : {"validate=ok", "install=ok", "activate=ok", "health-check=ok"})
            QVERIFY2(stepStates(host).contains(QLatin1String(step)), qPrintable(stepStates(host)));
        QVERIFY2(host.value(QStringLiteral("summary")).toString().contains(restart ? QLatin1String("restarted") : QLatin1String("no restart")),
                 qPrintable(host.value(QStringLiteral("summary")).toString()));
        QCOMPARE(m_hosts.daemonPid(A) != pid, restart);
        QVERIFY(m_hosts.daemonRunning(A));
        if (set.first() == QLatin1String("global")) {
            QVERIFY(m_hosts.file(A, QStringLiteral("sendmail.mc")).contains("define(`confTLS_FALLBACK_TO_CLEAR', `true')dnl"));
            QVERIFY(m_hosts.file(A, QStringLiteral("sendmail.cf")).contains("\nO TLSFallbacktoClear=true\n"));
        } else if (fallback) {
            QVERIFY(m_hosts.file(A, QStringLiteral("sendmail.mc")).contains("FEATURE(`tls_session_features')dnl"));
            QVERIFY(m_hosts.file(A, QStringLiteral("access")).contains("TLS_Clt_Features:mta2.test\tFlags=C"));
            QVERIFY(m_hosts.accessDbDump(A).contains(QLatin1String("tls_clt_features:mta2.test")));
        } else {
            QVERIFY2(m_hosts.tryTls(A, Server, ServerAddr).startsWith(QLatin1String("$# error")), qPrintable(m_hosts.tryTls(A, Server, ServerAddr)));
        }

        // What the tool says now agrees with what sendmail does next.
        const CliRun explain = cli({QStringLiteral("explain"), Server, QStringLiteral("--addr"), ServerAddr, QStringLiteral("--json")});
        QVERIFY2(explain.code == 0, qPrintable(explain.text()));
        QCOMPARE(explain.host().value(QStringLiteral("tls")).toBool(), fallback);
        QCOMPARE(explain.host().value(QStringLiteral("fallback")).toBool(), fallback);
        QCOMPARE(explain.host().value(QStringLiteral("fallbackDecidedBy")).toString(), decidedBy);

        // The stuck message reaches B in clear (a restarted daemon runs the queue as it starts;
        // otherwise this test's `sendmail -qf` does), by the path the setting promises.
        const Delivery d = delivered(rcpt, aFrom, bFrom);
        const QString wrong = checkPath(d, rcpt, fallback);
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
        QVERIFY2(!exec(A, QStringLiteral("mailq")).contains(rcpt), qPrintable(exec(A, QStringLiteral("mailq"))));
        if (qEnvironmentVariableIsSet("SMTLS_TEST_VERBOSE"))
            qDebug().noquote() << QStringLiteral("A:\n  ") + d.aProcess.join(QStringLiteral("\n  ")) + QStringLiteral("\nB:\n  ")
                                       + d.bSessions.join(QStringLiteral("\n  "));
    }

    // (2) An exception with an expiry: while it runs the stuck mail goes out; once its time has
    // passed, `status` says so and `sendmail-tls expire` removes it through the pipeline
    // (snapshotted, in the history), after which mail to B is stuck again.
    void expiringException_isRemovedByExpire_data()
    {
        QTest::addColumn<QStringList>("set");
        QTest::addColumn<QString>("file");       // where the note with the expiry lives
        QTest::addColumn<QString>("past");       // the expiry, once aged
        QTest::addColumn<QByteArray>("gone");    // what `expire` takes out of that file
        QTest::addColumn<bool>("global");
        const QString hourAgo = QDateTime::currentDateTimeUtc().addSecs(-3600).toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss'Z'"));
        const QString yesterday = QDate::currentDate().addDays(-1).toString(Qt::ISODate);
        QTest::newRow("destination fallback --expires 1h")
            << QStringList{QStringLiteral("destination"), Server, QStringLiteral("fallback"), QStringLiteral("--expires"), QStringLiteral("1h")}
            << QStringLiteral("access") << hourAgo << QByteArray("TLS_Clt_Features:mta2.test") << false;
        QTest::newRow("destination off --until tomorrow")
            << QStringList{QStringLiteral("destination"), Server, QStringLiteral("off"), QStringLiteral("--until"),
                           QDate::currentDate().addDays(1).toString(Qt::ISODate)}
            << QStringLiteral("access") << yesterday << QByteArray("Try_TLS:mta2.test") << false;
        QTest::newRow("global fallback --expires 2h")
            << QStringList{QStringLiteral("global"), QStringLiteral("fallback"), QStringLiteral("--expires"), QStringLiteral("2h")}
            << QStringLiteral("sendmail.mc") << hourAgo << QByteArray("confTLS_FALLBACK_TO_CLEAR") << true;
    }
    void expiringException_isRemovedByExpire()
    {
        QFETCH(QStringList, set);
        QFETCH(QString, file);
        QFETCH(QString, past);
        QFETCH(QByteArray, gone);
        QFETCH(bool, global);
        const auto expiryOf = [&](const QJsonObject &status) {
            return global ? status.value(QStringLiteral("global")).toObject() : destinationIn(status, Server);
        };

        QString rcpt;
        const QString notStuck = stuckMessage(QStringLiteral("expiring"), &rcpt);
        QVERIFY2(notStuck.isEmpty(), qPrintable(notStuck));
        const qsizetype aFrom = m_hosts.mailLog(A).size();
        const qsizetype bFrom = m_hosts.receiverLog(B).size();
        const CliRun r = cli(QStringList{QStringLiteral("set")} + set + QStringList{QStringLiteral("--json")});
        QVERIFY2(r.code == 0 && r.host().value(QStringLiteral("outcome")).toString() == QLatin1String("applied"), qPrintable(r.text()));
        QVERIFY(m_hosts.file(A, file).contains(gone));

        // The expiry is in the note (not on the rule's line) and in status.
        static const QRegularExpression noted(QStringLiteral("\\(expires ([^)]*)\\)"));
        const QString expires = noted.match(QString::fromUtf8(m_hosts.file(A, file))).captured(1);
        QVERIFY2(!expires.isEmpty(), m_hosts.file(A, file).constData());
        for (const QByteArray &line : m_hosts.file(A, file).split('\n'))
            if (line.contains(gone) && !line.startsWith('#') && !line.startsWith("dnl"))
                QVERIFY2(!line.contains("expires"), line.constData());
        CliRun status = cli({QStringLiteral("status"), QStringLiteral("--json")});
        QVERIFY2(status.code == 0, qPrintable(status.text()));
        QCOMPARE(expiryOf(status.host()).value(QStringLiteral("expires")).toString(), expires);
        QCOMPARE(expiryOf(status.host()).value(QStringLiteral("expired")).toBool(), false);

        // While it runs, the stuck message goes out.
        const Delivery d = delivered(rcpt, aFrom, bFrom);
        QVERIFY2(d.problem.isEmpty(), qPrintable(d.problem));

        // Its time passes (test-only edit of the note on the host).
        QVERIFY(ageExpiry(file, past));
        status = cli({QStringLiteral("status"), QStringLiteral("--json")});
        QVERIFY2(status.code == 0, qPrintable(status.text()));
        QCOMPARE(expiryOf(status.host()).value(QStringLiteral("expires")).toString(), past);
        QCOMPARE(expiryOf(status.host()).value(QStringLiteral("expired")).toBool(), true);
        const QStringList problems = problemMessages(status.host());
        QVERIFY2(problems.filter(QStringLiteral("expired on ") + past).size() == 1, qPrintable(problems.join(QLatin1Char('\n'))));
        QVERIFY2(problems.size() == 1, qPrintable(problems.join(QLatin1Char('\n'))));  // nothing else: the edit kept the file's time
        const CliRun text = cli({QStringLiteral("status")});
        QVERIFY2(text.text().contains(QStringLiteral("EXPIRED on ") + past), qPrintable(text.text()));

        // `expire` removes it through the pipeline, with a snapshot on the host and here.
        const QStringList snapshotsBefore = m_hosts.hostSnapshots(A);
        const qint64 pid = m_hosts.daemonPid(A);
        const CliRun expire = cli({QStringLiteral("expire"), QStringLiteral("--json")});
        QVERIFY2(expire.code == 0, qPrintable(expire.text()));
        const QJsonObject host = expire.host();
        QCOMPARE(host.value(QStringLiteral("outcome")).toString(), QStringLiteral("applied"));
        for (const char *step : {"snapshot=ok", "validate=ok", "install=ok", "activate=ok", "health-check=ok"})
            QVERIFY2(stepStates(host).contains(QLatin1String(step)), qPrintable(stepStates(host)));
        const QString localSnapshot = host.value(QStringLiteral("snapshot")).toString();
        QVERIFY2(!localSnapshot.isEmpty(), qPrintable(expire.text().left(2000)));
        QVERIFY(!m_hosts.file(A, file).contains(gone));
        QVERIFY(!m_hosts.file(A, file).contains("expires"));
        if (global) {
            QVERIFY(!m_hosts.file(A, QStringLiteral("sendmail.cf")).contains("\nO TLSFallbacktoClear=true\n"));
            QVERIFY(m_hosts.daemonPid(A) != pid);
        } else {
            QVERIFY(!m_hosts.accessDbDump(A).contains(QString::fromLatin1(gone).toLower()));
            QCOMPARE(m_hosts.tryTls(A, Server, ServerAddr), QStringLiteral("OK"));
        }
        QVERIFY(m_hosts.daemonRunning(A));
        const QStringList snapshotsAfter = m_hosts.hostSnapshots(A);
        QCOMPARE(snapshotsAfter.size(), snapshotsBefore.size() + 1);

        // History: on the host (newest first) and in this computer's store.
        const CliRun hostHistory = cli({QStringLiteral("history"), QStringLiteral("--json")});
        QVERIFY2(hostHistory.code == 0, qPrintable(hostHistory.text()));
        const QJsonObject newest = hostHistory.json().value(QStringLiteral("snapshots")).toArray().first().toObject();
        QCOMPARE(newest.value(QStringLiteral("changeRecord")).toObject().value(QStringLiteral("kind")).toString(), QStringLiteral("expire"));
        QVERIFY2(!snapshotsBefore.contains(newest.value(QStringLiteral("id")).toString()) && snapshotsAfter.contains(newest.value(QStringLiteral("id")).toString()),
                 qPrintable(hostHistory.text()));
        const CliRun localHistory = cli({QStringLiteral("history"), QStringLiteral("--json")}, false);
        QVERIFY2(localHistory.code == 0, qPrintable(localHistory.text()));
        bool listed = false;
        for (const QJsonValue &s : localHistory.json().value(QStringLiteral("snapshots")).toArray())
            listed = listed || (s[QLatin1String("id")].toString() == localSnapshot && s[QLatin1String("change")].toString() == QLatin1String("remove the expired exceptions"));
        QVERIFY2(listed, qPrintable(localSnapshot + QLatin1Char('\n') + localHistory.text().left(3000)));
        // The id `expire --host` printed is this computer's: `show --host` takes it as well.
        const CliRun shown = cli({QStringLiteral("show"), localSnapshot});
        QVERIFY2(shown.code == 0 && shown.out.contains("@@ "), qPrintable(shown.text()));

        // Nothing expired is left, and nothing of the exception.
        status = cli({QStringLiteral("status"), QStringLiteral("--json")});
        QVERIFY2(status.code == 0, qPrintable(status.text()));
        QVERIFY2(problemMessages(status.host()).isEmpty(), qPrintable(problemMessages(status.host()).join(QLatin1Char('\n'))));
        const QJsonObject g = status.host().value(QStringLiteral("global")).toObject();
        QCOMPARE(g.value(QStringLiteral("state")).toString(), QStringLiteral("on"));
        QVERIFY(g.value(QStringLiteral("expires")).isNull());
        QVERIFY2(destinationIn(status.host(), Server).isEmpty(), qPrintable(status.text()));

        // A second run finds nothing to do and writes nothing.
        const CliRun again = cli({QStringLiteral("expire"), QStringLiteral("--json")});
        QVERIFY2(again.code == 0, qPrintable(again.text()));
        QVERIFY2(again.host().value(QStringLiteral("outcome")).toString() == QLatin1String("nothing to do"), qPrintable(again.text().left(2000)));
        QCOMPARE(m_hosts.hostSnapshots(A), snapshotsAfter);

        // And sendmail acts on it: mail to B is stuck again.
        QString next;
        const QString notStuckAgain = stuckMessage(QStringLiteral("after-expire"), &next);
        QVERIFY2(notStuckAgain.isEmpty(), qPrintable(notStuckAgain));
    }
};

int main(int argc, char **argv)
{
    smtls::testing::TestHosts::enterPrivateNetwork(argc, argv);
    QCoreApplication app(argc, argv);
    FallbackDeliveryTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_fallbackdelivery.moc"
