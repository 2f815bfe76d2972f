// The access map model: lines kept byte for byte, Try_TLS rules found as makemap reads them,
// and edits that touch only the lines they must (and are undone exactly).
#include "AccessMap.h"

#include <QTest>

using namespace smtls;

namespace {

Destination dest(const char *text)
{
    return *parseDestination(QString::fromLatin1(text));
}

QByteArray valueFor(const AccessMap &map, const char *key)
{
    const TryTlsRule *r = map.find(QByteArrayView(key));
    return r ? map.valueOf(*r).toByteArray() : QByteArray("<none>");
}

} // namespace

class TestAccessMap : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parse_findsTryTlsRules_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<bool>("disables");
        QTest::newRow("tab") << QByteArray("Try_TLS:a.example\tNO\n") << QByteArray("a.example") << QByteArray("NO") << true;
        QTest::newRow("spaces") << QByteArray("Try_TLS:a.example   NO\n") << QByteArray("a.example") << QByteArray("NO") << true;
        QTest::newRow("upper-case tag and key") << QByteArray("TRY_TLS:A.Example NO\n") << QByteArray("a.example") << QByteArray("NO") << true;
        QTest::newRow("lower-case value") << QByteArray("Try_TLS:a.example no\n") << QByteArray("a.example") << QByteArray("no") << true;
        QTest::newRow("trailing blanks") << QByteArray("Try_TLS:a.example NO  \n") << QByteArray("a.example") << QByteArray("NO  ") << true;
        QTest::newRow("trailing comment is part of value") << QByteArray("Try_TLS:a.example NO # temp\n") << QByteArray("a.example") << QByteArray("NO # temp") << false;
        QTest::newRow("yes") << QByteArray("Try_TLS:a.example YES\n") << QByteArray("a.example") << QByteArray("YES") << false;
        QTest::newRow("crlf") << QByteArray("Try_TLS:a.example NO\r\n") << QByteArray("a.example") << QByteArray("NO") << true;
        QTest::newRow("no final newline") << QByteArray("Try_TLS:a.example NO") << QByteArray("a.example") << QByteArray("NO") << true;
        QTest::newRow("bare default") << QByteArray("Try_TLS: NO\n") << QByteArray("") << QByteArray("NO") << true;
        QTest::newRow("bare default with tab") << QByteArray("Try_TLS:\tNO\n") << QByteArray("") << QByteArray("NO") << true;
        QTest::newRow("ipv6") << QByteArray("Try_TLS:IPv6:2001:db8::25 NO\n") << QByteArray("ipv6:2001:db8::25") << QByteArray("NO") << true;
        QTest::newRow("first duplicate wins") << QByteArray("Try_TLS:a.example YES\nTry_TLS:a.example NO\n") << QByteArray("a.example") << QByteArray("YES") << false;
    }
    void parse_findsTryTlsRules()
    {
        QFETCH(QByteArray, file);
        QFETCH(QByteArray, key);
        QFETCH(QByteArray, value);
        QFETCH(bool, disables);
        AccessMap map(file, QStringLiteral("access"));
        const TryTlsRule *rule = map.find(QByteArrayView(key));
        QVERIFY(rule);
        QCOMPARE(map.valueOf(*rule).toByteArray(), value);
        QCOMPARE(map.disablesTls(*rule), disables);
        QCOMPARE(map.bytes(), file);
    }

    void parse_ignoresWhatIsNotARule_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::newRow("comment") << QByteArray("# Try_TLS:a.example NO\n");
        QTest::newRow("other tag") << QByteArray("TLS_Srv:a.example VERIFY\n");
        QTest::newRow("indented") << QByteArray("  Try_TLS:a.example NO\n");
        QTest::newRow("tag as substring") << QByteArray("NoTry_TLS:a.example NO\n");
    }
    void parse_ignoresWhatIsNotARule()
    {
        QFETCH(QByteArray, file);
        AccessMap map(file, QStringLiteral("access"));
        QVERIFY(map.tryTlsRules().empty());
    }

    void lineKind_classifiesEveryLine()
    {
        AccessMap map(QByteArray("# c\n\nConnect:x RELAY\n  odd\r\n\t\n"), QStringLiteral("access"));
        QCOMPARE(map.lineCount(), 5);
        QCOMPARE(map.lineKind(0), AccessLineKind::Comment);
        QCOMPARE(map.lineKind(1), AccessLineKind::Blank);
        QCOMPARE(map.lineKind(2), AccessLineKind::Entry);
        QCOMPARE(map.lineKind(3), AccessLineKind::Unparsed);
        QCOMPARE(map.lineKind(4), AccessLineKind::Unparsed);  // whitespace only: makemap syntax error
    }

    void problems_flagValueThatIsNotOneToken()
    {
        AccessMap map(QByteArray("Connect:x RELAY\nTry_TLS:commented.org NO # temporary\n"), QStringLiteral("access"));
        const Problems p = map.problems();
        QCOMPARE(p.size(), 1);
        QCOMPARE(p[0].line, 2);
        QCOMPARE(p[0].severity, Severity::Warning);
        QVERIFY(p[0].message.contains(QStringLiteral("not exactly NO")));
    }

    void problems_flagDuplicatesEmptyValuesAndBadKeys()
    {
        AccessMap map(QByteArray("Try_TLS:a.example NO\nTRY_TLS:A.EXAMPLE YES\nTry_TLS:b.example\nTry_TLS:bad;key NO\n"),
                      QStringLiteral("access"));
        const Problems p = map.problems();
        QStringList got;
        for (const Problem &x : p)
            got << QString::number(x.line);
        QCOMPARE(got, QStringList({QStringLiteral("2"), QStringLiteral("3"), QStringLiteral("4")}));
        QVERIFY(p[0].message.contains(QStringLiteral("duplicate of line 1")));
    }

    void setTryTls_placesRuleAndReversesExactly_data()
    {
        QTest::addColumn<QByteArray>("original");
        QTest::addColumn<QByteArray>("expected");
        const QByteArray header = AccessMap::blockHeader();
        QTest::newRow("next to existing rules")
            << QByteArray("Connect:x RELAY\nTry_TLS:old.example\tNO\nSpam:y FRIEND\n")
            << QByteArray("Connect:x RELAY\nTry_TLS:old.example\tNO\nTry_TLS:new.example\tNO\nSpam:y FRIEND\n");
        QTest::newRow("block at end")
            << QByteArray("Connect:x RELAY\n")
            << QByteArray("Connect:x RELAY\n" + header + "\nTry_TLS:new.example\tNO\n");
        QTest::newRow("empty file") << QByteArray() << QByteArray(header + "\nTry_TLS:new.example\tNO\n");
        QTest::newRow("crlf kept")
            << QByteArray("Connect:x RELAY\r\n")
            << QByteArray("Connect:x RELAY\r\n" + header + "\r\nTry_TLS:new.example\tNO\r\n");
        QTest::newRow("no final newline kept")
            << QByteArray("Connect:x RELAY")
            << QByteArray("Connect:x RELAY\n" + header + "\nTry_TLS:new.example\tNO");
        QTest::newRow("after last rule without final newline")
            << QByteArray("Try_TLS:old.example NO")
            << QByteArray("Try_TLS:old.example NO\nTry_TLS:new.example NO");
        QTest::newRow("non-utf8 bytes around")
            << QByteArray("# caf\xe9\nTry_TLS:old.example NO\n# \xff\xfe\n")
            << QByteArray("# caf\xe9\nTry_TLS:old.example NO\nTry_TLS:new.example NO\n# \xff\xfe\n");
    }
    void setTryTls_placesRuleAndReversesExactly()
    {
        QFETCH(QByteArray, original);
        QFETCH(QByteArray, expected);
        AccessMap map(original, QStringLiteral("access"));
        QVERIFY(!map.setTryTls(dest("new.example"), "NO"));
        QCOMPARE(map.bytes(), expected);
        QVERIFY(map.removeTryTls(dest("new.example")));
        QCOMPARE(map.bytes(), original);
    }

    void setTryTls_withNoteWritesItOnItsOwnLine()
    {
        const QByteArray original("Try_TLS:old.example NO\n");
        AccessMap map(original, QStringLiteral("access"));
        QVERIFY(!map.setTryTls(dest("new.example"), "NO", QStringLiteral("2026-11-25 broken\nTry_TLS: NO")));
        QCOMPARE(map.bytes(), QByteArray("Try_TLS:old.example NO\n# sendmail-tls: 2026-11-25 broken Try_TLS: NO\n"
                                         "Try_TLS:new.example NO\n"));
        QCOMPARE(map.noteOf(*map.find(dest("new.example"))), QStringLiteral("2026-11-25 broken Try_TLS: NO"));
        QVERIFY(map.find(QByteArrayView("")) == nullptr);  // the note cannot smuggle in a rule
        QVERIFY(map.removeTryTls(dest("new.example")));
        QCOMPARE(map.bytes(), original);
    }

    void setTryTls_changesOnlyTheValueOfAnExistingRule()
    {
        AccessMap map(QByteArray("# a\nTRY_TLS:Old.Example\t\tNO\r\n# b\n"), QStringLiteral("access"));
        QVERIFY(!map.setTryTls(dest("old.example"), "YES"));
        QCOMPARE(map.bytes(), QByteArray("# a\nTRY_TLS:Old.Example\t\tYES\r\n# b\n"));
        QVERIFY(!map.setTryTls(dest("old.example"), "NO"));
        QCOMPARE(map.bytes(), QByteArray("# a\nTRY_TLS:Old.Example\t\tNO\r\n# b\n"));
    }

    void setTryTls_defaultKey()
    {
        AccessMap map(QByteArray("Try_TLS:a.example YES\n"), QStringLiteral("access"));
        QVERIFY(!map.setTryTls(Destination{}, "NO"));
        QCOMPARE(map.bytes(), QByteArray("Try_TLS:a.example YES\nTry_TLS: NO\n"));
        QCOMPARE(valueFor(map, ""), QByteArray("NO"));
        QCOMPARE(valueFor(map, "a.example"), QByteArray("YES"));
    }

    void find_ignoresKeyWithoutValue()
    {
        // makemap drops "Try_TLS:x" alone ("no RHS"), so a later duplicate is what counts.
        AccessMap map(QByteArray("Try_TLS:a.example\nTry_TLS:a.example NO\n"), QStringLiteral("access"));
        QCOMPARE(map.find(QByteArrayView("a.example"))->line, 1);
        QVERIFY(!map.setTryTls(dest("b.example"), "NO"));
        AccessMap bare(QByteArray("Try_TLS:c.example\n"), QStringLiteral("access"));
        QVERIFY(!bare.find(QByteArrayView("c.example")));
        QVERIFY(!bare.setTryTls(dest("c.example"), "NO"));
        QCOMPARE(bare.bytes(), QByteArray("Try_TLS:c.example\tNO\n"));
    }

    void problems_flagLinesMakemapRejects()
    {
        AccessMap map(QByteArray("  Try_TLS:a.example NO\n   \n# ok\nConnect:" + QByteArray(1100, 'x') + " OK\n"),
                      QStringLiteral("access"));
        QStringList lines;
        for (const Problem &p : map.problems())
            lines << QString::number(p.line);
        QCOMPARE(lines, QStringList({QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("4")}));
    }

    void setTryTls_rejectsValueWithBlanks()
    {
        AccessMap map(QByteArray(), QStringLiteral("access"));
        QVERIFY(map.setTryTls(dest("a.example"), "NO # x").has_value());
        QVERIFY(map.bytes().isEmpty());
    }

    void removeTryTls_removesEveryDuplicate()
    {
        AccessMap map(QByteArray("Try_TLS:a.example NO\nConnect:x RELAY\nTRY_TLS:A.example YES\n"), QStringLiteral("access"));
        QVERIFY(map.removeTryTls(dest("a.example")));
        QCOMPARE(map.bytes(), QByteArray("Connect:x RELAY\n"));
        QVERIFY(!map.removeTryTls(dest("a.example")));
    }

    void largeMap_editKeepsEverythingElse()
    {
        QByteArray big;
        for (int i = 0; i < 200000; ++i)
            big += "Connect:host" + QByteArray::number(i) + ".example\tREJECT\n";
        big += "Try_TLS:last.example NO";
        AccessMap map(big, QStringLiteral("access"));
        QCOMPARE(map.lineCount(), 200001);
        QVERIFY(!map.setTryTls(dest("new.example"), "NO"));
        QCOMPARE(map.bytes(), big + "\nTry_TLS:new.example NO");
        QCOMPARE(map.find(dest("new.example"))->line, 200001);
    }
    // The key index answers what a scan over every rule would, for every key of a map built to
    // collide: mixed case, valueless lines before the answer, duplicates, bytes above 127
    // (makemap folds ASCII only, so "\xC9" and "\xE9" are different keys).
    void keyIndex_agreesWithAScanOverEveryRule()
    {
        QByteArray file;
        QList<QByteArray> keys;
        for (int i = 0; i < 3000; ++i) {
            const QByteArray key = "h" + QByteArray::number(i % 1000) + (i % 7 == 0 ? ".EXAMPLE" : ".example");
            keys << key;
            const bool valueless = i % 11 == 0;
            file += "Try_TLS:" + key + (valueless ? QByteArray() : (i % 2 ? " NO" : " YES")) + "\n";
            if (i % 5 == 0)
                file += "Connect:" + key + " RELAY\n";
        }
        file += "Try_TLS:caf\xC9 NO\nTry_TLS:caf\xE9 YES\nTry_TLS:\nTry_TLS: NO\n";
        keys << QByteArray("caf\xC9") << QByteArray("caf\xE9") << QByteArray("CAF\xC9") << QByteArray() << QByteArray("absent");
        const AccessMap map(file, QStringLiteral("access"));
        auto scan = [&map](QByteArrayView key, bool needValue) -> const TryTlsRule * {
            for (const TryTlsRule &r : map.tryTlsRules()) {
                const QByteArrayView k = map.keyOf(r);
                bool same = k.size() == key.size();
                for (qsizetype i = 0; same && i < k.size(); ++i) {
                    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c | 0x20) : c; };
                    same = lower(k[i]) == lower(key[i]);
                }
                if (same && (!needValue || r.valueLength > 0))
                    return &r;
            }
            return nullptr;
        };
        for (const QByteArray &key : keys) {
            QCOMPARE(map.find(QByteArrayView(key)), scan(key, true));
            QCOMPARE(map.findLine(QByteArrayView(key)), scan(key, false));
        }
        QCOMPARE(valueFor(map, "caf\xC9"), QByteArray("NO"));
        QCOMPARE(valueFor(map, "caf\xE9"), QByteArray("YES"));
        QCOMPARE(valueFor(map, ""), QByteArray("NO"));
        qsizetype answering = 0;
        for (const TryTlsRule &r : map.tryTlsRules())
            answering += map.answers(r);
        QCOMPARE(answering, qsizetype(1000 + 2 + 1));  // h0..h999, the two café keys, the default
    }
};

QTEST_GUILESS_MAIN(TestAccessMap)
#include "tst_accessmap.moc"
