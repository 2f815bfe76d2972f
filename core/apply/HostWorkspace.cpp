#include "apply/HostWorkspace.h"

#include "SendmailMc.h"
#include "transport/Transport.h"

#include <QFileInfo>

namespace smtls {

namespace {

// sha256 of a file as hex, or status 1: sha256sum (GNU, busybox) or sha256 (the BSDs).
QString sumFunction()
{
    return QStringLiteral("sum() { if command -v sha256sum >/dev/null 2>&1; then _s=$(sha256sum < \"$1\") || return 1; "
                          "printf '%s\\n' \"${_s%% *}\"; else sha256 -q \"$1\"; fi; }\n");
}

// installed_sum SUMS PATH: the sha256 SUMS notes for PATH (status 1: none). note_again SUMS
// PATH…: notes what each PATH that SUMS already names holds now. SUMS has "SHA256 PATH" lines.
QString installedSumFunctions()
{
    return QStringLiteral(
        "installed_sum() {\n"
        "  [ -f \"$1\" ] || return 1\n"
        "  while IFS= read -r _l; do if [ \"${_l#* }\" = \"$2\" ]; then printf '%s\\n' \"${_l%% *}\"; return 0; fi; done < \"$1\"\n"
        "  return 1\n"
        "}\n"
        "note_again() {\n"
        "  _f=$1; shift\n"
        "  [ -f \"$_f\" ] || return 0\n"
        "  while IFS= read -r _l; do\n"
        "    _p=${_l#* }\n"
        "    for _b in \"$@\"; do if [ \"$_p\" = \"$_b\" ] && [ -e \"$_p\" ]; then _l=\"$(sum \"$_p\") $_p\"; fi; done\n"
        "    printf '%s\\n' \"$_l\"\n"
        "  done < \"$_f\" > \"$_f.new\" && mv -f -- \"$_f.new\" \"$_f\"\n"
        "}\n");
}

// remove_dead_staged LIST: removes the files LIST names that have our staged form (stagedPath:
// an absolute path without . or .. components whose name is .sendmail-tls-ID.NAME, ID being
// digits, hex digits and -); any other name, even a file that exists, is only reported. A list
// is written by an apply that holds the lock, so only a dead apply's is ever found here.
QString removeDeadStagedFunctions()
{
    return QStringLiteral(
        "is_staged_name() {\n"
        "  case $1 in /*) ;; *) return 1 ;; esac\n"
        "  case /$1/ in */../*|*/./*) return 1 ;; esac\n"
        "  _b=${1##*/}\n"
        "  case $_b in .sendmail-tls-[0-9]*.?*) ;; *) return 1 ;; esac\n"
        "  _id=${_b#.sendmail-tls-}; _id=${_id%%.*}\n"
        "  case $_id in *[!0-9a-f-]*) return 1 ;; esac\n"
        "}\n"
        "remove_dead_staged() {\n"
        "  [ -f \"$1\" ] || return 0\n"
        "  while IFS= read -r _p; do\n"
        "    [ -n \"$_p\" ] || continue\n"
        "    if ! is_staged_name \"$_p\"; then printf '%s\\n' \"@@refused $_p\"\n"
        "    elif [ -e \"$_p\" ] || [ -L \"$_p\" ]; then\n"
        "      if rm -f -- \"$_p\" 2>/dev/null; then printf '%s\\n' \"@@removed $_p\"; else printf '%s\\n' \"@@refused $_p\"; fi\n"
        "    fi\n"
        "  done < \"$1\"\n"
        "  rm -f -- \"$1\"\n"
        "}\n");
}

// greeting ADDR PORT WAIT: the daemon's first line ("220 …"), or with WAIT 0 "220 (accepted)"
// once it accepts the connection; retried while a restarted daemon comes up (about 15 s).
// bash's /dev/tcp where there is a bash (Debian, RHEL: always), else nc (busybox, the BSDs),
// whose input stays open and silent (a FIFO we hold) until we have the line: an early end of
// input could count as talking before the greeting (greet_pause).
QString greetingFunctions()
{
    return QStringLiteral(
        "nc_greeting() {\n"
        "  _d=$(mktemp -d) || return 1\n"
        "  mkfifo \"$_d/in\" || { rm -rf -- \"$_d\"; return 1; }\n"
        "  nc \"$1\" \"$2\" < \"$_d/in\" > \"$_d/out\" 2>/dev/null &\n"
        "  _nc=$!\n"
        "  exec 4> \"$_d/in\"\n"
        "  _t=0 _rc=1\n"
        // 0.1 s ticks (1 s where sleep takes whole seconds only): a line within 10 s, status 2
        // when connected and silent (retrying would not help), 1 when nc ended (refused).
        "  while :; do\n"
        "    if [ $(($(wc -l < \"$_d/out\"))) -gt 0 ]; then head -n 1 -- \"$_d/out\"; _rc=0; break; fi\n"
        "    kill -0 \"$_nc\" 2>/dev/null || break\n"
        "    if [ \"$3\" != 1 ] && [ \"$_t\" -ge 5 ]; then echo '220 (accepted)'; _rc=0; break; fi\n"
        "    if [ \"$_t\" -ge 100 ]; then _rc=2; break; fi\n"
        "    sleep 0.1 2>/dev/null || sleep 1\n"
        "    _t=$((_t + 1))\n"
        "  done\n"
        "  exec 4>&-\n"
        "  kill \"$_nc\" 2>/dev/null; wait \"$_nc\" 2>/dev/null\n"
        "  rm -rf -- \"$_d\"\n"
        "  return $_rc\n"
        "}\n"
        "greeting() {\n"
        "  if command -v bash >/dev/null 2>&1; then\n"
        "    timeout 20 bash -c 'for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do "
        "if exec 3<>\"/dev/tcp/$0/$1\"; then if [ \"$2\" = 1 ]; then head -n 1 <&3; else echo \"220 (accepted)\"; fi; exit 0; fi; "
        "sleep 1; done' \"$1\" \"$2\" \"$3\"\n"
        "  elif command -v nc >/dev/null 2>&1; then\n"
        "    for _i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do\n"
        "      nc_greeting \"$1\" \"$2\" \"$3\"; _r=$?\n"
        "      [ \"$_r\" -eq 1 ] || return \"$_r\"\n"
        "      sleep 1\n"
        "    done\n"
        "    return 1\n"
        "  else\n"
        "    echo 'no bash or nc on the host to connect with'\n"
        "  fi\n"
        "}\n");
}

} // namespace

HostWorkspace::HostWorkspace(const HostProfile &profile, QString applyId, std::function<QString(const QString &)> commandPath)
    : m_profile(profile), m_id(std::move(applyId)), m_commandPath(std::move(commandPath))
{
}

QString HostWorkspace::stagedPath(const QString &target) const
{
    // The form remove_dead_staged recognises (lockCommand): keep the two in step.
    const QFileInfo info(target);
    return info.path() + QStringLiteral("/.sendmail-tls-") + m_id + QLatin1Char('.') + info.fileName();
}

CommandLine HostWorkspace::checkAndSnapshotCommand(const QList<QPair<QString, QString>> &expected, const QStringList &stagedNames) const
{
    QStringList params{m_commandPath(m_profile.stateDir), m_commandPath(snapshotFolder()), m_commandPath(stagedListPath()),
                       QString::number(stagedNames.size())};
    for (const QString &name : stagedNames)
        params << m_commandPath(name);
    for (const auto &[path, sha] : expected)
        params << m_commandPath(path) << sha;
    return CommandLine::shellScript(
        sumFunction()
            + QStringLiteral("set -e\n"
                             "umask 077\n"
                             "state=$1 dir=$2 list=$3 n=$4; shift 4\n"
                             "mkdir -p -- \"$state\" \"$dir\"\n"
                             ": > \"$list\"\n"
                             "while [ \"$n\" -gt 0 ]; do printf '%s\\n' \"$1\" >> \"$list\"; shift; n=$((n - 1)); done\n"
                             "cat > \"$dir/manifest.json\"\n"
                             "i=0\n"
                             "while [ $# -gt 1 ]; do\n"
                             "  path=$1 want=$2; shift 2\n"
                             "  if [ -L \"$path\" ]; then printf '%s\\n' \"symlink: $path -> $(readlink -- \"$path\")\" >&2; rm -rf -- \"$dir\"; exit 11; fi\n"
                             "  if [ \"$want\" = - ]; then\n"
                             "    if [ -e \"$path\" ]; then printf '%s\\n' \"changed: $path\" >&2; rm -rf -- \"$dir\"; exit 9; fi\n"
                             "    : > \"$dir/$i.before\"\n"
                             "  else\n"
                             "    [ -e \"$path\" ] || { printf '%s\\n' \"changed: $path\" >&2; rm -rf -- \"$dir\"; exit 9; }\n"
                             "    cp -p -- \"$path\" \"$dir/$i.before\"\n"
                             "    [ \"$(sum \"$dir/$i.before\")\" = \"$want\" ] || { printf '%s\\n' \"changed: $path\" >&2; rm -rf -- \"$dir\"; exit 9; }\n"
                             "  fi\n"
                             "  i=$((i + 1))\n"
                             "done\n"),
        params);
}

CommandLine HostWorkspace::symlinkCheckCommand(const QStringList &paths) const
{
    QStringList params;
    for (const QString &path : paths)
        params << m_commandPath(path);
    return CommandLine::shellScript(
        QStringLiteral("for path do\n"
                       "  if [ -L \"$path\" ]; then printf '%s\\n' \"symlink: $path -> $(readlink -- \"$path\")\" >&2; exit 11; fi\n"
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
    QStringList params{m_commandPath(journalPath()), m_commandPath(installedMarker()), m_commandPath(installedSumsPath())};
    for (const StagedFile &f : files)
        params << m_commandPath(f.staged) << m_commandPath(f.target);
    return CommandLine::shellScript(
        remotescript::SameOwnerAndMode + sumFunction()
            + QStringLiteral("trap '' HUP PIPE\n"
                             "journal=$1 marker=$2 sums=$3; shift 3\n"
                             "set -e\n"
                             "rm -f -- \"$marker\"\n"
                             "(umask 077 && cat > \"$journal.new\") && mv -f -- \"$journal.new\" \"$journal\"\n"
                             "(umask 077 && : > \"$sums\")\n"
                             // First give every staged file its target's owner and mode, and hash it …
                             "n=$#; i=0\n"
                             "while [ \"$i\" -lt \"$n\" ]; do\n"
                             "  src=$1 dst=$2; shift 2; i=$((i + 2))\n"
                             "  if [ -e \"$dst\" ]; then same_owner_and_mode \"$dst\" \"$src\"; fi\n"
                             "  h=$(sum \"$src\")\n"
                             "  set -- \"$@\" \"$src\" \"$dst\" \"$h\"\n"
                             "done\n"
                             // … then rename them all in quick succession, noting each as it lands.
                             "while [ $# -gt 2 ]; do mv -f -- \"$1\" \"$2\"; printf '%s %s\\n' \"$3\" \"$2\" >> \"$sums\"; shift 3; done\n"
                             ": > \"$marker\"\n"
                             "sync 2>/dev/null || true\n"),
        params);
}

CommandLine HostWorkspace::activateCommand(const QList<CommandLine> &commands, const QStringList &builtFiles) const
{
    // $1 the sums file, $2 how many built files follow; then the sequence's words. The built
    // files move behind the words (run_sequence ignores words past its own) so that they are
    // still there, as the last N parameters, once the sequence has run.
    QStringList aroundParameters{m_commandPath(installedSumsPath()), QString::number(builtFiles.size())};
    for (const QString &f : builtFiles)
        aroundParameters << m_commandPath(f);
    return CommandLine::sequence(commands,
                                 sumFunction() + installedSumFunctions()
                                     + QStringLiteral("trap '' HUP PIPE\n"
                                                      "sums=$1 n=$2; shift 2\n"
                                                      "i=0; while [ \"$i\" -lt \"$n\" ]; do set -- \"$@\" \"$1\"; shift; i=$((i + 1)); done\n"
                                                      "log=$(mktemp)\n"
                                                      "run_sequence \"$@\" > \"$log\" 2>&1 < /dev/null\n"
                                                      "rc=$?\n"
                                                      "shift $(($# - n))\n"
                                                      "[ \"$n\" -eq 0 ] || note_again \"$sums\" \"$@\"\n"
                                                      "cat -- \"$log\"; rm -f -- \"$log\"\n"
                                                      "exit $rc\n"),
                                 aroundParameters);
}

CommandLine HostWorkspace::restoreCommand(const QList<StagedFile> &files) const
{
    QStringList params{m_commandPath(installedSumsPath())};
    for (const StagedFile &f : files)
        params << (f.staged.isEmpty() ? QString() : m_commandPath(f.staged)) << m_commandPath(f.target);
    // Decide for every file first, then restore the ones still ours in quick succession: the
    // check and the rename are as close as a script can put them (nothing locks out an editor).
    return CommandLine::shellScript(
        remotescript::SameOwnerAndMode + sumFunction() + installedSumFunctions()
            + QStringLiteral("trap '' HUP PIPE\n"
                             "sums=$1; shift\n"
                             "n=$#; i=0\n"
                             "while [ \"$i\" -lt \"$n\" ]; do\n"
                             "  src=$1 dst=$2; shift 2; i=$((i + 2))\n"
                             "  if ! want=$(installed_sum \"$sums\" \"$dst\"); then\n"
                             "    printf '%s\\n' \"@@notinstalled $dst\"\n"
                             "  elif [ ! -e \"$dst\" ] || [ \"$(sum \"$dst\")\" != \"$want\" ]; then\n"
                             "    printf '%s\\n' \"@@changed $dst\"\n"
                             "  else\n"
                             "    if [ -n \"$src\" ]; then same_owner_and_mode \"$dst\" \"$src\" || exit 1; fi\n"
                             "    set -- \"$@\" \"$src\" \"$dst\"\n"
                             "    continue\n"
                             "  fi\n"
                             "  [ -z \"$src\" ] || rm -f -- \"$src\"\n"
                             "done\n"
                             "while [ $# -gt 1 ]; do\n"
                             "  if [ -z \"$1\" ]; then rm -f -- \"$2\" || exit 1; else mv -f -- \"$1\" \"$2\" || exit 1; fi\n"
                             "  shift 2\n"
                             "done\n"
                             "sync 2>/dev/null || true\n"),
        params);
}

CommandLine HostWorkspace::healthCommand(const QString &address, const QString &port, const QString &pidFile,
                                         bool waitForGreeting, const CommandLine &addressTest) const
{
    // The greeting is read in the background (retrying while a restarted daemon comes up)
    // while sendmail -bt answers: one round trip, and a greet_pause overlaps with -bt.
    return CommandLine::shellScript(
        greetingFunctions()
            + QStringLiteral("addr=$1 port=$2 pidfile=$3 greet=$4; shift 4\n"
                             "if [ -n \"$pidfile\" ]; then\n"
                             "  pid=$(head -n 1 -- \"$pidfile\" 2>/dev/null)\n"
                             "  { [ -n \"$pid\" ] && kill -0 \"$pid\" 2>/dev/null; } || echo '@@notrunning'\n"
                             "fi\n"
                             "banner=$(mktemp)\n"
                             "trap 'rm -f -- \"$banner\"' EXIT\n"
                             "greeting \"$addr\" \"$port\" \"$greet\" > \"$banner\" 2>/dev/null < /dev/null &\n"
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
        removeDeadStagedFunctions()
            + QStringLiteral("lock=$1 wait=$2 stale=$3 staged=$4\n"
                             "mkdir -p -- \"${lock%/*}\" || exit 1\n"
                             "owner=$(cat)\n"
                             "waited=0\n"
                             "while :; do\n"
                             "  if mkdir -- \"$lock\" 2>/dev/null; then\n"
                             "    printf '%s\\n' \"$owner\" > \"$lock/owner\" || exit 1\n"
                             "    remove_dead_staged \"$staged\"\n"
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
        {m_commandPath(lockPath()), QString::number(waitSeconds), QString::number(staleMinutes), m_commandPath(stagedListPath())});
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

namespace {

// "@@TAG rest" lines of a script's output: the rests of those with TAG.
QStringList taggedLines(const QByteArray &out, const QByteArray &tag)
{
    QStringList found;
    const QByteArray prefix = "@@" + tag + ' ';
    for (const QByteArray &line : out.split('\n'))
        if (line.startsWith(prefix))
            found << QString::fromUtf8(line.mid(prefix.size()));
    return found;
}

} // namespace

RestoreOutput parseRestoreOutput(const QByteArray &out)
{
    return RestoreOutput{taggedLines(out, "changed"), taggedLines(out, "notinstalled")};
}

LockOutput parseLockOutput(const QByteArray &out)
{
    LockOutput lock;
    const QList<QByteArray> lines = out.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i)
        if (lines[i] == "@@broke") {
            lock.brokeStale = true;
            lock.staleOwner = lines.value(i + 1);
        }
    lock.removedStaged = taggedLines(out, "removed");
    lock.refusedStaged = taggedLines(out, "refused");
    return lock;
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
