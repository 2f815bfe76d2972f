#pragma once
// Staged edits are planners (core's ChangePlanner) kept in order; the staged configuration is
// each planner applied to the result of the one before, starting from what the host has now.
// Composing them into one planner lets the pipeline re-plan on the bytes it reads at apply
// time, so a file changed meanwhile is still caught by its "check-unchanged" step.

#include "ApplyPipeline.h"
#include "SnapshotStore.h"

#include <QList>

namespace smtls::gui {

// The configuration a change leaves behind.
MailConfig configAfter(const MailConfig &config, const ConfigChange &change);

// Every planner in order, from `config`; the first error stops.
Result<MailConfig> applyPlanners(const MailConfig &config, const QList<ChangePlanner> &planners);

// One planner doing all of them: "before" is what it is given, "after" the last result.
ChangePlanner composePlanners(QList<ChangePlanner> planners);

// Sets sendmail.mc and the access file back to a snapshot's "before" bytes.
ChangePlanner restoreSnapshotPlanner(const Snapshot &snapshot);

} // namespace smtls::gui
