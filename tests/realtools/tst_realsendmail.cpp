// What we write is what sendmail does: real m4 compiles our edited sendmail.mc, real makemap
// builds our edited access file, and real `sendmail -bt` (rulesets try_tls and
// tls_clt_features) agrees with `sendmail-tls explain` for every case of a table.
#include "apply/SendmailCf.h"
#include "SendmailTools.h"
#include "TestFiles.h"

#include "SendmailMc.h"
#include "TlsFeatures.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace smtls::testing;
using smtls::SendmailMc;
using smtls::TlsFeatures;

namespace {

const QString Cli = QStringLiteral(SMTLS_BIN_DIR "/sendmail-tls");
const QString DemoMc = demoTree() + QStringLiteral("/etc/mail/sendmail.mc");
const QString CorpusMc = QStringLiteral(SMTLS_SHARED_DIR "/corpus/mc");

ProcessResult cli(const QStringList &arguments)
{
    return runProcess(Cli, arguments);
}

ProcessResult m4(const QString &mc, const QString &dir) { return runProcess(findTool(QStringLiteral("m4")), {mc}, {}, dir); }

// A .mc whose access map lives in `dir`. No "-o": a map sendmail cannot open is then an error,
// not a silent miss.
QByteArray mcWithAccessMapIn(const QString &dir)
{
    QByteArray mc = readAll(DemoMc);
    static const QRegularExpression feature(QStringLiteral("FEATURE\\(`access_db'[^\\n]*\\n"));
    QString text = QString::fromUtf8(mc);
    text.replace(feature, QStringLiteral("FEATURE(`access_db', `hash -T<TMPF> %1/access')dnl\n").arg(dir));
    return text.toUtf8();
}

QList<QByteArray> clientPortOptionsLines(const QByteArray &cf)
{
    QList<QByteArray> out;
    for (const QByteArray &line : cf.split('\n'))
        if (line.startsWith("O ClientPortOptions="))
            out << line;
    return out;
}

} // namespace

class TestRealSendmail : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (const QString missing = missingTools(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        QVERIFY2(QFile::exists(Cli), "build sendmail-tls first");
    }

    // Every .mc that m4 compiles as it is: after "set global off --via client-options" it
    // still compiles and every O ClientPortOptions= line carries S.
    void clientOptionsOff_m4CompilesAndEveryLineHasS_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("demo (Debian's sendmail.mc)") << DemoMc;
        QDirIterator debian(QStringLiteral("/usr/share/sendmail/cf"), {QStringLiteral("*.mc")}, QDir::Files,
                            QDirIterator::Subdirectories);
        while (debian.hasNext())
            QTest::newRow(qPrintable(debian.next())) << debian.filePath();
        QDirIterator corpus(CorpusMc, QDir::Files);
        while (corpus.hasNext())
            QTest::newRow(qPrintable(corpus.next())) << corpus.filePath();
    }
    void clientOptionsOff_m4CompilesAndEveryLineHasS()
    {
        QFETCH(QString, path);
        QTemporaryDir dir;
        const QString mc = dir.filePath(QStringLiteral("sendmail.mc"));
        QVERIFY(QFile::copy(path, mc));
        QFile::setPermissions(mc, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        const ProcessResult before = m4(mc, dir.path());
        static const QRegularExpression versionLine(QStringLiteral("(^|\n)V[0-9]+/"));
        if (before.exitCode != 0 || !QString::fromLatin1(before.out).contains(versionLine))
            QSKIP("m4 does not produce a sendmail.cf from this file as it is (template or non-Debian include path)");

        const ProcessResult set = cli({QStringLiteral("--mc"), mc, QStringLiteral("--access"), dir.filePath(QStringLiteral("access")),
                                       QStringLiteral("--snapshot-dir"), dir.filePath(QStringLiteral("snapshots")),
                                       QStringLiteral("set"), QStringLiteral("global"), QStringLiteral("off"),
                                       QStringLiteral("--via"), QStringLiteral("client-options"), QStringLiteral("--edit-only")});
        QVERIFY2(set.exitCode == 0, set.err.constData());

        const ProcessResult after = m4(mc, dir.path());
        QCOMPARE(after.exitCode, 0);
        const QList<QByteArray> options = clientPortOptionsLines(after.out);
        QVERIFY2(!options.isEmpty(), "no O ClientPortOptions= line in the compiled sendmail.cf");
        static const QRegularExpression modifiers(QStringLiteral("(?:^|[=,]\\s*)M[a-zA-Z]*=([A-Za-z]*)"));
        for (const QByteArray &line : options) {
            const QRegularExpressionMatch m = modifiers.match(QString::fromLatin1(line.mid(20)));
            QVERIFY2(m.hasMatch() && m.captured(1).contains(QLatin1Char('S')), line.constData());
        }
        // Everything else m4 produced is what it produced before (CLIENT_OPTIONS replaces the
        // commented default line and adds a blank one).
        const auto rest = [](const QByteArray &cf) {
            QByteArrayList kept;
            for (const QByteArray &line : cf.split('\n'))
                if (!line.trimmed().isEmpty() && !line.startsWith("O ClientPortOptions=") && !line.startsWith("#O ClientPortOptions=")
                    && !line.startsWith("##### built by"))  // carries the time of the m4 run
                    kept << line;
            return kept;
        };
        QCOMPARE(rest(after.out), rest(before.out));
        // No new warning from m4 (line numbers move by the two lines we may insert).
        static const QRegularExpression lineNumbers(QStringLiteral(":[0-9]+:"));
        QCOMPARE(QString::fromLocal8Bit(after.err).replace(lineNumbers, QStringLiteral(":N:")),
                 QString::fromLocal8Bit(before.err).replace(lineNumbers, QStringLiteral(":N:")));
    }

    // The decision table: rules written by our own `set destination`, compiled by makemap,
    // asked through ruleset try_tls, compared with `explain --json`.
    void explainAgreesWithTryTls()
    {
        if (const QString why = whySendmailCannotRun(); !why.isEmpty())
            QSKIP(qPrintable(why));
        QTemporaryDir dir;
        const QString d = dir.path();
        QVERIFY(writeAll(d + QStringLiteral("/sendmail.mc"), mcWithAccessMapIn(d)));
        // Some rules as admins write them by hand: upper case, a trailing comment, a default.
        QVERIFY(writeAll(d + QStringLiteral("/access"),
                         "# hand-written rules\n"
                         "Connect:127.0.0.1\tRELAY\n"
                         "TRY_TLS:UPPER.Example.ORG\tNO\n"
                         "Try_TLS:commented.example\tNO # until they fix their certificate\n"
                         "Try_TLS:lower.example\tno\n"
                         "Try_TLS:quoted.example\t\"NO\"\n"));
        const QStringList base{QStringLiteral("--mc"), d + QStringLiteral("/sendmail.mc"), QStringLiteral("--snapshot-dir"),
                               d + QStringLiteral("/snapshots")};
        const QList<QStringList> edits{
            {QStringLiteral("set"), QStringLiteral("destination"), QStringLiteral("broken.test"), QStringLiteral("off")},
            {QStringLiteral("set"), QStringLiteral("destination"), QStringLiteral("mx.good.broken.test"), QStringLiteral("on")},
            {QStringLiteral("set"), QStringLiteral("destination"), QStringLiteral("mx1.single.test"), QStringLiteral("off")},
            {QStringLiteral("set"), QStringLiteral("destination"), QStringLiteral("192.0.2"), QStringLiteral("off")},
            {QStringLiteral("set"), QStringLiteral("destination"), QStringLiteral("198.51.100.7"), QStringLiteral("off")},
            {QStringLiteral("set"), QStringLiteral("destination"), QStringLiteral("2001:db8:0:0:0:0:0:25"), QStringLiteral("off")},
            {QStringLiteral("set"), QStringLiteral("destination"), QStringLiteral("2001:db8:aa"), QStringLiteral("off")},
            {QStringLiteral("set"), QStringLiteral("destination"), QStringLiteral("bücher.test"), QStringLiteral("off")},
        };
        // Phase two: a global off through the access default, with exceptions under it.
        const QList<QStringList> editsUnderGlobalOff{
            {QStringLiteral("set"), QStringLiteral("global"), QStringLiteral("off"), QStringLiteral("--via"), QStringLiteral("access")},
            {QStringLiteral("set"), QStringLiteral("destination"), QStringLiteral("exempt.test"), QStringLiteral("on")},
            {QStringLiteral("set"), QStringLiteral("destination"), QStringLiteral("203.0.113"), QStringLiteral("on")},
            {QStringLiteral("set"), QStringLiteral("destination"), QStringLiteral("mx1.single.test"), QStringLiteral("inherit")},
            {QStringLiteral("set"), QStringLiteral("destination"), QStringLiteral("mx2.single.test"), QStringLiteral("off")},
        };
        const auto applyEdits = [&](const QList<QStringList> &list) {
            for (const QStringList &edit : list) {
                const ProcessResult r = cli(base + edit + QStringList{QStringLiteral("--edit-only")});
                QVERIFY2(r.exitCode == 0, qPrintable(edit.join(QLatin1Char(' ')) + QStringLiteral(": ") + QString::fromLocal8Bit(r.err)));
            }
        };
        int tlsOff = 0, compared = 0;
        applyEdits(edits);
        compareWithSendmail(d, base, tlsOff, compared);
        if (QTest::currentTestFailed())
            return;
        applyEdits(editsUnderGlobalOff);
        compareWithSendmail(d, base, tlsOff, compared);
        QVERIFY(compared >= 60);
        QVERIFY2(tlsOff >= 20 && tlsOff <= compared - 10, "the table must exercise both answers");
        qInfo("%d cases compared with sendmail -bt, %d of them with STARTTLS skipped", compared, tlsOff);
    }


    // m4 writes the option as we read it: for each way of writing the define, the compiled
    // "O TLSFallbacktoClear[=value]" line read with sendmail's atobool() says what
    // SendmailMc::tlsFallbackToClear() says.
    void fallbackDefine_m4WritesWhatWeRead_data()
    {
        QTest::addColumn<QByteArray>("define");
        QTest::newRow("none") << QByteArray();
        QTest::newRow("ours") << SendmailMc::fallbackLine();
        QTest::newRow("True") << QByteArray("define(`confTLS_FALLBACK_TO_CLEAR', `True')dnl");
        QTest::newRow("false") << QByteArray("define(`confTLS_FALLBACK_TO_CLEAR', `false')dnl");
        QTest::newRow("empty value") << QByteArray("define(`confTLS_FALLBACK_TO_CLEAR', `')dnl");
        QTest::newRow("no value") << QByteArray("define(`confTLS_FALLBACK_TO_CLEAR')dnl");
        QTest::newRow("commented") << QByteArray("dnl define(`confTLS_FALLBACK_TO_CLEAR', `true')dnl");
        QTest::newRow("last wins") << QByteArray("define(`confTLS_FALLBACK_TO_CLEAR', `true')dnl\ndefine(`confTLS_FALLBACK_TO_CLEAR', `no')dnl");
        QTest::newRow("with session features") << QByteArray("FEATURE(`tls_session_features')dnl\n") + SendmailMc::fallbackLine();
    }
    void fallbackDefine_m4WritesWhatWeRead()
    {
        QFETCH(QByteArray, define);
        QTemporaryDir dir;
        QByteArray mc = readAll(DemoMc);
        mc.replace("MAILER_DEFINITIONS\n", define + "\nMAILER_DEFINITIONS\n");
        QVERIFY(writeAll(dir.filePath(QStringLiteral("sendmail.mc")), mc));
        const ProcessResult compiled = m4(dir.filePath(QStringLiteral("sendmail.mc")), dir.path());
        QCOMPARE(compiled.exitCode, 0);
        QVERIFY2(compiled.out.contains("TLSFallbacktoClear"), "proto.m4 no longer writes the option");
        // What the pipeline's validation reads in the compiled file is what we read in the .mc.
        QCOMPARE(smtls::cfFallsBackToClear(compiled.out), SendmailMc(mc, QStringLiteral("sendmail.mc")).tlsFallbackToClear());
        const bool features = SendmailMc(mc, QStringLiteral("sendmail.mc")).tlsSessionFeaturesLine() > 0;
        QCOMPARE(smtls::cfReadsTlsCltFeatures(compiled.out), features);
    }

    // The oracle for the fallback: entries written by hand and by our own `set destination …
    // fallback|on`, compiled by makemap, asked through ruleset tls_clt_features (and try_tls,
    // for whether STARTTLS is tried at all), compared with `explain --json` case by case: the
    // entry sendmail finds must be the one explain names (same value), and the fallback explain
    // reports must be what that value's flags, the global option and try_tls make of it.
    void explainAgreesWithTlsCltFeatures()
    {
        if (const QString why = whySendmailCannotRun(); !why.isEmpty())
            QSKIP(qPrintable(why));
        QTemporaryDir dir;
        const QString d = dir.path();
        QVERIFY(writeAll(d + QStringLiteral("/sendmail.mc"), mcWithAccessMapIn(d)));
        QVERIFY(writeAll(d + QStringLiteral("/access"),
                         "# hand-written entries\n"
                         "Connect:127.0.0.1\tRELAY\n"
                         "TLS_Clt_Features:relay.test\tFlags=C\n"
                         "tls_clt_features:UPPER.Example.ORG\tflags=C\n"
                         "TLS_Clt_Features:never.relay.test\tFlags=c\n"
                         "TLS_Clt_Features:cipher.test\tCipherList=HIGH;\n"
                         "TLS_Clt_Features:plain.test\tCipherList=HIGH\n"
                         "TLS_Clt_Features:commented.test\tFlags=C # check later\n"
                         "TLS_Clt_Features:spaced.test\tFlags = C\n"
                         "TLS_Clt_Features:\tFlags=C\n"
                         "TLS_Clt_Features:198.51.100.7\tFlags=C\n"
                         "TLS_Clt_Features:dup.test\tFlags=c\n"
                         "TLS_Clt_Features:DUP.test\tFlags=C\n"
                         "Try_TLS:notls.test\tNO\n"
                         "Try_TLS:off.test\tNO\n"
                         "TLS_Clt_Features:off.test\tFlags=C\n"));
        const QStringList base{QStringLiteral("--mc"), d + QStringLiteral("/sendmail.mc"), QStringLiteral("--snapshot-dir"),
                               d + QStringLiteral("/snapshots")};
        const auto set = [&](std::initializer_list<const char *> words) {
            QStringList args = base;
            for (const char *w : words)
                args << QString::fromUtf8(w);
            args << QStringLiteral("--edit-only");
            const ProcessResult r = cli(args);
            QVERIFY2(r.exitCode == 0, qPrintable(args.join(QLatin1Char(' ')) + QStringLiteral(": ") + QString::fromLocal8Bit(r.err)));
        };
        // Our own edits: the first adds FEATURE(`tls_session_features') to sendmail.mc.
        set({"set", "destination", "mx1.single.test", "fallback"});
        set({"set", "destination", "plain.test", "fallback"});          // merged: CipherList=HIGH; Flags=C
        set({"set", "destination", "192.0.2", "fallback"});             // an IPv4 prefix
        set({"set", "destination", "2001:db8:aa", "fallback"});         // an IPv6 prefix
        set({"set", "destination", "2001:db8::25", "fallback"});        // an IPv6 address, written uncompressed
        set({"set", "destination", "bücher.test", "fallback"});         // IDN
        set({"set", "destination", "notls.test", "fallback"});          // Try_TLS NO goes, the flag comes
        set({"set", "destination", "mx.good.relay.test", "on"});        // under relay.test's C: Flags=c
        set({"set", "destination", "mx2.single.test", "fallback"});
        set({"set", "destination", "mx2.single.test", "inherit"});      // and gone again
        QVERIFY(readAll(d + QStringLiteral("/sendmail.mc")).contains("FEATURE(`tls_session_features')dnl"));

        int compared = 0, fallbacks = 0;
        compareFeaturesWithSendmail(d, base, false, compared, fallbacks);
        if (QTest::currentTestFailed())
            return;
        set({"set", "global", "fallback"});
        QVERIFY(readAll(d + QStringLiteral("/sendmail.mc")).contains(SendmailMc::fallbackLine()));
        compareFeaturesWithSendmail(d, base, true, compared, fallbacks);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(compared >= 80);
        QVERIFY2(fallbacks >= 20 && fallbacks <= compared - 20, "the table must exercise both answers");
        qInfo("%d cases compared with sendmail -bt (tls_clt_features and try_tls), %d of them falling back to clear text",
              compared, fallbacks);
    }

private:
    void compareFeaturesWithSendmail(const QString &d, const QStringList &base, bool globalFallback, int &compared, int &fallbacks)
    {
        const ProcessResult compiled = m4(d + QStringLiteral("/sendmail.mc"), d);
        QCOMPARE(compiled.exitCode, 0);
        QVERIFY(writeAll(d + QStringLiteral("/sendmail.cf"), compiled.out));
        QCOMPARE(compiled.out.contains("\nO TLSFallbacktoClear=true\n"), globalFallback);
        const ProcessResult makemap = runProcess(findTool(QStringLiteral("makemap")),
                                                 {QStringLiteral("hash"), d + QStringLiteral("/access")},
                                                 readAll(d + QStringLiteral("/access")));
        // The duplicate is ours on purpose (makemap keeps the first and complains: exit 65).
        QVERIFY2(makemap.exitCode == 0 || makemap.err.contains("duplicate"), makemap.err.constData());
        QVERIFY2(lookUpAccess(d + QStringLiteral("/sendmail.cf"), "TLS_Clt_Features:relay.test").contains("returns Flags=C"),
                 "sendmail did not open the test's access map");

        struct Case {
            const char *name;
            const char *address;
        };
        const QList<Case> cases{
            {"relay.test", "10.0.0.1"},              {"mx.relay.test", "10.0.0.1"},           {"a.b.relay.test", "10.0.0.2"},
            {"notrelay.test", "10.0.0.3"},           {"never.relay.test", "10.0.0.4"},        {"mx.never.relay.test", "10.0.0.5"},
            {"mx.good.relay.test", "10.0.0.6"},      {"good.relay.test", "10.0.0.7"},         {"upper.example.org", "10.1.1.1"},
            {"MX.Upper.Example.Org", "10.1.1.2"},    {"example.org", "10.1.1.3"},             {"cipher.test", "10.1.1.4"},
            {"mx.cipher.test", "10.1.1.5"},          {"plain.test", "10.1.1.6"},              {"commented.test", "10.1.1.7"},
            {"spaced.test", "10.1.1.8"},             {"dup.test", "10.1.1.9"},                {"other.test", "10.2.2.2"},
            {"other.test", "192.0.2.9"},             {"other.test", "192.0.20.1"},            {"other.test", "198.51.100.7"},
            {"other.test", "198.51.100.70"},         {"relay.test", "192.0.2.9"},             {"never.relay.test", "192.0.2.9"},
            {"", "10.3.3.3"},                        {"", "192.0.2.10"},                      {"v6.test", "IPv6:2001:db8:aa:0:0:0:0:1"},
            {"v6.test", "IPv6:2001:db8:aab:0:0:0:0:1"}, {"v6.test", "IPv6:2001:db8:0:0:0:0:0:25"}, {"v6.test", "IPv6:2001:db8:0:0:0:0:0:26"},
            {"xn--bcher-kva.test", "10.4.4.4"},      {"mx.xn--bcher-kva.test", "10.4.4.5"},   {"mx1.single.test", "10.5.5.1"},
            {"mx2.single.test", "10.5.5.2"},         {"single.test", "10.5.5.3"},             {"notls.test", "10.6.6.6"},
            {"off.test", "10.6.6.7"},                {"mx.off.test", "10.6.6.8"},             {"test", "10.7.7.7"},
            {"com", "10.7.7.8"},                     {"[192.0.2.9]", "192.0.2.9"},            {"[10.8.8.8]", "10.8.8.8"},
        };
        QList<TryTlsQuestion> questions;
        for (const Case &c : cases)
            questions.append({QByteArray(c.name), QByteArray(c.address)});
        const FeaturesAnswers features = askTlsCltFeatures(d + QStringLiteral("/sendmail.cf"), questions);
        QVERIFY2(features.error.isEmpty(), qPrintable(features.error));
        const TryTlsAnswers tried = askTryTls(d + QStringLiteral("/sendmail.cf"), questions);
        QVERIFY2(tried.error.isEmpty(), qPrintable(tried.error));

        for (qsizetype i = 0; i < cases.size(); ++i) {
            const QString name = QString::fromLatin1(cases[i].name);
            const QString address = QString::fromLatin1(cases[i].address).remove(QStringLiteral("IPv6:"));
            if (name.startsWith(QLatin1Char('[')))
                continue;  // address literals as names: the lookup keys' unit tests
            QStringList args = base + QStringList{QStringLiteral("explain"), name.isEmpty() ? address : name};
            if (!name.isEmpty())
                args << QStringLiteral("--addr") << address;
            args << QStringLiteral("--json");
            const ProcessResult r = cli(args);
            QVERIFY2(r.exitCode == 0, qPrintable(args.join(QLatin1Char(' ')) + QStringLiteral(": ") + QString::fromLocal8Bit(r.err)));
            const QJsonObject json = QJsonDocument::fromJson(r.out).object();
            const QJsonValue entry = json.value(QStringLiteral("tlsCltFeatures"));
            const QByteArray ourValue = entry.isNull()
                ? QByteArray()
                : TlsFeatures(entry.toObject().value(QStringLiteral("value")).toString().toUtf8()).asSendmailReadsIt();
            const QString where = QStringLiteral("%1 [%2] (global fallback %3)").arg(name, address).arg(globalFallback);
            // 1. The same entry: sendmail returns its value, or "" where explain found none.
            QVERIFY2(ourValue == features.values[i],
                     qPrintable(QStringLiteral("%1: explain found %2 \"%3\", sendmail's tls_clt_features returns \"%4\"")
                                    .arg(where, entry.toObject().value(QStringLiteral("entry")).toString(),
                                         QString::fromUtf8(ourValue), QString::fromUtf8(features.raw[i]))));
            // 2. The same fallback: from sendmail's own answers (c wins over C and the option;
            //    nothing to fall back from where try_tls says no).
            const std::optional<bool> flags = TlsFeatures(features.values[i]).fallback();
            const bool sendmailFallback = tried.tls[i] && flags.value_or(globalFallback);
            QCOMPARE(json.value(QStringLiteral("tls")).toBool(), tried.tls[i]);
            QVERIFY2(json.value(QStringLiteral("fallback")).toBool() == sendmailFallback,
                     qPrintable(QStringLiteral("%1: explain says fallback=%2 (%3), sendmail's answers mean %4")
                                    .arg(where)
                                    .arg(json.value(QStringLiteral("fallback")).toBool())
                                    .arg(json.value(QStringLiteral("fallbackDecidedBy")).toString())
                                    .arg(sendmailFallback)));
            ++compared;
            fallbacks += sendmailFallback ? 1 : 0;
        }
    }

    // makemap + m4 as an admin would run them, then every case through try_tls and explain.
    void compareWithSendmail(const QString &d, const QStringList &base, int &tlsOff, int &compared)
    {
        const ProcessResult compiled = m4(d + QStringLiteral("/sendmail.mc"), d);
        QCOMPARE(compiled.exitCode, 0);
        QVERIFY(writeAll(d + QStringLiteral("/sendmail.cf"), compiled.out));
        const ProcessResult makemap = runProcess(findTool(QStringLiteral("makemap")),
                                                 {QStringLiteral("hash"), d + QStringLiteral("/access")},
                                                 readAll(d + QStringLiteral("/access")));
        QVERIFY2(makemap.exitCode == 0, makemap.err.constData());  // our edits add nothing makemap rejects
        QVERIFY2(lookUpAccess(d + QStringLiteral("/sendmail.cf"), "Try_TLS:broken.test").contains("returns NO"),
                 "sendmail did not open the test's access map");

        struct Case {
            const char *name;
            const char *address;
        };
        const QList<Case> cases{
            {"broken.test", "192.0.2.1"},          {"mx.broken.test", "198.18.0.1"},      {"a.b.broken.test", ""},
            {"notbroken.test", "10.9.9.9"},         {"mx.good.broken.test", "192.0.2.1"},  {"good.broken.test", "10.0.0.1"},
            {"mx1.single.test", "10.0.0.2"},        {"mx2.single.test", "10.0.0.3"},       {"mx3.single.test", "10.0.0.4"},
            {"other.test", "192.0.2.77"},           {"other.test", "192.0.20.1"},          {"other.test", "192.0.2"},
            {"other.test", "198.51.100.7"},         {"other.test", "198.51.100.70"},       {"upper.example.org", "10.1.1.1"},
            {"UPPER.EXAMPLE.ORG", "10.1.1.1"},      {"mx.upper.example.org", "10.1.1.1"},  {"commented.example", "10.1.1.2"},
            {"lower.example", "10.1.1.3"},          {"quoted.example", "10.1.1.4"},        {"exempt.test", "192.0.2.5"},
            {"mx.exempt.test", "10.2.2.2"},         {"unrelated.test", "203.0.113.9"},     {"unrelated.test", "10.3.3.3"},
            {"v6.test", "IPv6:2001:db8:0:0:0:0:0:25"}, {"v6.test", "IPv6:2001:db8:0:0:0:0:0:26"}, {"v6.test", "IPv6:2001:db8:aa:0:0:0:0:1"},
            {"v6.test", "IPv6:2001:db8:a:0:0:0:0:1"}, {"", "192.0.2.9"},                  {"", "203.0.113.1"},
            {"xn--bcher-kva.test", "10.4.4.4"},     {"mx.xn--bcher-kva.test", "10.4.4.5"}, {"com", "10.5.5.5"},
            {"[192.0.2.9]", "192.0.2.9"},
        };
        QList<TryTlsQuestion> questions;
        for (const Case &c : cases)
            questions.append({QByteArray(c.name), QByteArray(c.address)});
        const TryTlsAnswers answers = askTryTls(d + QStringLiteral("/sendmail.cf"), questions);
        QVERIFY2(answers.error.isEmpty(), qPrintable(answers.error));
        QVERIFY(cases.size() >= 30);

        for (qsizetype i = 0; i < cases.size(); ++i) {
            QStringList args = base + QStringList{QStringLiteral("explain")};
            const QString name = QString::fromLatin1(cases[i].name);
            const QString address = QString::fromLatin1(cases[i].address).remove(QStringLiteral("IPv6:"));
            if (name.startsWith(QLatin1Char('['))) {
                continue;  // address literals as names are covered by the unit tests of the lookup keys
            }
            args << (name.isEmpty() ? address : name);
            if (!name.isEmpty() && !address.isEmpty() && address.count(QLatin1Char('.')) != 2)
                args << QStringLiteral("--addr") << address;
            if (!name.isEmpty() && address.count(QLatin1Char('.')) == 2)
                continue;  // "192.0.2" is no complete address; sendmail never sees one
            args << QStringLiteral("--json");
            const ProcessResult r = cli(args);
            QVERIFY2(r.exitCode == 0, qPrintable(args.join(QLatin1Char(' ')) + QStringLiteral(": ") + QString::fromLocal8Bit(r.err)));
            const QJsonObject json = QJsonDocument::fromJson(r.out).object();
            const bool ours = json.value(QStringLiteral("tls")).toBool();
            tlsOff += ours ? 0 : 1;
            ++compared;
            QVERIFY2(ours == answers.tls[i],
                     qPrintable(QStringLiteral("%1 [%2]: explain says tls=%3 (%4), sendmail says %5")
                                    .arg(name, address)
                                    .arg(ours)
                                    .arg(json.value(QStringLiteral("decidedBy")).toString(), QString::fromLatin1(answers.raw[i]))));
        }
    }
};

QTEST_GUILESS_MAIN(TestRealSendmail)
#include "tst_realsendmail.moc"
