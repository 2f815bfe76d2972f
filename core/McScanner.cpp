#include "McScanner.h"

#include "TypographicQuotes.h"

namespace smtls {
namespace {

bool isWordStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool isWordChar(char c) { return isWordStart(c) || (c >= '0' && c <= '9'); }

class Scanner {
public:
    Scanner(const QByteArray &bytes, const LineIndex &lineIndex, const QString &name)
        : b(bytes), lines(lineIndex), fileName(name)
    {
    }

    McScan run()
    {
        while (i < b.size())
            stepTopLevel();
        result.quoteOpen = open;
        result.quoteClose = close;
        return result;
    }

private:
    int lineAt(qsizetype offset) const { return lines.lineOf(offset) + 1; }

    void problem(qsizetype offset, Severity severity, const QString &message)
    {
        result.problems.append(Problem{fileName, lineAt(offset), severity, message});
    }

    // A view, never a copy: QByteArray::sliced copies the rest of the file, which made every
    // character of a long quoted string cost the file's length (512 KB took 11 s).
    bool at(const QByteArray &token) const { return !token.isEmpty() && QByteArrayView(b).sliced(i).startsWith(token); }

    // Skips a comment that runs to the end of the line (the newline included, as dnl does;
    // for '#' the newline stays text, which makes no difference to us).
    void skipToLineEnd(qsizetype from)
    {
        qsizetype nl = b.indexOf('\n', from);
        qsizetype end = nl < 0 ? b.size() : nl + 1;
        if (QByteArrayView(b).sliced(from, end - from).contains("CLIENT_OPTIONS"))
            result.commentedClientOptions.append(lineAt(from));
        i = end;
    }

    // i is at an opening quote. Returns false when the string never closes.
    bool skipQuoted()
    {
        const qsizetype startOffset = i;
        int depth = 0;
        while (i < b.size()) {
            if (at(close) && depth > 0) {  // close first: with equal quote chars it must win
                --depth;
                i += close.size();
                if (depth == 0)
                    return true;
                continue;
            }
            if (at(open)) {
                ++depth;
                i += open.size();
                continue;
            }
            if (int n = typographicQuoteLength(b, i)) {
                typographicQuoteProblem(i, n);
                i += n;
                continue;
            }
            ++i;
        }
        problem(startOffset, Severity::Error,
                QStringLiteral("the quoted string opened here with %1 is never closed with %2: m4 stops "
                               "with \"end of file in string\" and sendmail.cf comes out truncated")
                    .arg(QString::fromLatin1(open), QString::fromLatin1(close)));
        return false;
    }

    // The fix straightens the whole line, so the line's bytes are what it looks for again.
    void typographicQuoteProblem(qsizetype offset, int n)
    {
        problem(offset, Severity::Error,
                QStringLiteral("typographic quote %1 where m4 needs a backquote (`) to open and an "
                               "apostrophe (') to close")
                    .arg(QString::fromUtf8(b.mid(offset, n))));
        result.problems.last().fix = FixKind::StraightenQuotes;
        result.problems.last().subject = lines.content(b, lines.lineOf(offset)).toByteArray();
    }

    void stepTopLevel()
    {
        const char c = b[i];
        if (at(open)) {
            skipQuoted();
            return;
        }
        if (c == '#') {
            skipToLineEnd(i);
            return;
        }
        if (int n = typographicQuoteLength(b, i)) {
            typographicQuoteProblem(i, n);
            i += n;
            return;
        }
        if (isWordStart(c) && (i == 0 || !isWordChar(b[i - 1]))) {
            readWord();
            return;
        }
        ++i;
    }

    void readWord()
    {
        const qsizetype start = i;
        while (i < b.size() && isWordChar(b[i]))
            ++i;
        const QByteArray name = b.mid(start, i - start);
        if (name == "dnl") {
            skipToLineEnd(start);
            return;
        }
        MacroCall call;
        call.name = name;
        call.start = start;
        call.line = lineAt(start);
        call.end = i;
        call.quoteOpen = open;
        call.quoteClose = close;
        if (i < b.size() && b[i] == '(') {
            call.hasArguments = true;
            if (!readArguments(call))
                return;
        }
        // Without parentheses too: m4 runs a bare `changequote` with no arguments, which
        // restores ` and ' (checked with GNU m4 1.4.19).
        if (name == "changequote")
            applyChangequote(call);
        if (isInteresting(name))
            result.calls.append(call);
    }

    static bool isInteresting(const QByteArray &name)
    {
        // Only upper-case sendmail macros and the m4 builtins we look into.
        if (name == "include" || name == "define" || name == "undefine" || name == "changequote")
            return true;
        for (char ch : name)
            if (ch >= 'a' && ch <= 'z')
                return false;
        return true;
    }

    // i is at '('. Collects arguments up to the matching ')'.
    bool readArguments(MacroCall &call)
    {
        const qsizetype openParen = i;
        ++i;
        int depth = 1;
        MacroArgument arg{i, i};
        while (i < b.size()) {
            const char c = b[i];
            if (at(open)) {
                if (!skipQuoted())
                    return false;
                continue;
            }
            if (c == '#') {
                skipToLineEnd(i);
                continue;
            }
            if (int n = typographicQuoteLength(b, i)) {
                typographicQuoteProblem(i, n);
                i += n;
                continue;
            }
            if (isWordStart(c) && (i == 0 || !isWordChar(b[i - 1]))) {
                qsizetype w = i;
                while (w < b.size() && isWordChar(b[w]))
                    ++w;
                if (b.mid(i, w - i) == "dnl") {  // e.g. define(`x',dnl<newline>`value')
                    skipToLineEnd(i);
                    continue;
                }
                i = w;
                continue;
            }
            if (c == '(') {
                ++depth;
            } else if (c == ')') {
                if (--depth == 0) {
                    arg.end = i;
                    call.arguments.append(arg);
                    ++i;
                    call.end = i;
                    return true;
                }
            } else if (c == ',' && depth == 1) {
                arg.end = i;
                call.arguments.append(arg);
                arg = MacroArgument{i + 1, i + 1};
            }
            ++i;
        }
        problem(openParen, Severity::Error,
                QStringLiteral("%1( is never closed with ')'").arg(QString::fromLatin1(call.name)));
        return false;
    }

    void applyChangequote(const MacroCall &call)
    {
        // changequote without arguments restores ` and '; with arguments the new pair is
        // taken literally (m4 does not strip quotes from them before the change).
        QByteArray newOpen = "`", newClose = "'";
        if (!call.arguments.isEmpty()) {
            QByteArray a = b.mid(call.arguments[0].start, call.arguments[0].end - call.arguments[0].start).trimmed();
            QByteArray z = call.arguments.size() > 1
                ? b.mid(call.arguments[1].start, call.arguments[1].end - call.arguments[1].start).trimmed()
                : QByteArray("'");
            if (!a.isEmpty()) {
                newOpen = a;
                newClose = z.isEmpty() ? QByteArray("'") : z;
            }
        }
        open = newOpen;
        close = newClose;
        problem(call.start, Severity::Info,
                QStringLiteral("changequote switches m4's quotes to %1 … %2 from here on")
                    .arg(QString::fromLatin1(open), QString::fromLatin1(close)));
    }

    const QByteArray &b;
    const LineIndex &lines;
    const QString &fileName;
    qsizetype i = 0;
    QByteArray open = "`";
    QByteArray close = "'";
    McScan result;
};

} // namespace

McScan scanMc(const QByteArray &bytes, const LineIndex &lines, const QString &fileName)
{
    return Scanner(bytes, lines, fileName).run();
}

QByteArray unquotedArgument(const QByteArray &bytes, const MacroArgument &argument,
                            const QByteArray &quoteOpen, const QByteArray &quoteClose)
{
    QByteArray text = bytes.mid(argument.start, argument.end - argument.start);
    qsizetype lead = 0;
    while (lead < text.size() && (text[lead] == ' ' || text[lead] == '\t' || text[lead] == '\n' || text[lead] == '\r'))
        ++lead;
    text = text.mid(lead);
    QByteArray trimmed = text;
    while (!trimmed.isEmpty() && (trimmed.back() == ' ' || trimmed.back() == '\t' || trimmed.back() == '\n' || trimmed.back() == '\r'))
        trimmed.chop(1);
    if (trimmed.startsWith(quoteOpen) && trimmed.endsWith(quoteClose)
        && trimmed.size() >= quoteOpen.size() + quoteClose.size())
        return trimmed.mid(quoteOpen.size(), trimmed.size() - quoteOpen.size() - quoteClose.size());
    return text;
}

} // namespace smtls
