#pragma once
// The Transport for a mail host reached over SSH (libssh): host key checked against
// known_hosts before anything else, one exec channel per command, sudo when the login is not
// root.
//
// Threads: one SshTransport (one libssh session) must be used by one thread at a time; any
// number of SshTransport objects may run in parallel threads. cancel() alone may be called
// from any thread: it sets a flag the running command checks every ~200 ms (we never call
// ssh_disconnect from another thread: libssh crashes).

#include "ssh/RemoteCommand.h"
#include "ssh/SshConfig.h"
#include "ssh/SshHandles.h"
#include "ssh/SshTypes.h"
#include "transport/Transport.h"

#include <atomic>
#include <memory>

namespace smtls::ssh {

class SshTransport final : public Transport {
public:
    // Connects, checks the host key and logs in. Errors: Connection (unreachable, login
    // failed), Refused (changed or rejected host key), InvalidConfig (unusable ssh_config).
    static Result<std::unique_ptr<SshTransport>> connect(const SshTarget &target, SshCallbacks callbacks,
                                                         SshOptions options);
    ~SshTransport() override;

    QString hostName() const override;
    QString describe() const override;
    QString loginUser() const override { return m_host.user; }
    // timeout <= 0 means SshOptions::commandTimeout.
    Result<CommandResult> run(const CommandLine &command, const QByteArray &standardInput = {},
                              std::chrono::milliseconds timeout = 60s) override;
    void cancel() override;

    const ResolvedHost &host() const { return m_host; }
    // For a non-root login whose sudo asks for a password: the password is sent on stdin
    // (sudo -S), never on a command line.
    void useSudoPassword(const QString &password)
    {
        m_options.sudoPassword = password;
        m_elevation = chooseElevation();
    }
    bool loginIsRoot() const { return m_elevation == Elevation::None; }

private:
    SshTransport(SessionHandle session, ResolvedHost host, SshOptions options);
    Elevation chooseElevation();
    QByteArray sudoInput() const;
    void killRemote(qint64 pid);

    SessionHandle m_session;
    ResolvedHost m_host;
    SshOptions m_options;
    Elevation m_elevation = Elevation::None;
    std::atomic_bool m_cancelled{false};
    std::optional<Error> m_lost; // set once the connection dropped: every later call fails fast
};

} // namespace smtls::ssh
