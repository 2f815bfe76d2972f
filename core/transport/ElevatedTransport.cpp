#include "transport/ElevatedTransport.h"

#include <QElapsedTimer>
#include <QStandardPaths>

namespace smtls {

ElevatedTransport::ElevatedTransport(QString name)
    : m_local(QStringLiteral("/"), std::move(name))
{
    const bool graphical = qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY");
    const bool pkexec = !QStandardPaths::findExecutable(QStringLiteral("pkexec")).isEmpty();
    const QString helper = PrivilegedSession::helperPath();
    if (graphical && pkexec && !helper.isEmpty()) {
        // Started on the first privileged operation, not here: reading needs no password.
        m_helper = std::make_unique<PrivilegedSession>(QStringLiteral("pkexec"), helper);
    } else if (graphical && pkexec) {
        m_elevator = {QStringLiteral("pkexec")};
        m_why = QStringLiteral("the privileged helper is not installed, so every command asks");
    } else {
        m_elevator = {QStringLiteral("sudo"), QStringLiteral("-n")};
        m_why = graphical ? QStringLiteral("pkexec is not installed") : QStringLiteral("no graphical session for pkexec");
    }
}

ElevatedTransport::~ElevatedTransport() = default;  // the helper ends with its session

QString ElevatedTransport::describe() const
{
    if (m_helper)
        return QStringLiteral("this computer (writes through sendmail-tls-privileged, one pkexec authentication per apply)");
    return QStringLiteral("this computer (writes through %1: %2)").arg(m_elevator.join(QLatin1Char(' ')), m_why);
}

void ElevatedTransport::cancel()
{
    m_local.cancel();
    if (m_helper)
        m_helper->cancel();
}

Result<CommandResult> ElevatedTransport::run(const CommandLine &command, const QByteArray &standardInput,
                                             std::chrono::milliseconds timeout)
{
    if (m_helper) {
        QElapsedTimer clock;
        clock.start();
        const Result<CommandResult> r = m_helper->run(command, standardInput, timeout);
        logCommand(CommandLogEntry{hostName(), command.display(), r ? r->exitCode : -1, r ? QString() : r.error().message,
                                   clock.elapsed(), r ? outputTail(r->err) : QString()});
        return r;
    }
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
    if (m_helper)
        return m_helper->readFile(path, maxBytes);  // unreadable as the user: the helper reads it
    return Transport::readFile(path, maxBytes);  // through the elevator
}

Result<QList<std::optional<QByteArray>>> ElevatedTransport::readFiles(const QStringList &paths, qint64 maxBytes)
{
    return readEachFile(paths, maxBytes);
}

} // namespace smtls
