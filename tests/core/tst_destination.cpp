// Destinations typed by an administrator: what is accepted, how it is normalised, and that
// everything hostile is refused with a sentence.
#include "Destination.h"

#include <QTest>

using namespace smtls;

class TestDestination : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parse_normalises_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<int>("kind");
        const int host = int(DestinationKind::HostName), v4 = int(DestinationKind::IPv4), v6 = int(DestinationKind::IPv6);
        QTest::newRow("host") << QStringLiteral("mx.example.com") << QByteArray("mx.example.com") << host;
        QTest::newRow("upper case folded") << QStringLiteral("MX.Example.COM") << QByteArray("mx.example.com") << host;
        QTest::newRow("trailing dot dropped") << QStringLiteral("example.com.") << QByteArray("example.com") << host;
        QTest::newRow("idn to ascii") << QStringLiteral("bücher.example") << QByteArray("xn--bcher-kva.example") << host;
        QTest::newRow("single label") << QStringLiteral("com") << QByteArray("com") << host;
        QTest::newRow("underscore and hyphen") << QStringLiteral("mx_1-a.example") << QByteArray("mx_1-a.example") << host;
        QTest::newRow("ipv4") << QStringLiteral("192.0.2.9") << QByteArray("192.0.2.9") << v4;
        QTest::newRow("ipv4 prefix") << QStringLiteral("192.0.2") << QByteArray("192.0.2") << v4;
        // sendmail 8.15+ writes {server_addr} uncompressed (verified on 8.17.1.9): so do we.
        QTest::newRow("ipv6 full") << QStringLiteral("2001:DB8:0:0:0:0:0:25") << QByteArray("IPv6:2001:db8:0:0:0:0:0:25") << v6;
        QTest::newRow("ipv6 compressed input") << QStringLiteral("IPv6:2001:db8::25") << QByteArray("IPv6:2001:db8:0:0:0:0:0:25") << v6;
        QTest::newRow("ipv6 leading zeros") << QStringLiteral("2001:0db8::0025") << QByteArray("IPv6:2001:db8:0:0:0:0:0:25") << v6;
        QTest::newRow("ipv6 single zero kept") << QStringLiteral("2001:db8:0:1:1:1:1:1") << QByteArray("IPv6:2001:db8:0:1:1:1:1:1") << v6;
        QTest::newRow("ipv6 prefix") << QStringLiteral("IPv6:2001:DB8") << QByteArray("IPv6:2001:db8") << v6;
        QTest::newRow("ipv6 prefix leading zeros") << QStringLiteral("2001:0db8") << QByteArray("IPv6:2001:db8") << v6;
    }
    void parse_normalises()
    {
        QFETCH(QString, input);
        QFETCH(QByteArray, key);
        QFETCH(int, kind);
        const Result<Destination> d = parseDestination(input);
        QVERIFY2(d.ok(), d.ok() ? "" : qPrintable(d.error().message));
        QCOMPARE(d->key, key);
        QCOMPARE(int(d->kind), kind);
    }

    void parse_rejectsHostileInput_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("empty") << QString() << QStringLiteral("empty");
        QTest::newRow("semicolon") << QStringLiteral("a;rm -rf /") << QStringLiteral("';'");
        QTest::newRow("command substitution") << QStringLiteral("$(id)") << QStringLiteral("'$'");
        QTest::newRow("backquote") << QStringLiteral("`id`") << QStringLiteral("'`'");
        QTest::newRow("newline") << QStringLiteral("a.example\nTry_TLS: NO") << QStringLiteral("line break");
        QTest::newRow("space") << QStringLiteral("a example") << QStringLiteral("space");
        QTest::newRow("tab") << QStringLiteral("a\texample") << QStringLiteral("tab");
        QTest::newRow("hash") << QStringLiteral("a.example#x") << QStringLiteral("'#'");
        QTest::newRow("apostrophe") << QStringLiteral("a'b") << QStringLiteral("'''");
        QTest::newRow("double quote") << QStringLiteral("a\"b") << QStringLiteral("'\"'");
        QTest::newRow("curly quote") << QStringLiteral("a\u2019b") << QStringLiteral("\u2019");
        QTest::newRow("colon in name") << QStringLiteral("host:25") << QStringLiteral("IPv6");
        // Keys that can never match a server (one validator for set and explain).
        QTest::newRow("ipv4 part over 255") << QStringLiteral("192.0.2.256") << QStringLiteral("0 to 255");
        QTest::newRow("ipv4 leading zeros") << QStringLiteral("01.02.03.04") << QStringLiteral("leading zeros");
        QTest::newRow("five parts") << QStringLiteral("1.2.3.4.5") << QStringLiteral("four parts");
        QTest::newRow("hex part") << QStringLiteral("0x7f.1") << QStringLiteral("all-digit label");
        QTest::newRow("number over 255") << QStringLiteral("256") << QStringLiteral("0 to 255");
        QTest::newRow("unspecified ipv6") << QStringLiteral("::") << QStringLiteral("unspecified");
        QTest::newRow("bad punycode") << QStringLiteral("xn--zz") << QStringLiteral("punycode");
        QTest::newRow("pipe") << QStringLiteral("a|b") << QStringLiteral("'|'");
        QTest::newRow("redirect") << QStringLiteral("a>b") << QStringLiteral("'>'");
        QTest::newRow("ampersand") << QStringLiteral("a&b") << QStringLiteral("'&'");
        QTest::newRow("control") << QStringLiteral("a\u0001b") << QStringLiteral("control");
        QTest::newRow("zero width") << QStringLiteral("a\u200bb") << QStringLiteral("control");
        QTest::newRow("too long") << QString(300, QLatin1Char('a')) << QStringLiteral("longer");
        QTest::newRow("long label") << (QString(64, QLatin1Char('a')) + QStringLiteral(".example")) << QStringLiteral("63");
        QTest::newRow("leading dot") << QStringLiteral(".example.com") << QStringLiteral("leading dot");
        QTest::newRow("empty label") << QStringLiteral("a..example") << QStringLiteral("empty label");
        QTest::newRow("brackets") << QStringLiteral("[192.0.2.1]") << QStringLiteral("'['");
        QTest::newRow("hyphen edge") << QStringLiteral("-a.example") << QStringLiteral("'-'");
        QTest::newRow("two double colons") << QStringLiteral("2001::db8::1") << QStringLiteral("IPv6");
        QTest::newRow("prefix ending in colon") << QStringLiteral("IPv6:2001:db8:") << QStringLiteral("never matches");
        QTest::newRow("slash prefix") << QStringLiteral("192.0.2.0/24") << QStringLiteral("'/'");
        QTest::newRow("email") << QStringLiteral("user@example.com") << QStringLiteral("'@'");
    }
    void parse_rejectsHostileInput()
    {
        QFETCH(QString, input);
        QFETCH(QString, mentions);
        const Result<Destination> d = parseDestination(input);
        QVERIFY(!d.ok());
        QCOMPARE(d.error().kind, ErrorKind::InvalidInput);
        QVERIFY2(d.error().message.contains(mentions), qPrintable(d.error().message));
        QVERIFY(!d.error().message.contains(QLatin1Char('\n')));
    }

    void canonicalIPv6_matchesSendmail_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<bool>("compressed");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("loopback") << QByteArray("::1") << false << QByteArray("IPv6:0:0:0:0:0:0:0:1");
        QTest::newRow("leading zeros dropped") << QByteArray("2001:0db8::0025") << false << QByteArray("IPv6:2001:db8:0:0:0:0:0:25");
        // With UseCompressedIPv6Addresses: RFC 5952 text, as inet_ntop writes it.
        QTest::newRow("compressed loopback") << QByteArray("::1") << true << QByteArray("IPv6:::1");
        QTest::newRow("compressed longest run") << QByteArray("2001:0:0:1:0:0:0:1") << true << QByteArray("IPv6:2001:0:0:1::1");
        QTest::newRow("compressed first of equal runs") << QByteArray("2001:db8:0:0:1:0:0:1") << true << QByteArray("IPv6:2001:db8::1:0:0:1");
        QTest::newRow("compressed single zero kept") << QByteArray("2001:db8:0:1:1:1:1:1") << true << QByteArray("IPv6:2001:db8:0:1:1:1:1:1");
        QTest::newRow("prefix is not an address") << QByteArray("2001:db8") << false << QByteArray();
    }
    void canonicalIPv6_matchesSendmail()
    {
        QFETCH(QByteArray, input);
        QFETCH(bool, compressed);
        QFETCH(QByteArray, expected);
        QCOMPARE(canonicalIPv6(input, compressed ? IPv6Form::Compressed : IPv6Form::Uncompressed), expected);
    }
};

QTEST_GUILESS_MAIN(TestDestination)
#include "tst_destination.moc"
