#pragma once
// One function per command; each returns the exit code.

#include "CliOptions.h"
#include "LocalConfig.h"

namespace smtls::cli {

int runStatus(const CliOptions &options);
int runExplain(const CliOptions &options);
int runSet(const CliOptions &options);
int runHistory(const CliOptions &options);
int runShow(const CliOptions &options);
int runRollback(const CliOptions &options);

LocalPaths localPathsFrom(const CliOptions &options);
QString snapshotDirectoryFrom(const CliOptions &options);

} // namespace smtls::cli
