#pragma once
// Runs a change through the apply pipeline on the --host hosts (in parallel) or on the local
// tree, prints each host's report (or JSON) and returns the exit code.

#include "ApplyPipeline.h"
#include "CliOptions.h"

namespace smtls::cli {

int applyThroughPipeline(const CliOptions &options, const ChangePlanner &planner, const QString &description);

// The exit code of one host's outcome (0 when applied or nothing to do).
int exitCodeOf(const ApplyReport &report);

} // namespace smtls::cli
