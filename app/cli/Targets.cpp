#include "Targets.h"

namespace smtls::cli {

QStringList targetNames(const CliOptions &options)
{
    return options.hosts.isEmpty() ? QStringList{QString()} : options.hosts;
}

Result<HostConnection> connectTarget(const CliOptions &options, const QString &name)
{
    if (name.isEmpty())
        return localTreeHost(options);
    return connectHost(options, name);
}

QString hostLabel(const CliOptions &options, const QString &name)
{
    if (!name.isEmpty())
        return name;
    return options.root == QLatin1String("/") ? QStringLiteral("localhost") : QStringLiteral("local");
}

Result<TargetReading> readTarget(const CliOptions &options, const QString &name)
{
    TargetReading target;
    target.name = name;
    Result<HostConnection> c = connectTarget(options, name);
    if (!c)
        return c.error();
    target.connection = std::move(*c);
    Transport &t = *target.connection.transport;
    Result<HostReading> reading = readHost(t, target.connection.profile, name.isEmpty() ? nullptr : &target.connection.details);
    if (!reading)
        return reading.error();
    target.reading = std::move(*reading);
    return target;
}

} // namespace smtls::cli
