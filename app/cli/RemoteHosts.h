#pragma once
// Reaching the hosts of --host: SSH with the terminal for secrets and host-key questions, the
// profile detected on connect (or --profile), and the local tree of --root through the same
// pipeline.

#include "CliOptions.h"
#include "apply/HostInspector.h"
#include "apply/MultiHostApply.h"

#include <memory>

namespace smtls::cli {

struct HostConnection {
    std::unique_ptr<Transport> transport;
    HostProfile profile;
    HostDetails details;
};

Result<HostConnection> connectHost(const CliOptions &options, const QString &name);

// The --root tree (or this computer) as a host: local transport and the "tree" profile, whose
// restart is --restart-command (nothing by default).
HostConnection localTreeHost(const CliOptions &options);

// `admit` (optional) may refuse a host once connected, by what connecting found (e.g. a
// sendmail too old for the change).
QList<HostJob> hostJobs(const CliOptions &options, std::function<Status(const HostDetails &)> admit = {});

} // namespace smtls::cli
