// `mx` and `probe` below the command line: the readers of sendmail -bt, getent, dig/host/nslookup
// and openssl s_client on outputs captured from the real programs (tests/core/data/probe/, see
// its README), lookupMxOnHost's decisions on those outputs, hostile names refused before
// anything runs, and both probes live against a STARTTLS server in this process (a throw-away
// certificate from openssl; no root needed): ok, broken handshake, not offered, silent, closed.
#include "delivery/MxLookup.h"
#include "delivery/StartTlsProbe.h"
#include "net/ProbeFromHere.h"
#include "transport/LocalTransport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>
#include <thread>

using namespace smtls;
using namespace std::chrono_literals;

namespace {

QByteArray sample(const QString &name)
{
    QFile f(QStringLiteral(SMTLS_SOURCE_DIR "/tests/core/data/probe/") + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing sample %s", qPrintable(name));
    return f.readAll();
}

// A host whose sendmail -bt and tools answer with the captured outputs: the route questions
// with bt-route-DOMAIN.txt, a lone /mx with bt-mx-NAME.txt, the tools script with ANSWERS.
class CannedHost : public Transport {
public:
    QString routeFile;    // default: bt-route-<domain>.txt
    QString answersFile = QStringLiteral("host-answers-no-dig.txt");
    QStringList commands;  // what ran, for "nothing ran" checks

    QString hostName() const override { return QStringLiteral("canned"); }
    QString describe() const override { return QStringLiteral("captured outputs"); }
    void cancel() override {}
    Result<CommandResult> run(const CommandLine &command, const QByteArray &input, std::chrono::milliseconds) override
    {
        commands << command.display();
        CommandResult r;
        r.exitCode = 0;
        if (command.arguments.contains(QStringLiteral("-bt"))) {
            if (input.startsWith("/map mailertable ")) {
                const QByteArray domain = input.mid(17, input.indexOf('\n') - 17);
                r.out = sample(routeFile.isEmpty() ? QStringLiteral("bt-route-%1.txt").arg(QString::fromLatin1(domain)) : routeFile);
            } else {
                const QByteArray name = input.mid(input.indexOf("/mx ") + 4).trimmed();
                r.out = sample(QStringLiteral("bt-mx-%1.txt").arg(QString::fromLatin1(name)));
            }
            return r;
        }
        r.out = sample(answersFile);
        return r;
    }
};

QStringList list(std::initializer_list<const char *> words)
{
    QStringList out;
    for (const char *w : words)
        out << QString::fromLatin1(w);
    return out;
}

QStringList names(const MxAnswer &a)
{
    QStringList out;
    for (const MxServer &s : a.servers)
        out << s.name;
    return out;
}

// A STARTTLS SMTP server on 127.0.0.1 in its own thread, as the receivers of the test hosts
// behave: "good" (a working handshake), "break" (offers STARTTLS, answers the ClientHello
// with clear text), "plain" (no STARTTLS), "silent" (accepts, never says anything).
class StartTlsServer : public QTcpServer {
public:
    QString mode;
    QSslCertificate certificate;
    QSslKey key;

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QSslSocket(this);
        socket->setSocketDescriptor(descriptor);
        if (mode == QLatin1String("silent"))
            return;
        socket->setLocalCertificate(certificate);
        socket->setPrivateKey(key);
        socket->write("220 test.invalid ESMTP ready\r\n");
        QObject::connect(socket, &QSslSocket::readyRead, socket, [this, socket] {
            if (mode == QLatin1String("break") && socket->property("tls").toBool()) {
                socket->readAll();
                socket->write("this is not TLS\r\n");
                socket->disconnectFromHost();
                return;
            }
            while (socket->canReadLine()) {
                const QByteArray line = socket->readLine().trimmed().toUpper();
                if (line.startsWith("EHLO")) {
                    socket->write(mode == QLatin1String("plain") ? "250-test.invalid\r\n250 8BITMIME\r\n"
                                                                 : "250-test.invalid\r\n250-STARTTLS\r\n250 8BITMIME\r\n");
                } else if (line == "STARTTLS" && mode != QLatin1String("plain")) {
                    socket->write("220 2.0.0 Ready to start TLS\r\n");
                    socket->flush();
                    socket->setProperty("tls", true);
                    if (mode == QLatin1String("good"))
                        socket->startServerEncryption();
                    return;
                } else if (line == "QUIT") {
                    socket->write("221 bye\r\n");
                    socket->disconnectFromHost();
                    return;
                } else {
                    socket->write("250 ok\r\n");
                }
            }
        });
    }
};

class ServerThread {
public:
    ServerThread(const QString &mode, const QSslCertificate &cert, const QSslKey &key)
    {
        std::promise<quint16> ready;
        std::future<quint16> port = ready.get_future();
        m_thread.reset(QThread::create([&ready, mode, cert, key] {
            StartTlsServer server;
            server.mode = mode;
            server.certificate = cert;
            server.key = key;
            ready.set_value(server.listen(QHostAddress::LocalHost) ? server.serverPort() : 0);
            QEventLoop loop;
            loop.exec();
        }));
        m_thread->start();
        m_port = port.get();
    }
    ~ServerThread()
    {
        m_thread->quit();
        m_thread->wait();
    }
    int port() const { return m_port; }

private:
    std::unique_ptr<QThread> m_thread;
    int m_port = 0;
};

// A port nobody listens on: bound and released again.
int closedPort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost);
    const int port = s.serverPort();
    s.close();
    return port;
}

} // namespace

class TestMxProbe : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void recipientDomains_data();
    void recipientDomains();
    void serverNames_data();
    void serverNames();

    void mailertableKeys();
    void readsSendmailAnswers();
    void readsPreferencesAndAddresses();

    void lookup_data();
    void lookup();
    void lookupWithDnsPreferences();
    void lookupFailures();
    void hostileDomainRunsNothing();

    void readsHostProbes_data();
    void readsHostProbes();
    void missingToolsAreAnswers();

    void probeFromHere_data();
    void probeFromHere();
    void probeFromHereClosedPortAndCancel();
    void probeFromHostLive_data();
    void probeFromHostLive();

private:
    QTemporaryDir m_dir;
    QSslCertificate m_certificate;
    QSslKey m_key;
    QString m_opensslMissing;
};

void TestMxProbe::initTestCase()
{
    // A throw-away certificate for the live server (CN and SAN: the address it listens on).
    if (QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty()) {
        m_opensslMissing = QStringLiteral("openssl is not installed (needed for the throw-away certificate)");
        return;
    }
    QProcess p;
    p.start(QStringLiteral("openssl"),
            {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
             QStringLiteral("-nodes"), QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
             QStringLiteral("/O=Probe Test/CN=127.0.0.1"), QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1"),
             QStringLiteral("-keyout"), m_dir.filePath(QStringLiteral("key.pem")), QStringLiteral("-out"),
             m_dir.filePath(QStringLiteral("cert.pem"))});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);
    QFile c(m_dir.filePath(QStringLiteral("cert.pem"))), k(m_dir.filePath(QStringLiteral("key.pem")));
    QVERIFY(c.open(QIODevice::ReadOnly) && k.open(QIODevice::ReadOnly));
    m_certificate = QSslCertificate(c.readAll());
    m_key = QSslKey(k.readAll(), QSsl::Rsa);
    QVERIFY(!m_certificate.isNull() && !m_key.isNull());
}

void TestMxProbe::recipientDomains_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("domain");  // empty: refused
    QTest::addColumn<bool>("address");
    QTest::newRow("domain") << "Stuck.Test" << "stuck.test" << false;
    QTest::newRow("absolute") << "stuck.test." << "stuck.test" << false;
    QTest::newRow("address") << "Someone@Stuck.Test" << "stuck.test" << true;
    QTest::newRow("idn") << "bücher.test" << "xn--bcher-kva.test" << false;
    QTest::newRow("semicolon") << "stuck.test;reboot" << "" << false;
    QTest::newRow("command substitution") << "$(reboot).test" << "" << false;
    QTest::newRow("backquote") << "`id`.test" << "" << false;
    QTest::newRow("space") << "stuck test" << "" << false;
    QTest::newRow("newline") << "stuck.test\n/quit" << "" << false;
    QTest::newRow("newline in local part") << "a\nb@stuck.test" << "" << false;
    QTest::newRow("leading dash") << "-d0.1" << "" << false;
    QTest::newRow("leading dash label") << "-x.stuck.test" << "" << false;
    QTest::newRow("empty") << "" << "" << false;
    QTest::newRow("nothing after @") << "user@" << "" << false;
    QTest::newRow("address literal") << "user@[192.0.2.1]" << "" << false;
    QTest::newRow("an address") << "192.0.2.1" << "" << false;
    QTest::newRow("pipe") << "stuck.test|cat" << "" << false;
}

void TestMxProbe::recipientDomains()
{
    QFETCH(QString, typed);
    QFETCH(QString, domain);
    QFETCH(bool, address);
    bool wasAddress = false;
    const Result<QString> r = recipientDomain(typed, &wasAddress);
    if (domain.isEmpty()) {
        QVERIFY(!r);
        QCOMPARE(r.error().kind, ErrorKind::InvalidInput);
        QVERIFY2(!r.error().message.contains(QLatin1Char('\n')), qPrintable(r.error().message));
        return;
    }
    QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
    QCOMPARE(*r, domain);
    QCOMPARE(wasAddress, address);
}

void TestMxProbe::serverNames_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("server");  // empty: refused
    QTest::newRow("name") << "MX1.Stuck.Test" << "mx1.stuck.test";
    QTest::newRow("ipv4") << "192.0.2.7" << "192.0.2.7";
    QTest::newRow("bracketed") << "[192.0.2.7]" << "192.0.2.7";
    QTest::newRow("ipv6") << "2001:DB8::25" << "2001:db8::25";
    QTest::newRow("ipv4 prefix") << "192.0.2" << "";
    QTest::newRow("ipv6 prefix") << "2001:db8" << "";
    QTest::newRow("leading dash") << "-connect" << "";
    QTest::newRow("option-like") << "--help" << "";
    QTest::newRow("semicolon") << "mx;id" << "";
    QTest::newRow("dollar") << "mx$IFS.test" << "";
    QTest::newRow("space") << "mx1 stuck.test" << "";
    QTest::newRow("newline") << "mx1.stuck.test\nQUIT" << "";
    QTest::newRow("quote") << "mx1'.test" << "";
    QTest::newRow("empty") << "" << "";
    QTest::newRow("empty brackets") << "[]" << "";
}

void TestMxProbe::serverNames()
{
    QFETCH(QString, typed);
    QFETCH(QString, server);
    const Result<QString> r = probeServerName(typed);
    if (server.isEmpty()) {
        QVERIFY(!r);
        QCOMPARE(r.error().kind, ErrorKind::InvalidInput);
        return;
    }
    QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
    QCOMPARE(*r, server);
}

void TestMxProbe::mailertableKeys()
{
    QCOMPARE(mxparse::mailertableKeys(QStringLiteral("a.b.test")),
             (QStringList{QStringLiteral("a.b.test"), QStringLiteral(".b.test"), QStringLiteral(".test"), QStringLiteral(".")}));
    QVERIFY(!checkProbePort(25));
    QVERIFY(!checkProbePort(65535));
    QCOMPARE(checkProbePort(0)->kind, ErrorKind::InvalidInput);
    QCOMPARE(checkProbePort(65536)->kind, ErrorKind::InvalidInput);
    QCOMPARE(checkProbePort(-25)->kind, ErrorKind::InvalidInput);
}

void TestMxProbe::readsSendmailAnswers()
{
    const mxparse::MapAnswers routed = mxparse::parseMapAnswers(sample(QStringLiteral("bt-route-routed.test.txt")));
    QVERIFY(routed.mapPresent);
    QCOMPARE(routed.values.value(QStringLiteral("routed.test")), std::optional<QString>(QStringLiteral("esmtp:[relay.routed.test]")));
    QVERIFY(routed.values.contains(QStringLiteral(".test")));
    QCOMPARE(routed.values.value(QStringLiteral(".test")), std::nullopt);
    const mxparse::MapAnswers err = mxparse::parseMapAnswers(sample(QStringLiteral("bt-route-err.test.txt")));
    QCOMPARE(err.values.value(QStringLiteral("err.test")), std::optional<QString>(QStringLiteral("error:5.7.1:550 no mail here")));

    const mxparse::SendmailRoute bracket = mxparse::parseRoute(sample(QStringLiteral("bt-route-routed.test.txt")));
    QVERIFY(bracket.found);
    QCOMPARE(bracket.mailer, QStringLiteral("esmtp"));
    QCOMPARE(bracket.host, QStringLiteral("[relay.routed.test]"));
    const mxparse::SendmailRoute local = mxparse::parseRoute(sample(QStringLiteral("bt-route-mta.exp.test.txt")));
    QCOMPARE(local.mailer, QStringLiteral("local"));
    QVERIFY(local.host.isEmpty());
    const mxparse::SendmailRoute error = mxparse::parseRoute(sample(QStringLiteral("bt-route-err.test.txt")));
    QCOMPARE(error.mailer, QStringLiteral("*error*"));
    QCOMPARE(error.user, QStringLiteral("550 no mail here"));
    const mxparse::SendmailRoute down = mxparse::parseRoute(sample(QStringLiteral("bt-route-dns-down.txt")));
    QVERIFY2(down.message.contains(QLatin1String("Transient parse error")), qPrintable(down.message));

    QCOMPARE(mxparse::parseSmartHost(sample(QStringLiteral("bt-route-smarthost.txt"))), QStringLiteral("relay:[smart.test]"));
    QCOMPARE(mxparse::parseSmartHost(sample(QStringLiteral("bt-route-stuck.test.txt"))), QString());

    const mxparse::MxLines mx = mxparse::parseMxLines(sample(QStringLiteral("bt-route-stuck.test.txt")), QStringLiteral("stuck.test"));
    QVERIFY(mx.found);
    QCOMPARE(mx.count, 3);
    QCOMPARE(mx.resolverError, 0);
    QCOMPARE(mx.hosts, (QStringList{QStringLiteral("mx0.stuck.test"), QStringLiteral("mx1.stuck.test"), QStringLiteral("mx2.stuck.test")}));
    const mxparse::MxLines noMx = mxparse::parseMxLines(sample(QStringLiteral("bt-route-plain.test.txt")), QStringLiteral("plain.test"));
    QCOMPARE(noMx.count, 1);
    QCOMPARE(noMx.resolverError, 4);
    QCOMPARE(noMx.hosts, QStringList{QStringLiteral("plain.test")});
    const mxparse::MxLines none = mxparse::parseMxLines(sample(QStringLiteral("bt-route-nosuch.test.txt")), QStringLiteral("nosuch.test"));
    QCOMPARE(none.count, 0);
    QCOMPARE(none.resolverError, 1);
    const mxparse::MxLines temp = mxparse::parseMxLines(sample(QStringLiteral("bt-route-dns-down.txt")), QStringLiteral("stuck.test"));
    QCOMPARE(temp.count, -1);
    QCOMPARE(temp.resolverError, 2);
    const mxparse::MxLines noDns = mxparse::parseMxLines(sample(QStringLiteral("bt-route-no-dns.txt")), QStringLiteral("stuck.test"));
    QCOMPARE(noDns.count, 0);
    QCOMPARE(noDns.resolverError, 0);
    // Another name's answer is not this one's.
    QVERIFY(!mxparse::parseMxLines(sample(QStringLiteral("bt-route-stuck.test.txt")), QStringLiteral("stuck.tes")).found);
}

void TestMxProbe::readsPreferencesAndAddresses()
{
    const QList<std::pair<QString, int>> expected{{QStringLiteral("mx0.stuck.test"), 5},
                                                  {QStringLiteral("mx2.stuck.test"), 20},
                                                  {QStringLiteral("mx1.stuck.test"), 10}};
    QCOMPARE(mxparse::parseMxPreferences(sample(QStringLiteral("dig-mx-stuck.test.txt"))), expected);
    QCOMPARE(mxparse::parseMxPreferences(sample(QStringLiteral("host-mx-stuck.test.txt"))), expected);
    QCOMPARE(mxparse::parseMxPreferences(sample(QStringLiteral("nslookup-mx-stuck.test.txt"))), expected);
    QVERIFY(mxparse::parseMxPreferences(sample(QStringLiteral("host-mx-plain.test.txt"))).isEmpty());

    const mxparse::HostAnswers dig = mxparse::parseHostAnswers(sample(QStringLiteral("host-answers-dig.txt")));
    QCOMPARE(dig.preferenceTool, QStringLiteral("dig"));
    QCOMPARE(dig.preferences, expected);
    QCOMPARE(dig.addresses.value(QStringLiteral("mx2.stuck.test")), QStringList{QStringLiteral("127.0.2.2")});
    const mxparse::HostAnswers none = mxparse::parseHostAnswers(sample(QStringLiteral("host-answers-no-dig.txt")));
    QVERIFY(none.preferenceTool.isEmpty());
    QCOMPARE(none.addresses.value(QStringLiteral("mx0.stuck.test")), QStringList{QStringLiteral("127.0.2.3")});
    QVERIFY(none.addresses.contains(QStringLiteral("nosuch.stuck.test")));
    QVERIFY(none.addresses.value(QStringLiteral("nosuch.stuck.test")).isEmpty());
    QVERIFY(!none.getentMissing);
    QVERIFY(mxparse::parseHostAnswers("@@prefs none\n@@getent missing\n").getentMissing);
    QCOMPARE(mxparse::parseGetentAddresses("2001:db8::25    mx.example\n192.0.2.1       mx.example\n"),
             (QStringList{QStringLiteral("2001:db8::25"), QStringLiteral("192.0.2.1")}));
}

void TestMxProbe::lookup_data()
{
    QTest::addColumn<QString>("domain");
    QTest::addColumn<QString>("route");
    QTest::addColumn<QStringList>("servers");
    QTest::addColumn<QList<int>>("preferences");
    QTest::addColumn<QString>("noteHas");
    QTest::newRow("mx") << "stuck.test" << "mx" << list({"mx0.stuck.test", "mx1.stuck.test", "mx2.stuck.test"}) << QList<int>{1, 2, 3}
                        << "sendmail's order";
    QTest::newRow("address of a recipient") << "postmaster@stuck.test" << "mx"
                                            << list({"mx0.stuck.test", "mx1.stuck.test", "mx2.stuck.test"}) << QList<int>{1, 2, 3}
                                            << "";
    QTest::newRow("no mx") << "plain.test" << "a" << list({"plain.test"}) << QList<int>{0} << "no MX record";
    QTest::newRow("no such domain") << "nosuch.test" << "mx" << QStringList{} << QList<int>{} << "does not exist";
    QTest::newRow("mailertable brackets") << "routed.test" << "mailertable" << list({"relay.routed.test"}) << QList<int>{0}
                                          << "no MX lookup";
    QTest::newRow("mailertable parent key, %1, MX of the host") << "x.sub.test" << "mailertable" << QStringList{} << QList<int>{}
                                                               << "x.gw.test does not exist";
    QTest::newRow("mailertable error") << "err.test" << "mailertable" << QStringList{} << QList<int>{} << "550 no mail here";
    QTest::newRow("mailertable relay") << "relay.test" << "mailertable" << QStringList{} << QList<int>{} << "relay:relayhost.test";
    QTest::newRow("local") << "mta.exp.test" << "local" << QStringList{} << QList<int>{} << "locally";
    QTest::newRow("cname") << "alias.test" << "a" << list({"mx2.stuck.test"}) << QList<int>{0} << "CNAME";
}

void TestMxProbe::lookup()
{
    QFETCH(QString, domain);
    QFETCH(QString, route);
    QFETCH(QStringList, servers);
    QFETCH(QList<int>, preferences);
    QFETCH(QString, noteHas);
    CannedHost host;
    if (domain.contains(QLatin1Char('@')))
        host.routeFile = QStringLiteral("bt-route-stuck.test.txt");
    const Result<MxAnswer> a = lookupMxOnHost(host, HostProfile{}, domain);
    QVERIFY2(a, qPrintable(a ? QString() : a.error().message));
    QCOMPARE(a->route, route);
    QCOMPARE(names(*a), servers);
    QList<int> prefs;
    for (const MxServer &s : a->servers)
        prefs << s.preference;
    QCOMPARE(prefs, preferences);
    QVERIFY2(a->note.contains(noteHas), qPrintable(a->note));
    QVERIFY(!a->preferencesFromDns);
}

void TestMxProbe::lookupWithDnsPreferences()
{
    CannedHost host;
    host.answersFile = QStringLiteral("host-answers-dig.txt");
    const Result<MxAnswer> a = lookupMxOnHost(host, HostProfile{}, QStringLiteral("stuck.test"));
    QVERIFY(a);
    QVERIFY(a->preferencesFromDns);
    QCOMPARE(names(*a), (QStringList{QStringLiteral("mx0.stuck.test"), QStringLiteral("mx1.stuck.test"), QStringLiteral("mx2.stuck.test")}));
    QCOMPARE(a->servers[0].preference, 5);
    QCOMPARE(a->servers[1].preference, 10);
    QCOMPARE(a->servers[2].preference, 20);
    QCOMPARE(a->servers[1].addresses, QStringList{QStringLiteral("127.0.2.1")});
    // The mailertable key that decided, found through its parent-domain form.
    CannedHost sub;
    const Result<MxAnswer> s = lookupMxOnHost(sub, HostProfile{}, QStringLiteral("x.sub.test"));
    QVERIFY(s);
    QCOMPARE(s->mailertableKey, QStringLiteral(".sub.test"));
    QCOMPARE(s->mailer, QStringLiteral("smtp"));
    QCOMPARE(sub.commands.size(), 2);  // route, then the MX of x.gw.test; no addresses to find
}

void TestMxProbe::lookupFailures()
{
    CannedHost down;
    down.routeFile = QStringLiteral("bt-route-dns-down.txt");
    const Result<MxAnswer> d = lookupMxOnHost(down, HostProfile{}, QStringLiteral("stuck.test"));
    QVERIFY(!d);
    QCOMPARE(d.error().kind, ErrorKind::Connection);
    QVERIFY2(d.error().message.contains(QLatin1String("temporary")), qPrintable(d.error().message));

    CannedHost noDns;
    noDns.routeFile = QStringLiteral("bt-route-no-dns.txt");
    const Result<MxAnswer> n = lookupMxOnHost(noDns, HostProfile{}, QStringLiteral("stuck.test"));
    QVERIFY(n);
    QCOMPARE(n->route, QStringLiteral("a"));
    QCOMPARE(names(*n), QStringList{QStringLiteral("stuck.test")});
    QVERIFY2(n->note.contains(QLatin1String("no DNS")), qPrintable(n->note));

    CannedHost smart;
    smart.routeFile = QStringLiteral("bt-route-smarthost.txt");
    const Result<MxAnswer> s = lookupMxOnHost(smart, HostProfile{}, QStringLiteral("stuck.test"));
    QVERIFY(s);
    QCOMPARE(s->route, QStringLiteral("smarthost"));
    QCOMPARE(names(*s), QStringList{QStringLiteral("smart.test")});
}

void TestMxProbe::hostileDomainRunsNothing()
{
    for (const QString &hostile : {QStringLiteral("x.test;reboot"), QStringLiteral("x.test\n/quit"), QStringLiteral("-d0.1"),
                                   QStringLiteral("x test"), QStringLiteral("$(id).test")}) {
        CannedHost host;
        const Result<MxAnswer> a = lookupMxOnHost(host, HostProfile{}, hostile);
        QVERIFY(!a);
        QCOMPARE(a.error().kind, ErrorKind::InvalidInput);
        QVERIFY(host.commands.isEmpty());
        const Result<ProbeResult> p = probeFromHost(host, hostile, 25, 5s);
        QVERIFY(!p);
        QCOMPARE(p.error().kind, ErrorKind::InvalidInput);
        QVERIFY(host.commands.isEmpty());
    }
    CannedHost host;
    const Result<ProbeResult> p = probeFromHost(host, QStringLiteral("mx1.stuck.test"), 70000, 5s);
    QVERIFY(!p);
    QCOMPARE(p.error().kind, ErrorKind::InvalidInput);
    QVERIFY(host.commands.isEmpty());
}

void TestMxProbe::readsHostProbes_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("handshake");
    QTest::addColumn<bool>("offered");
    QTest::addColumn<QString>("error");
    QTest::newRow("good") << "host-probe-good.txt" << "ok" << true << "";
    QTest::newRow("good by address") << "host-probe-good-by-address.txt" << "ok" << true << "";
    QTest::newRow("break") << "host-probe-break.txt" << "failed" << true << "wrong version number";
    QTest::newRow("plain") << "host-probe-plain.txt" << "not offered" << false << "does not offer STARTTLS";
    QTest::newRow("silent") << "host-probe-silent.txt" << "no connection" << false << "no SMTP answer within 3 s";
    QTest::newRow("refused") << "host-probe-refused.txt" << "no connection" << false << "Connection refused";
    QTest::newRow("no address") << "host-probe-no-address.txt" << "no connection" << false << "has no address on the host";
}

void TestMxProbe::readsHostProbes()
{
    QFETCH(QString, file);
    QFETCH(QString, handshake);
    QFETCH(bool, offered);
    QFETCH(QString, error);
    const probeparse::HostProbe p = probeparse::parseHostProbe(sample(file), QStringLiteral("mx1.stuck.test"), 2500, 3s);
    QVERIFY(p.missing.isEmpty());
    const ProbeResult &r = p.result;
    QCOMPARE(r.handshake, handshake);
    QCOMPARE(r.starttlsOffered, offered);
    if (error.isEmpty())
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    else
        QVERIFY2(r.error.contains(error), qPrintable(r.error));
    QCOMPARE(r.where, QStringLiteral("host"));
    if (handshake != QLatin1String("ok")) {
        QVERIFY(r.protocol.isEmpty() && r.cipher.isEmpty() && !r.certificate);
        return;
    }
    QCOMPARE(r.address, QStringLiteral("127.0.0.1"));
    QCOMPARE(r.protocol, QStringLiteral("TLSv1.3"));
    QCOMPARE(r.cipher, QStringLiteral("TLS_AES_256_GCM_SHA384"));
    QVERIFY(r.certificate);
    QCOMPARE(r.certificate->subject, QStringLiteral("CN=mx1.stuck.test, O=Stuck Test, C=DE"));
    QCOMPARE(r.certificate->issuer, QStringLiteral("CN=mx1.stuck.test, O=Stuck Test, C=DE"));
    QCOMPARE(r.certificate->notAfter, QDateTime(QDate(2036, 11, 29), QTime(7, 36, 22), Qt::UTC));
    QVERIFY(!r.certificate->verified);
    QCOMPARE(r.certificate->verifyError, file.contains(QLatin1String("address")) ? QStringLiteral("IP address mismatch")
                                                                                  : QStringLiteral("self-signed certificate"));
}

void TestMxProbe::missingToolsAreAnswers()
{
    QCOMPARE(probeparse::parseHostProbe(sample(QStringLiteral("host-probe-no-openssl.txt")), QStringLiteral("x"), 25, 3s).missing,
             QStringLiteral("openssl"));
    QCOMPARE(probeparse::parseHostProbe(sample(QStringLiteral("host-probe-no-timeout.txt")), QStringLiteral("x"), 25, 3s).missing,
             QStringLiteral("timeout"));
    QCOMPARE(probeparse::parseOpenSslTime(QStringLiteral("Dec  2 07:36:22 2026 GMT")), QDateTime(QDate(2026, 12, 2), QTime(7, 36, 22), Qt::UTC));
    // Through probeFromHost: an error that names the program and the way out, never a crash.
    CannedHost host;
    host.answersFile = QStringLiteral("host-probe-no-openssl.txt");
    const Result<ProbeResult> r = probeFromHost(host, QStringLiteral("mx1.stuck.test"), 25, 3s);
    QVERIFY(!r);
    QVERIFY2(r.error().message.contains(QLatin1String("openssl is not installed on the host"))
                 && r.error().message.contains(QLatin1String("--from-here")),
             qPrintable(r.error().message));
}

void TestMxProbe::probeFromHere_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QString>("handshake");
    QTest::addColumn<bool>("offered");
    QTest::addColumn<QString>("errorHas");
    QTest::newRow("good") << "good" << "ok" << true << "";
    QTest::newRow("break") << "break" << "failed" << true << "wrong version number";
    QTest::newRow("plain") << "plain" << "not offered" << false << "does not offer STARTTLS";
    QTest::newRow("silent") << "silent" << "no connection" << false << "within 2 s";
}

void TestMxProbe::probeFromHere()
{
    if (!m_opensslMissing.isEmpty())
        QSKIP(qPrintable(m_opensslMissing));
    if (!QSslSocket::supportsSsl())
        QSKIP("Qt has no TLS backend here");
    QFETCH(QString, mode);
    QFETCH(QString, handshake);
    QFETCH(bool, offered);
    QFETCH(QString, errorHas);
    ServerThread server(mode, m_certificate, m_key);
    QVERIFY(server.port() > 0);
    QElapsedTimer clock;
    clock.start();
    const Result<ProbeResult> r = smtls::probeFromHere(QStringLiteral("127.0.0.1"), server.port(), 2s);
    const qint64 took = clock.elapsed();
    QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
    QCOMPARE(r->handshake, handshake);
    QCOMPARE(r->starttlsOffered, offered);
    QVERIFY2(r->error.contains(errorHas), qPrintable(r->error));
    QCOMPARE(r->where, QStringLiteral("here"));
    QCOMPARE(r->address, QStringLiteral("127.0.0.1"));
    if (mode == QLatin1String("silent"))
        QVERIFY2(took >= 1900 && took < 3500, qPrintable(QString::number(took)));  // the deadline, not more
    else
        QVERIFY2(took < 1500, qPrintable(QString::number(took)));
    if (mode != QLatin1String("good"))
        return;
    QVERIFY(r->banner.startsWith(QLatin1String("220 test.invalid")));
    QVERIFY(r->protocol.startsWith(QLatin1String("TLSv1.")));
    QVERIFY(!r->cipher.isEmpty());
    QVERIFY(r->certificate);
    QCOMPARE(r->certificate->subject, QStringLiteral("CN=127.0.0.1, O=Probe Test"));
    QVERIFY(!r->certificate->verified);  // self-signed: noted, yet the handshake is "ok"
    QVERIFY2(r->certificate->verifyError.contains(QLatin1String("self signed"), Qt::CaseInsensitive)
                 || r->certificate->verifyError.contains(QLatin1String("self-signed"), Qt::CaseInsensitive),
             qPrintable(r->certificate->verifyError));
    QCOMPARE(r->certificate->notAfter, m_certificate.expiryDate().toUTC());
}

void TestMxProbe::probeFromHereClosedPortAndCancel()
{
    QElapsedTimer clock;
    clock.start();
    const Result<ProbeResult> closed = smtls::probeFromHere(QStringLiteral("127.0.0.1"), closedPort(), 10s);
    QVERIFY(closed);
    QCOMPARE(closed->handshake, handshake::NoConnection);
    QVERIFY2(closed->error.contains(QLatin1String("refused"), Qt::CaseInsensitive), qPrintable(closed->error));
    QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));  // at once, not the timeout

    if (!m_opensslMissing.isEmpty())
        QSKIP(qPrintable(m_opensslMissing));
    // A silent server and a 30 s deadline, cancelled from another thread after 300 ms.
    ServerThread silent(QStringLiteral("silent"), m_certificate, m_key);
    std::stop_source stop;
    std::thread canceller([&stop] {
        std::this_thread::sleep_for(300ms);
        stop.request_stop();
    });
    clock.restart();
    const Result<ProbeResult> r = smtls::probeFromHere(QStringLiteral("127.0.0.1"), silent.port(), 30s, stop.get_token());
    canceller.join();
    QVERIFY(!r);
    QCOMPARE(r.error().kind, ErrorKind::Cancelled);
    QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
}

void TestMxProbe::probeFromHostLive_data()
{
    probeFromHere_data();
    QTest::newRow("closed") << "closed" << "no connection" << false << "Connection refused";
}

// The host's probe script for real, on this computer (LocalTransport: sh, getent, timeout and
// openssl s_client / x509 as a Debian host has them), against the same server.
void TestMxProbe::probeFromHostLive()
{
    if (!m_opensslMissing.isEmpty())
        QSKIP(qPrintable(m_opensslMissing));
    if (QStandardPaths::findExecutable(QStringLiteral("timeout")).isEmpty())
        QSKIP("coreutils timeout is not installed");
    QFETCH(QString, mode);
    QFETCH(QString, handshake);
    QFETCH(bool, offered);
    QFETCH(QString, errorHas);
    std::unique_ptr<ServerThread> server;
    int port = closedPort();
    if (mode != QLatin1String("closed")) {
        server = std::make_unique<ServerThread>(mode, m_certificate, m_key);
        port = server->port();
    }
    LocalTransport here;
    QElapsedTimer clock;
    clock.start();
    const Result<ProbeResult> r = probeFromHost(here, QStringLiteral("127.0.0.1"), port, 2s);
    const qint64 took = clock.elapsed();
    QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
    QCOMPARE(r->handshake, handshake);
    QCOMPARE(r->starttlsOffered, offered);
    QVERIFY2(r->error.contains(errorHas.replace(QLatin1String("within 2 s"), QLatin1String("no SMTP answer within 2 s"))),
             qPrintable(r->error));
    QCOMPARE(r->address, QStringLiteral("127.0.0.1"));
    if (mode == QLatin1String("silent"))
        QVERIFY2(took >= 1900 && took < 4000, qPrintable(QString::number(took)));
    else
        QVERIFY2(took < 1500, qPrintable(QString::number(took)));
    if (mode == QLatin1String("good")) {
        QVERIFY(r->certificate);
        QCOMPARE(r->certificate->subject, QStringLiteral("CN=127.0.0.1, O=Probe Test"));
        QCOMPARE(r->certificate->notAfter, m_certificate.expiryDate().toUTC());
        QCOMPARE(r->certificate->verifyError, QStringLiteral("self-signed certificate"));
    }
}

QTEST_GUILESS_MAIN(TestMxProbe)
#include "tst_mxprobe.moc"
