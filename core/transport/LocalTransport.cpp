#include "transport/LocalTransport.h"

#include <QDir>
#include "TextFile.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>

namespace smtls {

LocalTransport::LocalTransport(QString root, QString name) : m_root(std::move(root)), m_name(std::move(name)) {}

QString LocalTransport::describe() const
{
    return isLiveSystem() ? QStringLiteral("this computer") : QStringLiteral("local tree %1").arg(m_root);
}

QString LocalTransport::mapPath(const QString &hostPath) const
{
    if (m_root.isEmpty() || m_root == QLatin1String("/"))
        return hostPath;
    return QDir::cleanPath(m_root + QLatin1Char('/') + hostPath);
}

Result<CommandResult> LocalTransport::run(const CommandLine &command, const QByteArray &standardInput,
                                          std::chrono::milliseconds timeout)
{
    CommandLogEntry entry{m_name, command.display(), -1, {}, 0, {}};
    QElapsedTimer clock;
    clock.start();
    const auto failed = [&](const QString &why, ErrorKind kind = ErrorKind::Connection) -> Result<CommandResult> {
        entry.error = why;
        entry.milliseconds = clock.elapsed();
        logCommand(entry);
        return makeError(kind, why);
    };
    if (m_cancelled)
        return failed(QStringLiteral("cancelled"), ErrorKind::Cancelled);
    QProcess process;
    process.start(command.program, command.arguments);
    if (!process.waitForStarted(10000))
        return failed(QStringLiteral("cannot start %1: %2").arg(command.program, process.errorString()));
    process.write(standardInput);
    process.closeWriteChannel();
    // Wait in slices so that cancel() from another thread is noticed.
    while (!process.waitForFinished(200)) {
        if (process.state() == QProcess::NotRunning)
            break;
        if (m_cancelled || clock.elapsed() > timeout.count()) {
            process.kill();
            process.waitForFinished(2000);
            if (m_cancelled)
                return failed(QStringLiteral("cancelled"), ErrorKind::Cancelled);
            return failed(QStringLiteral("%1 timed out after %2 s").arg(command.program).arg(timeout.count() / 1000));
        }
    }
    CommandResult result;
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    entry.exitCode = result.exitCode;
    entry.output = outputTail(result.err);
    entry.milliseconds = clock.elapsed();
    logCommand(entry);
    return result;
}

Result<bool> LocalTransport::holds(const QString &path, const std::optional<QByteArray> &expected)
{
    const QString local = mapPath(path);
    const QFileInfo info(local);
    if (!info.exists() && !info.isSymLink())
        return !expected.has_value();
    if (!expected)
        return false;
    return fileHoldsBytes(local, *expected);
}

Result<std::optional<QByteArray>> LocalTransport::readFile(const QString &path, qint64 maxBytes)
{
    const QString local = mapPath(path);
    if (!QFileInfo::exists(local))
        return std::optional<QByteArray>();
    Result<QByteArray> bytes = readConfigFile(local, maxBytes);
    if (!bytes)
        return bytes.error();
    return std::optional<QByteArray>(std::move(*bytes));
}

Result<QList<std::optional<QByteArray>>> LocalTransport::readFiles(const QStringList &paths, qint64 maxBytes)
{
    return readEachFile(paths, maxBytes);
}

Status LocalTransport::writeFile(const QString &path, const QByteArray &bytes)
{
    if (m_cancelled)
        return makeError(ErrorKind::Cancelled, QStringLiteral("cancelled"));
    return writeFileAtomically(mapPath(path), bytes);
}

Status LocalTransport::removeFile(const QString &path)
{
    const QString local = mapPath(path);
    if (QFileInfo::exists(local) && !QFile::remove(local))
        return makeError(ErrorKind::FileAccess, QStringLiteral("cannot remove it"), local);
    return std::nullopt;
}

} // namespace smtls
