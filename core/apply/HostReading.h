#pragma once
// Reading a host for display (status, the window's host panel): its configuration and what is
// wrong with it besides the files' own problems — what inspecting it found (an interrupted
// apply, sendmail without STARTTLS) and built files older than their text or missing. One
// answer for the command line and the window, for SSH hosts and local trees alike.

#include "ApplyPipeline.h"
#include "HostInspector.h"

namespace smtls {

struct HostReading {
    HostState state;
    Problems hostProblems;
};

// `details` is what connecting found (null for a local tree, which is not inspected).
Result<HostReading> readHost(Transport &transport, const HostProfile &profile, const HostDetails *details);

} // namespace smtls
