#pragma once
// One function per command; each returns the exit code.

#include "CliOptions.h"
#include "SnapshotStore.h"

namespace smtls::cli {

int runStatus(const CliOptions &options);
int runExplain(const CliOptions &options);
int runSet(const CliOptions &options);
int runExpire(const CliOptions &options);
int runHistory(const CliOptions &options);
int runShow(const CliOptions &options);
int runRollback(const CliOptions &options);
int runMx(const CliOptions &options);
int runProbe(const CliOptions &options);

// Where this user's snapshots are saved (--snapshot-dir, else the one store both programs
// share), and that store (with the folders older versions used, for reading).
QString snapshotDirectoryFrom(const CliOptions &options);
SnapshotStore snapshotStoreFrom(const CliOptions &options);

} // namespace smtls::cli
