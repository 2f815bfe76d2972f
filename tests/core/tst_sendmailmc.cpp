// sendmail.mc: which CLIENT_OPTIONS are live, what m4 would choke on, and edits of the client
// modifier that change only the bytes they must.
#include "SendmailMc.h"

#include <QTest>

using namespace smtls;

namespace {

const QByteArray DebianLike =
    "divert(-1)dnl\n"
    "# CLIENT_OPTIONS(`Family=inet, M=S') in a # comment\n"
    "divert(0)dnl\n"
    "include(`/usr/share/sendmail/cf/m4/cf.m4')dnl\n"
    "OSTYPE(`debian')dnl\n"
    "DAEMON_OPTIONS(`Family=inet,  Name=MTA-v4, Port=smtp, Addr=127.0.0.1')dnl\n"
    "define(`confPRIVACY_FLAGS',dnl\n"
    "`needmailhelo,authwarnings')dnl\n"
    "FEATURE(`access_db', , `skip')dnl\n"
    "dnl CLIENT_OPTIONS(`Family=inet, M=S')dnl\n"
    "MAILER_DEFINITIONS\n"
    "MAILER(`local')dnl\n"
    "MAILER(`smtp')dnl\n";

} // namespace

class TestSendmailMc : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parse_findsLiveDeclarations()
    {
        SendmailMc mc(DebianLike, QStringLiteral("sendmail.mc"));
        QVERIFY(mc.clientOptions().isEmpty());
        QCOMPARE(mc.commentedClientOptionsLines(), QList<int>({2, 10}));
        QVERIFY(mc.accessDb().has_value());
        QCOMPARE(mc.accessDb()->line, 9);
        QCOMPARE(mc.accessDb()->sourcePath, QStringLiteral("/etc/mail/access"));
        QCOMPARE(mc.daemonOptions().size(), 1);
        QCOMPARE(mc.daemonOptions()[0].address(), QByteArray("127.0.0.1"));
        QCOMPARE(mc.daemonOptions()[0].name(), QByteArray("MTA-v4"));
        QVERIFY(!hasErrors(mc.problems()));
        bool reported = false;
        for (const Problem &p : mc.problems())
            reported |= p.line == 10 && p.message.contains(QStringLiteral("comment"));
        QVERIFY(reported);
    }

    void parse_clientOptionsFields_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QByteArray>("family");
        QTest::addColumn<QByteArray>("modifiers");
        QTest::newRow("plain") << QByteArray("CLIENT_OPTIONS(`Family=inet, M=S')dnl\n") << QByteArray("inet") << QByteArray("S");
        QTest::newRow("no family") << QByteArray("CLIENT_OPTIONS(`M=A')dnl\n") << QByteArray("inet") << QByteArray("A");
        QTest::newRow("inet6 long name") << QByteArray("CLIENT_OPTIONS(`Family=inet6, Modifiers=hS')\n") << QByteArray("inet6") << QByteArray("hS");
        QTest::newRow("unquoted") << QByteArray("CLIENT_OPTIONS(Family=inet, Addr=0.0.0.0)\n") << QByteArray("inet") << QByteArray();
        QTest::newRow("leading blank") << QByteArray("  CLIENT_OPTIONS(`Family=inet, M=S')dnl\n") << QByteArray("inet") << QByteArray("S");
    }
    void parse_clientOptionsFields()
    {
        QFETCH(QByteArray, line);
        QFETCH(QByteArray, family);
        QFETCH(QByteArray, modifiers);
        SendmailMc mc(line, QStringLiteral("x.mc"));
        QCOMPARE(mc.clientOptions().size(), 1);
        QCOMPARE(mc.clientOptions()[0].family(), family);
        QCOMPARE(mc.clientOptions()[0].options.modifiers(), modifiers);
    }

    void parse_accessDbMapSpec_data()
    {
        QTest::addColumn<QByteArray>("feature");
        QTest::addColumn<QByteArray>("type");
        QTest::addColumn<QString>("path");
        QTest::newRow("debian") << QByteArray("FEATURE(`access_db', , `skip')dnl") << QByteArray("hash") << QStringLiteral("/etc/mail/access");
        QTest::newRow("rhel") << QByteArray("FEATURE(`access_db', `hash -T<TMPF> -o /etc/mail/access.db')dnl") << QByteArray("hash") << QStringLiteral("/etc/mail/access");
        QTest::newRow("freebsd unquoted") << QByteArray("FEATURE(access_db, `hash -o -T<TMPF> /etc/mail/access')") << QByteArray("hash") << QStringLiteral("/etc/mail/access");
        QTest::newRow("btree custom path") << QByteArray("FEATURE(`access_db', `btree /var/db/mail/access')") << QByteArray("btree") << QStringLiteral("/var/db/mail/access");
        QTest::newRow("bare") << QByteArray("FEATURE(`access_db')") << QByteArray("hash") << QStringLiteral("/etc/mail/access");
    }
    void parse_accessDbMapSpec()
    {
        QFETCH(QByteArray, feature);
        QFETCH(QByteArray, type);
        QFETCH(QString, path);
        SendmailMc mc(feature + '\n', QStringLiteral("x.mc"));
        QVERIFY(mc.accessDb().has_value());
        QCOMPARE(mc.accessDb()->mapType, type);
        QCOMPARE(mc.accessDb()->sourcePath, path);
    }

    void problems_reportWhatBreaksM4_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("curly closing quote")
            << QByteArray("OSTYPE(`debian')dnl\nCLIENT_OPTIONS(`Family=inet, M=S\xe2\x80\x99)dnl\nMAILER(`smtp')dnl\n") << 2
            << QStringLiteral("typographic quote");
        QTest::newRow("curly opening quote")
            << QByteArray("dnl\nFEATURE(\xe2\x80\x98" "access_db')dnl\n") << 2 << QStringLiteral("typographic quote");
        QTest::newRow("unbalanced backquote")
            << QByteArray("dnl\ndnl\ndefine(`confFOO', `bar)dnl\nMAILER(smtp)\n") << 3 << QStringLiteral("never closed");
        QTest::newRow("unclosed parenthesis")
            << QByteArray("FEATURE(`access_db'\nMAILER(smtp\n") << 1 << QStringLiteral("never closed");
        QTest::newRow("duplicated M=")
            << QByteArray("CLIENT_OPTIONS(`Family=inet, M=A, M=S')dnl\n") << 1 << QStringLiteral("more than one M=");
    }
    void problems_reportWhatBreaksM4()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, line);
        QFETCH(QString, mentions);
        SendmailMc mc(text, QStringLiteral("x.mc"));
        bool found = false;
        for (const Problem &p : mc.problems())
            found |= p.line == line && p.message.contains(mentions);
        QVERIFY2(found, qPrintable(mc.problems().isEmpty() ? QStringLiteral("no problems") : mc.problems().first().message));
    }

    void disable_editsOnlyTheModifier_data()
    {
        QTest::addColumn<QByteArray>("before");
        QTest::addColumn<QByteArray>("after");
        QTest::newRow("add field") << QByteArray("CLIENT_OPTIONS(`Family=inet')dnl\n") << QByteArray("CLIENT_OPTIONS(`Family=inet, M=S')dnl\n");
        QTest::newRow("merge letters") << QByteArray("CLIENT_OPTIONS(`Family=inet, M=A')dnl\n") << QByteArray("CLIENT_OPTIONS(`Family=inet, M=AS')dnl\n");
        QTest::newRow("every family")
            << QByteArray("CLIENT_OPTIONS(`Family=inet, Address=0.0.0.0')dnl\r\nCLIENT_OPTIONS(`Family=inet6, Address=::')dnl\r\n")
            << QByteArray("CLIENT_OPTIONS(`Family=inet, Address=0.0.0.0, M=S')dnl\r\nCLIENT_OPTIONS(`Family=inet6, Address=::, M=S')dnl\r\n");
        QTest::newRow("already off") << QByteArray("CLIENT_OPTIONS(`M=S, Family=inet')") << QByteArray("CLIENT_OPTIONS(`M=S, Family=inet')");
        QTest::newRow("insert before mailers")
            << QByteArray("FEATURE(`access_db')dnl\nMAILER_DEFINITIONS\nMAILER(`smtp')dnl\n")
            << QByteArray("FEATURE(`access_db')dnl\n" + SendmailMc::insertedMarker() + "\n" + SendmailMc::insertedLine()
                          + "\nMAILER_DEFINITIONS\nMAILER(`smtp')dnl\n");
        QTest::newRow("insert at end without final newline")
            << QByteArray("FEATURE(`access_db')dnl")
            << QByteArray("FEATURE(`access_db')dnl\n" + SendmailMc::insertedMarker() + "\n" + SendmailMc::insertedLine());
        QTest::newRow("commented one is not edited")
            << QByteArray("dnl CLIENT_OPTIONS(`Family=inet')dnl\nMAILER(`smtp')dnl\n")
            << QByteArray("dnl CLIENT_OPTIONS(`Family=inet')dnl\n" + SendmailMc::insertedMarker() + "\n"
                          + SendmailMc::insertedLine() + "\nMAILER(`smtp')dnl\n");
    }
    void disable_editsOnlyTheModifier()
    {
        QFETCH(QByteArray, before);
        QFETCH(QByteArray, after);
        const Result<QByteArray> edited = SendmailMc(before, QStringLiteral("x.mc")).withClientStartTlsDisabled();
        QVERIFY(edited.ok());
        QCOMPARE(*edited, after);
        SendmailMc reparsed(*edited, QStringLiteral("x.mc"));
        for (const ClientOptionsDecl &d : reparsed.clientOptions())
            QVERIFY(d.skipsStartTls());
    }

    void enable_reversesDisable_data()
    {
        QTest::addColumn<QByteArray>("original");
        QTest::newRow("debian") << DebianLike;
        QTest::newRow("with field") << QByteArray("CLIENT_OPTIONS(`Family=inet, M=A')dnl\n");
        QTest::newRow("crlf two families")
            << QByteArray("CLIENT_OPTIONS(`Family=inet')dnl\r\nCLIENT_OPTIONS(`Family=inet6')dnl\r\nMAILER(smtp)\r\n");
        QTest::newRow("no newline at end") << QByteArray("FEATURE(`access_db')dnl");
        QTest::newRow("non-utf8 comment") << QByteArray("dnl caf\xe9\nMAILER(`smtp')dnl\n");
    }
    void enable_reversesDisable()
    {
        QFETCH(QByteArray, original);
        const Result<QByteArray> off = SendmailMc(original, QStringLiteral("x.mc")).withClientStartTlsDisabled();
        QVERIFY(off.ok());
        QVERIFY(*off != original);
        const Result<QByteArray> on = SendmailMc(*off, QStringLiteral("x.mc")).withClientStartTlsEnabled();
        QVERIFY(on.ok());
        QCOMPARE(*on, original);
    }

    void enable_dropsEmptiedModifierField_data()
    {
        QTest::addColumn<QByteArray>("before");
        QTest::addColumn<QByteArray>("after");
        QTest::newRow("last field") << QByteArray("CLIENT_OPTIONS(`Family=inet, M=S')") << QByteArray("CLIENT_OPTIONS(`Family=inet')");
        QTest::newRow("first field") << QByteArray("CLIENT_OPTIONS(`M=S, Family=inet')") << QByteArray("CLIENT_OPTIONS(`Family=inet')");
        QTest::newRow("other letters stay") << QByteArray("CLIENT_OPTIONS(`Family=inet, M=SA')") << QByteArray("CLIENT_OPTIONS(`Family=inet, M=A')");
    }
    void enable_dropsEmptiedModifierField()
    {
        QFETCH(QByteArray, before);
        QFETCH(QByteArray, after);
        const Result<QByteArray> on = SendmailMc(before, QStringLiteral("x.mc")).withClientStartTlsEnabled();
        QVERIFY(on.ok());
        QCOMPARE(*on, after);
    }

    void edits_refuseFileM4WouldReject()
    {
        const QByteArray broken("CLIENT_OPTIONS(`Family=inet\xe2\x80\x99)dnl\nMAILER(`smtp')dnl\n");
        const Result<QByteArray> off = SendmailMc(broken, QStringLiteral("x.mc")).withClientStartTlsDisabled();
        QVERIFY(!off.ok());
        QCOMPARE(off.error().kind, ErrorKind::InvalidConfig);
        QCOMPARE(off.error().line, 1);
    }

    void changequote_isFollowed()
    {
        const QByteArray text("changequote([,])dnl\nCLIENT_OPTIONS([Family=inet, M=A])dnl\nchangequote\nMAILER(`smtp')dnl\n");
        SendmailMc mc(text, QStringLiteral("x.mc"));
        QCOMPARE(mc.clientOptions().size(), 1);
        QCOMPARE(mc.clientOptions()[0].options.modifiers(), QByteArray("A"));
        QVERIFY(!hasErrors(mc.problems()));
    }

    // ------------------------------------------------- the fallback to clear text (8.16+)

    // proto.m4: _OPTION(TLSFallbacktoClear, `confTLS_FALLBACK_TO_CLEAR', `') writes
    // "O TLSFallbacktoClear=VALUE" ("O TLSFallbacktoClear" for an empty value), and sendmail's
    // atobool() takes an empty value or one starting with t, T, y or Y as true. The real m4
    // agrees (tests/realtools).
    void parse_fallbackDefine_data()
    {
        QTest::addColumn<QByteArray>("mc");
        QTest::addColumn<bool>("fallback");
        QTest::addColumn<int>("line");
        QTest::newRow("none") << DebianLike << false << 0;
        QTest::newRow("true") << QByteArray("dnl x\ndefine(`confTLS_FALLBACK_TO_CLEAR', `true')dnl\n") << true << 2;
        QTest::newRow("True, blanks") << QByteArray("define( `confTLS_FALLBACK_TO_CLEAR' , ` True ' )dnl\n") << true << 1;
        QTest::newRow("yes") << QByteArray("define(`confTLS_FALLBACK_TO_CLEAR', `yes')dnl\n") << true << 1;
        QTest::newRow("unquoted value") << QByteArray("define(`confTLS_FALLBACK_TO_CLEAR', true)dnl\n") << true << 1;
        QTest::newRow("empty value is true") << QByteArray("define(`confTLS_FALLBACK_TO_CLEAR', `')dnl\n") << true << 1;
        QTest::newRow("no value is true") << QByteArray("define(`confTLS_FALLBACK_TO_CLEAR')dnl\n") << true << 1;
        QTest::newRow("false") << QByteArray("define(`confTLS_FALLBACK_TO_CLEAR', `false')dnl\n") << false << 1;
        QTest::newRow("0") << QByteArray("define(`confTLS_FALLBACK_TO_CLEAR', `0')dnl\n") << false << 1;
        QTest::newRow("after dnl") << QByteArray("dnl define(`confTLS_FALLBACK_TO_CLEAR', `true')dnl\n") << false << 0;
        QTest::newRow("the last one counts") << QByteArray("define(`confTLS_FALLBACK_TO_CLEAR', `true')dnl\n"
                                                           "define(`confTLS_FALLBACK_TO_CLEAR', `false')dnl\n")
                                             << false << 2;
    }
    void parse_fallbackDefine()
    {
        QFETCH(QByteArray, mc);
        QFETCH(bool, fallback);
        QFETCH(int, line);
        const SendmailMc parsed(mc, QStringLiteral("x.mc"));
        QCOMPARE(parsed.tlsFallbackToClear(), fallback);
        QCOMPARE(parsed.tlsFallbackDefine() ? parsed.tlsFallbackDefine()->line : 0, line);
    }

    void parse_tlsSessionFeatures()
    {
        QCOMPARE(SendmailMc(DebianLike, QStringLiteral("x.mc")).tlsSessionFeaturesLine(), 0);
        QCOMPARE(SendmailMc("dnl FEATURE(`tls_session_features')dnl\nFEATURE(`tls_session_features')dnl\n", QStringLiteral("x.mc"))
                     .tlsSessionFeaturesLine(),
                 2);
        QCOMPARE(SendmailMc("FEATURE(tls_session_features)\n", QStringLiteral("x.mc")).tlsSessionFeaturesLine(), 1);
    }

    // On then off (and off then on) gives back the original bytes; only the value or our two
    // lines change.
    void fallback_onOffRoundTrip_data()
    {
        QTest::addColumn<QByteArray>("original");
        QTest::addColumn<QByteArray>("on");
        QTest::newRow("debian: our lines before the mailers")
            << DebianLike
            << QByteArray(DebianLike).replace("MAILER_DEFINITIONS\n", SendmailMc::fallbackMarker() + "\n" + SendmailMc::fallbackLine()
                                                                          + "\nMAILER_DEFINITIONS\n");
        QTest::newRow("no mailer, no final newline")
            << QByteArray("OSTYPE(`debian')dnl")
            << QByteArray("OSTYPE(`debian')dnl\n" + SendmailMc::fallbackMarker() + "\n" + SendmailMc::fallbackLine());
        QTest::newRow("CRLF") << QByteArray("OSTYPE(`debian')dnl\r\nMAILER(`smtp')dnl\r\n")
                              << QByteArray("OSTYPE(`debian')dnl\r\n" + SendmailMc::fallbackMarker() + "\r\n" + SendmailMc::fallbackLine()
                                            + "\r\nMAILER(`smtp')dnl\r\n");
        QTest::newRow("an admin's false define")
            << QByteArray("define(`confTLS_FALLBACK_TO_CLEAR',`false')dnl # not yet\nMAILER(`smtp')dnl\n")
            << QByteArray("define(`confTLS_FALLBACK_TO_CLEAR',`true')dnl # not yet\nMAILER(`smtp')dnl\n");
        QTest::newRow("an admin's unquoted false")
            << QByteArray("define(`confTLS_FALLBACK_TO_CLEAR', false)\n")
            << QByteArray("define(`confTLS_FALLBACK_TO_CLEAR', true)\n");
    }
    void fallback_onOffRoundTrip()
    {
        QFETCH(QByteArray, original);
        QFETCH(QByteArray, on);
        const Result<QByteArray> turnedOn = SendmailMc(original, QStringLiteral("x.mc")).withTlsFallbackToClear(true);
        QVERIFY2(turnedOn, qPrintable(turnedOn ? QString() : turnedOn.error().message));
        QCOMPARE(*turnedOn, on);
        QVERIFY(SendmailMc(*turnedOn, QStringLiteral("x.mc")).tlsFallbackToClear());
        const Result<QByteArray> turnedOff = SendmailMc(*turnedOn, QStringLiteral("x.mc")).withTlsFallbackToClear(false);
        QVERIFY(turnedOff);
        QCOMPARE(*turnedOff, original);
        // Asking for what is already there changes nothing.
        QCOMPARE(*SendmailMc(on, QStringLiteral("x.mc")).withTlsFallbackToClear(true), on);
        QCOMPARE(*SendmailMc(original, QStringLiteral("x.mc")).withTlsFallbackToClear(false), original);
    }

    void fallbackOff_handlesEveryDefineThatWouldStillSayTrue()
    {
        const QByteArray mc = "define(`confTLS_FALLBACK_TO_CLEAR', `yes')dnl\n" + SendmailMc::fallbackMarker() + "\n"
            + SendmailMc::fallbackLine() + "\ndefine(`confTLS_FALLBACK_TO_CLEAR')dnl\nMAILER(`smtp')dnl\n";
        const Result<QByteArray> off = SendmailMc(mc, QStringLiteral("x.mc")).withTlsFallbackToClear(false);
        QVERIFY(off);
        QCOMPARE(*off, QByteArray("define(`confTLS_FALLBACK_TO_CLEAR', `yes')dnl\n" + SendmailMc::fallbackMarker() + "\n"
                                  + SendmailMc::fallbackLine() + "\ndefine(`confTLS_FALLBACK_TO_CLEAR', `false')dnl\nMAILER(`smtp')dnl\n"));
        QVERIFY(!SendmailMc(*off, QStringLiteral("x.mc")).tlsFallbackToClear());
    }

    void fallback_refusedWhereQuotesCannotBeTrusted()
    {
        const QByteArray curly("define(`confX', `a\xe2\x80\x99)dnl\nMAILER(`smtp')dnl\n");
        QVERIFY(!SendmailMc(curly, QStringLiteral("x.mc")).withTlsFallbackToClear(true));
        QVERIFY(!SendmailMc(curly, QStringLiteral("x.mc")).withTlsSessionFeatures());
        const QByteArray changed("changequote([,])dnl\nMAILER([smtp])dnl\n");
        const Result<QByteArray> r = SendmailMc(changed, QStringLiteral("x.mc")).withTlsFallbackToClear(true);
        QVERIFY(!r);
        QCOMPARE(r.error().kind, ErrorKind::InvalidConfig);
    }

    void sessionFeatures_goesAfterAccessDbOrBeforeTheMailers_data()
    {
        QTest::addColumn<QByteArray>("before");
        QTest::addColumn<QByteArray>("after");
        QTest::newRow("after access_db") << DebianLike
                                         << QByteArray(DebianLike).replace("FEATURE(`access_db', , `skip')dnl\n",
                                                                           "FEATURE(`access_db', , `skip')dnl\nFEATURE(`tls_session_features')dnl\n");
        QTest::newRow("access_db over two lines, CRLF")
            << QByteArray("FEATURE(`access_db',\r\n  `hash /etc/mail/access')dnl\r\nMAILER(`smtp')dnl\r\n")
            << QByteArray("FEATURE(`access_db',\r\n  `hash /etc/mail/access')dnl\r\nFEATURE(`tls_session_features')dnl\r\nMAILER(`smtp')dnl\r\n");
        QTest::newRow("access_db last, no final newline") << QByteArray("FEATURE(`access_db')dnl")
                                                          << QByteArray("FEATURE(`access_db')dnl\nFEATURE(`tls_session_features')dnl");
        QTest::newRow("no access_db: before the mailers") << QByteArray("OSTYPE(`debian')dnl\nMAILER(`smtp')dnl\n")
                                                          << QByteArray("OSTYPE(`debian')dnl\nFEATURE(`tls_session_features')dnl\nMAILER(`smtp')dnl\n");
        QTest::newRow("there already") << QByteArray("FEATURE(`tls_session_features')dnl\n")
                                       << QByteArray("FEATURE(`tls_session_features')dnl\n");
    }
    void sessionFeatures_goesAfterAccessDbOrBeforeTheMailers()
    {
        QFETCH(QByteArray, before);
        QFETCH(QByteArray, after);
        const Result<QByteArray> edited = SendmailMc(before, QStringLiteral("x.mc")).withTlsSessionFeatures();
        QVERIFY(edited);
        QCOMPARE(*edited, after);
        QVERIFY(SendmailMc(*edited, QStringLiteral("x.mc")).tlsSessionFeaturesLine() > 0);
    }
};

QTEST_GUILESS_MAIN(TestSendmailMc)
#include "tst_sendmailmc.moc"
