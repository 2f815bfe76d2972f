#pragma once
// A program and its arguments, never one string. The one place where arguments are quoted for
// a POSIX shell is toShellCommand(): the SSH transport sends that, and nothing else builds
// shell text out of user input.

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace smtls {

struct CommandLine {
    QString program;
    QStringList arguments;

    // A constant script run by sh, with its data passed as positional parameters ($1, $2, …),
    // so that the data is never parsed as shell code.
    static CommandLine shellScript(const QString &script, const QStringList &parameters = {});

    QString display() const;        // for logs: quoted, readable
    QByteArray toShellCommand() const;
    friend bool operator==(const CommandLine &, const CommandLine &) = default;
};

// 'text' with every ' written as '\'' : safe for any byte, newline and NUL-free UTF-8 included.
QByteArray shellQuote(const QString &argument);

} // namespace smtls
