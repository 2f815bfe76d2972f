#include "transport/ElevatedTransport.h"

#include <QStandardPaths>

namespace smtls {

ElevatedTransport::ElevatedTransport(QString name)
    : m_local(QStringLiteral("/"), std::move(name))
{
    const bool graphical = qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY");
    if (graphical && !QStandardPaths::findExecutable(QStringLiteral("pkexec")).isEmpty())
        m_elevator = {QStringLiteral("pkexec")};
    else
        m_elevator = {QStringLiteral("sudo"), QStringLiteral("-n")};
}

QString ElevatedTransport::describe() const
{
    return QStringLiteral("this computer (writes through %1)").arg(m_elevator.join(QLatin1Char(' ')));
}

Result<CommandResult> ElevatedTransport::run(const CommandLine &command, const QByteArray &standardInput,
                                             std::chrono::milliseconds timeout)
{
    CommandLine elevated{m_elevator.first(), m_elevator.mid(1) + QStringList{command.program} + command.arguments};
    const Result<CommandResult> r = m_local.run(elevated, standardInput, timeout);
    logCommand(CommandLogEntry{hostName(), elevated.display(), r ? r->exitCode : -1, r ? QString() : r.error().message, 0,
                               r ? outputTail(r->err) : QString()});
    return r;
}

Result<std::optional<QByteArray>> ElevatedTransport::readFile(const QString &path, qint64 maxBytes)
{
    Result<std::optional<QByteArray>> direct = m_local.readFile(path, maxBytes);
    if (direct)
        return direct;
    return Transport::readFile(path, maxBytes);  // unreadable as the user: through the elevator
}

} // namespace smtls
