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
};

QTEST_GUILESS_MAIN(TestPolicy)
#include "tst_policy.moc"
