#pragma once
// mx and probe ask every --host at once: a probe that waits for a silent server costs its
// timeout once, not once per host. Each host gets its own connection and thread (at most
// --parallel); the answers come back in the order of --host.

#include "CliOptions.h"
#include "RemoteHosts.h"

#include <functional>

namespace smtls::cli {

// The hosts to ask: the --host names, or "" for this computer when there are none.
QStringList hostsToAsk(const CliOptions &options);

// Runs work(i) for i in 0..count-1 on at most `parallel` threads (0: all at once) and
// returns when every one has finished.
void runInParallel(qsizetype count, int parallel, const std::function<void(qsizetype)> &work);

// Connects to host NAME ("" = this computer's MTA, through the local transport) — what each
// thread of runInParallel does first.
Result<HostConnection> connectToAsk(const CliOptions &options, const QString &name);

// How a host is named in the output: the --host name, "localhost" for this computer's MTA.
QString shownHost(const QString &name);

} // namespace smtls::cli
