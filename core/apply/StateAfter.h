#pragma once
// After a failure past install: where the host stands, checked and not assumed. Which files
// hold what (the old bytes of the snapshot, the new ones, or neither) and whether the daemon
// runs — and since when, because a daemon that started before the install never loaded the new
// files, while one restarted since may run on them even though the old files are back.

#include "transport/CommandLine.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace smtls {

struct ExpectedFile {
    QString path;        // as the report names it (the host's path)
    QString oldSha256;   // "-": did not exist before
    QString newSha256;   // empty: unknown (a rebuilt sendmail.cf)
};

struct StateAfter {
    enum class Holds { Old, New, Neither };
    QList<QPair<QString, Holds>> files;  // path as the report names it
    bool daemonChecked = false;          // false: this host has no daemon to check (a tree)
    bool running = false;
    qint64 pid = 0;                      // 0: unknown (a status command answered)
    std::optional<qint64> runningSeconds; // how long the daemon has run, when ps tells

    bool oldFilesActive() const;
    // Started before the install (so it never loaded the new files), measured against how
    // many seconds ago the install began; false when it cannot be told.
    bool startedBefore(double secondsSinceInstall) const;
    // "The old files are active again; sendmail is running (pid 1234, started before this
    // apply, so it never loaded the new files)."
    QString sentence(double secondsSinceInstall) const;
};

// One round trip: "@@file SHA256|- PATH" per path (command paths, in order), then the daemon:
// "@@running PID [SECONDS]" / "@@notrunning" from the pid file, or from the status command
// ("@@running" alone) when there is no pid file; nothing when there is neither.
CommandLine stateAfterCommand(const QStringList &commandPaths, const QString &pidFile, const CommandLine &status);

// `expected` in the same order as the paths given to stateAfterCommand.
StateAfter parseStateAfter(const QByteArray &out, const QList<ExpectedFile> &expected);

} // namespace smtls
