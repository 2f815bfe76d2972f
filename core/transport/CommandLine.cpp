#include "CommandLine.h"

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

QByteArray CommandLine::toShellCommand() const
{
    QByteArray out = shellQuote(program);
    for (const QString &a : arguments)
        out += ' ' + shellQuote(a);
    return out;
}

QString CommandLine::display() const { return QString::fromUtf8(toShellCommand()); }

} // namespace smtls
