#include "ssh/RemoteCommand.h"

namespace smtls::ssh {

namespace {
constexpr char PidTag[] = "smtls-pid ";
}

CommandLine elevated(const CommandLine &command, Elevation elevation)
{
    switch (elevation) {
    case Elevation::None:
        return command;
    case Elevation::SudoNoPassword:
        return CommandLine{QStringLiteral("sudo"),
                           QStringList{QStringLiteral("-n"), QStringLiteral("--"), command.program} + command.arguments};
    case Elevation::SudoWithPassword:
        // -k: always read the password, so it can never be left over on the command's stdin.
        return CommandLine{QStringLiteral("sudo"),
                           QStringList{QStringLiteral("-S"), QStringLiteral("-k"), QStringLiteral("-p"), QString(),
                                       QStringLiteral("--"), command.program}
                               + command.arguments};
    }
    return command;
}

CommandLine announcingPid(const CommandLine &command)
{
    return CommandLine::shellScript(QStringLiteral("printf 'smtls-pid %s\\n' \"$$\" >&2; exec \"$@\""),
                                    QStringList{command.program} + command.arguments);
}

std::optional<qint64> takeAnnouncedPid(QByteArray &standardError)
{
    if (!standardError.startsWith(PidTag))
        return std::nullopt;
    const qsizetype end = standardError.indexOf('\n');
    if (end < 0)
        return std::nullopt;
    bool ok = false;
    const qint64 pid = standardError.mid(qsizetype(sizeof PidTag) - 1, end - qsizetype(sizeof PidTag) + 1).toLongLong(&ok);
    standardError.remove(0, end + 1);
    if (!ok || pid <= 1)
        return std::nullopt;
    return pid;
}

CommandLine killProcessGroup(qint64 pid)
{
    const QString id = QString::number(pid);
    // The group first; the process itself too in case it is not a group leader after all.
    return CommandLine{QStringLiteral("kill"),
                       {QStringLiteral("-TERM"), QStringLiteral("--"), QLatin1Char('-') + id, id}};
}

} // namespace smtls::ssh
