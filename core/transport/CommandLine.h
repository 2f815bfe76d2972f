#pragma once
// A program and its arguments, never one string. The one place where arguments are quoted for
// a POSIX shell is toShellCommand(): the SSH transport sends that, and nothing else builds
// shell text out of user input.

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace smtls {

struct CommandLine {
    QString program;
    QStringList arguments;

    // A constant script run by sh, with its data passed as positional parameters ($1, $2, …),
    // so that the data is never parsed as shell code.
    static CommandLine shellScript(const QString &script, const QStringList &parameters = {});

    // COMMANDS run one after the other until one fails; the exit status is that of the failing
    // one, or 0 (sh's `a && b && c`, after Qt Creator's addCommandLineWithAnd). Every program
    // and argument is a positional parameter and the script names only their indexes, as in
    //   run_sequence() { "${1}" "${2}" && "${3}"; }
    // so no word is ever parsed as shell code, whatever it holds. AROUND, when given, is a
    // constant script that runs the sequence by calling `run_sequence "$@"` where it wants it,
    // e.g. with its output redirected; without it the script is just that call.
    // AROUND_PARAMETERS, when given, come first ($1 … $k, data for AROUND itself): AROUND must
    // take them off (`shift k`) before passing "$@" on; run_sequence ignores words past its own.
    static CommandLine sequence(const QList<CommandLine> &commands, const QString &around = {},
                                const QStringList &aroundParameters = {});

    QString display() const;        // for logs: quoted, readable
    QByteArray toShellCommand() const;
    friend bool operator==(const CommandLine &, const CommandLine &) = default;
};

// 'text' with every ' written as '\'' : safe for any byte, newline and NUL-free UTF-8 included.
QByteArray shellQuote(const QString &argument);

} // namespace smtls
