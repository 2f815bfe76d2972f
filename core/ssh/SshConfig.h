#pragma once
// Resolves a host alias the way `ssh ALIAS` would (HostName, Port, User, IdentityFile,
// UserKnownHostsFile, ProxyJump) with libssh's own config parser, and leaves the session
// configured for it. Include is expanded here, with OpenSSH's rules, before libssh sees a file;
// the import of host aliases reads the same expansion.

#include "Result.h"
#include "ssh/SshTypes.h"

#include <QStringList>

#include <libssh/libssh.h>

#include <optional>

namespace smtls::ssh {

// The ssh directory: the passwd entry's home + "/.ssh", as libssh and OpenSSH take it for
// ~/.ssh/config (not $HOME, which differs under `sudo` without -H). The alias import and the
// connection both ask here, so they read the same ~/.ssh/config.
QString sshUserDir();

// One ssh_config file to read, and where its relative Include paths point.
struct SshConfigSource {
    QString file;
    QString includeDir;      // base of relative Include paths
    bool userConfig = true;  // "~" in Include paths is allowed only in a user config (as in ssh)
};
// A user config: ~/.ssh/config when file is empty. A file named with --ssh-config counts as a
// user config too, so its relative Includes point into ~/.ssh, not beside it (ssh -F does so).
SshConfigSource userConfigSource(const QString &file = {});
// /etc/ssh/ssh_config, relative Includes in /etc/ssh.
SshConfigSource systemConfigSource();

// One line of a config after Include expansion.
struct SshConfigLine {
    QString file;
    int number = 0;             // 1-based, in file
    QString keyword;            // lower case; empty for blank and comment lines
    QString arguments;          // the rest, after "=" or blanks
    QByteArray text;            // as written, without the line break
    bool reopensBlock = false;  // a Host/Match line repeated after an Include (see readSshConfig)
};

// The lines of source.file with each Include replaced by the files it names, as ssh does:
// relative paths in source.includeDir, "~" = the passwd home, glob patterns expanded in byte
// order, several paths per line, no match = nothing. An Include applies only where its block
// does: with an alias, a Host block's patterns are checked against it (a Match block is left
// to libssh, which then sees the included lines under that Match line); without an alias, only
// Includes outside any block or under "Host *"/"Match all" are followed. After each included
// file the including block's Host/Match line is repeated (reopensBlock), because a Host line
// inside the file must not end the block the Include sat in. Includes that do not apply are
// still read, without output, so that an error in them fails here as it fails ssh.
// Errors: a file that exists but cannot be read, a file that includes itself, more than 16
// levels (ssh's limit), "~" in a system config.
Result<QList<SshConfigLine>> readSshConfig(const SshConfigSource &source, const std::optional<QString> &alias);

// A "Host" name without wildcards or negation, with the Port, User and IdentityFile its own
// block sets (the first of each, as ssh takes them), included lines counted.
struct SshConfigAlias {
    QString name;
    std::optional<int> port;
    QString user;
    QString identityFile;
};
// In file order; none when source.file does not exist (ssh's rule for ~/.ssh/config).
Result<QList<SshConfigAlias>> configuredAliases(const SshConfigSource &source);

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
// Files: target.configFile, else ~/.ssh/config and /etc/ssh/ssh_config, each through
// readSshConfig for target.alias.
Result<ResolvedHost> configureSession(ssh_session session, const SshTarget &target);

// "~/x" and "%d/x" (the ssh directory) made absolute, as libssh would at connect time.
QString expandSshPath(const QString &path);

} // namespace smtls::ssh
