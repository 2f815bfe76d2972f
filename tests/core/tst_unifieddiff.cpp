// unifiedDiff prints what GNU `diff -u` prints: the same bytes on a seeded random set (many
// repeated lines, so many equally short scripts to choose from), separate small hunks for
// far-apart edits in a big file, a diff that applies back when two files share nothing, and
// the edge cases (empty sides, the final newline, CRLF, no context).
#include "UnifiedDiff.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace smtls;

namespace {

const QString diffProgram = QStringLiteral("/usr/bin/diff");
const QString beforeLabel = QStringLiteral("before");
const QString afterLabel = QStringLiteral("after");

QByteArray ourDiff(const QByteArray &before, const QByteArray &after, int context = 3)
{
    return unifiedDiff(before, after, beforeLabel, afterLabel, context);
}

// GNU diff on the same bytes; --label gives it our header lines (and no timestamps).
QByteArray gnuDiff(const QByteArray &before, const QByteArray &after, int context)
{
    QTemporaryDir dir;
    const QString a = dir.filePath(QStringLiteral("a")), b = dir.filePath(QStringLiteral("b"));
    for (const auto &[path, bytes] : {std::pair{a, before}, std::pair{b, after}}) {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
            qFatal("cannot write %s", qPrintable(path));
    }
    QProcess diff;
    diff.start(diffProgram, {QStringLiteral("-U%1").arg(context), QStringLiteral("--label"), beforeLabel,
                             QStringLiteral("--label"), afterLabel, a, b});
    if (!diff.waitForFinished(60000) || diff.exitStatus() != QProcess::NormalExit || diff.exitCode() > 1)
        qFatal("diff failed: %s", diff.readAllStandardError().constData());
    return diff.readAllStandardOutput();
}

QList<QByteArray> linesOf(const QByteArray &bytes)
{
    QList<QByteArray> lines;
    for (qsizetype from = 0; from < bytes.size();) {
        const qsizetype nl = bytes.indexOf('\n', from);
        const qsizetype end = nl < 0 ? bytes.size() : nl + 1;
        lines.append(bytes.mid(from, end - from));
        from = end;
    }
    return lines;
}

// Applies a unified diff to `before` at its exact line numbers, as `patch` would without
// fuzz, checking every context and removed line and every hunk count. Returns the patched
// bytes, or nothing and a reason.
struct Applied {
    std::optional<QByteArray> result;
    QString error;
    int hunks = 0;
    int longestHunk = 0; // body lines
};

Applied applyDiff(const QByteArray &before, const QByteArray &diff)
{
    Applied applied;
    const auto fail = [&](const QString &why) {
        applied.error = why;
        return applied;
    };
    if (diff.isEmpty()) {
        applied.result = before;
        return applied;
    }
    const QList<QByteArray> old = linesOf(before);
    const QList<QByteArray> d = linesOf(diff);
    if (d.size() < 2 || d[0] != "--- before\n" || d[1] != "+++ after\n")
        return fail(QStringLiteral("bad header"));
    QByteArray out;
    qsizetype cursor = 0; // next line of `old` not yet copied
    qsizetype k = 2;
    while (k < d.size()) {
        const QByteArray header = d[k++];
        const QList<QByteArray> parts = header.split(' ');
        if (parts.size() != 4 || parts[0] != "@@" || parts[3] != "@@\n")
            return fail(QStringLiteral("bad hunk header: %1").arg(QString::fromUtf8(header)));
        const auto parseRange = [](QByteArray r, qsizetype &start, qsizetype &count) {
            r = r.mid(1);
            const qsizetype comma = r.indexOf(',');
            start = (comma < 0 ? r : r.left(comma)).toLongLong();
            count = comma < 0 ? 1 : r.mid(comma + 1).toLongLong();
        };
        qsizetype start0 = 0, count0 = 0, start1 = 0, count1 = 0;
        parseRange(parts[1], start0, count0);
        parseRange(parts[2], start1, count1);
        // An empty range names the line before it.
        const qsizetype first0 = count0 == 0 ? start0 : start0 - 1;
        const qsizetype first1 = count1 == 0 ? start1 : start1 - 1;
        if (first0 < cursor || first0 > old.size())
            return fail(QStringLiteral("hunk out of order: %1").arg(QString::fromUtf8(header)));
        for (; cursor < first0; ++cursor)
            out += old[cursor];
        if (QByteArray(out).count('\n') + (out.endsWith('\n') || out.isEmpty() ? 0 : 1) != first1)
            return fail(QStringLiteral("new line number does not match: %1").arg(QString::fromUtf8(header)));
        qsizetype seen0 = 0, seen1 = 0;
        int body = 0;
        while (k < d.size() && !d[k].startsWith("@@ ")) {
            const char marker = d[k][0];
            QByteArray text = d[k++].mid(1);
            ++body;
            if (k < d.size() && d[k] == "\\ No newline at end of file\n") {
                text.chop(1);
                ++k;
            }
            if (marker == ' ' || marker == '-') {
                if (cursor >= old.size() || old[cursor] != text)
                    return fail(QStringLiteral("line %1 of before is not %2").arg(cursor + 1).arg(QString::fromUtf8(text)));
                ++cursor;
                ++seen0;
            }
            if (marker == ' ' || marker == '+') {
                out += text;
                ++seen1;
            }
            if (marker != ' ' && marker != '-' && marker != '+')
                return fail(QStringLiteral("bad body line: %1").arg(QString::fromUtf8(text)));
        }
        if (seen0 != count0 || seen1 != count1)
            return fail(QStringLiteral("counts do not match: %1").arg(QString::fromUtf8(header)));
        ++applied.hunks;
        applied.longestHunk = std::max(applied.longestHunk, body);
    }
    for (; cursor < old.size(); ++cursor)
        out += old[cursor];
    applied.result = out;
    return applied;
}

// Random files from a small alphabet, so that lines repeat and many scripts of the same
// length exist; a few CRLF lines, sometimes no final newline. Four kinds of case:
// - small: up to 24 lines, a few short edits;
// - many unique lines: the same with nearly half the new lines unique and longer blocks;
// - medium: a few hundred lines, where GNU's thresholds grow with the file;
// - long runs: blocks of 8 to 40 mostly unique lines around very frequent ones. GNU sets a
//   frequent line aside only inside such a run, with rules on where and how many (see
//   confusingLines); the other kinds rarely reach those rules.
struct RandomCase {
    QByteArray before, after;
    int context = 3;
};

struct CaseKind {
    int uniquePercent, alphabetMin, alphabetMax, linesMin, linesMax, editsMax, blockMin, blockMax;
};

CaseKind kindOf(int number)
{
    constexpr CaseKind small{10, 2, 8, 0, 24, 5, 1, 4};
    constexpr CaseKind manyUnique{45, 2, 8, 0, 24, 5, 1, 9};
    constexpr CaseKind medium{10, 2, 13, 100, 999, 30, 1, 4};
    constexpr CaseKind longRuns{60, 2, 4, 60, 250, 4, 8, 40};
    switch (number % 10) {
    case 9: return medium;
    case 1: case 4: case 7: return longRuns;
    case 2: case 5: case 8: return manyUnique;
    default: return small;
    }
}

RandomCase randomCase(QRandomGenerator &rng, int number)
{
    const CaseKind kind = kindOf(number);
    const int alphabet = kind.alphabetMin + int(rng.bounded(kind.alphabetMax - kind.alphabetMin + 1));
    int unique = 0;
    const auto randomLine = [&]() -> QByteArray {
        if (int(rng.bounded(100)) < kind.uniquePercent)
            return "u" + QByteArray::number(number) + "_" + QByteArray::number(unique++) + "\n";
        const int which = int(rng.bounded(alphabet));
        QByteArray text = which == 0 ? QByteArray() : QByteArray(1, char('a' + which));
        return text + (rng.bounded(12) == 0 ? "\r\n" : "\n");
    };
    const auto randomLines = [&](int count) {
        QList<QByteArray> lines;
        for (int i = 0; i < count; ++i)
            lines.append(randomLine());
        return lines;
    };
    QList<QByteArray> before = randomLines(kind.linesMin + int(rng.bounded(kind.linesMax - kind.linesMin + 1)));
    QList<QByteArray> after = before;
    if (rng.bounded(15) == 0) {
        after = randomLines(int(rng.bounded(25)));
    } else {
        const int edits = 1 + int(rng.bounded(kind.editsMax));
        for (int e = 0; e < edits; ++e) {
            const int at = int(rng.bounded(int(after.size()) + 1));
            const int length = kind.blockMin + int(rng.bounded(kind.blockMax - kind.blockMin + 1));
            switch (rng.bounded(4)) {
            case 0: // insert
                for (const QByteArray &l : randomLines(length))
                    after.insert(at, l);
                break;
            case 1: // delete
                after.remove(at, std::min<qsizetype>(length, after.size() - at));
                break;
            case 2: // replace
                after.remove(at, std::min<qsizetype>(length, after.size() - at));
                for (const QByteArray &l : randomLines(length))
                    after.insert(at, l);
                break;
            default: // copy a block of existing lines elsewhere: ties on purpose
                if (!after.isEmpty()) {
                    const int from = int(rng.bounded(int(after.size())));
                    const QList<QByteArray> block = after.mid(from, length);
                    for (qsizetype i = block.size() - 1; i >= 0; --i)
                        after.insert(at, block[i]);
                }
            }
        }
    }
    RandomCase c;
    c.before = before.join();
    c.after = after.join();
    for (QByteArray *side : {&c.before, &c.after})
        if (side->endsWith('\n') && rng.bounded(5) == 0)
            side->chop(1);
    const int contexts[] = {0, 1, 2, 5};
    c.context = rng.bounded(6) == 0 ? contexts[rng.bounded(4)] : 3;
    return c;
}

void addRandomCases()
{
    QTest::addColumn<QByteArray>("before");
    QTest::addColumn<QByteArray>("after");
    QTest::addColumn<int>("context");
    QRandomGenerator rng(20261201); // fixed: the same 300 cases every run
    for (int i = 0; i < 300; ++i) {
        const RandomCase c = randomCase(rng, i);
        QTest::addRow("case %d", i) << c.before << c.after << c.context;
    }
}

QByteArray accessLine(int i)
{
    return "To:host" + QByteArray::number(i) + ".example.com\tVERIFY:128\n";
}

} // namespace

class TestUnifiedDiff : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void randomCase_matchesGnuDiff_data()
    {
        if (!QFileInfo(diffProgram).isExecutable())
            QSKIP("/usr/bin/diff (GNU diffutils) is not installed: nothing to compare with");
        addRandomCases();
    }
    void randomCase_matchesGnuDiff()
    {
        QFETCH(QByteArray, before);
        QFETCH(QByteArray, after);
        QFETCH(int, context);
        const QByteArray ours = ourDiff(before, after, context);
        const QByteArray gnu = gnuDiff(before, after, context);
        if (ours != gnu) {
            qWarning().noquote() << "before:" << before.toPercentEncoding(" ") << "\nafter:"
                                 << after.toPercentEncoding(" ") << "\ncontext:" << context << "\nours:\n"
                                 << QString::fromUtf8(ours) << "\ngnu:\n" << QString::fromUtf8(gnu);
        }
        QCOMPARE(ours, gnu);
    }

    // Holds without GNU diff too: every random diff applies back to exactly `after`.
    void randomCase_appliesBack_data() { addRandomCases(); }
    void randomCase_appliesBack()
    {
        QFETCH(QByteArray, before);
        QFETCH(QByteArray, after);
        QFETCH(int, context);
        const Applied applied = applyDiff(before, ourDiff(before, after, context));
        QVERIFY2(applied.result.has_value(), qPrintable(applied.error));
        QCOMPARE(*applied.result, after);
    }

    void edgeCase_isWhatDiffPrints_data()
    {
        QTest::addColumn<QByteArray>("before");
        QTest::addColumn<QByteArray>("after");
        QTest::addColumn<int>("context");
        QTest::addColumn<QByteArray>("expected");
        const QByteArray head = "--- before\n+++ after\n";
        QTest::newRow("identical") << QByteArray("a\nb\n") << QByteArray("a\nb\n") << 3 << QByteArray();
        QTest::newRow("both empty") << QByteArray() << QByteArray() << 3 << QByteArray();
        QTest::newRow("empty before") << QByteArray() << QByteArray("a\nb\n") << 3
                                      << head + "@@ -0,0 +1,2 @@\n+a\n+b\n";
        QTest::newRow("empty after") << QByteArray("a\nb\n") << QByteArray() << 3
                                     << head + "@@ -1,2 +0,0 @@\n-a\n-b\n";
        QTest::newRow("final newline added") << QByteArray("a\nb") << QByteArray("a\nb\n") << 3
                                             << head + "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n";
        QTest::newRow("final newline removed") << QByteArray("a\nb\n") << QByteArray("a\nb") << 3
                                               << head + "@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n";
        QTest::newRow("only line, newline added") << QByteArray("a") << QByteArray("a\n") << 3
                                                  << head + "@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n";
        QTest::newRow("last line changed, no newline either side")
            << QByteArray("a\nb") << QByteArray("a\nc") << 3
            << head + "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n";
        QTest::newRow("crlf to lf on one line") << QByteArray("a\nb\r\nc\n") << QByteArray("a\nb\nc\n") << 3
                                                << head + "@@ -1,3 +1,3 @@\n a\n-b\r\n+b\n c\n";
        QTest::newRow("context 0, insertion") << QByteArray("1\n2\n3\n4\n5\n6\n7\n8\n9\n")
                                              << QByteArray("1\n2\n3\n4\n5\nX\n6\n7\n8\n9\n") << 0
                                              << head + "@@ -5,0 +6 @@\n+X\n";
        QTest::newRow("context 0, two changes") << QByteArray("1\n2\n3\n4\n5\n6\n7\n8\n9\n")
                                                << QByteArray("1\nB\n3\n4\n5\n6\n7\n9\n") << 0
                                                << head + "@@ -2 +2 @@\n-2\n+B\n@@ -8 +7,0 @@\n-8\n";
        // Changes 2*context lines apart share one hunk; one line more and they part.
        QTest::newRow("changes 6 lines apart share a hunk")
            << QByteArray("1\n2\n3\n4\n5\n6\n7\n8\n9\nA\n") << QByteArray("1\n3\n4\n5\n6\n7\n8\nA\n") << 3
            << head + "@@ -1,10 +1,8 @@\n 1\n-2\n 3\n 4\n 5\n 6\n 7\n 8\n-9\n A\n";
        QTest::newRow("changes 7 lines apart are two hunks")
            << QByteArray("1\n2\n3\n4\n5\n6\n7\n8\n9\nA\n") << QByteArray("1\n3\n4\n5\n6\n7\n8\n9\n") << 3
            << head + "@@ -1,5 +1,4 @@\n 1\n-2\n 3\n 4\n 5\n@@ -7,4 +6,3 @@\n 7\n 8\n 9\n-A\n";
        // Of the equally short scripts, GNU removes the last of a run of equal lines.
        QTest::newRow("removed duplicate slides down") << QByteArray("x\na\na\na\ny\n") << QByteArray("x\na\na\ny\n") << 0
                                                       << head + "@@ -4 +3,0 @@\n-a\n";
        // Every line of before is unique to it or very frequent in after: one run of lines
        // GNU may set aside. Frequent lines in the run's first 8 lines still go into the
        // search (the first "c", the blank line, "b"); the second "c", further in, stays
        // aside, so the search cannot match it. Found by shrinking a random case on which a
        // version without that 8-line rule differed.
        QTest::newRow("frequent line deep in an unmatched run stays out of the search")
            << QByteArray("u0\nc\nu1\nu2\n\nu3\nu4\nb\nu5\nu6\nc\nu7\nu8\nu9\nu10\nu11\n")
            << QByteArray("\n\n\n\n\n\nb\nb\nc\nb\nc\nb\nc\nc\nc\nb\nb\nc\n") << 3
            << head + "@@ -1,16 +1,18 @@\n-u0\n-c\n-u1\n-u2\n \n-u3\n-u4\n+\n+\n+\n+\n+\n+b\n+b\n+c\n b\n"
                      "-u5\n-u6\n-c\n-u7\n-u8\n-u9\n-u10\n-u11\n+c\n+b\n+c\n+c\n+c\n+b\n+b\n+c\n";
    }
    void edgeCase_isWhatDiffPrints()
    {
        QFETCH(QByteArray, before);
        QFETCH(QByteArray, after);
        QFETCH(int, context);
        QFETCH(QByteArray, expected);
        QCOMPARE(ourDiff(before, after, context), expected);
        if (QFileInfo(diffProgram).isExecutable())
            QCOMPARE(gnuDiff(before, after, context), expected); // the expectation itself is GNU's
    }

    void labels_areTheHeaderLines()
    {
        const QByteArray out = unifiedDiff("a\n", "b\n", QStringLiteral("/etc/mail/access\t(current)"),
                                           QStringLiteral("/etc/mail/access\t(new)"));
        QCOMPARE(out, QByteArray("--- /etc/mail/access\t(current)\n+++ /etc/mail/access\t(new)\n@@ -1 +1 @@\n-a\n+b\n"));
    }

    // Two rules removed a million lines apart: two hunks of seven lines, not one hunk of
    // everything between them.
    void farApartEdits_areTwoSmallHunks()
    {
        const int n = 1000000;
        QByteArray before, after;
        before.reserve(n * 40);
        after.reserve(n * 40);
        for (int i = 0; i < n; ++i) {
            before += accessLine(i);
            if (i != 10 && i != n - 10)
                after += accessLine(i);
        }
        QElapsedTimer timer;
        timer.start();
        const QByteArray out = ourDiff(before, after);
        qInfo("1,000,000 lines, two removals far apart: %lld ms", qint64(timer.elapsed()));
        QByteArray expected = "--- before\n+++ after\n@@ -8,7 +8,6 @@\n";
        for (int i = 7; i < 14; ++i)
            expected += (i == 10 ? "-" : " ") + accessLine(i);
        expected += "@@ -999988,7 +999987,6 @@\n";
        for (int i = n - 13; i < n - 6; ++i)
            expected += (i == n - 10 ? "-" : " ") + accessLine(i);
        QCOMPARE(out, expected);
    }

    // Nothing in common: one hunk replacing everything, and it applies back.
    void distinctFiles_giveAValidDiff()
    {
        QByteArray before, after;
        for (int i = 0; i < 10000; ++i) {
            before += accessLine(i);
            after += accessLine(i + 10000);
        }
        QElapsedTimer timer;
        timer.start();
        const QByteArray out = ourDiff(before, after);
        qInfo("10,000 vs 10,000 distinct lines: %lld ms", qint64(timer.elapsed()));
        QVERIFY(out.startsWith("--- before\n+++ after\n@@ -1,10000 +1,10000 @@\n"));
        const Applied applied = applyDiff(before, out);
        QVERIFY2(applied.result.has_value(), qPrintable(applied.error));
        QCOMPARE(*applied.result, after);
        QCOMPARE(applied.hunks, 1);
    }

    // Two unrelated 10,000-line files drawn from 20 lines: no line is set aside, the search
    // gives up past its cost limit and settles; the diff is still exact, and still GNU's.
    void unrelatedFilesWithRepeats_giveAValidDiff()
    {
        QRandomGenerator rng(7);
        QByteArray before, after;
        for (int i = 0; i < 10000; ++i) {
            before += accessLine(int(rng.bounded(20)));
            after += accessLine(int(rng.bounded(20)));
        }
        QElapsedTimer timer;
        timer.start();
        const QByteArray out = ourDiff(before, after);
        qInfo("10,000 vs 10,000 lines from 20 distinct: %lld ms", qint64(timer.elapsed()));
        const Applied applied = applyDiff(before, out);
        QVERIFY2(applied.result.has_value(), qPrintable(applied.error));
        QCOMPARE(*applied.result, after);
        if (QFileInfo(diffProgram).isExecutable())
            QCOMPARE(out, gnuDiff(before, after, 3));
    }
};

QTEST_GUILESS_MAIN(TestUnifiedDiff)
#include "tst_unifieddiff.moc"
