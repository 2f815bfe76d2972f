#pragma once
// What the caller tells the SSH transport: where to go, whom to ask, and how patient to be.

#include <QString>

#include <chrono>
#include <functional>
#include <optional>

namespace smtls::ssh {

using namespace std::chrono_literals;

// A host alias as in ssh_config ("mta1"), resolved with ~/.ssh/config (or configFile);
// the overrides win over the file.
struct SshTarget {
    QString alias;
    QString configFile;                // empty: ~/.ssh/config and /etc/ssh/ssh_config
    std::optional<QString> address;    // replaces HostName
    std::optional<int> port;
    std::optional<QString> user;
    std::optional<QString> identityFile; // tried before the config's IdentityFile
    std::optional<QString> knownHostsFile = {}; // replaces the config's UserKnownHostsFile ("= {}": shorter initialisers stay warning-free)
};

struct HostKeyInfo {
    QString host;           // the address known_hosts is looked up with
    int port = 22;
    QString keyType;        // "ssh-ed25519"
    QString fingerprint;    // "SHA256:…", as `ssh-keygen -lf` prints it
    QString knownHostsFile; // where AcceptAndRemember writes it
};

enum class HostKeyDecision { Reject, AcceptOnce, AcceptAndRemember };

struct SshCallbacks {
    // Called for a host whose key is not in known_hosts; never for a changed key.
    std::function<HostKeyDecision(const HostKeyInfo &)> unknownHostKey;
    // Password, keyboard-interactive answers and key passphrases; std::nullopt = give up.
    std::function<std::optional<QString>(const QString &prompt, bool echo)> askSecret;
};

struct SshOptions {
    std::chrono::milliseconds connectTimeout = 10s; // also bounds each blocking libssh call
    std::chrono::milliseconds commandTimeout = 60s; // used when run() is given a timeout <= 0
    bool useAgent = true;
    std::optional<QString> sudoPassword;            // for `sudo -S` when the login is not root
};

} // namespace smtls::ssh
