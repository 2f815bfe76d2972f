#pragma once
// A snapshot that stays after a failed apply (the rollback failed, left someone else's edit,
// or the connection was lost after the install) is not an ordinary change: History must mark
// it and not offer it as a normal target. So its manifest — here and on the host — gains two
// keys once the outcome is known: "outcome" (outcomeName: "rolled back", "rollback failed",
// "failed") and "outcomeSummary" (the report's summary: the cause and the state after). A
// manifest without them is an applied change (and every older snapshot is one).

#include "apply/ApplyReport.h"
#include "Result.h"

#include <QJsonObject>

namespace smtls {

class Transport;

// MANIFEST with the two keys of REPORT added.
QJsonObject withOutcome(QJsonObject manifest, const ApplyReport &report);

// This computer's copy is marked by SnapshotStore::setOutcome (the store owns its manifests).

// Adds them to the host's snapshot in FOLDER (FOLDER/manifest.json).
Status markHostSnapshot(Transport &transport, const QString &folder, const ApplyReport &report);

// The outcome a manifest records: empty for an applied change.
QString recordedOutcome(const QJsonObject &manifest);

} // namespace smtls
