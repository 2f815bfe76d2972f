#include "ssh/SshConfig.h"

#include "transport/CommandLine.h"
#include "ssh/SshHandles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryFile>

#include <algorithm>
#include <utility>

#include <glob.h>
#include <pwd.h>
#include <unistd.h>

namespace smtls::ssh {

namespace {

// libssh takes the home directory from passwd, not $HOME (falling back to $HOME without a
// passwd entry); so do we.
QString passwdHome()
{
    if (const passwd *pw = getpwuid(getuid()); pw && pw->pw_dir)
        return QString::fromLocal8Bit(pw->pw_dir);
    return QDir::homePath();
}

// ---- Reading ssh_config with Include -------------------------------------------------------

// ssh's own limit (READCONF_MAX_DEPTH); it too refuses a deeper nesting.
constexpr int maxIncludeDepth = 16;

// "Keyword value", "Keyword=value" and "Keyword = value" are the same line to ssh.
SshConfigLine parseLine(QByteArray raw, const QString &file, int number)
{
    while (raw.endsWith('\n') || raw.endsWith('\r'))
        raw.chop(1);
    SshConfigLine line{file, number, {}, {}, raw, false};
    const QString text = QString::fromUtf8(raw).trimmed();
    if (text.isEmpty() || text.startsWith(QLatin1Char('#')))
        return line;
    qsizetype end = 0;
    while (end < text.size() && !text.at(end).isSpace() && text.at(end) != QLatin1Char('='))
        ++end;
    line.keyword = text.left(end).toLower();
    QString rest = text.mid(end).trimmed();
    if (rest.startsWith(QLatin1Char('=')))
        rest = rest.mid(1).trimmed();
    line.arguments = rest;
    return line;
}

// Blank-separated words; "double" or 'single' quotes keep blanks, and a word starting with '#'
// ends the line (ssh's argv_split does the same for Include and Host).
QStringList splitArguments(const QString &arguments)
{
    QStringList words;
    QString word;
    bool inWord = false;
    QChar quote;
    for (const QChar c : arguments) {
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
            else
                word += c;
        } else if (c.isSpace()) {
            if (inWord)
                words << word;
            word.clear();
            inWord = false;
        } else if (c == QLatin1Char('#') && !inWord) {
            break;
        } else {
            inWord = true;
            if (c == QLatin1Char('"') || c == QLatin1Char('\''))
                quote = c;
            else
                word += c;
        }
    }
    if (inWord)
        words << word;
    return words;
}

// ssh's pattern rule: '*' any run of characters, '?' one character, nothing else special.
bool wildcardMatch(QStringView text, QStringView pattern)
{
    qsizetype t = 0, p = 0, starP = -1, starT = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == QLatin1Char('?') || pattern[p] == text[t])) {
            ++t;
            ++p;
        } else if (p < pattern.size() && pattern[p] == QLatin1Char('*')) {
            starP = p++;
            starT = t;
        } else if (starP >= 0) {
            p = starP + 1;
            t = ++starT;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == QLatin1Char('*'))
        ++p;
    return p == pattern.size();
}

// A Host line applies when a pattern matches and no negated one ("!name") does. Case is
// ignored on both sides, as libssh (which decides every other Host line for us) does.
bool hostLineMatches(const QString &arguments, const QString &alias)
{
    const QString host = alias.toLower();
    bool matched = false;
    for (const QString &word : splitArguments(arguments)) {
        const bool negated = word.startsWith(QLatin1Char('!'));
        if (wildcardMatch(host, (negated ? word.mid(1) : word).toLower())) {
            if (negated)
                return false;
            matched = true;
        }
    }
    return matched;
}

bool appliesToEveryHost(const SshConfigLine &header)
{
    const QStringList words = splitArguments(header.arguments);
    if (header.keyword == QLatin1String("match"))
        return words.size() == 1 && words.first().compare(QLatin1String("all"), Qt::CaseInsensitive) == 0;
    const bool anyNegated = std::any_of(words.begin(), words.end(), [](const QString &w) { return w.startsWith(QLatin1Char('!')); });
    return words.contains(QStringLiteral("*")) && !anyNegated;
}

// "~" and "~/x" are the passwd home (the one ~/.ssh/config comes from), "~name/x" that user's.
QString expandTilde(const QString &path)
{
    const qsizetype slash = path.indexOf(QLatin1Char('/'));
    const QString user = path.mid(1, slash < 0 ? -1 : slash - 1);
    const QString rest = slash < 0 ? QString() : path.mid(slash);
    if (user.isEmpty())
        return passwdHome() + rest;
    if (const passwd *pw = getpwnam(user.toLocal8Bit().constData()); pw && pw->pw_dir)
        return QString::fromLocal8Bit(pw->pw_dir) + rest;
    return path;  // an unknown user: matches nothing, as with ssh
}

// glob(3) without its own sorting: that follows the locale's collation (Qt sets the locale),
// while ssh runs in the C locale and so takes the files in byte order.
Result<QStringList> globInByteOrder(const QString &pattern, const SshConfigLine &at)
{
    glob_t found{};
    const int rc = ::glob(QFile::encodeName(pattern).constData(), GLOB_NOSORT, nullptr, &found);
    QList<QByteArray> paths;
    for (size_t i = 0; rc == 0 && i < found.gl_pathc; ++i)
        paths << QByteArray(found.gl_pathv[i]);
    globfree(&found);
    if (rc != 0 && rc != GLOB_NOMATCH)
        return makeError(ErrorKind::InvalidConfig, QStringLiteral("Include %1 cannot be listed").arg(pattern), at.file,
                         at.number);
    std::sort(paths.begin(), paths.end());
    QStringList out;
    for (const QByteArray &path : paths)
        out << QFile::decodeName(path);
    return out;
}

// Follows the Includes of one config. Output goes to m_lines only while the block being read
// applies; the rest is read all the same, for its errors.
class IncludeReader {
public:
    IncludeReader(const SshConfigSource &source, const std::optional<QString> &alias) : m_source(source), m_alias(alias) {}

    Result<QList<SshConfigLine>> read()
    {
        // The first line of the top file behaves as if under "Host *": everything applies.
        const SshConfigLine everyHost = parseLine("Host *", m_source.file, 0);
        if (Status failed = readFile(m_source.file, everyHost, 0, true))
            return *failed;
        return m_lines;
    }

private:
    // `enclosing`: the Host/Match line in force where this file was included.
    Status readFile(const QString &path, const SshConfigLine &enclosing, int depth, bool output)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return makeError(ErrorKind::InvalidConfig,
                             QStringLiteral("cannot read the SSH config file: %1").arg(file.errorString()), path);
        m_open << QFileInfo(path).canonicalFilePath();
        SshConfigLine block = enclosing;
        int number = 0;
        Status failed;
        while (!file.atEnd() && !failed) {
            SshConfigLine line = parseLine(file.readLine(), path, ++number);
            if (line.keyword == QLatin1String("include")) {
                failed = include(line, block, depth, output && applies(block));
                continue;
            }
            if (line.keyword == QLatin1String("host") || line.keyword == QLatin1String("match"))
                block = line;
            if (output)
                m_lines << line;
        }
        m_open.removeLast();
        return failed;
    }

    Status include(const SshConfigLine &line, const SshConfigLine &block, int depth, bool output)
    {
        for (const QString &word : splitArguments(line.arguments)) {
            const Result<QStringList> files = filesFor(word, line);
            if (!files)
                return files.error();
            for (const QString &path : *files) {
                if (Status failed = includeFile(path, line, block, depth, output))
                    return failed;
            }
        }
        return std::nullopt;
    }

    Status includeFile(const QString &path, const SshConfigLine &line, const SshConfigLine &block, int depth, bool output)
    {
        const QFileInfo info(path);
        if (!info.exists() || info.isDir())
            return std::nullopt;  // a dangling link or a directory: ssh reads nothing there either
        if (m_open.contains(info.canonicalFilePath()))
            return makeError(ErrorKind::InvalidConfig,
                             QStringLiteral("Include %1 loops: that file is being read already").arg(path), line.file,
                             line.number);
        if (depth + 1 > maxIncludeDepth)
            return makeError(ErrorKind::InvalidConfig,
                             QStringLiteral("Include nests more than %1 files deep").arg(maxIncludeDepth), line.file,
                             line.number);
        if (Status failed = readFile(path, block, depth + 1, output))
            return failed;
        if (output) {
            SshConfigLine reopened = block;
            reopened.reopensBlock = true;
            m_lines << reopened;
        }
        return std::nullopt;
    }

    // ssh anchors every Include path: "~" at the home, relative ones in includeDir.
    Result<QStringList> filesFor(const QString &word, const SshConfigLine &line) const
    {
        QString path = word;
        if (path.startsWith(QLatin1Char('~'))) {
            if (!m_source.userConfig)
                return makeError(ErrorKind::InvalidConfig,
                                 QStringLiteral("Include %1: \"~\" is not allowed in the system config").arg(word),
                                 line.file, line.number);
            path = expandTilde(path);
        } else if (QDir::isRelativePath(path)) {
            path = m_source.includeDir + QLatin1Char('/') + path;
        }
        return globInByteOrder(path, line);
    }

    bool applies(const SshConfigLine &block) const
    {
        if (!m_alias)
            return appliesToEveryHost(block);
        if (block.keyword == QLatin1String("match"))
            return true;  // libssh evaluates the repeated Match line itself
        return hostLineMatches(block.arguments, *m_alias);
    }

    const SshConfigSource m_source;
    const std::optional<QString> m_alias;
    QList<SshConfigLine> m_lines;
    QStringList m_open;  // the files being read, outermost first
};

QByteArray joined(const QList<SshConfigLine> &lines)
{
    QByteArray out;
    for (const SshConfigLine &line : lines)
        out += line.text + '\n';
    return out;
}

// ---- Aliases for the import ----------------------------------------------------------------

bool isPlainName(const QString &word)
{
    return !word.contains(QLatin1Char('*')) && !word.contains(QLatin1Char('?')) && !word.startsWith(QLatin1Char('!'));
}

// The first value wins, as in ssh.
void takeSetting(SshConfigAlias &alias, const SshConfigLine &line)
{
    const QString value = splitArguments(line.arguments).value(0);
    bool ok = false;
    if (line.keyword == QLatin1String("port") && !alias.port) {
        if (const int port = value.toInt(&ok); ok)
            alias.port = port;
    } else if (line.keyword == QLatin1String("user") && alias.user.isEmpty()) {
        alias.user = value;
    } else if (line.keyword == QLatin1String("identityfile") && alias.identityFile.isEmpty()) {
        alias.identityFile = value;
    }
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

// Writes the text to a private temporary file for libssh (0.10 parses config only from a file).
bool parseText(ssh_session session, const QByteArray &text)
{
    QTemporaryFile temp(QDir::tempPath() + QStringLiteral("/smtls-ssh-config-XXXXXX"));
    if (!temp.open() || temp.write(text) != text.size() || !temp.flush())
        return false;
    const QByteArray path = temp.fileName().toLocal8Bit();
    return ssh_options_parse_config(session, path.constData()) == 0;
}

// libssh 0.10.6 matches every Host line after a HostName against the new name, not the alias
// (OpenSSH keeps matching the alias): with "Host mta1 / HostName 127.0.1.1" followed by
// "Host mta*", the second block was silently skipped. So: learn the HostName in a scratch
// session, parse a copy without HostName lines, and set the name afterwards. Both work on the
// expanded text, so a HostName in an included file is handled alike.
std::optional<QString> hostNameFor(const QString &alias, const QByteArray &text)
{
    const SessionHandle scratch(ssh_new());
    if (!scratch || !setOption(scratch.get(), SSH_OPTIONS_HOST, alias) || !parseText(scratch.get(), text))
        return std::nullopt;
    const std::optional<QString> host = stringOption(scratch.get(), SSH_OPTIONS_HOST);
    if (!host || *host == alias)
        return std::nullopt;
    return host;
}

QByteArray withoutHostName(QList<SshConfigLine> lines)
{
    for (SshConfigLine &line : lines) {
        if (line.keyword == QLatin1String("hostname"))
            line.text.prepend("# ");
    }
    return joined(lines);
}

} // namespace

QString sshUserDir()
{
    return passwdHome() + QStringLiteral("/.ssh");
}

SshConfigSource userConfigSource(const QString &file)
{
    return {file.isEmpty() ? sshUserDir() + QStringLiteral("/config") : file, sshUserDir(), true};
}

SshConfigSource systemConfigSource()
{
    return {QStringLiteral("/etc/ssh/ssh_config"), QStringLiteral("/etc/ssh"), false};
}

Result<QList<SshConfigLine>> readSshConfig(const SshConfigSource &source, const std::optional<QString> &alias)
{
    return IncludeReader(source, alias).read();
}

Result<QList<SshConfigAlias>> configuredAliases(const SshConfigSource &source)
{
    if (!QFileInfo::exists(source.file))
        return QList<SshConfigAlias>{};
    const Result<QList<SshConfigLine>> lines = readSshConfig(source, std::nullopt);
    if (!lines)
        return lines.error();
    QList<SshConfigAlias> out;
    QList<SshConfigAlias> current;  // "Host a b" opens a block for both
    for (const SshConfigLine &line : *lines) {
        if (line.keyword == QLatin1String("host") || line.keyword == QLatin1String("match")) {
            out += std::exchange(current, {});
            if (line.keyword == QLatin1String("match") || line.reopensBlock)
                continue;
            for (const QString &word : splitArguments(line.arguments))
                if (isPlainName(word))
                    current << SshConfigAlias{word, std::nullopt, {}, {}};
        } else {
            for (SshConfigAlias &alias : current)
                takeSetting(alias, line);
        }
    }
    out += current;
    return out;
}

QString expandSshPath(const QString &path)
{
    const QString home = passwdHome();
    if (path == QLatin1String("~"))
        return home;
    if (path.startsWith(QLatin1String("~/")))
        return home + path.mid(1);
    if (path.startsWith(QLatin1String("%d/")))
        return sshUserDir() + path.mid(2);
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
    const QList<SshConfigSource> sources = target.configFile.isEmpty()
        ? QList<SshConfigSource>{userConfigSource(), systemConfigSource()}
        : QList<SshConfigSource>{userConfigSource(target.configFile)};
    std::optional<QString> hostName;
    for (const SshConfigSource &source : sources) {
        // ssh and libssh pass over a default file they cannot read (an explicit one failed above).
        if (const QFileInfo info(source.file); !info.isFile() || !info.isReadable())
            continue;
        const Result<QList<SshConfigLine>> lines = readSshConfig(source, target.alias);
        if (!lines)
            return makeError(lines.error().kind,
                             QStringLiteral("cannot use the SSH settings for %1: %2").arg(target.alias, lines.error().message),
                             lines.error().file, lines.error().line);
        if (!hostName)
            hostName = hostNameFor(target.alias, joined(*lines));
        if (!parseText(session, withoutHostName(*lines)))
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
    host.knownHostsFile = expandSshPath(
        target.knownHostsFile.value_or(stringOption(session, SSH_OPTIONS_KNOWNHOSTS).value_or(QStringLiteral("%d/known_hosts"))));
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
