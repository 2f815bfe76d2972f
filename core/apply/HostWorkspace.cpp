#include "apply/HostWorkspace.h"

#include "SendmailMc.h"

#include <QFileInfo>

namespace smtls {

HostWorkspace::HostWorkspace(const HostProfile &profile, QString applyId, std::function<QString(const QString &)> commandPath)
    : m_profile(profile), m_id(std::move(applyId)), m_commandPath(std::move(commandPath))
{
}

QString HostWorkspace::stagedPath(const QString &target) const
{
    const QFileInfo info(target);
    return info.path() + QStringLiteral("/.sendmail-tls-") + m_id + QLatin1Char('.') + info.fileName();
}

CommandLine HostWorkspace::checkAndSnapshotCommand(const QList<QPair<QString, QString>> &expected) const
{
    QStringList params{m_commandPath(m_profile.stateDir), m_commandPath(snapshotFolder())};
    for (const auto &[path, sha] : expected)
        params << m_commandPath(path) << sha;
    return CommandLine::shellScript(
        QStringLiteral("set -e\n"
                       "umask 077\n"
                       "state=$1 dir=$2; shift 2\n"
                       "mkdir -p -- \"$state\" \"$dir\"\n"
                       "cat > \"$dir/manifest.json\"\n"
                       "sum() { if command -v sha256sum >/dev/null; then sha256sum < \"$1\" | cut -d' ' -f1; else sha256 -q \"$1\"; fi; }\n"
                       "i=0\n"
                       "while [ $# -gt 1 ]; do\n"
                       "  path=$1 want=$2; shift 2\n"
                       "  if [ -L \"$path\" ]; then echo \"symlink: $path -> $(readlink -- \"$path\")\" >&2; rm -rf -- \"$dir\"; exit 11; fi\n"
                       "  if [ \"$want\" = - ]; then\n"
                       "    if [ -e \"$path\" ]; then echo \"changed: $path\" >&2; rm -rf -- \"$dir\"; exit 9; fi\n"
                       "    : > \"$dir/$i.before\"\n"
                       "  else\n"
                       "    [ -e \"$path\" ] || { echo \"changed: $path\" >&2; rm -rf -- \"$dir\"; exit 9; }\n"
                       "    cp -p -- \"$path\" \"$dir/$i.before\"\n"
                       "    [ \"$(sum \"$dir/$i.before\")\" = \"$want\" ] || { echo \"changed: $path\" >&2; rm -rf -- \"$dir\"; exit 9; }\n"
                       "  fi\n"
                       "  i=$((i + 1))\n"
                       "done\n"),
        params);
}

CommandLine HostWorkspace::snapshotAfterCommand(const QList<QPair<QString, int>> &stagedAndIndex) const
{
    QStringList params{m_commandPath(snapshotFolder())};
    for (const auto &[staged, index] : stagedAndIndex)
        params << m_commandPath(staged) << QString::number(index);
    return CommandLine::shellScript(QStringLiteral("set -e\numask 077\ndir=$1; shift\n"
                                                   "while [ $# -gt 1 ]; do cp -- \"$1\" \"$dir/$2.after\"; shift 2; done\n"),
                                    params);
}

CommandLine HostWorkspace::installCommand(const QList<StagedFile> &files) const
{
    QStringList params{m_commandPath(journalPath()), m_commandPath(installedMarker())};
    for (const StagedFile &f : files)
        params << m_commandPath(f.staged) << m_commandPath(f.target);
    return CommandLine::shellScript(
        QStringLiteral("trap '' HUP PIPE\n"
                       "journal=$1 marker=$2; shift 2\n"
                       "set -e\n"
                       "rm -f -- \"$marker\"\n"
                       "(umask 077 && cat > \"$journal.new\") && mv -f -- \"$journal.new\" \"$journal\"\n"
                       // First give every staged file its target's owner and mode …
                       "n=$#; i=0\n"
                       "while [ \"$i\" -lt \"$n\" ]; do\n"
                       "  src=$1 dst=$2; shift 2; i=$((i + 2))\n"
                       "  if [ -e \"$dst\" ]; then chown --reference=\"$dst\" -- \"$src\"; chmod --reference=\"$dst\" -- \"$src\"; fi\n"
                       "  set -- \"$@\" \"$src\" \"$dst\"\n"
                       "done\n"
                       // … then rename them all in quick succession.
                       "while [ $# -gt 1 ]; do mv -f -- \"$1\" \"$2\"; shift 2; done\n"
                       ": > \"$marker\"\n"
                       "sync 2>/dev/null || true\n"),
        params);
}

CommandLine HostWorkspace::healthCommand(const QString &address, const QString &port, const QString &pidFile,
                                         bool waitForGreeting, const CommandLine &addressTest) const
{
    // The greeting is read in the background (retrying while a restarted daemon comes up)
    // while sendmail -bt answers: one round trip, and a greet_pause overlaps with -bt.
    return CommandLine::shellScript(
        QStringLiteral("addr=$1 port=$2 pidfile=$3 greet=$4; shift 4\n"
                       "if [ -n \"$pidfile\" ]; then\n"
                       "  pid=$(head -n 1 -- \"$pidfile\" 2>/dev/null)\n"
                       "  { [ -n \"$pid\" ] && kill -0 \"$pid\" 2>/dev/null; } || echo '@@notrunning'\n"
                       "fi\n"
                       "banner=$(mktemp)\n"
                       "trap 'rm -f -- \"$banner\"' EXIT\n"
                       "timeout 20 bash -c 'for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do "
                       "if exec 3<>\"/dev/tcp/$0/$1\"; then if [ \"$2\" = 1 ]; then head -n 1 <&3; else echo \"220 (accepted)\"; fi; exit 0; fi; "
                       "sleep 1; done' \"$addr\" \"$port\" \"$greet\" > \"$banner\" 2>/dev/null < /dev/null &\n"
                       "echo '@@bt'\n"
                       "\"$@\"\n"
                       "echo \"@@rc $?\"\n"
                       "wait\n"
                       "echo '@@banner'\n"
                       "cat -- \"$banner\"\n"),
        QStringList{address, port, m_commandPath(pidFile).isEmpty() || pidFile.isEmpty() ? QString() : m_commandPath(pidFile),
                    waitForGreeting ? QStringLiteral("1") : QStringLiteral("0"), addressTest.program}
            + addressTest.arguments);
}

CommandLine HostWorkspace::cleanupCommand(const QList<QString> &paths) const
{
    QStringList mapped;
    for (const QString &p : paths)
        mapped << m_commandPath(p);
    return CommandLine::shellScript(QStringLiteral("rm -f -- \"$@\""), mapped);
}

CommandLine HostWorkspace::lockCommand(int waitSeconds, int staleMinutes) const
{
    return CommandLine::shellScript(
        QStringLiteral("lock=$1 wait=$2 stale=$3\n"
                       "mkdir -p -- \"${lock%/*}\" || exit 1\n"
                       "owner=$(cat)\n"
                       "waited=0\n"
                       "while :; do\n"
                       "  if mkdir -- \"$lock\" 2>/dev/null; then\n"
                       "    printf '%s\\n' \"$owner\" > \"$lock/owner\" || exit 1\n"
                       "    exit 0\n"
                       "  fi\n"
                       "  ref=$lock/owner; [ -e \"$ref\" ] || ref=$lock\n"
                       "  if [ -n \"$(find \"$ref\" -prune -mmin +\"$stale\" 2>/dev/null)\" ] && mv -- \"$lock\" \"$lock.stale.$$\" 2>/dev/null; then\n"
                       "    echo '@@broke'; cat -- \"$lock.stale.$$/owner\" 2>/dev/null; echo\n"
                       "    rm -rf -- \"$lock.stale.$$\"\n"
                       "    continue\n"
                       "  fi\n"
                       "  if [ \"$waited\" -ge \"$wait\" ]; then cat -- \"$lock/owner\" >&2 2>/dev/null; exit 10; fi\n"
                       "  sleep 1; waited=$((waited + 1))\n"
                       "done\n"),
        {m_commandPath(lockPath()), QString::number(waitSeconds), QString::number(staleMinutes)});
}

CommandLine HostWorkspace::renewLockCommand() const
{
    return CommandLine::shellScript(QStringLiteral("grep -qF -- \"\\\"$2\\\"\" \"$1/owner\" 2>/dev/null && touch -- \"$1/owner\"; exit 0\n"),
                                    {m_commandPath(lockPath()), m_id});
}

CommandLine HostWorkspace::releaseLockCommand() const
{
    return CommandLine::shellScript(QStringLiteral("grep -qF -- \"\\\"$2\\\"\" \"$1/owner\" 2>/dev/null && rm -rf -- \"$1\"; exit 0\n"),
                                    {m_commandPath(lockPath()), m_id});
}

HealthOutput parseHealthOutput(const QByteArray &out)
{
    HealthOutput h;
    h.running = !out.startsWith("@@notrunning");
    const qsizetype bannerAt = out.indexOf("@@banner\n");
    h.greeting = bannerAt < 0 ? QByteArray() : out.mid(bannerAt + 9).trimmed();
    h.addressTest = bannerAt < 0 ? out : out.left(bannerAt);
    return h;
}

namespace {

// The SMTP port of a DAEMON_OPTIONS Port= value.
QString portNumber(const QByteArray &port)
{
    static const QList<QPair<QByteArray, QString>> names{{"smtp", QStringLiteral("25")},
                                                         {"submission", QStringLiteral("587")},
                                                         {"smtps", QStringLiteral("465")}};
    for (const auto &n : names)
        if (port.compare(n.first, Qt::CaseInsensitive) == 0)
            return n.second;
    return QString::fromLatin1(port);
}

} // namespace

QPair<QString, QString> greetingAddress(const SendmailMc &mc)
{
    for (const DaemonOptionsDecl &d : mc.daemonOptions()) {
        if (d.family() != "inet")
            continue;
        QString addr = QString::fromLatin1(d.address());
        if (addr.isEmpty() || addr == QLatin1String("0.0.0.0"))
            addr = QStringLiteral("127.0.0.1");
        return {addr, portNumber(d.port())};
    }
    return {QStringLiteral("127.0.0.1"), QStringLiteral("25")};
}

QString mapFileFor(const QString &mapType, const QString &base)
{
    if (mapType == QLatin1String("hash") || mapType == QLatin1String("btree"))
        return base + QStringLiteral(".db");
    if (mapType == QLatin1String("cdb"))
        return base + QStringLiteral(".cdb");
    return {};
}

} // namespace smtls
