#pragma once
// One mail host as the administrator listed it: how to reach it and how it is set up. Kept in
// the per-user settings (HostStore); no secrets here (those live in the system keychain).

#include <QString>

namespace smtls::gui {

enum class HostKind { Local, Demo, Ssh };

enum class AuthMethod { Agent, KeyFile, Password };

struct HostEntry {
    QString id;         // stable key in the settings and the keychain
    QString name;       // shown in the list
    QString group;      // empty: "Hosts"
    HostKind kind = HostKind::Ssh;
    QString address;    // ssh alias or address
    int port = 22;
    QString user;
    AuthMethod auth = AuthMethod::Agent;
    QString identityFile;
    QString sshConfigFile;   // empty: ~/.ssh/config and /etc/ssh/ssh_config, as ssh reads them
    QString knownHostsFile;  // empty: the config's UserKnownHostsFile, else ~/.ssh/known_hosts
    QString profileId = QStringLiteral("auto");  // "auto" = detect on connect

    bool isBuiltIn() const { return kind != HostKind::Ssh; }
    QString groupOrDefault() const { return group.isEmpty() ? QStringLiteral("Hosts") : group; }
};

QString authMethodName(AuthMethod method);

} // namespace smtls::gui
