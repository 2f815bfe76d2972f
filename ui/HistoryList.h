#pragma once
// A host's history in one list: the snapshots kept on this computer and those kept on the host
// itself. An apply from this program leaves the same snapshot in both places (under different
// ids); an apply from elsewhere (the command line on the host, a colleague) only on the host.

#include "SnapshotStore.h"

namespace smtls::gui {

struct HistoryItem {
    Snapshot summary;  // without file contents
    QString localId;   // empty when not kept on this computer
    QString hostId;    // empty when not kept on the host
    QString whereKept() const;
};

// Newest first. A local and a host snapshot are the same one when the change (kind, target,
// setting), user and reason agree and they were taken within two minutes of each other.
QList<HistoryItem> mergeHistory(const QList<Snapshot> &local, const QList<Snapshot> &onHost);

} // namespace smtls::gui
