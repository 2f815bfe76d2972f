#include "ssh/HostConnection.h"

namespace smtls::ssh {

namespace {

// As many tries as sudo itself gives at a terminal.
constexpr int MaxSudoTries = 3;
constexpr std::chrono::seconds SudoCheckTimeout = 30s;

void tell(const HostConnectCallbacks &callbacks, SecretUse use, bool accepted)
{
    if (callbacks.secretChecked)
        callbacks.secretChecked(use, accepted);
}

// `true` through the transport's elevation: `sudo -n true`, or `sudo -S … true` once a
// password is set. Exit 0 means every later command will be run as root.
Result<bool> sudoWorks(SshTransport &ssh)
{
    const Result<CommandResult> probe = ssh.run(CommandLine{QStringLiteral("true"), {}}, {}, SudoCheckTimeout);
    if (!probe)
        return probe.error();
    return probe->ok();
}

// For a non-root login: nothing when sudo needs no password; else asks for it and checks each
// answer once, until one works or the user gives up.
Status ensureSudo(SshTransport &ssh, const HostConnectCallbacks &callbacks, const HostConnectOptions &options,
                  const QString &hostName)
{
    if (ssh.loginIsRoot())
        return std::nullopt;
    const Result<bool> withoutPassword = sudoWorks(ssh);
    if (!withoutPassword)
        return withoutPassword.error();
    if (*withoutPassword)
        return std::nullopt;
    const QString user = ssh.host().user;
    if (!callbacks.sudoPassword)
        return makeError(ErrorKind::Connection, QStringLiteral("sudo on %1 needs a password: %2")
                                                    .arg(hostName, options.noSudoPasswordAdvice.arg(user)));
    const QString prompt = QStringLiteral("sudo password for %1@%2: ").arg(user, hostName);
    bool refused = false;
    for (int attempt = 0; attempt < MaxSudoTries; ++attempt) {
        std::optional<QString> password = callbacks.sudoPassword(prompt, attempt);
        if (!password)
            break;
        ssh.useSudoPassword(*password); // sent on stdin (sudo -S), never on a command line
        password->fill(QChar(u'\0'));
        const Result<bool> accepted = sudoWorks(ssh);
        if (!accepted)
            return accepted.error(); // the connection failed, not the password
        tell(callbacks, SecretUse::Sudo, *accepted);
        if (*accepted)
            return std::nullopt;
        refused = true;
    }
    if (refused)
        return makeError(ErrorKind::Connection, QStringLiteral("sudo on %1 refused the password").arg(hostName));
    return makeError(ErrorKind::Connection, QStringLiteral("no sudo password given for %1").arg(hostName));
}

} // namespace

Result<HostConnection> connectToHost(const SshTarget &target, const HostConnectCallbacks &callbacks,
                                     const HostConnectOptions &options)
{
    const QString hostName = options.hostName.isEmpty() ? target.alias : options.hostName;
    SshCallbacks login;
    login.unknownHostKey = callbacks.unknownHostKey;
    login.askSecret = callbacks.loginSecret;
    Result<std::unique_ptr<SshTransport>> connected = SshTransport::connect(target, login, options.ssh);
    tell(callbacks, SecretUse::Login, bool(connected));
    if (!connected)
        return connected.error();
    HostConnection c;
    c.transport = std::move(*connected);
    if (Status sudo = ensureSudo(*c.transport, callbacks, options, hostName))
        return *sudo;

    // One round trip: the system (for the profile), sendmail's version and STARTTLS, and a
    // journal left by an interrupted apply. A forced profile is used as given.
    if (options.profile && !options.wantDetails) {
        c.profile = *options.profile;
        return c;
    }
    Result<HostDetails> details = inspectHost(*c.transport, options.profile ? &*options.profile : nullptr);
    if (!details)
        return details.error();
    c.profile = options.profile ? *options.profile : details->detectedProfile;
    c.details = std::move(*details);
    return c;
}

} // namespace smtls::ssh
