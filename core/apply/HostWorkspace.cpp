#include "HostWorkspace.h"

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

CommandLine HostWorkspace::prepareCommand() const
{
    return CommandLine::shellScript(QStringLiteral("umask 077 && mkdir -p -- \"$1\" \"$2\""),
                                    {m_commandPath(m_profile.stateDir), m_commandPath(snapshotFolder())});
}

CommandLine HostWorkspace::installCommand(const QList<StagedFile> &files) const
{
    QStringList params{m_commandPath(installedMarker())};
    for (const StagedFile &f : files)
        params << m_commandPath(f.staged) << m_commandPath(f.target);
    return CommandLine::shellScript(
        QStringLiteral("trap '' HUP PIPE\n"
                       "marker=$1; shift\n"
                       "set -e\n"
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

CommandLine HostWorkspace::cleanupCommand(const QList<QString> &paths) const
{
    QStringList mapped;
    for (const QString &p : paths)
        mapped << m_commandPath(p);
    return CommandLine::shellScript(QStringLiteral("rm -f -- \"$@\""), mapped);
}

CommandLine HostWorkspace::bannerCommand(const QString &address, const QString &port)
{
    // bash's /dev/tcp, bounded by timeout(1): no extra package on the host.
    return CommandLine::shellScript(
        QStringLiteral("exec timeout 10 bash -c 'exec 3<>\"/dev/tcp/$0/$1\" && head -n 1 <&3' \"$1\" \"$2\""),
        {address, port});
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
