#pragma once
// What a command works on: the hosts of --host (over SSH), or — without --host — this computer
// or the --root tree, through a LocalTransport and the same readers. Paths are shown as this
// machine names them (a --root tree's files under the root).

#include "apply/HostReading.h"
#include "RemoteHosts.h"

#include <functional>

namespace smtls::cli {

struct TargetReading {
    QString name;               // the --host name; empty for the local tree
    HostConnection connection;
    HostReading reading;
    // A host path as the user knows it: under --root for a local tree, as it is on a host.
    QString shown(const QString &hostPath) const { return connection.transport->commandPath(hostPath); }
};

// The --host names, or one empty name for the local tree.
QStringList targetNames(const CliOptions &options);

// Connects to NAME: a --host over SSH, or (an empty name) this computer or the --root tree.
Result<HostConnection> connectTarget(const CliOptions &options, const QString &name);

// How NAME is called in output: the --host name, "localhost" for this computer, "local" for a
// --root tree.
QString hostLabel(const CliOptions &options, const QString &name);

// Connects (an empty name: the local tree) and reads the configuration and the host's problems.
Result<TargetReading> readTarget(const CliOptions &options, const QString &name);

} // namespace smtls::cli
