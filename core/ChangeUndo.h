#pragma once
// Undo one change: reverse just the lines a snapshot's change added, removed or changed, on the
// files as they are NOW, and keep everything done since (the other kind of going back, "restore
// the files as they were before", is planRestore: it discards later work). Byte-exact: lines are
// compared and kept with their own endings (CRLF, a missing final newline), bytes never decoded.
//
// The change's edits (its "after" → "before") and what happened since (its "after" → the
// current file) are both diffed against the change's "after". They merge when they touch
// different lines; when a later edit changed, removed or inserted into lines of the change, or
// inserted at the very point where the change removed lines (which order would be right?), the
// undo is refused, naming the later snapshot that did it (or a hand edit).

#include "Change.h"
#include "SnapshotStore.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace smtls {

// Where a later edit is in the way: the 1-based line of the file as it is now.
struct UndoConflict {
    qsizetype line = 0;
};

// The current bytes with the change before → after reversed; a conflict when the later edits
// (after → current) touch the same lines.
struct LineUndo {
    QByteArray bytes;
    std::optional<UndoConflict> conflict;
};
LineUndo undoLines(const QByteArray &before, const QByteArray &after, const QByteArray &current);

// The files with `snapshot`'s change undone. `laterOldestFirst`: the snapshots taken after it
// (with their files), used only to name the one in the way when the undo is refused
// (ErrorKind::Refused; a file changed without a snapshot is named a hand edit).
Result<ConfigChange> planUndo(const MailConfig &config, const Snapshot &snapshot, const PathMatcher &samePath,
                              const QList<Snapshot> &laterOldestFirst = {});

// The undo as a Change for the pipeline ("undo snapshot ID (its change)").
Change undoChange(const Snapshot &snapshot, PathMatcher samePath = sameFileByName,
                  const QList<Snapshot> &laterOldestFirst = {});

// Of `all` (any order, as listed), those taken after `snapshot` on its host that name one of its
// files (listed snapshots carry the paths, not the bytes), oldest first: the changes a restore
// to before it discards.
QList<Snapshot> snapshotsAfter(const Snapshot &snapshot, const QList<Snapshot> &all);

} // namespace smtls
