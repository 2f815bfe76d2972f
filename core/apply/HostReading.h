#pragma once
// Reading a host: its files (for an apply, a preview, status) and, for display (status, the
// window's host panel), what is wrong with it besides the files' own problems — what inspecting
// it found (an interrupted apply, sendmail without STARTTLS) and built files older than their
// text or missing. One answer for the command line and the window, SSH hosts and local trees.

#include "apply/HostInspector.h"
#include "PolicyEditor.h"
#include "transport/Transport.h"

namespace smtls {

// What a host has now: its configuration and the bytes we may need to put back.
struct HostState {
    MailConfig config;
    QByteArray cf;               // sendmail.cf as it is (restored on rollback)
    bool cfExists = false;
};

// sendmail.mc, sendmail.cf and the access file (where the .mc's FEATURE(`access_db') or the
// profile says), in one round trip when the access file is the usual one.
Result<HostState> readHostState(Transport &transport, const HostProfile &profile);

struct HostReading {
    HostState state;
    Problems hostProblems;
};

// `details` is what connecting found (null for a local tree, which is not inspected).
Result<HostReading> readHost(Transport &transport, const HostProfile &profile, const HostDetails *details);

} // namespace smtls
