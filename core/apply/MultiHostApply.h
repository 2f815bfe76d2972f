#pragma once
// One change to many hosts at once: each host is independent (its own connection and
// transaction), one failure does not stop the others, and the result says per host what
// happened. Parallelism is bounded; cancel stops the hosts that have not installed yet.

#include "apply/ApplyPipeline.h"

#include <atomic>
#include <memory>

namespace smtls {

struct HostJob {
    QString name;
    // Connects (SSH, or a local transport) and detects or loads the profile.
    std::function<Result<std::pair<std::unique_ptr<Transport>, HostProfile>>()> connect;
};

struct MultiHostOptions {
    int parallelism = 0;  // 0 = all at once
    const SnapshotStore *localSnapshots = nullptr;
    ProgressCallback progress;
    std::atomic<bool> *cancel = nullptr;  // set from any thread
};

// Reports in the order of `jobs`.
QList<ApplyReport> applyToHosts(const QList<HostJob> &jobs, const ApplyRequest &request, const MultiHostOptions &options);

} // namespace smtls
