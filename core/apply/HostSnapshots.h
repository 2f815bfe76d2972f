#pragma once
// The snapshots an apply leaves on the host (profile.snapshotDir/<id>/: manifest.json and the
// before/after bytes of each file), read back for history, show and rollback.

#include "apply/HostProfile.h"
#include "SnapshotStore.h"
#include "transport/Transport.h"

namespace smtls {

// Newest first; file contents are not loaded.
Result<QList<Snapshot>> listHostSnapshots(Transport &transport, const HostProfile &profile);
Result<Snapshot> loadHostSnapshot(Transport &transport, const HostProfile &profile, const QString &id);
// Removes these snapshots from the host, in one round trip (ids are checked first).
Status removeHostSnapshots(Transport &transport, const HostProfile &profile, const QStringList &ids);

} // namespace smtls
