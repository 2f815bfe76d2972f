#include "ssh/SshConfig.h"

#include "transport/CommandLine.h"
#include "ssh/SshHandles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryFile>

#include <pwd.h>
#include <unistd.h>

namespace smtls::ssh {

namespace {

// libssh takes the home directory from passwd, not $HOME; so do we.
QString passwdHome()
{
    if (const passwd *pw = getpwuid(getuid()); pw && pw->pw_dir)
        return QString::fromLocal8Bit(pw->pw_dir);
    return QDir::homePath();
}

QString localUserName()
{
    if (const passwd *pw = getpwuid(getuid()); pw && pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
    return QStringLiteral("root");
}

std::optional<QString> stringOption(ssh_session session, ssh_options_e option)
{
    char *raw = nullptr;
    if (ssh_options_get(session, option, &raw) != SSH_OK || !raw)
        return std::nullopt;
    const CString owned(raw);
    return QString::fromUtf8(owned.get());
}

bool setOption(ssh_session session, ssh_options_e option, const QString &value)
{
    const QByteArray bytes = value.toUtf8();
    return ssh_options_set(session, option, bytes.constData()) == SSH_OK;
}

Error configError(const SshTarget &target, const QString &what)
{
    return makeError(ErrorKind::InvalidConfig, QStringLiteral("cannot use the SSH settings for %1: %2")
                                                   .arg(target.alias, what),
                     target.configFile);
}

// libssh turns "ProxyJump J" into "ssh -W '[%h]:%p' J" (or "ssh -J A,B -W … C"), and that
// ssh reads ~/.ssh/config, not the file we were given: pass the file on (the jump host's keys
// and known_hosts then come from it) and forbid prompts (its stdin is our connection).
QString proxyCommandFor(const QString &libsshCommand, const QString &configFile)
{
    static const QString prefix = QStringLiteral("ssh ");
    if (configFile.isEmpty() || !libsshCommand.startsWith(prefix))
        return libsshCommand;
    const CommandLine options{QStringLiteral("ssh"),
                              {QStringLiteral("-F"), QFileInfo(configFile).absoluteFilePath(), QStringLiteral("-o"),
                               QStringLiteral("BatchMode=yes")}};
    return QString::fromUtf8(options.toShellCommand()) + QLatin1Char(' ') + libsshCommand.mid(prefix.size());
}

// libssh 0.10.6 matches every Host line after a HostName against the new name, not the alias
// (OpenSSH keeps matching the alias): with "Host mta1 / HostName 127.0.1.1" followed by
// "Host mta*", the second block was silently skipped. So: learn the HostName in a scratch
// session, parse a copy without HostName lines, and set the name afterwards.
std::optional<QString> hostNameFor(const QString &alias, const QString &file)
{
    const SessionHandle scratch(ssh_new());
    if (!scratch || !setOption(scratch.get(), SSH_OPTIONS_HOST, alias))
        return std::nullopt;
    const QByteArray path = file.toLocal8Bit();
    if (ssh_options_parse_config(scratch.get(), path.constData()) != 0)
        return std::nullopt;
    const std::optional<QString> host = stringOption(scratch.get(), SSH_OPTIONS_HOST);
    if (!host || *host == alias)
        return std::nullopt;
    return host;
}

bool parseWithoutHostName(ssh_session session, const QString &file)
{
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly))
        return true; // libssh too ignores an unreadable file; we checked an explicit one before
    QByteArray copy;
    const QByteArrayList lines = in.readAll().split('\n');
    for (const QByteArray &line : lines) {
        const QByteArray key = line.trimmed().toLower();
        const bool isHostName = key.startsWith("hostname") && (key.size() == 8 || key.at(8) == ' ' || key.at(8) == '\t' || key.at(8) == '=');
        copy += (isHostName ? QByteArray("# ") + line : line) + '\n';
    }
    QTemporaryFile temp(QDir::tempPath() + QStringLiteral("/smtls-ssh-config-XXXXXX"));
    if (!temp.open() || temp.write(copy) != copy.size() || !temp.flush())
        return false;
    const QByteArray path = temp.fileName().toLocal8Bit();
    return ssh_options_parse_config(session, path.constData()) == 0;
}

} // namespace

QString expandSshPath(const QString &path)
{
    const QString home = passwdHome();
    if (path == QLatin1String("~"))
        return home;
    if (path.startsWith(QLatin1String("~/")))
        return home + path.mid(1);
    if (path.startsWith(QLatin1String("%d/")))
        return home + QStringLiteral("/.ssh") + path.mid(2);
    return path;
}

Result<ResolvedHost> configureSession(ssh_session session, const SshTarget &target)
{
    if (target.alias.isEmpty())
        return makeError(ErrorKind::Usage, QStringLiteral("no host was given"));
    if (!setOption(session, SSH_OPTIONS_HOST, target.alias))
        return configError(target, QStringLiteral("\"%1\" is not a host name").arg(target.alias));

    if (!target.configFile.isEmpty()) {
        // libssh silently ignores a missing file; a typo must not fall back to no settings.
        const QFileInfo info(target.configFile);
        if (!info.isFile() || !info.isReadable())
            return makeError(ErrorKind::InvalidConfig, QStringLiteral("the SSH config file cannot be read"),
                             target.configFile);
    }
    const QStringList files = target.configFile.isEmpty()
        ? QStringList{passwdHome() + QStringLiteral("/.ssh/config"), QStringLiteral("/etc/ssh/ssh_config")}
        : QStringList{target.configFile};
    std::optional<QString> hostName;
    for (const QString &file : files) {
        if (!QFileInfo(file).isFile())
            continue;
        if (!hostName)
            hostName = hostNameFor(target.alias, file);
        if (!parseWithoutHostName(session, file))
            return configError(target, QString::fromUtf8(ssh_get_error(session)));
    }
    if (hostName && !setOption(session, SSH_OPTIONS_HOST, *hostName))
        return configError(target, QStringLiteral("HostName \"%1\" is not a host name").arg(*hostName));

    if (target.address && !setOption(session, SSH_OPTIONS_HOST, *target.address))
        return configError(target, QStringLiteral("\"%1\" is not a host address").arg(*target.address));
    if (target.port) {
        const int port = *target.port;
        if (port < 1 || port > 65535 || ssh_options_set(session, SSH_OPTIONS_PORT, &port) != SSH_OK)
            return configError(target, QStringLiteral("port %1 is not valid").arg(port));
    }
    if (target.user && !setOption(session, SSH_OPTIONS_USER, *target.user))
        return configError(target, QStringLiteral("\"%1\" is not a user name").arg(*target.user));
    const int strict = 1;
    ssh_options_set(session, SSH_OPTIONS_STRICTHOSTKEYCHECK, &strict);

    ResolvedHost host;
    host.alias = target.alias;
    host.address = stringOption(session, SSH_OPTIONS_HOST).value_or(target.alias);
    unsigned int port = 22;
    if (ssh_options_get_port(session, &port) == SSH_OK)
        host.port = int(port);
    if (const auto user = stringOption(session, SSH_OPTIONS_USER)) {
        host.user = *user;
    } else {
        host.user = localUserName();
        setOption(session, SSH_OPTIONS_USER, host.user);
    }

    // Our path explicitly, so that checking and recording use the same file.
    host.knownHostsFile =
        expandSshPath(stringOption(session, SSH_OPTIONS_KNOWNHOSTS).value_or(QStringLiteral("%d/known_hosts")));
    if (!setOption(session, SSH_OPTIONS_KNOWNHOSTS, host.knownHostsFile))
        return configError(target, QStringLiteral("cannot use known_hosts file %1").arg(host.knownHostsFile));

    // libssh keeps the identity list private; its head is the config's last IdentityFile (or
    // the first default), so we try that one and then the usual default names.
    QStringList identities;
    if (target.identityFile)
        identities << expandSshPath(*target.identityFile);
    if (const auto first = stringOption(session, SSH_OPTIONS_IDENTITY))
        identities << expandSshPath(*first);
    for (const char *name : {"id_ed25519", "id_ecdsa", "id_rsa"})
        identities << expandSshPath(QStringLiteral("%d/") + QLatin1String(name));
    identities.removeDuplicates();
    host.identityFiles = identities;

    if (const auto proxy = stringOption(session, SSH_OPTIONS_PROXYCOMMAND); proxy && !proxy->isEmpty()) {
        host.proxyCommand = proxyCommandFor(*proxy, target.configFile);
        if (host.proxyCommand != *proxy && !setOption(session, SSH_OPTIONS_PROXYCOMMAND, host.proxyCommand))
            return configError(target, QStringLiteral("cannot use the ProxyJump setting"));
    }
    return host;
}

} // namespace smtls::ssh
