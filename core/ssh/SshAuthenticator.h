#pragma once
// Logs in: ssh-agent, then the IdentityFile keys, then password, then keyboard-interactive.
// Secrets come from the askSecret callback, live only in memory and are wiped after use.

#include "Result.h"
#include "ssh/SshConfig.h"
#include "ssh/SshTypes.h"

#include <libssh/libssh.h>

namespace smtls::ssh {

class SshAuthenticator {
public:
    SshAuthenticator(ssh_session session, const ResolvedHost &host, const SshCallbacks &callbacks);

    enum class Outcome { LoggedIn, Failed, AgentDisconnected };
    // AgentDisconnected: the server hung up while the agent offered its keys (sshd's
    // MaxAuthTries with many agent keys); the caller reconnects with useAgent = false.
    Outcome authenticate(bool useAgent);
    // The sentence for Failed / AgentDisconnected.
    const Error &error() const { return m_error; }

private:
    bool tryAgent();
    bool tryIdentityFile(const QString &path);
    bool tryPassword();
    bool tryKeyboardInteractive();
    std::optional<QString> ask(const QString &prompt, bool echo) const;
    void noteFailure();

    ssh_session m_session;
    const ResolvedHost &m_host;
    const SshCallbacks &m_callbacks;
    QString m_lastError;
    Error m_error;
};

} // namespace smtls::ssh
