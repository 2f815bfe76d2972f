// The policy: global state and mechanism, the lookup order of ruleset try_tls in explain(),
// and what planGlobal / planDestination write.
#include "LookupKeys.h"
#include "PolicyEditor.h"

#include <QTest>

using namespace smtls;

namespace {

const QByteArray McWithAccessDb = "FEATURE(`access_db', , `skip')dnl\nMAILER(`smtp')dnl\n";
const QByteArray McWithoutAccessDb = "MAILER(`smtp')dnl\n";
const QByteArray McWithModifierS = "CLIENT_OPTIONS(`Family=inet, M=S')dnl\nFEATURE(`access_db')dnl\nMAILER(`smtp')dnl\n";
const QByteArray McWithFeatures = "FEATURE(`access_db')dnl\nFEATURE(`tls_session_features')dnl\nMAILER(`smtp')dnl\n";
const QByteArray McWithGlobalFallback = "FEATURE(`access_db')dnl\nFEATURE(`tls_session_features')dnl\n"
                                        "define(`confTLS_FALLBACK_TO_CLEAR', `true')dnl\nMAILER(`smtp')dnl\n";

MailConfig config(const QByteArray &mc, const QByteArray &access)
{
    MailConfig c{SendmailMc(mc, QStringLiteral("sendmail.mc")), AccessMap(access, QStringLiteral("access")),
                 QStringLiteral("access")};
    return c;
}

const QDate Today(2026, 11, 25);

Destination dest(const char *text) { return *parseDestination(QString::fromLatin1(text)); }

} // namespace

class TestPolicy : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void lookupKeys_followRulesetsDandA_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<bool>("isAddress");
        QTest::addColumn<QList<QByteArray>>("keys");
        QTest::newRow("name") << QByteArray("mx.Example.com") << false
                              << QList<QByteArray>{"mx.example.com", "example.com", "com"};
        QTest::newRow("single label") << QByteArray("localhost") << false << QList<QByteArray>{"localhost"};
        QTest::newRow("literal") << QByteArray("[192.0.2.9]") << false
                                 << QList<QByteArray>{"[192.0.2.9]", "[192.0.2]", "[192.0]", "[192]"};
        QTest::newRow("ipv4") << QByteArray("192.0.2.9") << true
                              << QList<QByteArray>{"192.0.2.9", "192.0.2", "192.0", "192"};
        QTest::newRow("ipv6 compressed") << QByteArray("IPv6:2001:db8::25") << true
                                         << QList<QByteArray>{"ipv6:2001:db8::25", "ipv6:2001:db8", "ipv6:2001", "ipv6"};
        QTest::newRow("ipv6 full") << QByteArray("IPv6:2001:db8:1:2:3:4:5:6") << true
                                   << QList<QByteArray>{"ipv6:2001:db8:1:2:3:4:5:6", "ipv6:2001:db8:1:2:3:4:5",
                                                        "ipv6:2001:db8:1:2:3:4", "ipv6:2001:db8:1:2:3", "ipv6:2001:db8:1:2",
                                                        "ipv6:2001:db8:1", "ipv6:2001:db8", "ipv6:2001", "ipv6"};
    }
    void lookupKeys_followRulesetsDandA()
    {
        QFETCH(QByteArray, input);
        QFETCH(bool, isAddress);
        QFETCH(QList<QByteArray>, keys);
        QCOMPARE(isAddress ? addressLookupKeys(input) : nameLookupKeys(input), keys);
    }

    void explain_firstMatchWins_data()
    {
        QTest::addColumn<QByteArray>("mc");
        QTest::addColumn<QByteArray>("access");
        QTest::addColumn<QByteArray>("server");
        QTest::addColumn<QByteArray>("address");
        QTest::addColumn<bool>("tls");
        QTest::addColumn<QString>("decidedBy");
        QTest::addColumn<int>("line");
        const QByteArray map = "Try_TLS:example.com NO\n"
                               "Try_TLS:good.example.com YES\n"
                               "Try_TLS:192.0.2 NO\n"
                               "Try_TLS:IPv6:2001:db8 NO\n"
                               "TRY_TLS:UPPER.TEST NO\n"
                               "Try_TLS:commented.org NO # temporary\n";
        QTest::newRow("parent domain") << McWithAccessDb << map << QByteArray("mx.example.com") << QByteArray() << false << QStringLiteral("Try_TLS:example.com") << 1;
        QTest::newRow("yes under no parent") << McWithAccessDb << map << QByteArray("good.example.com") << QByteArray("192.0.2.1") << true << QStringLiteral("Try_TLS:good.example.com") << 2;
        QTest::newRow("name before address") << McWithAccessDb << map << QByteArray("good.example.com") << QByteArray() << true << QStringLiteral("Try_TLS:good.example.com") << 2;
        QTest::newRow("not a suffix match") << McWithAccessDb << map << QByteArray("notexample.com") << QByteArray() << true << QStringLiteral("default") << 0;
        QTest::newRow("address prefix") << McWithAccessDb << map << QByteArray("mx.other.test") << QByteArray("192.0.2.77") << false << QStringLiteral("Try_TLS:192.0.2") << 3;
        QTest::newRow("prefix ends at dot") << McWithAccessDb << map << QByteArray("mx.other.test") << QByteArray("192.0.20.1") << true << QStringLiteral("default") << 0;
        QTest::newRow("ipv6 prefix") << McWithAccessDb << map << QByteArray("mx6.other.test") << QByteArray("2001:db8::25") << false << QStringLiteral("Try_TLS:ipv6:2001:db8") << 4;
        QTest::newRow("upper-case key") << McWithAccessDb << map << QByteArray("upper.test") << QByteArray() << false << QStringLiteral("Try_TLS:upper.test") << 5;
        QTest::newRow("trailing comment is not NO") << McWithAccessDb << map << QByteArray("commented.org") << QByteArray() << true << QStringLiteral("Try_TLS:commented.org") << 6;
        QTest::newRow("default rule") << McWithAccessDb << QByteArray("Try_TLS: NO\nTry_TLS:a.test YES\n") << QByteArray("b.test") << QByteArray("198.51.100.1") << false << QStringLiteral("Try_TLS:") << 1;
        QTest::newRow("yes beats default") << McWithAccessDb << QByteArray("Try_TLS: NO\nTry_TLS:a.test YES\n") << QByteArray("mx.a.test") << QByteArray() << true << QStringLiteral("Try_TLS:a.test") << 2;
        QTest::newRow("no access_db: rules ignored") << McWithoutAccessDb << map << QByteArray("mx.example.com") << QByteArray() << true << QStringLiteral("default") << 0;
        QTest::newRow("M=S beats everything") << McWithModifierS << map << QByteArray("good.example.com") << QByteArray() << false << QStringLiteral("M=S") << 1;
        // One S switches every family off on 8.17 (verified with real IPv4 and IPv6 deliveries).
        QTest::newRow("M=S covers other families") << McWithModifierS << QByteArray() << QByteArray("v6.test") << QByteArray("2001:db8::1") << false << QStringLiteral("M=S") << 1;
        QTest::newRow("ipv6 key uncompressed") << McWithAccessDb << QByteArray("Try_TLS:IPv6:2001:db8:0:0:0:0:0:25 NO\n") << QByteArray("v6.test") << QByteArray("2001:db8::25") << false << QStringLiteral("Try_TLS:ipv6:2001:db8:0:0:0:0:0:25") << 1;
        QTest::newRow("ipv6 compressed key never matches") << McWithAccessDb << QByteArray("Try_TLS:IPv6:2001:db8::25 NO\n") << QByteArray("v6.test") << QByteArray("2001:db8::25") << true << QStringLiteral("default") << 0;
        QTest::newRow("no name: default before address") << McWithAccessDb << QByteArray("Try_TLS: NO\nTry_TLS:192.0.2.9 YES\n") << QByteArray() << QByteArray("192.0.2.9") << false << QStringLiteral("Try_TLS:") << 1;
    }
    void explain_firstMatchWins()
    {
        QFETCH(QByteArray, mc);
        QFETCH(QByteArray, access);
        QFETCH(QByteArray, server);
        QFETCH(QByteArray, address);
        QFETCH(bool, tls);
        QFETCH(QString, decidedBy);
        QFETCH(int, line);
        const MailConfig c = config(mc, access);
        const Decision d = c.policy().explain(server, address);
        QCOMPARE(d.decidedBy, decidedBy);
        QCOMPARE(d.tls, tls);
        QCOMPARE(d.line, line);
        QVERIFY(!d.reason.isEmpty());
    }

    void global_reportsMechanism_data()
    {
        QTest::addColumn<QByteArray>("mc");
        QTest::addColumn<QByteArray>("access");
        QTest::addColumn<bool>("tls");
        QTest::addColumn<QStringList>("via");
        QTest::newRow("on") << McWithAccessDb << QByteArray("Try_TLS:a.test NO\n") << true << QStringList();
        QTest::newRow("access default") << McWithAccessDb << QByteArray("Try_TLS: NO\n") << false << QStringList{QStringLiteral("access")};
        QTest::newRow("default ignored without access_db") << McWithoutAccessDb << QByteArray("Try_TLS: NO\n") << true << QStringList();
        QTest::newRow("client modifier") << McWithModifierS << QByteArray() << false << QStringList{QStringLiteral("client-options")};
        QTest::newRow("both") << McWithModifierS << QByteArray("Try_TLS:\tno\n") << false
                              << QStringList{QStringLiteral("client-options"), QStringLiteral("access")};
    }
    void global_reportsMechanism()
    {
        QFETCH(QByteArray, mc);
        QFETCH(QByteArray, access);
        QFETCH(bool, tls);
        QFETCH(QStringList, via);
        const GlobalState g = config(mc, access).policy().global();
        QCOMPARE(g.tls, tls);
        QStringList got;
        for (Mechanism m : g.via)
            got << mechanismName(m);
        QCOMPARE(got, via);
    }

    void planGlobal_defaultsToAccessMapWhenEnabled()
    {
        const Result<ConfigChange> c = planGlobal(config(McWithAccessDb, QByteArray("Connect:x RELAY\n")), false, std::nullopt);
        QVERIFY(c.ok());
        QVERIFY(!c->mc.changed());
        QVERIFY(c->access.after.contains("\nTry_TLS:\tNO\n"));
        QVERIFY(!c->needsRestart());
        QVERIFY(c->needsMapRebuild());
        QVERIFY(c->notes.join(QLatin1Char(' ')).contains(QStringLiteral("client-options")));
    }

    void planGlobal_usesModifierWithoutAccessDb()
    {
        const Result<ConfigChange> c = planGlobal(config(McWithoutAccessDb, QByteArray()), false, std::nullopt);
        QVERIFY(c.ok());
        QVERIFY(c->mc.after.contains(SendmailMc::insertedLine()));
        QVERIFY(!c->access.changed());
        QVERIFY(c->needsRestart());
    }

    void planGlobal_accessRefusedWithoutAccessDb()
    {
        const Result<ConfigChange> c = planGlobal(config(McWithoutAccessDb, QByteArray()), false, Mechanism::AccessDefault);
        QVERIFY(!c.ok());
        QCOMPARE(c.error().kind, ErrorKind::InvalidConfig);
    }

    void planGlobal_onClearsBothMechanisms()
    {
        const MailConfig c = config(McWithModifierS, QByteArray("Try_TLS: NO\nTry_TLS:a.test NO\n"));
        const Result<ConfigChange> change = planGlobal(c, true, std::nullopt);
        QVERIFY(change.ok());
        QCOMPARE(change->mc.after, QByteArray("CLIENT_OPTIONS(`Family=inet')dnl\nFEATURE(`access_db')dnl\nMAILER(`smtp')dnl\n"));
        QCOMPARE(change->access.after, QByteArray("Try_TLS:a.test NO\n"));
    }

    void planDestination_onUnderGlobalOffWritesYes()
    {
        const Result<ConfigChange> c = planDestination(config(McWithAccessDb, QByteArray("Try_TLS: NO\n")), dest("mx.good.test"), TlsSetting::On, {}, Today);
        QVERIFY(c.ok());
        QCOMPARE(c->access.after, QByteArray("Try_TLS: NO\n# sendmail-tls: 2026-11-25 TLS on\nTry_TLS:mx.good.test YES\n"));
    }

    void planDestination_onUnderParentNoWritesYes()
    {
        const Result<ConfigChange> c = planDestination(config(McWithAccessDb, QByteArray("Try_TLS:good.test NO\n")), dest("mx.good.test"), TlsSetting::On, {}, Today);
        QVERIFY(c.ok());
        QCOMPARE(c->access.after, QByteArray("Try_TLS:good.test NO\n# sendmail-tls: 2026-11-25 TLS on\nTry_TLS:mx.good.test YES\n"));
    }

    void planDestination_onWhereInheritedOnRemovesNo()
    {
        const Result<ConfigChange> c = planDestination(config(McWithAccessDb, QByteArray("# x\nTry_TLS:mx.good.test NO\n")), dest("mx.good.test"), TlsSetting::On);
        QVERIFY(c.ok());
        QCOMPARE(c->access.after, QByteArray("# x\n"));
    }

    void planDestination_onRefusedUnderModifierS()
    {
        const Result<ConfigChange> c = planDestination(config(McWithModifierS, QByteArray()), dest("mx.good.test"), TlsSetting::On);
        QVERIFY(!c.ok());
        QCOMPARE(c.error().kind, ErrorKind::InvalidConfig);
        QCOMPARE(c.error().line, 1);
    }

    void planDestination_offRefusedWithoutAccessDb()
    {
        const Result<ConfigChange> c = planDestination(config(McWithoutAccessDb, QByteArray()), dest("mx.bad.test"), TlsSetting::Off);
        QVERIFY(!c.ok());
        QVERIFY(c.error().message.contains(QStringLiteral("access_db")));
    }

    void planDestination_createsMissingAccessFile()
    {
        MailConfig c{SendmailMc(McWithAccessDb, QStringLiteral("sendmail.mc")), std::nullopt, QStringLiteral("access")};
        const Result<ConfigChange> change = planDestination(c, dest("mx.bad.test"), TlsSetting::Off, QStringLiteral("why"), Today);
        QVERIFY(change.ok());
        QVERIFY(!change->access.existedBefore);
        QVERIFY(change->access.changed());
        QVERIFY(change->access.after.endsWith("# sendmail-tls: 2026-11-25 TLS off: why\nTry_TLS:mx.bad.test\tNO\n"));
    }

    void planDestination_repeatingWhatARuleSaysChangesNothing()
    {
        const MailConfig c = config(McWithAccessDb, QByteArray("Try_TLS:mx.bad.test NO\n"));
        const Result<ConfigChange> same = planDestination(c, dest("mx.bad.test"), TlsSetting::Off, {}, Today);
        QVERIFY(same.ok());
        QVERIFY(!same->changed());
        const Result<ConfigChange> reason = planDestination(c, dest("mx.bad.test"), TlsSetting::Off, QStringLiteral("still broken"), Today);
        QVERIFY(reason.ok());
        QCOMPARE(reason->access.after, QByteArray("# sendmail-tls: 2026-11-25 TLS off: still broken\nTry_TLS:mx.bad.test NO\n"));
    }

    // ------------------------------------------------------------ the fallback to clear text

    // Ruleset tls_clt_feat_acc: name and parent domains, then address and shorter prefixes;
    // the first entry found is the answer; no bare "TLS_Clt_Features:" except for a server
    // without a name (checked against sendmail -bt in tests/realtools).
    void explain_fallbackFollowsTlsCltFeatures_data()
    {
        QTest::addColumn<QByteArray>("mc");
        QTest::addColumn<QByteArray>("server");
        QTest::addColumn<QByteArray>("address");
        QTest::addColumn<bool>("tls");
        QTest::addColumn<bool>("fallback");
        QTest::addColumn<QString>("fallbackDecidedBy");
        QTest::addColumn<QString>("featuresKey");
        const QString none;
        QTest::newRow("own entry") << McWithFeatures << QByteArray("mx.relay.test") << QByteArray("10.0.0.1") << true << true
                                   << QStringLiteral("TLS_Clt_Features:mx.relay.test") << QStringLiteral("TLS_Clt_Features:mx.relay.test");
        QTest::newRow("parent domain") << McWithFeatures << QByteArray("mx2.relay.test") << QByteArray("10.0.0.1") << true << true
                                       << QStringLiteral("TLS_Clt_Features:relay.test") << QStringLiteral("TLS_Clt_Features:relay.test");
        QTest::newRow("no match: no bare key") << McWithFeatures << QByteArray("other.test") << QByteArray("10.0.0.1") << true
                                               << false << none << none;
        QTest::newRow("no name: bare key first") << McWithFeatures << QByteArray() << QByteArray("10.0.0.1") << true << true
                                                 << QStringLiteral("TLS_Clt_Features:") << QStringLiteral("TLS_Clt_Features:");
        QTest::newRow("address prefix") << McWithFeatures << QByteArray("other.test") << QByteArray("192.0.2.9") << true << true
                                        << QStringLiteral("TLS_Clt_Features:192.0.2") << QStringLiteral("TLS_Clt_Features:192.0.2");
        QTest::newRow("prefix ends at a dot") << McWithFeatures << QByteArray("other.test") << QByteArray("192.0.20.1") << true
                                              << false << none << none;
        QTest::newRow("name before address") << McWithFeatures << QByteArray("never.test") << QByteArray("192.0.2.9") << true
                                             << false << QStringLiteral("TLS_Clt_Features:never.test")
                                             << QStringLiteral("TLS_Clt_Features:never.test");
        QTest::newRow("entry without flags: none") << McWithFeatures << QByteArray("cipher.test") << QByteArray("10.0.0.1") << true
                                                   << false << none << QStringLiteral("TLS_Clt_Features:cipher.test");
        QTest::newRow("ipv6 prefix") << McWithFeatures << QByteArray("v6.test") << QByteArray("2001:db8:aa::1") << true << true
                                     << QStringLiteral("TLS_Clt_Features:IPv6:2001:db8:aa") << QStringLiteral("TLS_Clt_Features:IPv6:2001:db8:aa");
        QTest::newRow("global") << McWithGlobalFallback << QByteArray("other.test") << QByteArray("10.0.0.1") << true << true
                                << QStringLiteral("TLSFallbacktoClear") << none;
        QTest::newRow("global, entry without flags") << McWithGlobalFallback << QByteArray("cipher.test") << QByteArray("10.0.0.1")
                                                     << true << true << QStringLiteral("TLSFallbacktoClear")
                                                     << QStringLiteral("TLS_Clt_Features:cipher.test");
        QTest::newRow("c wins over global") << McWithGlobalFallback << QByteArray("never.test") << QByteArray("10.0.0.1") << true
                                            << false << QStringLiteral("TLS_Clt_Features:never.test")
                                            << QStringLiteral("TLS_Clt_Features:never.test");
        QTest::newRow("TLS not tried: nothing to fall back from") << McWithFeatures << QByteArray("off.test") << QByteArray("10.0.0.1")
                                                                  << false << false << none << QStringLiteral("TLS_Clt_Features:off.test");
        QTest::newRow("without the FEATURE: ignored") << McWithAccessDb << QByteArray("mx.relay.test") << QByteArray("10.0.0.1")
                                                      << true << false << none << none;
        QTest::newRow("M=S") << QByteArray("CLIENT_OPTIONS(`Family=inet, M=S')dnl\n" + McWithGlobalFallback)
                             << QByteArray("mx.relay.test") << QByteArray("10.0.0.1") << false << false << none
                             << QStringLiteral("TLS_Clt_Features:mx.relay.test");
    }
    void explain_fallbackFollowsTlsCltFeatures()
    {
        QFETCH(QByteArray, mc);
        QFETCH(QByteArray, server);
        QFETCH(QByteArray, address);
        QFETCH(bool, tls);
        QFETCH(bool, fallback);
        QFETCH(QString, fallbackDecidedBy);
        QFETCH(QString, featuresKey);
        const MailConfig c = config(mc, "TLS_Clt_Features:mx.relay.test\tFlags=C\n"
                                        "TLS_Clt_Features:relay.test\tFlags=C\n"
                                        "TLS_Clt_Features:\tFlags=C\n"
                                        "TLS_Clt_Features:192.0.2\tFlags=C\n"
                                        "TLS_Clt_Features:never.test\tFlags=c\n"
                                        "TLS_Clt_Features:cipher.test\tCipherList=HIGH\n"
                                        "TLS_Clt_Features:IPv6:2001:db8:aa\tFlags=C\n"
                                        "TLS_Clt_Features:off.test\tFlags=C\n"
                                        "Try_TLS:off.test\tNO\n");
        const Decision d = c.policy().explain(server, address);
        QCOMPARE(d.tls, tls);
        QCOMPARE(d.fallback, fallback);
        QCOMPARE(d.fallbackDecidedBy, fallbackDecidedBy);
        QCOMPARE(d.featuresKey, featuresKey);
        QVERIFY(!d.fallbackReason.isEmpty());
        if (!d.fallbackDecidedBy.isEmpty())
            QVERIFY(d.fallbackLine > 0);
        QCOMPARE(tlsAnswer(d), !tls ? QStringLiteral("TLS not tried")
                               : fallback ? QStringLiteral("TLS tried, falls back to clear text if the handshake fails")
                                          : QStringLiteral("TLS tried"));
    }

    void explain_fallbackSaysWhenTheFeatureIsMissing()
    {
        const Decision d = config(McWithAccessDb, "TLS_Clt_Features:mx.relay.test Flags=C\n").policy().explain("mx.relay.test", "10.0.0.1");
        QVERIFY(!d.fallback);
        QVERIFY2(d.fallbackReason.contains(QStringLiteral("tls_session_features")), qPrintable(d.fallbackReason));
    }

    void global_reportsFallback()
    {
        const GlobalState on = config(McWithGlobalFallback, {}).policy().global();
        QVERIFY(on.tls && on.fallback);
        QCOMPARE(on.fallbackLine, 3);
        QCOMPARE(on.sessionFeaturesLine, 2);
        QCOMPARE(on.state(), QStringLiteral("fallback"));
        const GlobalState moot = config("CLIENT_OPTIONS(`Family=inet, M=S')dnl\n" + McWithGlobalFallback, {}).policy().global();
        QVERIFY(!moot.tls && moot.fallback);
        QCOMPARE(moot.state(), QStringLiteral("off"));
        QCOMPARE(config(McWithAccessDb, {}).policy().global().state(), QStringLiteral("on"));
    }

    // Every destination with a rule of either kind, each once; a TLS_Clt_Features-only one
    // inherits its TLS from the Try_TLS rules above it.
    void destinations_includeTlsCltFeaturesEntries()
    {
        const MailConfig c = config(McWithFeatures, "Try_TLS:a.test NO\n"
                                                    "Try_TLS:b.test YES\n"
                                                    "TLS_Clt_Features:b.test Flags=C\n"
                                                    "TLS_Clt_Features:mx.c.test CipherList=HIGH; Flags=C\n"
                                                    "Try_TLS:c.test NO\n"
                                                    "TLS_Clt_Features:relay.test Flags=C\n"
                                                    "Try_TLS:mx.relay.test YES\n");
        const QList<DestinationRule> rules = c.policy().destinations();
        QStringList seen;
        for (const DestinationRule &r : rules)
            seen << QStringLiteral("%1 %2 %3 %4/%5 %6")
                        .arg(QString::fromLatin1(r.destination.key), r.state())
                        .arg(r.line)
                        .arg(r.featuresLine)
                        .arg(r.fallbackDecidedBy.isEmpty() ? QStringLiteral("-") : r.fallbackDecidedBy)
                        .arg(r.effective);
        QCOMPARE(seen, QStringList({QStringLiteral("a.test off 1 0/- 1"),
                                    QStringLiteral("b.test fallback 2 3/TLS_Clt_Features:b.test 1"),
                                    QStringLiteral("c.test off 5 0/- 1"),
                                    QStringLiteral("mx.relay.test fallback 7 0/TLS_Clt_Features:relay.test 1"),
                                    QStringLiteral("mx.c.test off 0 4/- 1"),
                                    QStringLiteral("relay.test fallback 0 6/TLS_Clt_Features:relay.test 1")}));
        QCOMPARE(c.policy().destinationCount(), qsizetype(6));
    }

    void destinations_globalFallbackWithoutEntries()
    {
        const QList<DestinationRule> rules = config(McWithGlobalFallback, "Try_TLS:a.test NO\nTry_TLS:b.test YES\n").policy().destinations();
        QCOMPARE(rules.size(), 2);
        QVERIFY(!rules[0].fallback);
        QVERIFY(rules[1].fallback);
        QCOMPARE(rules[1].fallbackDecidedBy, QStringLiteral("TLSFallbacktoClear"));
    }

    void planGlobal_fallbackAndOnRoundTrip()
    {
        const MailConfig c = config(McWithAccessDb, "Try_TLS: NO\nTry_TLS:a.test NO\n");
        const Result<ConfigChange> fallback = planGlobal(c, GlobalSetting::Fallback, std::nullopt);
        QVERIFY(fallback);
        QCOMPARE(fallback->mc.after, QByteArray("FEATURE(`access_db', , `skip')dnl\n" + SendmailMc::fallbackMarker() + "\n"
                                                + SendmailMc::fallbackLine() + "\nMAILER(`smtp')dnl\n"));
        QCOMPARE(fallback->access.after, QByteArray("Try_TLS:a.test NO\n"));  // the default off goes, as for on
        QVERIFY(fallback->needsRestart());
        const MailConfig after = configAfter(c, *fallback);
        QCOMPARE(after.policy().global().state(), QStringLiteral("fallback"));
        const Result<ConfigChange> on = planGlobal(after, GlobalSetting::On, std::nullopt);
        QVERIFY(on);
        QCOMPARE(on->mc.after, McWithAccessDb);
        // Off leaves the option alone (moot), so that off and back to fallback restores the file.
        const Result<ConfigChange> off = planGlobal(after, GlobalSetting::Off, Mechanism::ClientOptions);
        QVERIFY(off);
        QVERIFY(SendmailMc(off->mc.after, QStringLiteral("sendmail.mc")).tlsFallbackToClear());
        const Result<ConfigChange> back = planGlobal(configAfter(after, *off), GlobalSetting::Fallback, std::nullopt);
        QVERIFY(back);
        QCOMPARE(back->mc.after, fallback->mc.after);
    }

    void planGlobal_fallbackClearsTheModifierS()
    {
        const Result<ConfigChange> c = planGlobal(config(McWithModifierS, {}), GlobalSetting::Fallback, std::nullopt);
        QVERIFY(c);
        const SendmailMc mc(c->mc.after, QStringLiteral("sendmail.mc"));
        QVERIFY(!mc.clientStartTlsDisabled());
        QVERIFY(mc.tlsFallbackToClear());
    }

    // Each row: the files, a sequence of settings for one destination, and the access file
    // after the sequence: the original bytes where the sequence comes back to where it began.
    void planDestination_sequences_data()
    {
        QTest::addColumn<QByteArray>("mc");
        QTest::addColumn<QByteArray>("access");
        QTest::addColumn<QList<int>>("settings");
        QTest::addColumn<QByteArray>("accessAfter");
        QTest::addColumn<QString>("finalState");
        const auto seq = [](std::initializer_list<TlsSetting> l) {
            QList<int> out;
            for (TlsSetting s : l)
                out << int(s);
            return out;
        };
        const QByteArray rules = "# head\nTry_TLS:x.test NO\n# tail\n";
        QTest::newRow("fallback: new entry after the Try_TLS rules")
            << McWithFeatures << rules << seq({TlsSetting::Fallback})
            << QByteArray("# head\nTry_TLS:x.test NO\n# sendmail-tls: 2026-11-25 TLS fallback\nTLS_Clt_Features:mx.a.test Flags=C\n# tail\n")
            << QStringLiteral("fallback");
        QTest::newRow("fallback then on") << McWithFeatures << rules << seq({TlsSetting::Fallback, TlsSetting::On}) << rules
                                          << QStringLiteral("on");
        QTest::newRow("fallback then inherit") << McWithFeatures << rules << seq({TlsSetting::Fallback, TlsSetting::Inherit}) << rules
                                               << QStringLiteral("on");
        QTest::newRow("off then on") << McWithFeatures << rules << seq({TlsSetting::Off, TlsSetting::On}) << rules
                                     << QStringLiteral("on");
        QTest::newRow("off then fallback then on") << McWithFeatures << rules
                                                   << seq({TlsSetting::Off, TlsSetting::Fallback, TlsSetting::On}) << rules
                                                   << QStringLiteral("on");
        const QByteArray merged = "TLS_Clt_Features:mx.a.test\tCipherList=HIGH;\n";
        QTest::newRow("merged into a value, and taken out again")
            << McWithFeatures << merged << seq({TlsSetting::Fallback, TlsSetting::On}) << merged << QStringLiteral("on");
        QTest::newRow("merged: the value keeps its other options")
            << McWithFeatures << merged << seq({TlsSetting::Fallback})
            << QByteArray("# sendmail-tls: 2026-11-25 TLS fallback\nTLS_Clt_Features:mx.a.test\tCipherList=HIGH; Flags=C;\n")
            << QStringLiteral("fallback");
        QTest::newRow("fallback under a global off writes YES too")
            << McWithFeatures << QByteArray("Try_TLS: NO\n") << seq({TlsSetting::Fallback})
            << QByteArray("Try_TLS: NO\n# sendmail-tls: 2026-11-25 TLS fallback\nTry_TLS:mx.a.test YES\n"
                          "# sendmail-tls: 2026-11-25 TLS fallback\nTLS_Clt_Features:mx.a.test Flags=C\n")
            << QStringLiteral("fallback");
        QTest::newRow("on under the global fallback writes c")
            << McWithGlobalFallback << rules << seq({TlsSetting::On})
            << QByteArray("# head\nTry_TLS:x.test NO\n# sendmail-tls: 2026-11-25 TLS on, no fallback\nTLS_Clt_Features:mx.a.test Flags=c\n# tail\n")
            << QStringLiteral("on");
        QTest::newRow("on then fallback under the global fallback") << McWithGlobalFallback << rules
                                                                    << seq({TlsSetting::On, TlsSetting::Fallback}) << rules
                                                                    << QStringLiteral("fallback");
        QTest::newRow("on then inherit under the global fallback") << McWithGlobalFallback << rules
                                                                   << seq({TlsSetting::On, TlsSetting::Inherit}) << rules
                                                                   << QStringLiteral("fallback");
        QTest::newRow("fallback under the global fallback: nothing to write")
            << McWithGlobalFallback << rules << seq({TlsSetting::Fallback}) << rules << QStringLiteral("fallback");
        QTest::newRow("on under a parent's C writes c")
            << McWithFeatures << QByteArray("TLS_Clt_Features:a.test Flags=C\n") << seq({TlsSetting::On})
            << QByteArray("TLS_Clt_Features:a.test Flags=C\n# sendmail-tls: 2026-11-25 TLS on, no fallback\nTLS_Clt_Features:mx.a.test Flags=c\n")
            << QStringLiteral("on");
        QTest::newRow("fallback where the entry says c")
            << McWithFeatures << QByteArray("TLS_Clt_Features:mx.a.test Flags=Rc\n") << seq({TlsSetting::Fallback})
            << QByteArray("# sendmail-tls: 2026-11-25 TLS fallback\nTLS_Clt_Features:mx.a.test Flags=RC\n") << QStringLiteral("fallback");
        QTest::newRow("off keeps the entry") << McWithFeatures << rules << seq({TlsSetting::Fallback, TlsSetting::Off})
                                             << QByteArray("# head\nTry_TLS:x.test NO\n# sendmail-tls: 2026-11-25 TLS off\nTry_TLS:mx.a.test NO\n"
                                                           "# sendmail-tls: 2026-11-25 TLS fallback\nTLS_Clt_Features:mx.a.test Flags=C\n# tail\n")
                                             << QStringLiteral("off");
        QTest::newRow("address prefix") << McWithFeatures << QByteArray() << seq({TlsSetting::Fallback, TlsSetting::Inherit})
                                        << QByteArray() << QStringLiteral("on");
    }
    void planDestination_sequences()
    {
        QFETCH(QByteArray, mc);
        QFETCH(QByteArray, access);
        QFETCH(QList<int>, settings);
        QFETCH(QByteArray, accessAfter);
        QFETCH(QString, finalState);
        const Destination d = dest(QTest::currentDataTag() == QByteArray("address prefix") ? "192.0.2" : "mx.a.test");
        MailConfig c = config(mc, access);
        for (int s : settings) {
            const Result<ConfigChange> change = planDestination(c, d, TlsSetting(s), {}, Today);
            QVERIFY2(change, qPrintable(change ? QString() : change.error().describe()));
            QCOMPARE(change->mc.after, mc);  // the FEATURE is there: sendmail.mc is not touched
            c = configAfter(c, *change);
        }
        QCOMPARE(c.access->bytes(), accessAfter);
        const Decision now = d.isAddress() ? c.policy().explain({}, d.key + ".1") : c.policy().explain(d.key, "10.9.9.9");
        QCOMPARE(!now.tls ? QStringLiteral("off") : now.fallback ? QStringLiteral("fallback") : QStringLiteral("on"), finalState);
    }

    void planDestination_fallbackAddsTheFeature()
    {
        const MailConfig c = config(McWithAccessDb, "Try_TLS:x.test NO\n");
        const Result<ConfigChange> change = planDestination(c, dest("mx.a.test"), TlsSetting::Fallback, QStringLiteral("broken TLS"), Today);
        QVERIFY(change);
        QCOMPARE(change->mc.after, QByteArray("FEATURE(`access_db', , `skip')dnl\nFEATURE(`tls_session_features')dnl\nMAILER(`smtp')dnl\n"));
        QCOMPARE(change->access.after, QByteArray("Try_TLS:x.test NO\n# sendmail-tls: 2026-11-25 TLS fallback: broken TLS\n"
                                                  "TLS_Clt_Features:mx.a.test Flags=C\n"));
        QVERIFY(change->needsRestart());
        bool said = false;
        for (const QString &n : change->notes)
            said |= n.contains(QStringLiteral("tls_session_features")) && n.contains(QStringLiteral("restarted"));
        QVERIFY2(said, qPrintable(change->notes.join(QLatin1Char('|'))));
        // Back to on: the entry goes; the FEATURE stays (harmless, and removing it would cost
        // another restart).
        const Result<ConfigChange> on = planDestination(configAfter(c, *change), dest("mx.a.test"), TlsSetting::On, {}, Today);
        QVERIFY(on);
        QCOMPARE(on->access.after, QByteArray("Try_TLS:x.test NO\n"));
        QVERIFY(!on->mc.changed());
    }

    void planDestination_fallbackRefusedUnderModifierSOrWithoutAccessDb()
    {
        const Result<ConfigChange> s = planDestination(config(McWithModifierS, {}), dest("mx.a.test"), TlsSetting::Fallback, {}, Today);
        QVERIFY(!s);
        QCOMPARE(s.error().kind, ErrorKind::InvalidConfig);
        QVERIFY(s.error().message.contains(QStringLiteral("fall back")));
        const Result<ConfigChange> noDb = planDestination(config(McWithoutAccessDb, {}), dest("mx.a.test"), TlsSetting::Fallback, {}, Today);
        QVERIFY(!noDb);
        QVERIFY(noDb.error().message.contains(QStringLiteral("access_db")));
    }

    void planDestination_fallbackOnAQuotedValueIsRefused()
    {
        const Result<ConfigChange> c = planDestination(config(McWithFeatures, "TLS_Clt_Features:mx.a.test \"Flags=R\"\n"),
                                                       dest("mx.a.test"), TlsSetting::Fallback, {}, Today);
        QVERIFY(!c);
        QCOMPARE(c.error().kind, ErrorKind::InvalidConfig);
    }

    void problems_fallbackWithoutFeatureAndUnderModifierS()
    {
        const auto kinds = [](const MailConfig &c) {
            QList<FixKind> out;
            for (const Problem &p : c.policy().problems())
                out << p.fix;
            return out;
        };
        QVERIFY(kinds(config(McWithAccessDb, "TLS_Clt_Features:a.test Flags=C\n")).contains(FixKind::EnableTlsSessionFeatures));
        QVERIFY(!kinds(config(McWithFeatures, "TLS_Clt_Features:a.test Flags=C\n")).contains(FixKind::EnableTlsSessionFeatures));
        QVERIFY(kinds(config(McWithoutAccessDb, "TLS_Clt_Features:a.test Flags=C\n")).contains(FixKind::EnableAccessDb));
        const QByteArray hardOff = "CLIENT_OPTIONS(`Family=inet, M=S')dnl\n" + McWithGlobalFallback;
        QCOMPARE(kinds(config(hardOff, "TLS_Clt_Features:a.test Flags=C\nTLS_Clt_Features:b.test Flags=c\n")).count(FixKind::RemoveMootFallback), 2);
        QCOMPARE(kinds(config(McWithGlobalFallback, "TLS_Clt_Features:a.test Flags=C\n")).count(FixKind::RemoveMootFallback), 0);
    }

    // ------------------------------------------------------------------ expiry

    void planDestination_expiryGoesIntoEveryNoteItWrites()
    {
        const Expiry end = *Expiry::fromIso(QStringLiteral("2026-12-09T10:30:00Z"));
        const MailConfig c = config(McWithFeatures, "Try_TLS: NO\n");
        const Result<ConfigChange> fb = planDestination(c, dest("mx.a.test"), TlsSetting::Fallback, QStringLiteral("why"), Today, end);
        QVERIFY(fb);
        QCOMPARE(fb->access.after, QByteArray("Try_TLS: NO\n# sendmail-tls: 2026-11-25 TLS fallback (expires 2026-12-09T10:30:00Z): why\n"
                                              "Try_TLS:mx.a.test YES\n# sendmail-tls: 2026-11-25 TLS fallback (expires 2026-12-09T10:30:00Z): why\n"
                                              "TLS_Clt_Features:mx.a.test Flags=C\n"));
        const QList<DestinationRule> rules = configAfter(c, *fb).policy().destinations();
        QCOMPARE(rules.size(), 1);
        QCOMPARE(rules[0].expires, QStringLiteral("2026-12-09T10:30:00Z"));
        // Asking again with another end rewrites the note; without one, nothing changes.
        const MailConfig off = config(McWithAccessDb, "# sendmail-tls: 2026-11-20 TLS off (expires 2026-11-27)\nTry_TLS:mx.a.test NO\n");
        const Result<ConfigChange> same = planDestination(off, dest("mx.a.test"), TlsSetting::Off, {}, Today);
        QVERIFY(same && !same->changed());
        const Result<ConfigChange> longer = planDestination(off, dest("mx.a.test"), TlsSetting::Off, {}, Today, Expiry::onDate(QDate(2026, 12, 24)));
        QVERIFY(longer);
        QCOMPARE(longer->access.after, QByteArray("# sendmail-tls: 2026-11-25 TLS off (expires 2026-12-24)\nTry_TLS:mx.a.test NO\n"));
        const Result<ConfigChange> inherit = planDestination(off, dest("mx.a.test"), TlsSetting::Inherit, {}, Today, Expiry::onDate(QDate(2026, 12, 24)));
        QVERIFY(!inherit);
        QCOMPARE(inherit.error().kind, ErrorKind::InvalidInput);
    }

    void planGlobal_expiryOnTheDefaultNoteOrTheFallbackMarker()
    {
        const Expiry end = Expiry::onDate(QDate(2026, 12, 24));
        const MailConfig c = config(McWithAccessDb, "Try_TLS:a.test NO\n");
        const Result<ConfigChange> off = planGlobal(c, GlobalSetting::Off, std::nullopt, end, Today);
        QVERIFY(off);
        QCOMPARE(off->access.after, QByteArray("Try_TLS:a.test NO\n# sendmail-tls: 2026-11-25 TLS off for every server (expires 2026-12-24)\nTry_TLS: NO\n"));
        MailConfig after = configAfter(c, *off);
        after.now = QDateTime(QDate(2026, 12, 1), QTime(0, 0), Qt::UTC);
        QCOMPARE(after.policy().global().expires, QStringLiteral("2026-12-24"));
        QVERIFY(!after.policy().global().expired);
        const Result<ConfigChange> on = planGlobal(after, GlobalSetting::On, std::nullopt);
        QVERIFY(on);
        QCOMPARE(on->access.after, QByteArray("Try_TLS:a.test NO\n"));

        const Result<ConfigChange> hard = planGlobal(c, GlobalSetting::Off, Mechanism::ClientOptions, end, Today);
        QVERIFY(!hard);
        QCOMPARE(hard.error().kind, ErrorKind::InvalidInput);
        QVERIFY(!planGlobal(c, GlobalSetting::On, std::nullopt, end, Today));

        const Result<ConfigChange> fb = planGlobal(c, GlobalSetting::Fallback, std::nullopt, end, Today);
        QVERIFY(fb);
        QVERIFY(fb->mc.after.contains(SendmailMc::fallbackMarker() + " (expires 2026-12-24)\n" + SendmailMc::fallbackLine() + "\n"));
        MailConfig fallback = configAfter(c, *fb);
        fallback.now = QDateTime(QDate(2026, 12, 25), QTime(0, 0), Qt::UTC);
        QVERIFY(fallback.policy().global().expired);
        // Back to on: both lines go, the file is as before.
        const Result<ConfigChange> back = planGlobal(fallback, GlobalSetting::On, std::nullopt);
        QVERIFY(back);
        QCOMPARE(back->mc.after, McWithAccessDb);
        // An administrator's define has no note of ours: refused.
        const MailConfig theirs = config("define(`confTLS_FALLBACK_TO_CLEAR', `true')dnl\n" + McWithAccessDb, {});
        QVERIFY(!planGlobal(theirs, GlobalSetting::Fallback, std::nullopt, end, Today));
    }

    void problems_expiredExceptionsHaveAFixAndUnreadableOnesAreSaid()
    {
        MailConfig c = config(McWithFeatures, "# sendmail-tls: 2026-11-01 TLS off (expires 2026-11-08)\nTry_TLS:old.test NO\n"
                                              "# sendmail-tls: 2026-11-01 TLS off (expires 2027-11-08)\nTry_TLS:new.test NO\n"
                                              "# sendmail-tls: 2026-11-01 TLS fallback (expires 2026-11-31)\nTLS_Clt_Features:bad.test Flags=C\n");
        c.now = QDateTime(QDate(2026, 11, 25), QTime(0, 0), Qt::UTC);
        QStringList found;
        for (const Problem &p : c.policy().problems())
            found << QStringLiteral("%1:%2:%3").arg(p.line).arg(int(p.fix)).arg(QString::fromLatin1(p.subject));
        QCOMPARE(found, QStringList({QStringLiteral("2:%1:Try_TLS:old.test").arg(int(FixKind::RevertExpired)),
                                     QStringLiteral("6:0:")}));
        const QList<DestinationRule> rules = c.policy().destinations();
        QCOMPARE(rules[0].expired, true);
        QCOMPARE(rules[1].expired, false);
        QCOMPARE(rules[2].expires, QString());  // unreadable: no expiry (said as a problem)
    }
};

QTEST_GUILESS_MAIN(TestPolicy)
#include "tst_policy.moc"
