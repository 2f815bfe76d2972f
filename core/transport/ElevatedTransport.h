#pragma once
// "This computer" when the program does not run as root: reads as the user where the files
// allow it, and every write and command goes through pkexec (graphical session) or `sudo -n`.
// Used by the desktop application for "This computer".

#include "transport/LocalTransport.h"

namespace smtls {

class ElevatedTransport : public Transport {
public:
    explicit ElevatedTransport(QString name);

    QString hostName() const override { return m_local.hostName(); }
    QString describe() const override;
    bool filesAreOnThisComputer() const override { return true; }
    Result<CommandResult> run(const CommandLine &command, const QByteArray &standardInput = {},
                              std::chrono::milliseconds timeout = 60s) override;
    Result<std::optional<QByteArray>> readFile(const QString &path, qint64 maxBytes) override;
    void cancel() override { m_local.cancel(); }

private:
    LocalTransport m_local;
    QStringList m_elevator;  // {"pkexec"} or {"sudo", "-n"}
};

} // namespace smtls
