#include "transport/CommandLine.h"

namespace smtls {

QByteArray shellQuote(const QString &argument)
{
    const QByteArray bytes = argument.toUtf8();
    if (!bytes.isEmpty()) {
        bool plain = true;
        for (char c : bytes) {
            const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.' || c == '/' || c == ':' || c == '=' || c == ',' || c == '@'
                || c == '+';
            if (!safe) {
                plain = false;
                break;
            }
        }
        if (plain)
            return bytes;
    }
    QByteArray out = "'";
    for (char c : bytes) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    out += '\'';
    return out;
}

CommandLine CommandLine::shellScript(const QString &script, const QStringList &parameters)
{
    // "sh" fills $0, so the parameters start at $1.
    return CommandLine{QStringLiteral("sh"), QStringList{QStringLiteral("-c"), script, QStringLiteral("sh")} + parameters};
}

CommandLine CommandLine::sequence(const QList<CommandLine> &commands, const QString &around, const QStringList &aroundParameters)
{
    QStringList words;
    QStringList steps;
    for (const CommandLine &command : commands) {
        QStringList indexes;
        for (const QString &word : QStringList{command.program} + command.arguments) {
            words << word;
            // Braces: "$10" would be "${1}0".
            indexes << QStringLiteral("\"${") + QString::number(words.size()) + QStringLiteral("}\"");
        }
        steps << indexes.join(QLatin1Char(' '));
    }
    const QString body = steps.isEmpty() ? QStringLiteral(":") : steps.join(QStringLiteral(" && "));
    // A function, so that AROUND can place and redirect the whole sequence as one command; the
    // words reach it as its own arguments (`run_sequence "$@"`).
    return shellScript(QStringLiteral("run_sequence() { ") + body + QStringLiteral("; }\n")
                           + (around.isEmpty() ? QStringLiteral("run_sequence \"$@\"\n") : around),
                       aroundParameters + words);
}

QByteArray CommandLine::toShellCommand() const
{
    QByteArray out = shellQuote(program);
    for (const QString &a : arguments)
        out += ' ' + shellQuote(a);
    return out;
}

QString CommandLine::display() const { return QString::fromUtf8(toShellCommand()); }

} // namespace smtls
