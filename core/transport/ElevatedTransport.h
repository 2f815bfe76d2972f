#pragma once
// "This computer" when the program does not run as root: reads as the user where the files
// allow it; every write and command goes to sendmail-tls-privileged, started once per
// transport (one apply, one password) through pkexec in a graphical session. Without pkexec
// or without the installed helper, every command is its own `sudo -n` (or `pkexec`, when the
// helper is missing), as before: sudo -n asks no password anyway, and a sudoers rule that
// allows only certain commands keeps working. Used by the desktop application for "This computer".

#include "transport/LocalTransport.h"
#include "transport/PrivilegedSession.h"

#include <memory>

namespace smtls {

class ElevatedTransport : public Transport {
public:
    explicit ElevatedTransport(QString name);
    ~ElevatedTransport() override;

    QString hostName() const override { return m_local.hostName(); }
    QString describe() const override;
    bool filesAreOnThisComputer() const override { return true; }
    Result<CommandResult> run(const CommandLine &command, const QByteArray &standardInput = {},
                              std::chrono::milliseconds timeout = 60s) override;
    Result<std::optional<QByteArray>> readFile(const QString &path, qint64 maxBytes) override;
    Result<QList<std::optional<QByteArray>>> readFiles(const QStringList &paths, qint64 maxBytes) override;
    void cancel() override;

    // How many times the privileged helper was started (tests: one per apply).
    int helperStarts() const { return m_helper ? m_helper->starts() : 0; }

private:
    LocalTransport m_local;
    QStringList m_elevator;  // per-command elevation: {"pkexec"} or {"sudo", "-n"}
    std::unique_ptr<PrivilegedSession> m_helper;  // set when pkexec and the helper are there
    QString m_why;  // why there is no helper, for describe()
};

} // namespace smtls
