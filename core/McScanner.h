#pragma once
// Reads sendmail.mc the way m4 does, as far as we need it: quoted strings (backquote …
// apostrophe, nested, or the pair set by changequote), `dnl` (discards to the end of line) and
// `#` comments, and macro calls NAME(arg, …) with the byte range of every argument. It does not
// expand anything: it finds where things are so that edits can touch only those bytes.
//
// It also reports what breaks m4 in practice: curly quotes pasted from a web page, quotes or
// parentheses that are never closed (m4 then stops with "end of file in string" and writes a
// truncated sendmail.cf).

#include "LineIndex.h"
#include "Problem.h"

#include <QByteArray>
#include <QList>

namespace smtls {

struct MacroArgument {
    qsizetype start = 0;  // raw bytes, quotes and blanks included
    qsizetype end = 0;
};

struct MacroCall {
    QByteArray name;
    qsizetype start = 0;       // first byte of the name
    qsizetype end = 0;         // one past ')' (or past the name when there are no arguments)
    int line = 0;              // 1-based line of the name
    bool hasArguments = false;
    QList<MacroArgument> arguments;
    // The quotes in force where the call is, which its arguments are read with (a later
    // changequote does not change how m4 read this call).
    QByteArray quoteOpen = "`";
    QByteArray quoteClose = "'";
};

struct McScan {
    QList<MacroCall> calls;            // live calls, in file order
    QList<int> commentedClientOptions; // 1-based lines where CLIENT_OPTIONS sits in a comment
    Problems problems;
    QByteArray quoteOpen = "`";        // the quotes in force at the end of the file
    QByteArray quoteClose = "'";
};

McScan scanMc(const QByteArray &bytes, const LineIndex &lines, const QString &fileName);

// The text of an argument as m4 passes it on: leading blanks and newlines dropped, one level of
// quotes removed when the argument is a single quoted string.
QByteArray unquotedArgument(const QByteArray &bytes, const MacroArgument &argument,
                            const QByteArray &quoteOpen = "`", const QByteArray &quoteClose = "'");

} // namespace smtls
