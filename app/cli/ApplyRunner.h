#pragma once
// Runs a change through the apply pipeline on the --host hosts (in parallel) or on the local
// tree, prints each host's report (or JSON) and returns the exit code. --dry-run reads and
// plans the same way and shows the diff; --edit-only on the local tree runs the pipeline's
// write-only path (check, snapshot, write: no validation, rebuild or restart).

#include "apply/ApplyPipeline.h"
#include "CliOptions.h"

namespace smtls::cli {

int applyThroughPipeline(const CliOptions &options, const Change &change);

// The exit code of one host's outcome (0 when applied or nothing to do).
int exitCodeOf(const ApplyReport &report);

} // namespace smtls::cli
