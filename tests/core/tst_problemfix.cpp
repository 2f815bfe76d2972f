// One-click fixes: each one removes its problem, changes only the bytes of its line(s), keeps
// the file's line endings, finds its problem again after other edits moved it, says "already
// fixed" when it is gone, and (for sendmail.mc) leaves a file that the real m4 compiles.
#include "ProblemFix.h"

#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace smtls;

Q_DECLARE_METATYPE(smtls::FixKind)

namespace {

const QString CfM4 = QStringLiteral("/usr/share/sendmail/cf/m4/cf.m4");
const QString CorpusDir = QStringLiteral(SMTLS_SHARED_DIR "/corpus");

// Debian's mc header part: cf.m4 wants an OSTYPE before anything else.
const QByteArray Mc = "divert(0)dnl\nOSTYPE(`debian')dnl\nFEATURE(`access_db')dnl\nMAILER(`local')dnl\nMAILER(`smtp')dnl\n";

MailConfig config(const QByteArray &mc, const QByteArray &access)
{
    return MailConfig{SendmailMc(mc, QStringLiteral("sendmail.mc")), AccessMap(access, QStringLiteral("access")),
                      QStringLiteral("access")};
}

QList<Problem> problemsOfKind(const MailConfig &c, FixKind kind)
{
    QList<Problem> out;
    for (const Problem &p : c.policy().problems())
        if (p.fix == kind)
            out.append(p);
    return out;
}

bool stillThere(const MailConfig &c, const Problem &problem)
{
    for (const Problem &p : problemsOfKind(c, problem.fix))
        if (p.subject == problem.subject)
            return true;
    return false;
}

MailConfig afterOf(const ConfigChange &change)
{
    return config(change.mc.after, change.access.after);
}

// The error of a failed plan, for QVERIFY2 (which evaluates its message even on success).
QString whyNot(const Result<ConfigChange> &change) { return change ? QString() : change.error().describe(); }

QByteArray lineEnding(const QByteArray &bytes) { return bytes.contains("\r\n") ? "\r\n" : "\n"; }

// Every newline of a CRLF file is still CRLF; a file without final newline still has none.
void verifyLineEndingsKept(const QByteArray &before, const QByteArray &after)
{
    if (before.contains("\r\n"))
        QCOMPARE(after.count("\r\n"), after.count('\n'));
    else
        QVERIFY(!after.contains('\r'));
    if (!before.isEmpty())
        QCOMPARE(after.endsWith('\n'), before.endsWith('\n'));
}

// The real m4 on this .mc: what it complains about (empty when it compiles without an error or
// warning of its own; its note about a missing final newline is the file's, not the fix's),
// and the sendmail.cf it wrote.
struct M4Run {
    QString complaints;
    QByteArray cf;
};

M4Run runM4(const QByteArray &mc)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("sendmail.mc"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(mc) != mc.size())
        return {QStringLiteral("cannot write %1").arg(path), {}};
    f.close();
    QProcess m4;
    m4.setWorkingDirectory(dir.path());
    m4.start(QStandardPaths::findExecutable(QStringLiteral("m4")), {CfM4, path});
    if (!m4.waitForFinished(60000) || m4.exitStatus() != QProcess::NormalExit)
        return {QStringLiteral("m4 did not finish"), {}};
    M4Run run;
    run.cf = m4.readAllStandardOutput();
    QStringList complaints;
    for (const QByteArray &line : m4.readAllStandardError().split('\n'))
        if (!line.trimmed().isEmpty() && !line.contains("end of file treated as newline"))
            complaints << QString::fromLocal8Bit(line);
    if (m4.exitCode() != 0)
        complaints << QStringLiteral("exit code %1").arg(m4.exitCode());
    if (!run.cf.contains("\nV10/"))
        complaints << QStringLiteral("no sendmail.cf came out");
    run.complaints = complaints.join(QLatin1Char('\n'));
    return run;
}

struct FixCase {
    const char *name;
    FixKind kind;
    QByteArray mc, access, mcAfter, accessAfter;
};

// Every fix kind on LF, CRLF and no-final-newline files: the input, and the exact bytes it must
// become (so everything but the fixed lines is compared byte for byte).
QList<FixCase> fixCases()
{
    QList<FixCase> cases;
    const QByteArray rule = "Try_TLS:mx.broken.test NO\n";

    cases.append({"quotes: ‘ ’ in FEATURE", FixKind::StraightenQuotes,
                  QByteArray("divert(0)dnl\nOSTYPE(`debian')dnl\nFEATURE(\xE2\x80\x98" "access_db\xE2\x80\x99)dnl\nMAILER(`smtp')dnl\n"),
                  rule,
                  QByteArray("divert(0)dnl\nOSTYPE(`debian')dnl\nFEATURE(`access_db')dnl\nMAILER(`smtp')dnl\n"),
                  rule});
    cases.append({"quotes: “ ” in a define, CRLF", FixKind::StraightenQuotes,
                  QByteArray("OSTYPE(`debian')dnl\r\ndefine(`confSMTP_LOGIN_MSG', \xE2\x80\x9C$j ready\xE2\x80\x9D)dnl\r\nFEATURE(`access_db')dnl\r\nMAILER(`smtp')dnl\r\n"),
                  rule,
                  QByteArray("OSTYPE(`debian')dnl\r\ndefine(`confSMTP_LOGIN_MSG', `$j ready')dnl\r\nFEATURE(`access_db')dnl\r\nMAILER(`smtp')dnl\r\n"),
                  rule});
    cases.append({"quotes: acute accent closing, no final newline, latin-1 comment kept", FixKind::StraightenQuotes,
                  QByteArray("dnl r\xE9sum\xE9\nOSTYPE(`debian')dnl\nFEATURE(`access_db')dnl\ndefine(`confCW_FILE', `-o /etc/mail/local-host-names\xC2\xB4)dnl"),
                  rule,
                  QByteArray("dnl r\xE9sum\xE9\nOSTYPE(`debian')dnl\nFEATURE(`access_db')dnl\ndefine(`confCW_FILE', `-o /etc/mail/local-host-names')dnl"),
                  rule});

    cases.append({"comment: # note after NO", FixKind::CommentToOwnLine,
                  Mc,
                  QByteArray("# head\nTry_TLS:a.test NO # temporary\nTry_TLS:b.test NO\n"),
                  Mc,
                  QByteArray("# head\n# temporary\nTry_TLS:a.test NO\nTry_TLS:b.test NO\n")});
    cases.append({"comment: words without #, tab separator, CRLF", FixKind::CommentToOwnLine,
                  Mc,
                  QByteArray("Try_TLS:a.test\tNO until the peer is fixed\r\nTry_TLS:b.test\tNO\r\n"),
                  Mc,
                  QByteArray("# until the peer is fixed\r\nTry_TLS:a.test\tNO\r\nTry_TLS:b.test\tNO\r\n")});
    cases.append({"comment: last line without newline, two-space separator", FixKind::CommentToOwnLine,
                  Mc,
                  QByteArray("Try_TLS:b.test NO\nTry_TLS:a.test  NO  # x  "),
                  Mc,
                  QByteArray("Try_TLS:b.test NO\n# x\nTry_TLS:a.test  NO")});
    cases.append({"comment: goes above our note, which stays with its rule", FixKind::CommentToOwnLine,
                  Mc,
                  QByteArray("# sendmail-tls: 2026-11-25 TLS off\nTry_TLS:a.test NO # ticket 42\n"),
                  Mc,
                  QByteArray("# ticket 42\n# sendmail-tls: 2026-11-25 TLS off\nTry_TLS:a.test NO\n")});
    cases.append({"comment: default rule", FixKind::CommentToOwnLine,
                  Mc,
                  QByteArray("Try_TLS: NO # everyone\n"),
                  Mc,
                  QByteArray("# everyone\nTry_TLS: NO\n")});

    cases.append({"duplicate: later line removed", FixKind::RemoveDuplicate,
                  Mc,
                  QByteArray("Try_TLS:a.test NO\nTry_TLS:b.test NO\nTry_TLS:A.test YES\n# end\n"),
                  Mc,
                  QByteArray("Try_TLS:a.test NO\nTry_TLS:b.test NO\n# end\n")});
    cases.append({"duplicate: with its note, CRLF", FixKind::RemoveDuplicate,
                  Mc,
                  QByteArray("Try_TLS:a.test NO\r\n# sendmail-tls: 2026-11-25 TLS on\r\nTry_TLS:a.test YES\r\n# end\r\n"),
                  Mc,
                  QByteArray("Try_TLS:a.test NO\r\n# end\r\n")});
    cases.append({"duplicate: last line without newline", FixKind::RemoveDuplicate,
                  Mc,
                  QByteArray("# head\nTry_TLS:a.test NO\nTry_TLS:a.test NO"),
                  Mc,
                  QByteArray("# head\nTry_TLS:a.test NO")});
    cases.append({"duplicate: after a line without value", FixKind::RemoveDuplicate,
                  Mc,
                  QByteArray("Try_TLS:a.test NO\nTry_TLS:a.test\nTry_TLS:a.test YES\n"),
                  Mc,
                  QByteArray("Try_TLS:a.test NO\nTry_TLS:a.test\n")});

    cases.append({"access_db: before the first MAILER", FixKind::EnableAccessDb,
                  QByteArray("divert(0)dnl\nOSTYPE(`debian')dnl\nMAILER(`local')dnl\nMAILER(`smtp')dnl\n"),
                  rule,
                  QByteArray("divert(0)dnl\nOSTYPE(`debian')dnl\nFEATURE(`access_db')dnl\nMAILER(`local')dnl\nMAILER(`smtp')dnl\n"),
                  rule});
    cases.append({"access_db: before greet_pause, which needs it, CRLF", FixKind::EnableAccessDb,
                  QByteArray("OSTYPE(`debian')dnl\r\nFEATURE(`greet_pause', `1000')dnl\r\nMAILER(`smtp')dnl\r\n"),
                  rule,
                  QByteArray("OSTYPE(`debian')dnl\r\nFEATURE(`access_db')dnl\r\nFEATURE(`greet_pause', `1000')dnl\r\nMAILER(`smtp')dnl\r\n"),
                  rule});
    cases.append({"access_db: no MAILER, at the end, no final newline", FixKind::EnableAccessDb,
                  QByteArray("OSTYPE(`debian')dnl\ndefine(`confTO_IDENT', `0')dnl"),
                  rule,
                  QByteArray("OSTYPE(`debian')dnl\ndefine(`confTO_IDENT', `0')dnl\nFEATURE(`access_db')dnl"),
                  rule});
    cases.append({"access_db: no MAILER, at the end, CRLF", FixKind::EnableAccessDb,
                  QByteArray("OSTYPE(`debian')dnl\r\n"),
                  rule,
                  QByteArray("OSTYPE(`debian')dnl\r\nFEATURE(`access_db')dnl\r\n"),
                  rule});

    cases.append({"ipv6: compressed key, uncompressed sendmail", FixKind::CanonicalIPv6Key,
                  Mc,
                  QByteArray("# head\nTry_TLS:IPv6:2001:db8::25 NO\n"),
                  Mc,
                  QByteArray("# head\nTry_TLS:IPv6:2001:db8:0:0:0:0:0:25 NO\n")});
    const QByteArray compressedMc = "define(`confUSE_COMPRESSED_IPV6_ADDRESSES', `true')dnl\n" + Mc;
    cases.append({"ipv6: full key, compressed sendmail, CRLF", FixKind::CanonicalIPv6Key,
                  compressedMc,
                  QByteArray("Try_TLS:IPv6:2001:DB8:0:0:0:0:0:25\tNO\r\n# end\r\n"),
                  compressedMc,
                  QByteArray("Try_TLS:IPv6:2001:db8::25\tNO\r\n# end\r\n")});
    cases.append({"ipv6: leading zeros, no final newline", FixKind::CanonicalIPv6Key,
                  Mc,
                  QByteArray("Try_TLS:a.test NO\nTry_TLS:IPv6:2001:0db8:0:0:0:0:0:0025 NO"),
                  Mc,
                  QByteArray("Try_TLS:a.test NO\nTry_TLS:IPv6:2001:db8:0:0:0:0:0:25 NO")});
    const QByteArray fallbackRule = "TLS_Clt_Features:mx.broken.test\tFlags=C\n";
    cases.append({"session features: after access_db", FixKind::EnableTlsSessionFeatures,
                  Mc,
                  fallbackRule,
                  QByteArray("divert(0)dnl\nOSTYPE(`debian')dnl\nFEATURE(`access_db')dnl\nFEATURE(`tls_session_features')dnl\n"
                             "MAILER(`local')dnl\nMAILER(`smtp')dnl\n"),
                  fallbackRule});
    cases.append({"session features: CRLF, entries without C", FixKind::EnableTlsSessionFeatures,
                  QByteArray("OSTYPE(`debian')dnl\r\nFEATURE(`access_db')dnl\r\nMAILER(`smtp')dnl\r\n"),
                  QByteArray("TLS_Clt_Features:192.0.2\tCipherList=HIGH\r\n"),
                  QByteArray("OSTYPE(`debian')dnl\r\nFEATURE(`access_db')dnl\r\nFEATURE(`tls_session_features')dnl\r\nMAILER(`smtp')dnl\r\n"),
                  QByteArray("TLS_Clt_Features:192.0.2\tCipherList=HIGH\r\n")});
    const QByteArray hardOff = "divert(0)dnl\nOSTYPE(`debian')dnl\nCLIENT_OPTIONS(`Family=inet, M=S')dnl\nFEATURE(`access_db')dnl\n"
                               "FEATURE(`tls_session_features')dnl\n";
    cases.append({"moot fallback: an admin's define", FixKind::RemoveMootFallback,
                  hardOff + "define(`confTLS_FALLBACK_TO_CLEAR', `true')dnl\nMAILER(`local')dnl\nMAILER(`smtp')dnl\n",
                  rule,
                  hardOff + "define(`confTLS_FALLBACK_TO_CLEAR', `false')dnl\nMAILER(`local')dnl\nMAILER(`smtp')dnl\n",
                  rule});
    cases.append({"moot fallback: our define, no final newline", FixKind::RemoveMootFallback,
                  hardOff + "MAILER(`smtp')dnl\n" + SendmailMc::fallbackMarker() + "\n" + SendmailMc::fallbackLine(),
                  rule,
                  hardOff + "MAILER(`smtp')dnl",
                  rule});
    cases.append({"moot fallback: an entry with our note", FixKind::RemoveMootFallback,
                  hardOff + "MAILER(`smtp')dnl\n",
                  QByteArray("# head\n# sendmail-tls: 2026-11-25 TLS fallback\nTLS_Clt_Features:mx.broken.test Flags=C\n# tail\n"),
                  hardOff + "MAILER(`smtp')dnl\n",
                  QByteArray("# head\n# tail\n")});
    cases.append({"moot fallback: an entry keeps its other options, CRLF", FixKind::RemoveMootFallback,
                  hardOff + "MAILER(`smtp')dnl\n",
                  QByteArray("TLS_Clt_Features:mx.broken.test\tCipherList=HIGH; Flags=RC\r\n"),
                  hardOff + "MAILER(`smtp')dnl\n",
                  QByteArray("TLS_Clt_Features:mx.broken.test\tCipherList=HIGH; Flags=R\r\n")});
    cases.append({"expired: a Try_TLS rule with its note", FixKind::RevertExpired,
                  Mc,
                  QByteArray("# head\n# sendmail-tls: 2020-01-01 TLS off (expires 2020-01-08): was broken\nTry_TLS:a.test\tNO\n# tail\n"),
                  Mc,
                  QByteArray("# head\n# tail\n")});
    cases.append({"expired: the global default, CRLF", FixKind::RevertExpired,
                  Mc,
                  QByteArray("Try_TLS:a.test NO\r\n# sendmail-tls: 2020-01-01 TLS off for every server (expires 2020-01-02T00:00:00Z)\r\nTry_TLS: NO\r\n"),
                  Mc,
                  QByteArray("Try_TLS:a.test NO\r\n")});
    cases.append({"expired: a flag C, the entry keeps its cipher list", FixKind::RevertExpired,
                  Mc,
                  QByteArray("# sendmail-tls: 2020-01-01 TLS fallback (expires 2020-01-08)\nTLS_Clt_Features:a.test\tCipherList=HIGH; Flags=C\n"),
                  Mc,
                  QByteArray("TLS_Clt_Features:a.test\tCipherList=HIGH\n")});
    cases.append({"expired: the global fallback", FixKind::RevertExpired,
                  QByteArray("divert(0)dnl\nOSTYPE(`debian')dnl\nFEATURE(`access_db')dnl\n" + SendmailMc::fallbackMarker()
                             + " (expires 2020-01-08)\n" + SendmailMc::fallbackLine() + "\nMAILER(`local')dnl\nMAILER(`smtp')dnl\n"),
                  rule,
                  Mc,
                  rule});
    return cases;
}

void addFixRows(bool onlyMcFixes = false)
{
    QTest::addColumn<FixKind>("kind");
    QTest::addColumn<QByteArray>("mc");
    QTest::addColumn<QByteArray>("access");
    QTest::addColumn<QByteArray>("mcAfter");
    QTest::addColumn<QByteArray>("accessAfter");
    for (const FixCase &c : fixCases())
        if (!onlyMcFixes || c.kind == FixKind::StraightenQuotes || c.kind == FixKind::EnableAccessDb
            || c.kind == FixKind::EnableTlsSessionFeatures || c.kind == FixKind::RemoveMootFallback
            || (c.kind == FixKind::RevertExpired && c.mc != c.mcAfter))
            QTest::newRow(c.name) << c.kind << c.mc << c.access << c.mcAfter << c.accessAfter;
}

} // namespace

class TestProblemFix : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fix_removesItsProblemAndChangesOnlyItsLines_data() { addFixRows(); }
    void fix_removesItsProblemAndChangesOnlyItsLines()
    {
        QFETCH(FixKind, kind);
        QFETCH(QByteArray, mc);
        QFETCH(QByteArray, access);
        QFETCH(QByteArray, mcAfter);
        QFETCH(QByteArray, accessAfter);
        const MailConfig before = config(mc, access);
        const QList<Problem> found = problemsOfKind(before, kind);
        QVERIFY2(!found.isEmpty(), "the file has no problem of this kind");
        const Problem &problem = found.first();
        QVERIFY(!fixLabel(problem).isEmpty());

        const Result<ConfigChange> change = planFix(before, problem);
        QVERIFY2(change, qPrintable(whyNot(change)));
        QCOMPARE(change->mc.after, mcAfter);
        QCOMPARE(change->access.after, accessAfter);
        QCOMPARE(change->mc.before, mc);
        QCOMPARE(change->access.before, access);
        QCOMPARE(change->mc.path, QStringLiteral("sendmail.mc"));
        QCOMPARE(change->access.path, QStringLiteral("access"));
        QVERIFY(change->changed());
        QVERIFY(!change->notes.isEmpty());
        verifyLineEndingsKept(mc, change->mc.after);
        verifyLineEndingsKept(access, change->access.after);

        QVERIFY2(!stillThere(afterOf(*change), problem), "the problem is still there after the fix");
    }

    // Other staged edits added lines above: the fix finds its problem by subject, not line.
    void fix_findsItsProblemAfterLinesMoved_data() { addFixRows(); }
    void fix_findsItsProblemAfterLinesMoved()
    {
        QFETCH(FixKind, kind);
        QFETCH(QByteArray, mc);
        QFETCH(QByteArray, access);
        QFETCH(QByteArray, mcAfter);
        QFETCH(QByteArray, accessAfter);
        const Problem problem = problemsOfKind(config(mc, access), kind).value(0);
        const QByteArray mcAbove = "dnl added by another edit" + lineEnding(mc) + "dnl and another" + lineEnding(mc);
        const QByteArray accessAbove = "# added by another edit" + lineEnding(access) + "Try_TLS:other.test NO" + lineEnding(access);
        const MailConfig moved = config(mcAbove + mc, accessAbove + access);
        if (problem.line > 0)
            QCOMPARE(problemsOfKind(moved, kind).value(0).line, problem.line + 2);

        const Result<ConfigChange> change = planFix(moved, problem);
        QVERIFY2(change, qPrintable(whyNot(change)));
        QCOMPARE(change->mc.after, mcAbove + mcAfter);
        QCOMPARE(change->access.after, accessAbove + accessAfter);
    }

    void fix_onceApplied_saysAlreadyFixed_data() { addFixRows(); }
    void fix_onceApplied_saysAlreadyFixed()
    {
        QFETCH(FixKind, kind);
        QFETCH(QByteArray, mc);
        QFETCH(QByteArray, access);
        const MailConfig before = config(mc, access);
        const Problem problem = problemsOfKind(before, kind).value(0);
        const Result<ConfigChange> change = planFix(before, problem);
        QVERIFY2(change, qPrintable(whyNot(change)));

        const Result<ConfigChange> again = planFix(afterOf(*change), problem);
        QVERIFY(!again);
        QVERIFY2(again.error().message.contains(QStringLiteral("already fixed")), qPrintable(again.error().message));
    }

    // The subject was edited away by hand (not by the fix): the same answer, with the file.
    void fix_subjectGone_saysAlreadyFixed()
    {
        const MailConfig before = config(Mc, "Try_TLS:a.test NO # temporary\nTry_TLS:b.test NO\n");
        const Problem problem = problemsOfKind(before, FixKind::CommentToOwnLine).value(0);
        QCOMPARE(problem.subject, QByteArray("a.test"));
        const Result<ConfigChange> change = planFix(config(Mc, "Try_TLS:b.test NO\n"), problem);
        QVERIFY(!change);
        QCOMPARE(change.error().file, QStringLiteral("access"));
        QCOMPARE(change.error().message,
                 QStringLiteral("already fixed: the access file no longer has Try_TLS:a.test with a comment in its value"));
    }

    // For .mc problems the subject is the line: the same quote on an edited line is a new problem.
    void fix_mcLineEdited_saysAlreadyFixed()
    {
        const QByteArray curly = "FEATURE(\xE2\x80\x98" "access_db\xE2\x80\x99)dnl\n";
        const Problem problem = problemsOfKind(config(curly, {}), FixKind::StraightenQuotes).value(0);
        QCOMPARE(problem.subject, curly.chopped(1));
        QCOMPARE(problem.line, 1);
        const Result<ConfigChange> change = planFix(config("FEATURE(`access_db')dnl\n", {}), problem);
        QVERIFY(!change);
        QVERIFY(change.error().message.startsWith(QStringLiteral("already fixed: sendmail.mc no longer has the line")));
        QCOMPARE(change.error().file, QStringLiteral("sendmail.mc"));
    }

    void fix_problemWithoutFix_isRefused()
    {
        const MailConfig c = config(Mc, "Try_TLS:a.test\n  Try_TLS:b.test NO\n");
        const Problems problems = c.policy().problems();
        QVERIFY(problems.size() >= 2);
        for (const Problem &p : problems) {
            QCOMPARE(p.fix, FixKind::None);
            QVERIFY(fixLabel(p).isEmpty());
            QVERIFY(!planFix(c, p));
        }
    }

    // Problems that have no one-click fix keep FixKind::None and no subject.
    void problems_withoutAFix_haveNone_data()
    {
        QTest::addColumn<QByteArray>("mc");
        QTest::addColumn<QByteArray>("access");
        QTest::newRow("no value") << Mc << QByteArray("Try_TLS:a.test\n");
        QTest::newRow("leading blank") << Mc << QByteArray(" Try_TLS:a.test NO\n");
        QTest::newRow("bad key") << Mc << QByteArray("Try_TLS:a..test NO\n");
        QTest::newRow("unclosed quote") << QByteArray("define(`x', `y)dnl\n") << QByteArray();
        QTest::newRow("M=S and a YES rule")
            << QByteArray("CLIENT_OPTIONS(`Family=inet, M=S')dnl\nFEATURE(`access_db')dnl\nMAILER(`smtp')dnl\n")
            << QByteArray("Try_TLS:a.test YES\n");
    }
    void problems_withoutAFix_haveNone()
    {
        QFETCH(QByteArray, mc);
        QFETCH(QByteArray, access);
        const Problems problems = config(mc, access).policy().problems();
        QVERIFY(!problems.isEmpty());
        for (const Problem &p : problems) {
            QCOMPARE(p.fix, FixKind::None);
            QVERIFY(p.subject.isEmpty());
        }
    }

    // Three lines of one key: each fix removes one later line, the first one stays.
    void removeDuplicate_threeLines_keepsTheFirst()
    {
        MailConfig c = config(Mc, "Try_TLS:a.test NO\nTry_TLS:a.test YES\nTry_TLS:a.test NO # x\n");
        QCOMPARE(problemsOfKind(c, FixKind::RemoveDuplicate).size(), 2);
        for (int round = 0; round < 2; ++round) {
            const Result<ConfigChange> change = planFix(c, problemsOfKind(c, FixKind::RemoveDuplicate).value(0));
            QVERIFY2(change, qPrintable(whyNot(change)));
            c = afterOf(*change);
        }
        QCOMPARE(c.access->bytes(), QByteArray("Try_TLS:a.test NO\n"));
        QVERIFY(problemsOfKind(c, FixKind::RemoveDuplicate).isEmpty());
    }

    void commentToOwnLine_keepsTheNoteWithItsRule()
    {
        const MailConfig c = config(Mc, "# sendmail-tls: 2026-11-25 TLS off: handshake fails\nTry_TLS:a.test NO # ticket 42\n");
        const Result<ConfigChange> change = planFix(c, problemsOfKind(c, FixKind::CommentToOwnLine).value(0));
        QVERIFY2(change, qPrintable(whyNot(change)));
        const MailConfig after = afterOf(*change);
        const QList<DestinationRule> rules = after.policy().destinations();
        QCOMPARE(rules.size(), 1);
        QCOMPARE(rules[0].note, QStringLiteral("2026-11-25 TLS off: handshake fails"));
        QVERIFY(!rules[0].tls);
    }

    // An apostrophe inside text: straightened, m4 would end the string early, silently.
    void straightenQuotes_apostropheInText_isRefused()
    {
        const QByteArray mc = "define(`confSMTP_LOGIN_MSG', `$j Sendmail\xE2\x80\x99s server')dnl\nMAILER(`smtp')dnl\n";
        const MailConfig c = config(mc, {});
        const QList<Problem> found = problemsOfKind(c, FixKind::StraightenQuotes);
        QCOMPARE(found.size(), 1);
        const Result<ConfigChange> change = planFix(c, found.first());
        QVERIFY(!change);
        QVERIFY2(change.error().message.contains(QStringLiteral("by hand")), qPrintable(change.error().message));
        QCOMPARE(change.error().line, 1);
    }

    // After changequote, ` and ' are not m4's quotes: writing them would not fix anything.
    void straightenQuotes_afterChangequote_isRefused()
    {
        const MailConfig c = config("changequote([,])dnl\ndefine([x], \xE2\x80\x98y\xE2\x80\x99)dnl\n", {});
        const Result<ConfigChange> change = planFix(c, problemsOfKind(c, FixKind::StraightenQuotes).value(0));
        QVERIFY(!change);
        QVERIFY2(change.error().message.startsWith(QStringLiteral("changequote on line 1")), qPrintable(change.error().message));
        QCOMPARE(change.error().line, 2);
    }

    void canonicalIPv6Key_ontoAnExistingKey_isRefused()
    {
        const MailConfig c = config(Mc, "Try_TLS:IPv6:2001:db8::25 NO\nTry_TLS:IPv6:2001:db8:0:0:0:0:0:25 YES\n");
        const Result<ConfigChange> change = planFix(c, problemsOfKind(c, FixKind::CanonicalIPv6Key).value(0));
        QVERIFY(!change);
        QVERIFY2(change.error().message.contains(QStringLiteral("already exists on line 2")), qPrintable(change.error().message));
    }

    void enableAccessDb_refusedWhenQuotingIsBroken()
    {
        const MailConfig c = config("define(`x', `y)dnl\nMAILER(`smtp')dnl\n", "Try_TLS:a.test NO\n");
        const Result<ConfigChange> change = planFix(c, problemsOfKind(c, FixKind::EnableAccessDb).value(0));
        QVERIFY(!change);
        QVERIFY(change.error().message.startsWith(QStringLiteral("refusing to edit")));
    }

    // Real files with their own quirks (tabs, CRLF, non-UTF-8 bytes): a problem planted in the
    // middle is fixed and every other byte stays.
    void fix_onCorpusFiles_keepsEveryOtherByte_data()
    {
        QTest::addColumn<QString>("path");
        QDirIterator it(CorpusDir, {QStringLiteral("*.access"), QStringLiteral("*.mc")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext())
            QTest::newRow(qPrintable(QFileInfo(it.next()).fileName())) << it.filePath();
        if (!QFileInfo::exists(CorpusDir))
            QTest::newRow("no corpus") << QString();
    }
    void fix_onCorpusFiles_keepsEveryOtherByte()
    {
        QFETCH(QString, path);
        if (path.isEmpty())
            QSKIP("no shared corpus next to the repository");
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray original = f.readAll();
        const QByteArray eol = preferredLineEnding(original);
        if (path.endsWith(QStringLiteral(".access"))) {
            // Planted after the middle line (rules are one line each in an access file).
            const LineIndex lines(original);
            const qsizetype at = lines.count() > 0 ? lines.end(lines.count() / 2) : 0;
            QByteArray head = original.left(at);
            if (!head.isEmpty() && !head.endsWith('\n'))
                head += eol;
            const QByteArray tail = original.mid(at);
            const MailConfig c = config(Mc, head + "Try_TLS:fix.test NO # note" + eol + tail);
            const Result<ConfigChange> change = planFix(c, Problem{{}, 0, Severity::Warning, {}, FixKind::CommentToOwnLine, "fix.test"});
            QVERIFY2(change, qPrintable(whyNot(change)));
            QCOMPARE(change->access.after, head + "# note" + eol + "Try_TLS:fix.test NO" + eol + tail);
        } else {
            // Planted first, where m4 is surely at the top level.
            const QByteArray planted = "define(`confFIX_TEST', \xE2\x80\x98x\xE2\x80\x99)dnl";
            const MailConfig c = config(planted + eol + original, {});
            const Result<ConfigChange> change = planFix(c, Problem{{}, 0, Severity::Error, {}, FixKind::StraightenQuotes, planted});
            QVERIFY2(change, qPrintable(whyNot(change)));
            QCOMPARE(change->mc.after, "define(`confFIX_TEST', `x')dnl" + eol + original);
        }
    }

    // What m4 makes of the fixed sendmail.mc: it compiles with no complaint (and with the
    // access map in it, for EnableAccessDb).
    void fix_mcCompilesWithRealM4_data() { addFixRows(true); }
    void fix_mcCompilesWithRealM4()
    {
        QFETCH(FixKind, kind);
        QFETCH(QByteArray, mc);
        QFETCH(QByteArray, access);
        if (QStandardPaths::findExecutable(QStringLiteral("m4")).isEmpty() || !QFile::exists(CfM4))
            QSKIP("m4 or sendmail-cf not installed (Debian packages m4, sendmail-cf)");
        const MailConfig before = config(mc, access);
        const Result<ConfigChange> change = planFix(before, problemsOfKind(before, kind).value(0));
        QVERIFY2(change, qPrintable(whyNot(change)));
        const M4Run after = runM4(change->mc.after);
        QVERIFY2(after.complaints.isEmpty(), qPrintable(after.complaints));
        if (kind == FixKind::EnableAccessDb) {
            QVERIFY(!runM4(mc).cf.contains("\nKaccess "));
            QVERIFY(after.cf.contains("\nKaccess "));
        }
        if (kind == FixKind::EnableTlsSessionFeatures) {
            QVERIFY(!runM4(mc).cf.contains("\nStls_clt_feat_acc"));
            QVERIFY(after.cf.contains("\nStls_clt_feat_acc"));
        }
        if (kind == FixKind::RemoveMootFallback)
            QVERIFY2(!after.cf.contains("\nO TLSFallbacktoClear=true") && !after.cf.contains("\nO TLSFallbacktoClear\n"),
                     "the compiled sendmail.cf still falls back to clear text");
    }
};

QTEST_GUILESS_MAIN(TestProblemFix)
#include "tst_problemfix.moc"
