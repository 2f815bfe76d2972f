#include "apply/HostReading.h"

#include "apply/BuiltFiles.h"
#include "TextFile.h"

namespace smtls {

Result<HostState> readHostState(Transport &transport, const HostProfile &profile)
{
    // The access path comes from the .mc unless the profile fixes it; ask for the usual one
    // along with the .mc and sendmail.cf, and again only when the .mc names another.
    const QString usualAccess = profile.accessPath.isEmpty() ? QStringLiteral("/etc/mail/access") : profile.accessPath;
    const Result<QList<std::optional<QByteArray>>> files =
        transport.readFiles({profile.mcPath, profile.cfPath, usualAccess}, MaxAccessFileBytes);
    if (!files)
        return files.error();
    // A local tree's file by its path here, a host's as "host:path".
    const QString mcWhere = transport.commandPath(profile.mcPath) != profile.mcPath ? transport.commandPath(profile.mcPath)
                                                                                   : transport.hostName() + QLatin1Char(':') + profile.mcPath;
    const std::optional<QByteArray> &mc = (*files)[0];
    if (!mc)
        return makeError(ErrorKind::FileAccess, QStringLiteral("there is no sendmail.mc here (check the host's profile, or --root/--mc)"),
                         mcWhere);
    if (mc->size() > MaxMcFileBytes)
        return makeError(ErrorKind::InvalidConfig, QStringLiteral("sendmail.mc is larger than %1 MB; it was not read").arg(MaxMcFileBytes >> 20),
                         mcWhere);
    HostState state{MailConfig{SendmailMc(*mc, profile.mcPath), std::nullopt, {}}, {}, false};
    QString accessPath = profile.accessPath;
    if (accessPath.isEmpty())
        accessPath = state.config.mc.accessDb() ? state.config.mc.accessDb()->sourcePath : QStringLiteral("/etc/mail/access");
    state.config.accessPath = accessPath;
    std::optional<QByteArray> access = (*files)[2];
    if (accessPath != usualAccess) {
        const Result<std::optional<QByteArray>> other = transport.readFile(accessPath, MaxAccessFileBytes);
        if (!other)
            return other.error();
        access = *other;
    }
    if (access)
        state.config.access.emplace(*access, accessPath);
    state.cfExists = (*files)[1].has_value();
    if (state.cfExists)
        state.cf = *(*files)[1];
    return state;
}

Result<HostReading> readHost(Transport &transport, const HostProfile &profile, const HostDetails *details)
{
    Result<HostState> state = readHostState(transport, profile);
    if (!state)
        return state.error();
    HostReading reading{std::move(*state), {}};
    if (details)
        reading.hostProblems = hostDetailProblems(*details, profile);
    const Result<Problems> built = builtFileProblems(transport, profile, reading.state.config);
    if (built)
        reading.hostProblems += *built;
    else
        reading.hostProblems.append(Problem{transport.commandPath(profile.cfPath), 0, Severity::Info,
                                            QStringLiteral("could not check whether sendmail.cf and the access map are up to "
                                                           "date: %1").arg(built.error().describe())});
    return reading;
}

} // namespace smtls
