#pragma once
// Resolves a host alias the way `ssh ALIAS` would (HostName, Port, User, IdentityFile,
// UserKnownHostsFile, ProxyJump) with libssh's own config parser, and leaves the session
// configured for it.

#include "Result.h"
#include "ssh/SshTypes.h"

#include <QStringList>

#include <libssh/libssh.h>

namespace smtls::ssh {

struct ResolvedHost {
    QString alias;
    QString address;            // HostName, or the alias itself
    int port = 22;
    QString user;
    QStringList identityFiles;  // candidates in the order they are tried (may not exist)
    QString knownHostsFile;     // absolute
    QString proxyCommand;       // empty without ProxyJump/ProxyCommand

    QString userAtHost() const { return user + QLatin1Char('@') + address; }
};

// Sets the options on a fresh session. Traps handled here (see libssh-notes.md): HOST must be
// set before parsing; the file's Port overwrites an earlier PORT, so overrides come after;
// "StrictHostKeyChecking no" would turn a changed key into OK, so it is forced back on.
Result<ResolvedHost> configureSession(ssh_session session, const SshTarget &target);

// "~/x" and "%d/x" (the ssh directory) made absolute, as libssh would at connect time.
QString expandSshPath(const QString &path);

} // namespace smtls::ssh
