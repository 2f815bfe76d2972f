#include "Targets.h"

namespace smtls::cli {

QStringList targetNames(const CliOptions &options)
{
    return options.hosts.isEmpty() ? QStringList{QString()} : options.hosts;
}

Result<TargetReading> readTarget(const CliOptions &options, const QString &name)
{
    TargetReading target;
    target.name = name;
    if (name.isEmpty()) {
        target.connection = localTreeHost(options);
    } else {
        Result<HostConnection> c = connectHost(options, name);
        if (!c)
            return c.error();
        target.connection = std::move(*c);
    }
    Transport &t = *target.connection.transport;
    Result<HostReading> reading = readHost(t, target.connection.profile, name.isEmpty() ? nullptr : &target.connection.details);
    if (!reading)
        return reading.error();
    target.reading = std::move(*reading);
    return target;
}

} // namespace smtls::cli
