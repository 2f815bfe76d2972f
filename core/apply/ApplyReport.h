#pragma once
// The one report of an apply on one host (after kpmcore's Report): a tree of steps, each with
// its outcome and the commands it ran (timing, exit status, output). The command line prints
// it, the window shows it, the tests assert on it — through the renderings below, the same
// for all.

#include "Problem.h"
#include "Result.h"
#include "transport/Transport.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>

namespace smtls {

// Every step an apply can take, in the order it takes them. Their names (stepName) are part of
// the JSON output and of the window's progress column.
enum class Step {
    Connect,         // reach the host (SSH login, sudo) — made by the caller, not the pipeline
    Lock,            // take the host's apply lock (one apply at a time), waiting a bounded time
    Read,            // read sendmail.mc, sendmail.cf and the access file, plan the change
    CheckUnchanged,  // the files still hold what was read; copy them into the host's snapshot
    Snapshot,        // keep the snapshot on this computer too
    Write,           // edit only: write the text files, nothing else
    Upload,          // stage the new files next to their targets
    Validate,        // m4, sendmail -bt, makemap and try_tls on the staged files
    Install,         // rename every staged file over its target (journaled)
    Activate,        // regenerate sendmail.cf the system's way and restart, when the .mc changed
    HealthCheck,     // the daemon runs, greets, and try_tls answers as asked
    Rollback,        // put the previous files back after a failure past install
    CheckState,      // after a failure past install: which files are active, does the daemon run
    Cleanup,         // remove staged files and the journal
    Audit,           // one line in the host's syslog; an etckeeper commit after a change (AuditTrail.h)
};

QString stepName(Step step);
// For people: "Health check", "Check the state after the failure" (stepName is for JSON).
QString stepTitle(Step step);

enum class StepState { Running, Done, Failed, Skipped };
QString stepStateName(StepState state);  // "ok", "FAILED", "skipped", "…"

struct StepRecord {
    Step step = Step::Read;
    StepState state = StepState::Running;
    QString message;   // one sentence
    qint64 milliseconds = 0;
    QList<CommandLogEntry> commands;  // what this step ran, in order
    QString name() const { return stepName(step); }
};

enum class ApplyOutcome {
    Applied,        // new files installed and active
    NothingToDo,    // the files already say what was asked
    Refused,        // stopped before anything was installed (validation, stale file, host key…)
    RolledBack,     // installed, failed afterwards, previous files restored and active again
    RollbackFailed, // installed, failed, and the restore failed too: needs a human
    Failed,         // could not even start (connection)
};

QString outcomeName(ApplyOutcome outcome);     // JSON and the command line: "rolled back"
QString outcomeTitle(ApplyOutcome outcome);    // for people: "Rolled back"

// TEXT as a sentence: a capital first letter and a full stop (messages are written to be
// quoted inside sentences, so they start in lower case).
QString asSentence(const QString &text);

struct ApplyReport {
    QString host;
    QString change;              // Change::description()
    ApplyOutcome outcome = ApplyOutcome::Failed;
    QString summary;             // one sentence: what happened and why
    QList<StepRecord> steps;
    QString snapshotId;
    QStringList notes;
    bool restarted = false;      // sendmail.cf was regenerated and sendmail restarted
    Error error;                 // when not Applied / NothingToDo
    // After a failure: the lines of the failing command's output that say why (FailureCause.h),
    // and the host's state after it, checked (StateAfter.h) — both also in the summary.
    QString cause;
    QString stateAfter;

    bool succeeded() const { return outcome == ApplyOutcome::Applied || outcome == ApplyOutcome::NothingToDo; }
    const StepRecord *find(Step step) const;
    QList<CommandLogEntry> allCommands() const;  // every step's, in order
};

// The report of a host that could not be reached: one failed "connect" step. A refused host
// key or a cancel is "refused" (nothing was tried), anything else "failed".
ApplyReport connectFailedReport(const QString &host, const QString &change, const Error &error);

// The report's renderings, for the command line and the window alike.
// Text: "host: OUTCOME — summary", the notes, one line per step with its commands beneath when
// `withCommands` (a failed step always shows its commands).
QString reportText(const ApplyReport &report, bool withCommands = false);
// JSON: {"host", "change", "outcome", "summary", "cause", "stateAfter", "snapshot", "notes", "steps": [{"step", "state",
// "message", "ms", "commands": [...]}], "commands": [every step's, flat]}.
QJsonObject reportJson(const ApplyReport &report);

// Called for each step as it starts and ends (from the worker thread).
using ProgressCallback = std::function<void(const QString &host, const StepRecord &step)>;

} // namespace smtls
