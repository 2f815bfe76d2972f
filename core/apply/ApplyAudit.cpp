// The pipeline's last step (ApplyRun.h): once the outcome is final, the host's own record of it —
// the audit line in its syslog and, after a change that took effect, the etckeeper commit
// (AuditTrail.h). Still under the host's lock, so that two applies' commits never mix.
#include "apply/ApplyRun.h"
#include "apply/AuditTrail.h"

#include <QSysInfo>

namespace smtls {

void ApplyRun::recordOnHost()
{
    // A tree under a root folder (--root, tests) is not a host: its /etc, syslog and etckeeper
    // would be this computer's, which the change never touched.
    if (t.commandPath(QStringLiteral("/etc")) != QLatin1String("/etc"))
        return;
    // Nothing happened on the host (an `expire` timer finding nothing must not fill the log).
    if (report.outcome == ApplyOutcome::NothingToDo)
        return;
    if (report.error.kind == ErrorKind::Connection && !report.succeeded()) {
        report.notes << QStringLiteral("warning: no audit line in the host's syslog: the connection is lost");
        return;
    }
    AuditEntry entry;
    entry.outcome = outcomeName(report.outcome);
    if (!report.succeeded())
        entry.cause = report.error.message.isEmpty() ? report.summary : report.error.message;
    entry.change = report.change;
    entry.kind = changeKindName(request.change.kind());
    for (const SnapshotFile &f : snapshotFiles())
        entry.files << f.path;
    entry.snapshot = report.snapshotId;  // emptied when the refusal or rollback removed it
    if (snapshotTaken)
        entry.hostSnapshot = ws.snapshotFolder();
    entry.user = request.user;
    entry.login = t.loginUser();
    entry.from = QSysInfo::machineHostName();

    stepCommands.clear();
    StepRecord record{Step::Audit, StepState::Running, {}, 0, {}};
    if (options.progress)
        options.progress(report.host, record);
    QElapsedTimer clock;
    clock.start();
    const AuditWritten written = writeAudit(t, entry, report.outcome == ApplyOutcome::Applied);
    record.milliseconds = clock.elapsed();
    // Never "failed": the apply's outcome stands whatever the log says; the warnings go to the notes.
    record.state = written.lineWritten ? StepState::Done : StepState::Skipped;
    record.message = written.said;
    record.commands = std::exchange(stepCommands, {});
    report.notes += written.warnings;
    report.steps.append(record);
    if (options.progress)
        options.progress(report.host, record);
}

} // namespace smtls
