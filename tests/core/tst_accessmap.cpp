// The access map model: lines kept byte for byte, Try_TLS rules found as makemap reads them,
// and edits that touch only the lines they must (and are undone exactly).
#include "AccessMap.h"
#include "TlsFeatures.h"

#include <QMap>
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

    // ------------------------------------------------------------ TLS_Clt_Features entries

    void parse_findsTlsCltFeaturesEntries_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("tab") << QByteArray("TLS_Clt_Features:mx.a.test\tFlags=C\n") << QByteArray("mx.a.test") << QByteArray("Flags=C");
        QTest::newRow("lower-case tag, upper-case key")
            << QByteArray("tls_clt_features:MX.A.test Flags=C\n") << QByteArray("mx.a.test") << QByteArray("Flags=C");
        QTest::newRow("value with blanks") << QByteArray("TLS_Clt_Features:a.test  CipherList=HIGH; Flags=C\n")
                                           << QByteArray("a.test") << QByteArray("CipherList=HIGH; Flags=C");
        QTest::newRow("bare key") << QByteArray("TLS_Clt_Features:\tFlags=C\n") << QByteArray("") << QByteArray("Flags=C");
        QTest::newRow("prefix, CRLF, no final newline")
            << QByteArray("Try_TLS:x.test NO\r\nTLS_Clt_Features:192.0.2 Flags=C") << QByteArray("192.0.2") << QByteArray("Flags=C");
        QTest::newRow("first duplicate wins") << QByteArray("TLS_Clt_Features:a.test Flags=c\nTLS_Clt_Features:A.test Flags=C\n")
                                              << QByteArray("a.test") << QByteArray("Flags=c");
        QTest::newRow("valueless line first") << QByteArray("TLS_Clt_Features:a.test\nTLS_Clt_Features:a.test Flags=C\n")
                                              << QByteArray("a.test") << QByteArray("Flags=C");
    }
    void parse_findsTlsCltFeaturesEntries()
    {
        QFETCH(QByteArray, file);
        QFETCH(QByteArray, key);
        QFETCH(QByteArray, value);
        const AccessMap map(file, QStringLiteral("access"));
        const AccessRule *rule = map.findCltFeatures(QByteArrayView(key));
        QVERIFY(rule);
        QCOMPARE(map.valueOf(*rule).toByteArray(), value);
        QVERIFY(map.answersCltFeatures(*rule));
        QCOMPARE(map.bytes(), file);
        // Its own kind: never a Try_TLS rule, and the Try_TLS index does not know its key.
        QVERIFY(!map.find(QByteArrayView(key)) || file.contains("Try_TLS:" + key));
    }

    void parse_otherFeatureTagsAreNotTlsCltFeatures()
    {
        const AccessMap map(QByteArray("Clt_Features:a.test M\nTLS_Srv_Features:a.test CipherList=HIGH\nTLS_Clt:a.test VERIFY\n"
                                       "# TLS_Clt_Features:a.test Flags=C\n TLS_Clt_Features:b.test Flags=C\n"),
                            QStringLiteral("access"));
        QVERIFY(map.cltFeaturesRules().empty());
        QVERIFY(map.tryTlsRules().empty());
    }

    // What sendmail 8.17's get_tls_se_features() makes of a value (readcf.c): blanks gone (the
    // rewriting engine joins the tokens), every letter and digit after Flags= a flag, c wins.
    void tlsFeatures_readAsSendmailDoes_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QByteArray>("flags");
        QTest::addColumn<int>("fallback");  // 1 yes, 0 no, -1 neither flag
        QTest::addColumn<bool>("readable");
        QTest::newRow("Flags=C") << QByteArray("Flags=C") << QByteArray("C") << 1 << true;
        QTest::newRow("trailing ;") << QByteArray("Flags=C;") << QByteArray("C") << 1 << true;
        QTest::newRow("name in any case") << QByteArray("flags=C") << QByteArray("C") << 1 << true;
        QTest::newRow("blanks around =") << QByteArray("Flags = C") << QByteArray("C") << 1 << true;
        QTest::newRow("with a cipher list") << QByteArray("CipherList=HIGH:!aNULL; Flags=C") << QByteArray("C") << 1 << true;
        QTest::newRow("c forbids") << QByteArray("Flags=c") << QByteArray("c") << 0 << true;
        QTest::newRow("c wins over C") << QByteArray("Flags=Cc") << QByteArray("Cc") << 0 << true;
        QTest::newRow("two Flags options add up") << QByteArray("Flags=R;Flags=C") << QByteArray("RC") << 1 << true;
        QTest::newRow("other flags only") << QByteArray("Flags=R") << QByteArray("R") << -1 << true;
        QTest::newRow("no Flags") << QByteArray("CipherList=HIGH") << QByteArray() << -1 << true;
        QTest::newRow("a comment's letters are flags") << QByteArray("Flags=C # check later")
                                                       << QByteArray("Cchecklater") << 0 << true;
        QTest::newRow("no Name=") << QByteArray("C") << QByteArray() << -1 << true;  // under 2 bytes: "no options"
        QTest::newRow("no Name= (longer)") << QByteArray("Cd") << QByteArray() << -1 << false;
        QTest::newRow("unknown option") << QByteArray("Flag=C") << QByteArray() << -1 << false;
        QTest::newRow("empty Flags=") << QByteArray("Flags=") << QByteArray() << -1 << false;
        QTest::newRow("double ;") << QByteArray("Flags=C;;") << QByteArray("C") << 1 << false;
        QTest::newRow("quoted") << QByteArray("\"Flags=C\"") << QByteArray() << -1 << true;
    }
    void tlsFeatures_readAsSendmailDoes()
    {
        QFETCH(QByteArray, value);
        QFETCH(QByteArray, flags);
        QFETCH(int, fallback);
        QFETCH(bool, readable);
        const TlsFeatures f(value);
        QCOMPARE(f.flags(), flags);
        QCOMPARE(f.fallback().has_value() ? int(*f.fallback()) : -1, fallback);
        QVERIFY2(f.syntaxError().isEmpty() == readable, qPrintable(f.syntaxError()));
    }

    // Adding the flag keeps every other byte, removing it gives the value back byte for byte.
    void tlsFeatures_withFlagMergesAndWithoutFlagUndoes_data()
    {
        QTest::addColumn<QByteArray>("before");
        QTest::addColumn<QByteArray>("withC");
        QTest::addColumn<bool>("undoesExactly");
        QTest::newRow("nothing") << QByteArray() << QByteArray("Flags=C") << true;
        QTest::newRow("a cipher list") << QByteArray("CipherList=HIGH") << QByteArray("CipherList=HIGH; Flags=C") << true;
        QTest::newRow("ends with ;") << QByteArray("CipherList=HIGH;") << QByteArray("CipherList=HIGH; Flags=C;") << true;
        QTest::newRow("trailing blanks kept") << QByteArray("Options=SSL_OP_NO_TLSv1  ")
                                              << QByteArray("Options=SSL_OP_NO_TLSv1; Flags=C  ") << true;
        QTest::newRow("other flags") << QByteArray("Flags=R") << QByteArray("Flags=RC") << true;
        QTest::newRow("flags in the middle") << QByteArray("CipherList=HIGH; Flags = R ;Options=SSL_OP_NO_TLSv1")
                                             << QByteArray("CipherList=HIGH; Flags = RC ;Options=SSL_OP_NO_TLSv1") << true;
        QTest::newRow("already there") << QByteArray("Flags=C") << QByteArray("Flags=C") << true;
        // c would win over C: it goes (not undone: "never fall back" is not what on means).
        QTest::newRow("c replaced") << QByteArray("CipherList=HIGH; Flags=c") << QByteArray("CipherList=HIGH; Flags=C") << false;
        QTest::newRow("c in a second Flags") << QByteArray("Flags=R;Flags=c") << QByteArray("Flags=RC") << false;
    }
    void tlsFeatures_withFlagMergesAndWithoutFlagUndoes()
    {
        QFETCH(QByteArray, before);
        QFETCH(QByteArray, withC);
        QFETCH(bool, undoesExactly);
        const std::optional<QByteArray> added = TlsFeatures(before).withFlag('C');
        QVERIFY(added);
        QCOMPARE(*added, withC);
        QVERIFY2(TlsFeatures(*added).syntaxError().isEmpty(), qPrintable(TlsFeatures(*added).syntaxError()));
        QCOMPARE(TlsFeatures(*added).fallback(), std::optional<bool>(true));
        const std::optional<QByteArray> removed = TlsFeatures(*added).withoutFlag('C');
        QVERIFY(removed);
        if (undoesExactly && before != withC)
            QCOMPARE(*removed, before);
        QVERIFY(!TlsFeatures(*removed).hasFlag('C'));
        QVERIFY2(TlsFeatures(*removed).syntaxError().isEmpty(), removed->constData());
    }

    void tlsFeatures_withoutFlag_dropsEmptiedOptionWithItsSeparator_data()
    {
        QTest::addColumn<QByteArray>("before");
        QTest::addColumn<QByteArray>("after");
        QTest::newRow("only option") << QByteArray("Flags=C") << QByteArray();
        QTest::newRow("only option with ;") << QByteArray("Flags=C;") << QByteArray();
        QTest::newRow("first of two") << QByteArray("Flags=C; CipherList=HIGH") << QByteArray("CipherList=HIGH");
        QTest::newRow("last of two") << QByteArray("CipherList=HIGH;Flags=C") << QByteArray("CipherList=HIGH");
        QTest::newRow("keeps other letters") << QByteArray("Flags=dC; CipherList=HIGH") << QByteArray("Flags=d; CipherList=HIGH");
        QTest::newRow("two Flags emptied") << QByteArray("CipherList=HIGH; Flags=C; Flags=C") << QByteArray("CipherList=HIGH");
        QTest::newRow("not there") << QByteArray("Flags=R") << QByteArray("Flags=R");
    }
    void tlsFeatures_withoutFlag_dropsEmptiedOptionWithItsSeparator()
    {
        QFETCH(QByteArray, before);
        QFETCH(QByteArray, after);
        QCOMPARE(TlsFeatures(before).withoutFlag('C').value_or("<refused>"), after);
    }

    void tlsFeatures_quotedValueIsLeftAlone()
    {
        QVERIFY(!TlsFeatures("\"Flags=R\"").withFlag('C'));
        QVERIFY(!TlsFeatures(" \"Flags=C\"").withoutFlag('C'));
    }

    // New entries go next to the other TLS_Clt_Features entries, else after the Try_TLS rules,
    // else at the end under our header; removing them gives the file back byte for byte.
    void setCltFeatures_placesTheEntryAndRemoveUndoesIt_data()
    {
        QTest::addColumn<QByteArray>("before");
        QTest::addColumn<QByteArray>("after");
        QTest::newRow("after other entries")
            << QByteArray("TLS_Clt_Features:x.test Flags=R\nTry_TLS:a.test NO\n")
            << QByteArray("TLS_Clt_Features:x.test Flags=R\n# sendmail-tls: note\nTLS_Clt_Features:mx.new.test Flags=C\nTry_TLS:a.test NO\n");
        QTest::newRow("after the Try_TLS rules, tab habit")
            << QByteArray("Connect:x RELAY\nTry_TLS:a.test\tNO\n# end\n")
            << QByteArray("Connect:x RELAY\nTry_TLS:a.test\tNO\n# sendmail-tls: note\nTLS_Clt_Features:mx.new.test\tFlags=C\n# end\n");
        QTest::newRow("under our header, CRLF")
            << QByteArray("Connect:x RELAY\r\n")
            << QByteArray("Connect:x RELAY\r\n" + AccessMap::featuresBlockHeader()
                          + "\r\n# sendmail-tls: note\r\nTLS_Clt_Features:mx.new.test\tFlags=C\r\n");
        QTest::newRow("no final newline")
            << QByteArray("Connect:x RELAY")
            << QByteArray("Connect:x RELAY\n" + AccessMap::featuresBlockHeader() + "\n# sendmail-tls: note\nTLS_Clt_Features:mx.new.test\tFlags=C");
        QTest::newRow("empty file") << QByteArray()
                                    << QByteArray(AccessMap::featuresBlockHeader() + "\n# sendmail-tls: note\nTLS_Clt_Features:mx.new.test\tFlags=C\n");
    }
    void setCltFeatures_placesTheEntryAndRemoveUndoesIt()
    {
        QFETCH(QByteArray, before);
        QFETCH(QByteArray, after);
        AccessMap map(before, QStringLiteral("access"));
        QVERIFY(!map.setCltFeatures(dest("mx.new.test"), "Flags=C", QStringLiteral("note")));
        QCOMPARE(map.bytes(), after);
        QCOMPARE(valueFor(map, "mx.new.test"), QByteArray("<none>"));  // not a Try_TLS rule
        QCOMPARE(map.noteOf(*map.findCltFeatures(QByteArrayView("mx.new.test"))), QStringLiteral("note"));
        QVERIFY(map.removeCltFeatures(dest("mx.new.test")));
        QCOMPARE(map.bytes(), before);
        QVERIFY(!map.removeCltFeatures(dest("mx.new.test")));
    }

    void setCltFeatures_rewritesTheValueInPlace()
    {
        AccessMap map(QByteArray("Try_TLS:a.test NO\nTLS_Clt_Features:A.test  CipherList=HIGH\n# end\n"), QStringLiteral("access"));
        QVERIFY(!map.setCltFeatures(dest("a.test"), "CipherList=HIGH; Flags=C"));
        QCOMPARE(map.bytes(), QByteArray("Try_TLS:a.test NO\nTLS_Clt_Features:A.test  CipherList=HIGH; Flags=C\n# end\n"));
        QVERIFY(!map.setCltFeatures(dest("a.test"), "CipherList=HIGH; Flags=C", QStringLiteral("why")));
        QCOMPARE(map.bytes(), QByteArray("Try_TLS:a.test NO\n# sendmail-tls: why\nTLS_Clt_Features:A.test  CipherList=HIGH; Flags=C\n# end\n"));
        map.removeNoteOf(*map.findCltFeatures(QByteArrayView("a.test")));
        QCOMPARE(map.bytes(), QByteArray("Try_TLS:a.test NO\nTLS_Clt_Features:A.test  CipherList=HIGH; Flags=C\n# end\n"));
        QVERIFY(map.setCltFeatures(dest("a.test"), "Flags=C\nTry_TLS:x NO").has_value());
        QVERIFY(map.setCltFeatures(dest("a.test"), "  ").has_value());
        // The Try_TLS side is untouched by all of this.
        QCOMPARE(valueFor(map, "a.test"), QByteArray("NO"));
    }

    void removeTryTls_keepsOurHeaderWhileEntriesOfOursFollow()
    {
        AccessMap map(QByteArray(), QStringLiteral("access"));
        QVERIFY(!map.setTryTls(dest("a.test"), "NO", QStringLiteral("off")));
        QVERIFY(!map.setCltFeatures(dest("b.test"), "Flags=C", QStringLiteral("fallback")));
        const QByteArray both = map.bytes();
        QVERIFY(both.startsWith(AccessMap::blockHeader()));
        QVERIFY(!both.contains(AccessMap::featuresBlockHeader()));
        QVERIFY(map.removeTryTls(dest("a.test")));
        QVERIFY2(map.bytes().startsWith(AccessMap::blockHeader() + "\n# sendmail-tls: fallback\nTLS_Clt_Features:b.test"),
                 map.bytes().constData());
        QVERIFY(map.removeCltFeatures(dest("b.test")));
        QCOMPARE(map.bytes(), QByteArray());
    }

    void problems_flagTlsCltFeaturesEntriesSendmailMisreads()
    {
        const AccessMap map(QByteArray("TLS_Clt_Features:a.test Flags=C # check later\n"
                                       "TLS_Clt_Features:b.test Flag=C\n"
                                       "TLS_Clt_Features:c.test\n"
                                       "TLS_Clt_Features:d.test Flags=C\n"
                                       "TLS_Clt_Features:D.test Flags=c\n"
                                       "TLS_Clt_Features:e.test CipherList=HIGH; Flags=C\n"),
                            QStringLiteral("access"));
        QMap<int, QString> byLine;
        for (const Problem &p : map.problems())
            byLine[p.line] = p.message;
        QCOMPARE(byLine.keys(), QList<int>({1, 2, 3, 5}));
        QVERIFY2(byLine[1].contains(QStringLiteral("forbids the fallback")), qPrintable(byLine[1]));
        QVERIFY2(byLine[2].contains(QStringLiteral("unknown option \"Flag\"")), qPrintable(byLine[2]));
        QVERIFY2(byLine[3].contains(QStringLiteral("no value")), qPrintable(byLine[3]));
        QVERIFY2(byLine[5].contains(QStringLiteral("duplicate of line 4")), qPrintable(byLine[5]));
    }

    // A million-line map with a handful of TLS_Clt_Features entries: both kinds are found in
    // one pass and the features index stays as small as its entries.
    void largeMap_findsBothKindsInOnePass()
    {
        QByteArray big;
        for (int i = 0; i < 200000; ++i)
            big += "Try_TLS:host" + QByteArray::number(i) + ".example\tNO\n";
        big += "TLS_Clt_Features:host7.example Flags=C\n";
        const AccessMap map(big, QStringLiteral("access"));
        QCOMPARE(map.tryTlsRules().size(), size_t(200000));
        QCOMPARE(map.cltFeaturesRules().size(), size_t(1));
        QCOMPARE(map.cltFeaturesRules().capacity(), size_t(1));
        QCOMPARE(map.findCltFeatures(QByteArrayView("HOST7.example"))->line, 200000);
        QVERIFY(!map.findCltFeatures(QByteArrayView("host8.example")));
    }
};

QTEST_GUILESS_MAIN(TestAccessMap)
#include "tst_accessmap.moc"
