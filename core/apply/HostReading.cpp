#include "HostReading.h"

#include "BuiltFiles.h"

namespace smtls {

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
