// Fuzzes unifiedDiff (the --dry-run and Apply preview) through its public signature only: the
// input's first half is "before", the second half "after".
//
// Properties, for the program's context of 3 lines and for 0 and 1 (other hunk boundaries):
//  * the diff is empty exactly when the two are equal;
//  * it is well-formed as `diff -u` writes it: the two label lines, then hunks whose "@@ -a,b
//    +c,d @@" counts match their lines, in order, at most `context` lines of context at either
//    end, a change in each, unchanged lines between two hunks (else they would be one), and
//    "\ No newline at end of file" only right after a line;
//  * applied to "before" by the small applier below, it gives "after" byte for byte (line
//    endings, a missing final newline, NUL and non-UTF-8 bytes included).

#include "FuzzCheck.h"

#include "UnifiedDiff.h"

#include <QList>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <variant>

using namespace smtls;
using smtls::fuzz::require;

namespace {

const QString BeforeLabel = QStringLiteral("/etc/mail/sendmail.mc");
const QString AfterLabel = QStringLiteral("/etc/mail/sendmail.mc (new)");
const QByteArray NoNewline = "\\ No newline at end of file";

// Lines as the diff sees them: each with its terminator, the last one possibly without.
QList<QByteArray> linesOf(const QByteArray &bytes)
{
    QList<QByteArray> out;
    qsizetype start = 0;
    while (start < bytes.size()) {
        const qsizetype nl = bytes.indexOf('\n', start);
        const qsizetype end = nl < 0 ? bytes.size() : nl + 1;
        out.append(bytes.sliced(start, end - start));
        start = end;
    }
    return out;
}

// "N" or "N,M" at `text`; advances past it. M defaults to 1, as in diff -u.
bool readRange(QByteArrayView &text, qsizetype &first, qsizetype &count)
{
    const auto number = [&](qsizetype &out) {
        qsizetype n = 0;
        while (n < text.size() && text[n] >= '0' && text[n] <= '9')
            ++n;
        if (n == 0 || n > 9)
            return false;
        out = text.first(n).toLongLong();
        text = text.sliced(n);
        return true;
    };
    if (!number(first))
        return false;
    count = 1;
    if (text.startsWith(',')) {
        text = text.sliced(1);
        return number(count);
    }
    return true;
}

struct Failure {
    const char *what;
    qsizetype diffLine;
};

// Applies `diff` to `before`, checking its form on the way; the result, or what was wrong.
std::variant<QByteArray, Failure> apply(const QByteArray &before, const QByteArray &diff, int context)
{
    const QList<QByteArray> old = linesOf(before);
    if (!diff.endsWith('\n'))
        return Failure{"the diff ends with a newline", -1};
    QList<QByteArray> d = diff.split('\n');
    d.removeLast();  // after the final '\n'
    if (d.size() < 2 || d[0] != "--- " + BeforeLabel.toUtf8() || d[1] != "+++ " + AfterLabel.toUtf8())
        return Failure{"the diff starts with the two label lines", 0};
    if (d.size() == 2)
        return Failure{"a non-empty diff has a hunk", 2};

    QByteArray out;
    qsizetype outLines = 0;
    qsizetype cursor = 0;  // next line of `before` not yet copied
    bool firstHunk = true;
    qsizetype k = 2;
    while (k < d.size()) {
        QByteArrayView header = d[k];
        qsizetype a = 0, b = 0, c = 0, e = 0;
        if (!header.startsWith("@@ -"))
            return Failure{"a hunk starts with @@ -", k};
        header = header.sliced(4);
        if (!readRange(header, a, b) || !header.startsWith(" +"))
            return Failure{"a hunk header reads @@ -a,b +c,d @@", k};
        header = header.sliced(2);
        if (!readRange(header, c, e) || header != " @@")
            return Failure{"a hunk header reads @@ -a,b +c,d @@", k};
        // diff -u numbers an empty range by the line before it.
        const qsizetype oldStart = b == 0 ? a : a - 1;
        const qsizetype newStart = e == 0 ? c : c - 1;
        if (oldStart < cursor || (!firstHunk && oldStart == cursor))
            return Failure{"hunks are in order, with unchanged lines between them", k};
        if (oldStart + b > old.size())
            return Failure{"a hunk's old range lies inside the old file", k};
        for (; cursor < oldStart; ++cursor, ++outLines)
            out += old[cursor];
        if (outLines != newStart)
            return Failure{"a hunk's new start is where the new file is at", k};
        ++k;

        qsizetype seenOld = 0, seenNew = 0, leadingContext = 0, trailingContext = 0;
        bool changed = false;
        while (seenOld < b || seenNew < e) {
            if (k >= d.size() || d[k].isEmpty())
                return Failure{"a hunk has as many lines as its header says", k};
            const char marker = d[k][0];
            QByteArray text = d[k].sliced(1) + '\n';
            ++k;
            if (k < d.size() && d[k] == NoNewline) {
                text.chop(1);
                ++k;
            }
            switch (marker) {
            case ' ':
                if (cursor >= old.size() || old[cursor] != text)
                    return Failure{"a context line is the old file's line", k - 1};
                out += text;
                ++cursor, ++outLines, ++seenOld, ++seenNew;
                (changed ? trailingContext : leadingContext) += 1;
                break;
            case '-':
                if (cursor >= old.size() || old[cursor] != text)
                    return Failure{"a removed line is the old file's line", k - 1};
                ++cursor, ++seenOld;
                changed = true;
                trailingContext = 0;
                break;
            case '+':
                out += text;
                ++outLines, ++seenNew;
                changed = true;
                trailingContext = 0;
                break;
            default:
                return Failure{"a hunk line starts with ' ', '-' or '+'", k - 1};
            }
            if (seenOld > b || seenNew > e)
                return Failure{"a hunk has as many lines as its header says", k - 1};
        }
        if (!changed)
            return Failure{"every hunk holds a change", k - 1};
        if (leadingContext > context || trailingContext > context)
            return Failure{"a hunk has at most `context` lines of context at either end", k - 1};
        firstHunk = false;
    }
    for (; cursor < old.size(); ++cursor)
        out += old[cursor];
    return out;
}

void check(const QByteArray &before, const QByteArray &after, int context)
{
    const QByteArray diff = unifiedDiff(before, after, BeforeLabel, AfterLabel, context);
    const QByteArray contextText = QByteArray::number(context);
    require(diff.isEmpty() == (before == after), "the diff is empty exactly when nothing changed",
            {{"context", contextText}, {"before", before}, {"after", after}, {"diff", diff}});
    if (diff.isEmpty())
        return;
    const std::variant<QByteArray, Failure> applied = apply(before, diff, context);
    if (const Failure *f = std::get_if<Failure>(&applied))
        fuzz::fail(f->what, {{"context", contextText},
                             {"at diff line", QByteArray::number(f->diffLine + 1)},
                             {"before", before},
                             {"after", after},
                             {"diff", diff}});
    require(std::get<QByteArray>(applied) == after, "the diff applied to before gives after",
            {{"context", contextText}, {"before", before}, {"after", after}, {"diff", diff},
             {"applied", std::get<QByteArray>(applied)}});
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const QByteArray before = input.first(input.size() / 2);
    const QByteArray after = input.sliced(input.size() / 2);
    for (const int context : {3, 0, 1})
        check(before, after, context);
    return 0;
}
