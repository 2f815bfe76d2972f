// `sendmail-tls mx` and `sendmail-tls probe` (issue 12, items 2 and 3) end to end: the real
// program against host 1 of tests/hosts/testhosts (root only, skipped otherwise), resolving
// through the world's DNS (tests/hosts/README.md, "The world"), and from this process's own
// network (--from-here; the test hosts share it):
//   mx: MX records in sendmail's order, a domain without MX, one that does not exist, a
//       mailertable route (its own key and a parent ".domain" key), an address for a domain,
//       the DNS preferences from here; hostile input refused before any SSH login;
//   probe: the four outcomes from the host (openssl s_client) and from here (QSslSocket), a
//       silent server costing the timeout, a refused one nothing, a host without openssl.
// SMTLS_TEST_VERBOSE=1 prints each command's time.

#include "MailHosts.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using smtls::testing::MailHosts;

namespace {

const int Host = 1;

struct CliRun {
    int code = -1;
    QByteArray out;
    QByteArray err;
    qint64 ms = 0;
    QJsonArray hosts() const { return QJsonDocument::fromJson(out).object().value(QStringLiteral("hosts")).toArray(); }
    QJsonObject host(int i = 0) const { return hosts().at(i).toObject(); }
    QString text() const { return QString::fromUtf8(out + err); }
};

QStringList serverNames(const QJsonObject &answer)
{
    QStringList out;
    for (const QJsonValue &s : answer.value(QStringLiteral("servers")).toArray())
        out << s[QLatin1String("server")].toString();
    return out;
}

QList<int> preferences(const QJsonObject &answer)
{
    QList<int> out;
    for (const QJsonValue &s : answer.value(QStringLiteral("servers")).toArray())
        out << s[QLatin1String("preference")].toInt();
    return out;
}

QStringList addressesOf(const QJsonObject &answer, int server)
{
    QStringList out;
    for (const QJsonValue &a : answer.value(QStringLiteral("servers")).toArray().at(server)[QLatin1String("addresses")].toArray())
        out << a.toString();
    return out;
}

} // namespace

class MxProbeTest : public QObject {
    Q_OBJECT

    MailHosts m_hosts;
    QString m_skip;
    QTemporaryDir m_home;
    bool m_digOnHosts = false;  // the hosts share this computer's programs

    // The real program; with onHost, as `sendmail-tls --host mta1 --ssh-config … ARGS`.
    CliRun cli(const QStringList &args, bool onHost = true)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), m_home.path());
        QProcess p;
        p.setProcessEnvironment(env);
        const QStringList hostArgs{QStringLiteral("--host"), QStringLiteral("mta%1").arg(Host), QStringLiteral("--ssh-config"),
                                   m_hosts.sshConfig()};
        QElapsedTimer clock;
        clock.start();
        p.start(QStringLiteral(SMTLS_BIN_DIR "/sendmail-tls"), (onHost ? hostArgs : QStringList()) + args);
        CliRun r;
        if (!p.waitForFinished(120000)) {
            p.kill();
            p.waitForFinished();
            r.err = "sendmail-tls did not finish within 120 s";
            return r;
        }
        r.ms = clock.elapsed();
        r.code = p.exitCode();
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        if (qEnvironmentVariableIsSet("SMTLS_TEST_VERBOSE"))
            qDebug("%6lld ms  sendmail-tls %s", r.ms, qPrintable(args.join(QLatin1Char(' '))));
        return r;
    }

    qsizetype sshLogins() const
    {
        QFile f(m_hosts.dir() + QStringLiteral("/host%1/log/auth.log").arg(Host));
        return f.open(QIODevice::ReadOnly) ? f.readAll().count("Accepted ") : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_skip = m_hosts.up(2);
        if (m_skip.isEmpty())
            m_skip = m_hosts.startWorld();
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        m_digOnHosts = !QStandardPaths::findExecutable(QStringLiteral("dig")).isEmpty()
                       || !QStandardPaths::findExecutable(QStringLiteral("host")).isEmpty()
                       || !QStandardPaths::findExecutable(QStringLiteral("nslookup")).isEmpty();
    }
    void init()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        const QString why = m_hosts.useWorldDns(Host);
        QVERIFY2(why.isEmpty(), qPrintable(why));
    }
    void cleanup()
    {
        if (!m_skip.isEmpty())
            return;
        m_hosts.exec(Host, QStringLiteral("umount /usr/bin/openssl 2>/dev/null; true"));
        const QString host = m_hosts.restore(Host);
        QVERIFY2(host.isEmpty(), qPrintable(host));
        const QString world = m_hosts.restoreWorld();
        QVERIFY2(world.isEmpty(), qPrintable(world));
    }
    void cleanupTestCase() { m_hosts.down(); }

    // The MX servers as the host's sendmail finds them, in its order, with their addresses.
    void mxOnTheHost()
    {
        const CliRun stuck = cli({QStringLiteral("mx"), QStringLiteral("stuck.test"), QStringLiteral("--json")});
        QVERIFY2(stuck.code == 0, qPrintable(stuck.text()));
        const QJsonObject s = stuck.host();
        QCOMPARE(s[QLatin1String("host")].toString(), QStringLiteral("mta1"));
        QCOMPARE(s[QLatin1String("domain")].toString(), QStringLiteral("stuck.test"));
        QCOMPARE(s[QLatin1String("route")].toString(), QStringLiteral("mx"));
        QCOMPARE(serverNames(s), QStringList{QStringLiteral("mx.broken.test")});
        QCOMPARE(addressesOf(s, 0), QStringList{QStringLiteral("127.0.2.1")});

        // backup.test: MX 10 mx.dead.test, 20 mx.good.test; an address stands for its domain.
        const CliRun backup = cli({QStringLiteral("mx"), QStringLiteral("someone@backup.test"), QStringLiteral("--json")});
        QVERIFY2(backup.code == 0, qPrintable(backup.text()));
        const QJsonObject b = backup.host();
        QCOMPARE(b[QLatin1String("domain")].toString(), QStringLiteral("backup.test"));
        QCOMPARE(b[QLatin1String("recipient")].toString(), QStringLiteral("someone@backup.test"));
        QCOMPARE(serverNames(b), (QStringList{QStringLiteral("mx.dead.test"), QStringLiteral("mx.good.test")}));
        QCOMPARE(addressesOf(b, 1), QStringList{QStringLiteral("127.0.2.2")});
        if (m_digOnHosts) {
            QCOMPARE(b[QLatin1String("preferences")].toString(), QStringLiteral("dns"));
            QCOMPARE(preferences(b), (QList<int>{10, 20}));
        } else {
            // No dig, host or nslookup on the host: the preference is sendmail's order, and says so.
            QCOMPARE(b[QLatin1String("preferences")].toString(), QStringLiteral("order"));
            QCOMPARE(preferences(b), (QList<int>{1, 2}));
            QVERIFY2(b[QLatin1String("note")].toString().contains(QLatin1String("sendmail's order")), qPrintable(backup.text()));
        }

        const CliRun aonly = cli({QStringLiteral("mx"), QStringLiteral("aonly.test"), QStringLiteral("--json")});
        QCOMPARE(aonly.host()[QLatin1String("route")].toString(), QStringLiteral("a"));
        QCOMPARE(serverNames(aonly.host()), QStringList{QStringLiteral("aonly.test")});
        QCOMPARE(addressesOf(aonly.host(), 0), QStringList{QStringLiteral("127.0.2.2")});

        const CliRun nowhere = cli({QStringLiteral("mx"), QStringLiteral("nowhere.test"), QStringLiteral("--json")});
        QVERIFY2(nowhere.code == 0, qPrintable(nowhere.text()));
        QVERIFY(serverNames(nowhere.host()).isEmpty());
        QVERIFY2(nowhere.host()[QLatin1String("note")].toString().contains(QLatin1String("does not exist")), qPrintable(nowhere.text()));

        // The text names the servers and what a TLS rule must name.
        const CliRun text = cli({QStringLiteral("mx"), QStringLiteral("stuck.test")});
        QVERIFY2(text.text().contains(QLatin1String("mx.broken.test")) && text.text().contains(QLatin1String("127.0.2.1"))
                     && text.text().contains(QLatin1String("set destination mx.broken.test")),
                 qPrintable(text.text()));
    }

    // A mailertable entry decides before any MX: its own key, and a parent ".domain" key whose
    // host (no brackets) is looked up by MX as sendmail does.
    void mailertableRoute()
    {
        QVERIFY(m_hosts.route(Host, QStringLiteral("routed.test"), 2).isEmpty());
        QString out;
        QCOMPARE(m_hosts.exec(Host, QStringLiteral("printf '.sub.test\\tesmtp:mx.good.test\\n' >> /etc/mail/mailertable && "
                                                   "makemap hash /etc/mail/mailertable < /etc/mail/mailertable"),
                              &out),
                 0);
        const CliRun routed = cli({QStringLiteral("mx"), QStringLiteral("routed.test"), QStringLiteral("--json")});
        QVERIFY2(routed.code == 0, qPrintable(routed.text()));
        const QJsonObject r = routed.host();
        QCOMPARE(r[QLatin1String("route")].toString(), QStringLiteral("mailertable"));
        QCOMPARE(r[QLatin1String("mailertable")][QLatin1String("key")].toString(), QStringLiteral("routed.test"));
        QCOMPARE(r[QLatin1String("mailertable")][QLatin1String("value")].toString(), QStringLiteral("smtp:[mta2.test]"));
        QCOMPARE(serverNames(r), QStringList{QStringLiteral("mta2.test")});
        QCOMPARE(addressesOf(r, 0), QStringList{QStringLiteral("127.0.1.2")});
        QCOMPARE(preferences(r), QList<int>{0});

        const CliRun sub = cli({QStringLiteral("mx"), QStringLiteral("a.sub.test"), QStringLiteral("--json")});
        QVERIFY2(sub.code == 0, qPrintable(sub.text()));
        const QJsonObject p = sub.host();
        QCOMPARE(p[QLatin1String("route")].toString(), QStringLiteral("mailertable"));
        QCOMPARE(p[QLatin1String("mailertable")][QLatin1String("key")].toString(), QStringLiteral(".sub.test"));
        QCOMPARE(p[QLatin1String("mailer")].toString(), QStringLiteral("esmtp"));
        QCOMPARE(serverNames(p), QStringList{QStringLiteral("mx.good.test")});
        QCOMPARE(addressesOf(p, 0), QStringList{QStringLiteral("127.0.2.2")});
    }

    // From this computer with QDnsLookup, asking the world's name server: the DNS preferences.
    void mxFromHere()
    {
        const CliRun both = cli({QStringLiteral("mx"), QStringLiteral("backup.test"), QStringLiteral("--from-here"), QStringLiteral("--nameserver"),
                                 MailHosts::worldDnsAddress(), QStringLiteral("--json")});
        QVERIFY2(both.code == 0, qPrintable(both.text()));
        QCOMPARE(both.hosts().size(), 2);
        QCOMPARE(both.host(0)[QLatin1String("host")].toString(), QStringLiteral("mta1"));
        const QJsonObject here = both.host(1);
        QCOMPARE(here[QLatin1String("host")].toString(), QStringLiteral("here"));
        QCOMPARE(here[QLatin1String("route")].toString(), QStringLiteral("mx"));
        QCOMPARE(here[QLatin1String("preferences")].toString(), QStringLiteral("dns"));
        QCOMPARE(serverNames(here), (QStringList{QStringLiteral("mx.dead.test"), QStringLiteral("mx.good.test")}));
        QCOMPARE(preferences(here), (QList<int>{10, 20}));
        QCOMPARE(addressesOf(here, 0), QStringList{QStringLiteral("127.0.2.3")});
        QCOMPARE(serverNames(both.host(0)), serverNames(here));  // the host's sendmail agrees

        const CliRun aonly = cli({QStringLiteral("mx"), QStringLiteral("aonly.test"), QStringLiteral("--from-here"), QStringLiteral("--nameserver"),
                                  MailHosts::worldDnsAddress(), QStringLiteral("--json")},
                                 false);
        QVERIFY2(aonly.code == 0 && aonly.hosts().size() == 1, qPrintable(aonly.text()));
        QCOMPARE(aonly.host()[QLatin1String("route")].toString(), QStringLiteral("a"));
        QCOMPARE(addressesOf(aonly.host(), 0), QStringList{QStringLiteral("127.0.2.2")});
    }

    // Shell text, blanks, newlines, options: exit 3, and no SSH login happened.
    void hostileInputRunsNothing()
    {
        const qsizetype logins = sshLogins();
        QVERIFY(logins >= 0);
        for (const QStringList &args : {QStringList{QStringLiteral("mx"), QStringLiteral("stuck.test;touch /tmp/pwned")},
                                        QStringList{QStringLiteral("mx"), QStringLiteral("stuck.test\n/quit")},
                                        QStringList{QStringLiteral("mx"), QStringLiteral("--"), QStringLiteral("-d0.1")},
                                        QStringList{QStringLiteral("probe"), QStringLiteral("mx.good.test $(id)")},
                                        QStringList{QStringLiteral("probe"), QStringLiteral("--"), QStringLiteral("-connect")},
                                        QStringList{QStringLiteral("probe"), QStringLiteral("mx.good.test"), QStringLiteral("--port"), QStringLiteral("0")},
                                        QStringList{QStringLiteral("probe"), QStringLiteral("mx.good.test"), QStringLiteral("--port"), QStringLiteral("25;id")}}) {
            const CliRun r = cli(args);
            QVERIFY2(r.code == 3, qPrintable(QString::number(r.code) + QLatin1Char(' ') + r.text()));
            QVERIFY(r.out.isEmpty());
        }
        QCOMPARE(sshLogins(), logins);
    }

    // From the host: openssl s_client over the SSH connection sees the four outcomes.
    void probeFromTheHost_data()
    {
        QTest::addColumn<QString>("server");
        QTest::addColumn<QString>("address");
        QTest::addColumn<QString>("handshake");
        QTest::addColumn<bool>("offered");
        QTest::addColumn<QString>("error");
        QTest::newRow("breaks the handshake") << "mx.broken.test" << "127.0.2.1" << "failed" << true << "wrong version number";
        QTest::newRow("works") << "mx.good.test" << "127.0.2.2" << "ok" << true << "";
        QTest::newRow("refuses") << "mx.dead.test" << "127.0.2.3" << "no connection" << false << "Connection refused";
        QTest::newRow("no STARTTLS") << "mx.plain.test" << "127.0.2.5" << "not offered" << false << "does not offer STARTTLS";
        QTest::newRow("never answers") << "mx.silent.test" << "127.0.2.4" << "no connection" << false << "no SMTP answer within 3 s";
    }
    void probeFromTheHost()
    {
        QFETCH(QString, server);
        QFETCH(QString, address);
        QFETCH(QString, handshake);
        QFETCH(bool, offered);
        QFETCH(QString, error);
        const CliRun r = cli({QStringLiteral("probe"), server, QStringLiteral("--timeout"), QStringLiteral("3"), QStringLiteral("--json")});
        QVERIFY2(r.code == 0, qPrintable(r.text()));
        const QJsonObject p = r.host();
        QCOMPARE(p[QLatin1String("host")].toString(), QStringLiteral("mta1"));
        QCOMPARE(p[QLatin1String("server")].toString(), server);
        QCOMPARE(p[QLatin1String("address")].toString(), address);
        QCOMPARE(p[QLatin1String("handshake")].toString(), handshake);
        QCOMPARE(p[QLatin1String("starttlsOffered")].toBool(), offered);
        QVERIFY2(p[QLatin1String("error")].toString().contains(error), qPrintable(r.text()));
        if (handshake == QLatin1String("ok")) {
            QVERIFY(p[QLatin1String("protocol")].toString().startsWith(QLatin1String("TLSv1.")));
            QVERIFY(!p[QLatin1String("cipher")].toString().isEmpty());
            const QJsonObject c = p[QLatin1String("certificate")].toObject();
            QVERIFY2(c[QLatin1String("subject")].toString().contains(QLatin1String("CN=mx.good.test")), qPrintable(r.text()));
            QCOMPARE(c[QLatin1String("verified")].toBool(), false);  // self-signed
            QVERIFY(QDateTime::fromString(c[QLatin1String("notAfter")].toString(), Qt::ISODate) > QDateTime::currentDateTimeUtc());
        } else {
            QVERIFY(p[QLatin1String("certificate")].isNull());
        }
        // The silent server costs the timeout; the others answer at once (SSH login included).
        if (server == QLatin1String("mx.silent.test"))
            QVERIFY2(r.ms >= 3000 && r.ms < 10000, qPrintable(QString::number(r.ms)));
        else
            QVERIFY2(r.ms < 5000, qPrintable(QString::number(r.ms)));
    }

    // From here (QSslSocket in the program) the same outcomes, beside the host's.
    void probeFromHere_data() { probeFromTheHost_data(); }
    void probeFromHere()
    {
        QFETCH(QString, server);
        QFETCH(QString, address);
        QFETCH(QString, handshake);
        QFETCH(bool, offered);
        QFETCH(QString, error);
        // This computer does not use the world's DNS: ask by address, here and on the host.
        const CliRun r = cli({QStringLiteral("probe"), address, QStringLiteral("--from-here"), QStringLiteral("--timeout"), QStringLiteral("3"),
                              QStringLiteral("--json")});
        QVERIFY2(r.code == 0, qPrintable(r.text()));
        QCOMPARE(r.hosts().size(), 2);
        const QJsonObject host = r.host(0), here = r.host(1);
        QCOMPARE(here[QLatin1String("host")].toString(), QStringLiteral("here"));
        for (const QJsonObject &p : {host, here}) {
            QCOMPARE(p[QLatin1String("handshake")].toString(), handshake);
            QCOMPARE(p[QLatin1String("starttlsOffered")].toBool(), offered);
            QCOMPARE(p[QLatin1String("address")].toString(), address);
        }
        QVERIFY2(here[QLatin1String("error")].toString().contains(error, Qt::CaseInsensitive)
                     || (server == QLatin1String("mx.silent.test") && here[QLatin1String("error")].toString().contains(QLatin1String("within 3 s"))),
                 qPrintable(r.text()));
        if (handshake == QLatin1String("ok")) {
            QVERIFY2(here[QLatin1String("certificate")][QLatin1String("subject")].toString().contains(QLatin1String("CN=mx.good.test")), qPrintable(r.text()));
            QCOMPARE(here[QLatin1String("certificate")][QLatin1String("notAfter")], host[QLatin1String("certificate")][QLatin1String("notAfter")]);
            QCOMPARE(here[QLatin1String("protocol")], host[QLatin1String("protocol")]);
        }
        // Host and here run at once: a silent server costs the timeout once.
        if (server == QLatin1String("mx.silent.test"))
            QVERIFY2(r.ms >= 3000 && r.ms < 10000, qPrintable(QString::number(r.ms)));
    }

    // A host without openssl: a clear per-host error naming the way out, never a hang or crash.
    void hostWithoutOpenssl()
    {
        QString out;
        QCOMPARE(m_hosts.exec(Host, QStringLiteral("f=/run/smtls-no-openssl; : > $f && chmod 644 $f && mount --bind $f /usr/bin/openssl && "
                                                   "! command -v openssl"),
                              &out),
                 0);
        const CliRun text = cli({QStringLiteral("probe"), QStringLiteral("mx.good.test")});
        QCOMPARE(text.code, 4);
        QVERIFY2(text.text().contains(QLatin1String("openssl is not installed on the host")) && text.text().contains(QLatin1String("--from-here")),
                 qPrintable(text.text()));
        const CliRun json = cli({QStringLiteral("probe"), QStringLiteral("127.0.2.2"), QStringLiteral("--from-here"), QStringLiteral("--json")});
        QCOMPARE(json.code, 4);
        QVERIFY(json.host(0)[QLatin1String("handshake")].isNull());
        QVERIFY2(json.host(0)[QLatin1String("error")].toString().contains(QLatin1String("openssl")), qPrintable(json.text()));
        QCOMPARE(json.host(1)[QLatin1String("handshake")].toString(), QStringLiteral("ok"));  // here still answers
    }
};

int main(int argc, char **argv)
{
    smtls::testing::TestHosts::enterPrivateNetwork(argc, argv);
    QCoreApplication app(argc, argv);
    MxProbeTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_mxprobe.moc"
