#pragma once
// The one report of an apply on one host: every step with its outcome and the commands it ran.
// The CLI prints it, the GUI shows it, the tests assert on it (after kpmcore's Report).

#include "Problem.h"
#include "Transport.h"

#include <QList>
#include <QString>

#include <functional>

namespace smtls {

enum class StepState { Running, Done, Failed, Skipped };

struct StepRecord {
    QString step;      // "read", "check-unchanged", "snapshot", "upload", "validate", "install",
                       // "activate", "health-check", "rollback", "cleanup"
    StepState state = StepState::Running;
    QString message;   // one sentence
    qint64 milliseconds = 0;
};

enum class ApplyOutcome {
    Applied,        // new files installed and active
    NothingToDo,    // the files already say what was asked
    Refused,        // stopped before anything was installed (validation, stale file, host key…)
    RolledBack,     // installed, failed afterwards, previous files restored and active again
    RollbackFailed, // installed, failed, and the restore failed too: needs a human
    Failed,         // could not even start (connection)
};

QString outcomeName(ApplyOutcome outcome);

struct ApplyReport {
    QString host;
    QString change;
    ApplyOutcome outcome = ApplyOutcome::Failed;
    QString summary;             // one sentence: what happened and why
    QList<StepRecord> steps;
    QList<CommandLogEntry> commands;
    QString snapshotId;
    QStringList notes;
    Error error;                 // when not Applied / NothingToDo
};

// Called for each step as it starts and ends (from the worker thread).
using ProgressCallback = std::function<void(const QString &host, const StepRecord &step)>;

} // namespace smtls
