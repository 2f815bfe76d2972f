#pragma once
// One change, one transaction per host. Steps, each reported: take the host's lock (one apply at
// a time; held to the end) → read the current files → plan the
// new ones → refuse if a file changed on the host meanwhile → snapshot (here and on the host) →
// stage the new files next to their targets → validate (m4 compiles, sendmail -bt accepts the
// new sendmail.cf, makemap builds the new map, try_tls answers what was asked) → install (one
// rename script, journaled) → activate (restart only when sendmail.cf changed) → health check
// (daemon running and greeting) → on any failure after install: restore, rebuild, restart, and
// report "rolled back". A failure before install changes nothing on the host. Last, whatever
// the outcome, the host's own record of it: a syslog line and, after a change, an etckeeper
// commit (AuditTrail.h).

#include "apply/ApplyReport.h"
#include "Change.h"
#include "apply/HostProfile.h"
#include "apply/HostReading.h"
#include "PolicyEditor.h"
#include "SnapshotStore.h"
#include "transport/Transport.h"

#include <functional>
#include <optional>

namespace smtls {

struct ApplyRequest {
    Change change;           // planned on the files as read at apply time
    QString user;            // who asked (snapshots and journal)
    bool editOnly = false;   // write the text files only: no validation, rebuild or restart
};

struct ApplyOptions {
    const SnapshotStore *localSnapshots = nullptr;  // also keep the snapshot here
    ProgressCallback progress;
    // Called between steps (tests use it to cut the connection at a chosen step).
    std::function<void(Step step)> beforeStep;
    // Called once the change is planned, with the bytes it will write (a caller that shows a
    // diff of what was applied takes it from here).
    std::function<void(const ConfigChange &planned)> planned;
    // Polled between steps; true stops a host that has not installed yet.
    std::function<bool()> cancelled;
    // How long to wait for another apply's lock on the same host before refusing, and after how
    // long without renewal a lock counts as left behind by a dead apply (and is broken).
    std::chrono::seconds lockWait{60};
    int staleLockMinutes = 15;
};

ApplyReport applyChange(Transport &transport, const HostProfile &profile, const ApplyRequest &request,
                        const ApplyOptions &options = {});

} // namespace smtls
