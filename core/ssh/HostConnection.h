#pragma once
// The one way to a mail host over SSH, for the command line and the desktop alike: log in (host
// key and secrets asked through callbacks), make sure sudo works for a non-root login (asking
// for its password when it wants one), then settle the profile and, when wanted, what the host
// is (inspectHost). Each front end only says how to ask the user and what it remembers.

#include "apply/HostInspector.h"
#include "ssh/SshTransport.h"
#include "ssh/SshTypes.h"

#include <functional>
#include <memory>
#include <optional>

namespace smtls::ssh {

enum class SecretUse { Login, Sudo };

// What the front end asks the user. An empty function answers "reject" / "give up".
struct HostConnectCallbacks {
    std::function<HostKeyDecision(const HostKeyInfo &)> unknownHostKey;
    // Password, key passphrase, keyboard-interactive answer; std::nullopt = give up.
    std::function<std::optional<QString>(const QString &prompt, bool echo)> loginSecret;
    // Only for a non-root login whose `sudo -n true` fails. attempt counts from 0; attempt > 0
    // means sudo refused the previous answer. std::nullopt = give up.
    std::function<std::optional<QString>(const QString &prompt, int attempt)> sudoPassword;
    // What became of the secrets just handed out: the login worked (or failed), sudo took the
    // password (or refused it). Front ends remember a secret only once it was accepted.
    std::function<void(SecretUse use, bool accepted)> secretChecked;
};

struct HostConnectOptions {
    QString hostName;                   // in prompts and messages; empty: the target's alias
    std::optional<HostProfile> profile; // forced; none: detected on the host
    bool wantDetails = true;            // inspect even with a forced profile (version, STARTTLS, journal)
    // Said when sudo wants a password and there is no sudoPassword callback; %1 is the login user.
    QString noSudoPasswordAdvice = QStringLiteral("give %1 password-less sudo");
    SshOptions ssh;
};

struct HostConnection {
    std::unique_ptr<SshTransport> transport;
    HostProfile profile;
    std::optional<HostDetails> details; // read when wanted or when the profile was detected
};

// Blocking: call it from a worker. Errors as SshTransport::connect, plus Connection for a sudo
// that refused or was given no password, and inspectHost's own.
Result<HostConnection> connectToHost(const SshTarget &target, const HostConnectCallbacks &callbacks,
                                     const HostConnectOptions &options);

} // namespace smtls::ssh
