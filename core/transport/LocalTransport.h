#pragma once
// The workstation itself, or a copy of a host's tree under a root folder (--root DIR): paths
// the pipeline uses (/etc/mail/access) are mapped under the root, commands run with QProcess.
// Used for `--root`, for "This computer" and by tests.

#include "transport/Transport.h"

#include <QString>

#include <atomic>

namespace smtls {

class LocalTransport : public Transport {
public:
    explicit LocalTransport(QString root = QStringLiteral("/"), QString name = QStringLiteral("local"));

    QString hostName() const override { return m_name; }
    QString describe() const override;
    bool filesAreOnThisComputer() const override { return true; }
    // The path on this machine for a path on the host.
    QString mapPath(const QString &hostPath) const;
    QString commandPath(const QString &hostPath) const override { return mapPath(hostPath); }
    QString snapshotPath(const QString &hostPath) const override { return mapPath(hostPath); }
    bool isLiveSystem() const { return m_root == QLatin1String("/"); }

    Result<CommandResult> run(const CommandLine &command, const QByteArray &standardInput = {},
                              std::chrono::milliseconds timeout = 60s) override;
    Result<std::optional<QByteArray>> readFile(const QString &path, qint64 maxBytes) override;
    Result<QList<std::optional<QByteArray>>> readFiles(const QStringList &paths, qint64 maxBytes) override;
    Status writeFile(const QString &path, const QByteArray &bytes) override;
    Result<bool> holds(const QString &path, const std::optional<QByteArray> &expected) override;
    Status removeFile(const QString &path) override;
    void cancel() override { m_cancelled = true; }

private:
    QString m_root;
    QString m_name;
    std::atomic<bool> m_cancelled{false};
};

} // namespace smtls
