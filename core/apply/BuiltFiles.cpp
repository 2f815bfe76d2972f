#include "apply/BuiltFiles.h"

#include "apply/HostWorkspace.h"

namespace smtls {
namespace {

// $1 mc, $2 cf, $3 access text ("" when none), $4 its map file ("" when not one we know).
const QString AgeScript = QStringLiteral(
    "newer() { [ -e \"$1\" ] && [ -e \"$2\" ] && [ \"$1\" -nt \"$2\" ]; }\n"
    "newer \"$1\" \"$2\" && echo cf-older\n"
    "if [ -n \"$3\" ] && [ -e \"$3\" ] && [ -n \"$4\" ]; then\n"
    "  if [ ! -e \"$4\" ]; then echo map-missing; elif newer \"$3\" \"$4\"; then echo map-older; fi\n"
    "fi\n"
    "exit 0\n");

} // namespace

Result<Problems> builtFileProblems(Transport &transport, const HostProfile &profile, const MailConfig &config)
{
    QString accessText, accessMap;
    QString mapType;
    if (config.mc.accessDb() && config.access) {
        mapType = QString::fromLatin1(config.mc.accessDb()->mapType);
        accessText = config.accessPath;
        accessMap = mapFileFor(mapType, accessText);
    }
    const Result<CommandResult> ran = transport.run(
        CommandLine::shellScript(AgeScript, {transport.commandPath(profile.mcPath), transport.commandPath(profile.cfPath),
                                             accessText.isEmpty() ? QString() : transport.commandPath(accessText),
                                             accessMap.isEmpty() ? QString() : transport.commandPath(accessMap)}),
        {}, std::chrono::seconds(30));
    if (!ran)
        return ran.error();
    if (ran->exitCode != 0)
        return makeError(ErrorKind::Connection, QStringLiteral("cannot compare the ages of the built files (exit %1)").arg(ran->exitCode));

    const QString rebuildCf = profile.rebuild.program.isEmpty()
        ? QStringLiteral("compile it with m4")
        : QStringLiteral("run %1").arg(profile.rebuild.display());
    const QString rebuildMap = QStringLiteral("makemap %1 %2 < %2").arg(mapType, transport.commandPath(accessText));
    // Problems name the host's files like every other problem (the caller shows them as it shows
    // the rest); the advice names them as a command on that machine must.
    const QString mcFile = profile.mcPath;
    const QString accessFile = accessText;
    Problems out;
    const QList<QByteArray> findings = ran->out.split('\n');
    if (findings.contains("cf-older"))
        out.append(Problem{mcFile, 0, Severity::Warning,
                           QStringLiteral("sendmail.mc was changed after sendmail.cf was built, so sendmail does not "
                                          "use that change yet: %1 and restart sendmail (or apply a change here, "
                                          "which does both)").arg(rebuildCf)});
    if (findings.contains("map-older"))
        out.append(Problem{accessFile, 0, Severity::Warning,
                           QStringLiteral("the access file was changed after %1 was built, so sendmail does not use "
                                          "that change yet: rebuild the map (%2; no restart needed)")
                               .arg(transport.commandPath(accessMap), rebuildMap)});
    if (findings.contains("map-missing"))
        out.append(Problem{accessFile, 0, Severity::Warning,
                           QStringLiteral("%1 does not exist: sendmail.mc uses the access map but it was never built "
                                          "(%2)").arg(transport.commandPath(accessMap), rebuildMap)});
    return out;
}

} // namespace smtls
