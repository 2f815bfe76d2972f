#pragma once
// Staged edits kept for next time: when the window closes with edits not applied and the
// administrator chooses "Keep for next time", each host's edits are written to
// <AppLocalDataLocation>/staged/<host id>.json and staged again on the next start, once the
// host has been read. Each edit is saved with what the files said about what it acts on when it
// was kept (a destination's rule, the global setting, the problem it fixes): if the re-read
// files say something else, the edit is a conflict and is shown, not staged blindly.
// Only the edits' own words are saved (kind, destination, setting, reason, expiry): no secrets.

#include "Change.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace smtls::gui {

struct PolicyView;

struct KeptEdit {
    Change change;
    QJsonObject before;  // what the files said about its subject, as read when it was kept
};

// What the files (as read, no edits staged) say about what CHANGE acts on; {} when nothing is
// to compare (removing the expired exceptions is judged anew on every plan).
QJsonObject subjectOf(const Change &change, const PolicyView &asRead);
// One sentence for a kept edit whose subject changed in the files: what it was, what it is.
QString conflictText(const Change &change, const QJsonObject &before, const QJsonObject &now);

// The change from its saved form, or nothing (a kind that cannot be kept, or a damaged file).
std::optional<Change> changeFromJson(const QJsonObject &object);

namespace StagedEditsStore {
QString fileOf(const QString &hostId);
// Replaces the host's kept edits; an empty list removes the file.
Status save(const QString &hostId, const QList<KeptEdit> &edits);
// The host's kept edits; an edit that cannot be read is reported in `unreadable`.
QList<KeptEdit> load(const QString &hostId, QStringList *unreadable = nullptr);
bool has(const QString &hostId);
void remove(const QString &hostId);
} // namespace StagedEditsStore

} // namespace smtls::gui
