#pragma once
// One function per command; each returns the exit code.

#include "CliOptions.h"
#include "RemoteHosts.h"
#include "delivery/StuckMail.h"

#include <QJsonObject>
#include "SnapshotStore.h"

namespace smtls::cli {

int runStatus(const CliOptions &options);
int runExplain(const CliOptions &options);
int runSet(const CliOptions &options);
int runExpire(const CliOptions &options);
int runHistory(const CliOptions &options);
int runShow(const CliOptions &options);
int runRollback(const CliOptions &options);
int runRestore(const CliOptions &options);
int runMx(const CliOptions &options);
int runProbe(const CliOptions &options);
int runQueue(const CliOptions &options);
int runRetry(const CliOptions &options);

// Shared by queue and retry (QueueCommand.cpp): the host of NAME (empty: this computer or the
// --root tree), the start of a command line for that host, and a host's stuck mail as the README's JSON.
QString commandPrefix(const CliOptions &options, const QString &host);
QJsonObject stuckMailJson(const StuckMail &stuck);

// Where this user's snapshots are saved (--snapshot-dir, else the one store both programs
// share), and that store (with the folders older versions used, for reading).
QString snapshotDirectoryFrom(const CliOptions &options);
SnapshotStore snapshotStoreFrom(const CliOptions &options);

} // namespace smtls::cli
