#include "apply/ApplyPipeline.h"

#include "apply/ApplyRun.h"
#include "apply/FailureCause.h"
#include "apply/OutcomeRecord.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <QSysInfo>
#include <QCryptographicHash>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace smtls {

QString ApplyRun::sha256(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

namespace {

// A stop before install changed nothing. "Refused" is the safety word (validation said no, a file
// changed meanwhile, a lock, a host key, the user cancelled); a file that cannot be read or
// written, a lost connection or a bug is "failed".
ApplyOutcome outcomeBeforeInstall(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::Connection:
    case ErrorKind::FileAccess:
    case ErrorKind::Internal: return ApplyOutcome::Failed;
    default: return ApplyOutcome::Refused;
    }
}

} // namespace

ApplyRun::ApplyRun(Transport &transport, const HostProfile &hostProfile, const ApplyRequest &what, const ApplyOptions &how)
    : t(transport), profile(hostProfile), request(what), options(how),
      // Time, then a random part: two applies started in the same millisecond (two admins,
      // two processes) never share a staged name, a journal or a snapshot folder.
      ws(hostProfile,
         QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMddHHmmsszzz")) + QLatin1Char('-')
             + QString::number(QRandomGenerator::global()->bounded(0x10000u), 16).rightJustified(4, QLatin1Char('0')),
         [&transport](const QString &path) { return transport.commandPath(path); }),
      hostLock(transport, ws)
{
    report.host = transport.hostName();
    report.change = request.change.description();
    // Each command goes into the step that runs it; whoever listened before (a log panel)
    // still hears each one as it runs, not only when the apply ends.
    transport.setCommandLog([this, listener = transport.commandLog()](const CommandLogEntry &e) {
        stepCommands.append(e);
        if (listener)
            listener(e);
    });
}

bool ApplyRun::step(Step name, const std::function<Status()> &body)
{
    if (options.beforeStep)
        options.beforeStep(name);
    // Cancel stops a host that has not installed yet; one that has, finishes cleanly.
    if (!installed && options.cancelled && options.cancelled()) {
        // Nothing was changed on the host: the same result as any other stop before install.
        report.error = makeError(ErrorKind::Cancelled, QStringLiteral("cancelled before anything was installed"), t.hostName());
        report.steps.append(StepRecord{name, StepState::Skipped, report.error.message, 0, {}});
        return false;
    }
    stepCommands.clear();
    stepMessage.clear();
    hostLock.renewIfDue();
    StepRecord record{name, StepState::Running, {}, 0, {}};
    if (options.progress)
        options.progress(report.host, record);
    QElapsedTimer clock;
    clock.start();
    const Status failure = body();
    record.milliseconds = clock.elapsed();
    record.state = failure ? StepState::Failed : StepState::Done;
    record.message = failure ? failure->message : std::exchange(stepMessage, {});
    record.commands = std::exchange(stepCommands, {});
    if (failure)
        report.error = *failure;
    report.steps.append(record);
    if (options.progress)
        options.progress(report.host, record);
    return !failure;
}

Status ApplyRun::runOk(const CommandLine &c, const QString &what, const QByteArray &in, std::chrono::milliseconds timeout)
{
    const Result<CommandResult> r = run(c, in, timeout);
    if (!r)
        return r.error();
    if (!r->ok()) {
        // The lines that say why, not the first one (make's "Entering directory").
        lastCause = failureCause(*r);
        return fail(ErrorKind::Validation, QStringLiteral("%1 failed (exit %2): %3").arg(what).arg(r->exitCode).arg(lastCause));
    }
    return std::nullopt;
}

Status ApplyRun::lock()
{
    const QJsonObject owner{{QStringLiteral("id"), ws.id()},
                            {QStringLiteral("user"), request.user},
                            {QStringLiteral("client"), QSysInfo::machineHostName()},
                            {QStringLiteral("pid"), QCoreApplication::applicationPid()},
                            {QStringLiteral("change"), report.change},
                            {QStringLiteral("started"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)}};
    if (Status s = hostLock.take(owner, options.lockWait, options.staleLockMinutes, &report.notes))
        return s;
    stepMessage = hostLock.deadApplyCleanup();
    return std::nullopt;
}

void ApplyRun::afterLastStep(const std::function<void()> &work)
{
    stepCommands.clear();
    work();
    if (!report.steps.isEmpty())
        report.steps.last().commands += std::exchange(stepCommands, {});
}

void ApplyRun::unlock()
{
    afterLastStep([this] { hostLock.release(); });
}

Status ApplyRun::readAndPlan()
{
    Result<HostState> state = readHostState(t, profile);
    if (!state)
        return state.error();
    current = *state;
    Result<ConfigChange> planned = request.change.plan(current.config);
    if (!planned)
        return planned.error();
    change = *planned;
    report.notes += change.notes;
    if (options.planned)
        options.planned(change);
    return std::nullopt;
}

QList<SnapshotFile> ApplyRun::snapshotFiles() const
{
    QList<SnapshotFile> files;
    for (const FileChange *f : changedFiles())
        files.append(SnapshotFile{f->path, f->before, f->after, f->existedBefore});
    if (change.mc.changed() && current.cfExists)
        files.append(SnapshotFile{profile.cfPath, current.cf, current.cf, true});  // regenerated from the .mc
    return files;
}

Status ApplyRun::checkUnchanged()
{
    if (request.editOnly && options.localSnapshots && t.filesAreOnThisComputer())
        return checkUnchangedHere();
    // On the host, in one round trip: each file still has the hash of what we read (else
    // someone edited it meanwhile: refuse), and a copy of it goes into the snapshot.
    QList<QPair<QString, QString>> expected;
    QJsonArray files;
    for (const SnapshotFile &f : snapshotFiles()) {
        expected.append({f.path, f.existedBefore ? sha256(f.before) : QStringLiteral("-")});
        files.append(QJsonObject{{QStringLiteral("path"), f.path}, {QStringLiteral("existedBefore"), f.existedBefore}});
    }
    const QJsonObject manifest{{QStringLiteral("id"), ws.id()},
                               {QStringLiteral("user"), request.user},
                               {QStringLiteral("change"), report.change},
                               {QStringLiteral("changeRecord"), request.change.toJson()},
                               {QStringLiteral("reason"), request.change.reason()},
                               {QStringLiteral("files"), files},
                               {QStringLiteral("time"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)}};
    // From here on, should this apply die, the next one knows which staged files to remove.
    leftovers = stagedNames();
    const Result<CommandResult> r = run(ws.checkAndSnapshotCommand(expected, leftovers), QJsonDocument(manifest).toJson());
    if (!r)
        return r.error();
    if (r->exitCode == 9)
        return changedRefusal(QString::fromUtf8(r->err.trimmed()).section(QStringLiteral("changed: "), 1));
    snapshotTaken = r->ok();
    if (r->exitCode == IsSymlink)
        return symlinkRefusal(*r);
    if (!r->ok())
        return fail(ErrorKind::FileAccess, QStringLiteral("cannot take the snapshot on the host: %1").arg(r->firstErrorLine()));
    return std::nullopt;
}

Status ApplyRun::checkUnchangedHere()
{
    // Edit-only on this computer's files: the snapshot goes to this computer's store (one copy,
    // not two of the same bytes), and "unchanged since read" is a second read under the lock
    // compared byte for byte, instead of SHA-256 twice over (ours, then the host's). On a
    // million-line map that was most of the time of an edit.
    QStringList paths;
    for (const SnapshotFile &f : snapshotFiles())
        paths << f.path;
    const Result<CommandResult> r = run(ws.symlinkCheckCommand(paths));
    if (!r)
        return r.error();
    if (r->exitCode == IsSymlink)
        return symlinkRefusal(*r);
    if (!r->ok())
        return fail(ErrorKind::FileAccess, QStringLiteral("cannot check the files: %1").arg(r->firstErrorLine()));
    for (const SnapshotFile &f : snapshotFiles()) {
        const Result<bool> same = t.holds(f.path, f.existedBefore ? std::optional<QByteArray>(f.before) : std::nullopt);
        if (!same)
            return same.error();
        if (!*same)
            return changedRefusal(t.commandPath(f.path));
    }
    return std::nullopt;
}

Error ApplyRun::changedRefusal(const QString &path) const
{
    return makeError(ErrorKind::Refused, QStringLiteral("%1 was changed on the host since it was read; nothing was changed").arg(path),
                     t.hostName());
}

Error ApplyRun::symlinkRefusal(const CommandResult &r) const
{
    // Installing renames a new file over the path: the link would become a plain file and its
    // target would silently stop being the configuration. Refuse instead, and say how.
    return makeError(ErrorKind::InvalidConfig,
                     QStringLiteral("%1 is a symbolic link; installing would replace the link with a plain file and "
                                    "leave its target behind. Edit the target itself (--mc/--access, or the host's "
                                    "profile) or make it a plain file; nothing was changed")
                         .arg(QString::fromUtf8(r.err.trimmed()).section(QStringLiteral("symlink: "), 1)),
                     t.hostName());
}

Status ApplyRun::snapshot()
{
    if (!options.localSnapshots)
        return std::nullopt;
    // The same snapshot on this workstation: the host's copy may be lost with the host.
    Snapshot local;
    local.host = t.hostName();
    local.user = request.user;
    local.change = report.change;
    local.changeRecord = request.change.toJson();
    local.reason = request.change.reason();
    local.files = snapshotFiles();
    for (SnapshotFile &f : local.files)
        f.path = t.snapshotPath(f.path);
    const Result<QString> id = options.localSnapshots->save(local);
    if (!id)
        return id.error();
    report.snapshotId = *id;
    return std::nullopt;
}

// A change that did not happen (refused, or rolled back) must not stand in the history as one:
// its snapshots here and on the host go.
void ApplyRun::forgetSnapshots()
{
    if (!report.snapshotId.isEmpty() && options.localSnapshots && !options.localSnapshots->remove(report.snapshotId))
        report.snapshotId.clear();
    if (snapshotTaken) {
        afterLastStep([this] {
            (void)run(CommandLine::shellScript(QStringLiteral("rm -rf -- \"$1\""), {t.commandPath(ws.snapshotFolder())}), {}, 30s);
        });
        snapshotTaken = false;
    }
}

// The staged files and their list; the journal and its notes only once this apply installed
// (before that, a journal there is a dead apply's, and tells the next connection about it).
void ApplyRun::cleanup()
{
    QStringList paths = leftovers;
    paths << ws.stagedListPath();
    if (installed)
        paths << ws.journalPath() << ws.installedMarker() << ws.installedSumsPath();
    stepCommands.clear();
    const Result<CommandResult> r = run(ws.cleanupCommand(paths), {}, 30s);
    StepRecord record{Step::Cleanup, r && r->ok() ? StepState::Done : StepState::Failed, r ? QString() : r.error().message, 0,
                      std::exchange(stepCommands, {})};
    report.steps.append(record);
}

Status ApplyRun::editOnly()
{
    QList<const FileChange *> written;
    for (const FileChange *f : changedFiles()) {
        if (Status s = t.writeFile(f->path, f->after)) {
            // The two files stay consistent: put back what was already written.
            if (Status undo = restoreAfterFailedWrite(written))
                return makeError(s->kind, QStringLiteral("%1; putting back the other file failed too: %2").arg(s->message, undo->message),
                                 s->file);
            return s;
        }
        written.append(f);
    }
    return std::nullopt;
}

Status ApplyRun::restoreAfterFailedWrite(const QList<const FileChange *> &written)
{
    for (const FileChange *f : written) {
        if (Status s = f->existedBefore ? t.writeFile(f->path, f->before) : t.removeFile(f->path))
            return s;
    }
    return std::nullopt;
}

ApplyReport ApplyRun::execute()
{
    // One apply at a time per host, from the read to the end: a second one waits, then reads
    // what the first left (no lost update), or is refused naming the holder.
    if (!step(Step::Lock, [&] { return lock(); })) {
        report.outcome = outcomeBeforeInstall(report.error.kind);
        report.summary = QStringLiteral("Nothing was changed: %1").arg(asSentence(report.error.message));
        recordOnHost();  // a refusal is worth a line too: someone tried
        return report;
    }
    executeLocked();  // fills `report` and returns a copy of it
    // Once the outcome is final, under the lock: the host's own record of it.
    recordOnHost();
    unlock();
    return report;  // with the lock's release
}

ApplyReport ApplyRun::executeLocked()
{
    if (!step(Step::Read, [&] { return readAndPlan(); })) {
        report.outcome = outcomeBeforeInstall(report.error.kind);
        report.summary = asSentence(report.error.message);
        return report;
    }
    if (!change.changed()) {
        report.outcome = ApplyOutcome::NothingToDo;
        report.summary = QStringLiteral("The files already say this; nothing to do.");
        return report;
    }
    const auto refuse = [&]() {
        report.outcome = outcomeBeforeInstall(report.error.kind);
        report.summary = QStringLiteral("Nothing was changed: %1").arg(asSentence(report.error.message));
        report.cause = lastCause;
        if (!leftovers.isEmpty())
            cleanup();
        forgetSnapshots();
        return report;
    };
    if (!step(Step::CheckUnchanged, [&] { return checkUnchanged(); }))
        return refuse();
    if (!step(Step::Snapshot, [&] { return snapshot(); }))
        return refuse();
    if (request.editOnly) {
        if (!step(Step::Write, [&] { return editOnly(); }))
            return refuse();
        report.outcome = ApplyOutcome::Applied;
        report.summary = QStringLiteral("The files were written (edit only: not validated, rebuilt or restarted).");
        return report;
    }
    if (!step(Step::Upload, [&] { return stage(); }) || !step(Step::Validate, [&] { return validate(); }))
        return refuse();

    QList<StagedFile> files;
    for (const FileChange *f : changedFiles())
        files.append({f->path, ws.stagedPath(f->path)});
    if (change.access.changed() && accessDbEnabled())
        files.append({mapFileFor(mapType(), change.access.path), mapFileFor(mapType(), ws.stagedPath(change.access.path))});
    if (change.mc.changed())
        files.append({profile.cfPath, ws.stagedPath(profile.cfPath)});  // so that old and new never mix
    const bool restart = change.mc.changed();
    const bool ok = step(Step::Install, [&] { return install(files); })
        && step(Step::Activate, [&] { return activate(restart); })
        && step(Step::HealthCheck, [&] { return healthCheck(restart); });
    if (ok) {
        cleanup();
        report.outcome = ApplyOutcome::Applied;
        report.restarted = restart && !profile.restart.program.isEmpty();
        report.summary = !restart ? QStringLiteral("The access map was rebuilt (no restart needed).")
            : profile.restartSimulated
            ? QStringLiteral("The new sendmail.cf was generated and sendmail restarted (simulated: this host runs no sendmail).")
            : QStringLiteral("The new sendmail.cf was generated and sendmail restarted.");
        return report;
    }
    if (!installed && !installMayHaveRun)
        return refuse();
    return afterFailure(report.error);
}

ApplyReport ApplyRun::afterFailure(Error cause)
{
    report.cause = lastCause;
    if (cause.kind == ErrorKind::Connection || cause.kind == ErrorKind::Cancelled) {
        // Nothing can be restored without a connection; the journal on the host says where
        // it stands, and the next connection reports it.
        report.outcome = ApplyOutcome::Failed;
        report.summary = QStringLiteral("The connection was lost after the install started (%1); the host has either the "
                                        "old or the new files, and the next connection reports which (journal %2).")
                             .arg(cause.message, ws.journalPath());
        markKeptSnapshots(false);
        return report;
    }
    const bool restored = step(Step::Rollback, [&] { return rollback(); });
    const Error rollbackError = restored ? Error{} : report.error;
    // Checked, not assumed: which files are active and whether the daemon runs.
    const bool checked = step(Step::CheckState, [&] { return checkStateAfter(); });
    const double sinceInstall = double(installClock.elapsed()) / 1000.0;
    report.stateAfter = checked && stateAfter ? stateAfter->sentence(sinceInstall) : QString();
    report.error = cause;
    const QString why = asSentence(cause.message);
    // A rollback whose restart failed while the daemon that runs has never loaded the new files
    // (it started before the install) and the old files are back: the host is as before.
    const bool asBefore = checked && stateAfter && stateAfter->oldFilesActive()
        && (!stateAfter->daemonChecked || (stateAfter->running && (restored || stateAfter->startedBefore(sinceInstall))));
    if (restored || asBefore) {
        cleanup();
        report.outcome = ApplyOutcome::RolledBack;
        QString said = why;
        if (!restored)
            said += !report.cause.isEmpty() && lastCause == report.cause
                ? QStringLiteral(" Putting the old files back worked; restarting then failed again, for the same reason.")
                : QStringLiteral(" Putting the old files back worked, but then: %1").arg(asSentence(rollbackError.message));
        if (!leftByOthers.isEmpty()) {
            // Someone else's edit stays, and so does the snapshot: it is now the one copy of
            // those files' previous bytes.
            said = QStringLiteral("%1 changed by someone else since the install and left as it is (the snapshot %2 keeps "
                                  "the previous version). %3")
                       .arg(leftByOthers.join(QStringLiteral(", ")), report.snapshotId.isEmpty() ? ws.snapshotFolder() : report.snapshotId,
                            said);
        } else {
            forgetSnapshots();
        }
        report.summary = report.stateAfter.isEmpty() ? said + QStringLiteral(" The previous files are active again.")
                                                     : said + QLatin1Char(' ') + report.stateAfter;
        markKeptSnapshots(true);
        return report;
    }
    report.outcome = ApplyOutcome::RollbackFailed;
    report.summary = QStringLiteral("%1 Putting the old files back failed too: %2 %3The journal %4 and the snapshot %5 on the host "
                                    "say what to restore.")
                         .arg(why, asSentence(rollbackError.message),
                              report.stateAfter.isEmpty() ? QString() : report.stateAfter + QLatin1Char(' '), ws.journalPath(),
                              ws.snapshotFolder());
    markKeptSnapshots(true);
    return report;
}

void ApplyRun::markKeptSnapshots(bool hostReachable)
{
    // This computer's copy is marked once the report is final (applyChange).
    if (snapshotTaken && hostReachable)
        afterLastStep([this] {
            if (const Status s = markHostSnapshot(t, ws.snapshotFolder(), report))
                report.notes << QStringLiteral("the host's snapshot does not say that this change failed: %1").arg(s->describe());
        });
}

Status ApplyRun::checkStateAfter()
{
    QStringList paths;
    QList<ExpectedFile> expected;
    for (const SnapshotFile &f : snapshotFiles()) {
        const bool isCf = f.path == profile.cfPath && !(change.access.path == f.path) && !(change.mc.path == f.path);
        paths << t.commandPath(f.path);
        expected.append({f.path, f.existedBefore ? sha256(f.before) : QStringLiteral("-"),
                         isCf ? (newCf.isEmpty() ? QString() : sha256(newCf)) : sha256(f.after)});
    }
    const QString pidFile = profile.healthCheck && !profile.pidFile.isEmpty() ? t.commandPath(profile.pidFile) : QString();
    const CommandLine status = profile.healthCheck ? profile.status : CommandLine{};
    const Result<CommandResult> r = run(stateAfterCommand(paths, pidFile, status), {}, 60s);
    if (!r)
        return r.error();
    stateAfter = parseStateAfter(r->out, expected);
    stepMessage = stateAfter->sentence(double(installClock.elapsed()) / 1000.0);
    return std::nullopt;
}

ApplyReport applyChange(Transport &transport, const HostProfile &profile, const ApplyRequest &request, const ApplyOptions &options)
{
    const std::function<void(const CommandLogEntry &)> listener = transport.commandLog();
    ApplyRun run(transport, profile, request, options);
    ApplyReport report = run.execute();
    // A failed attempt whose snapshot stays is marked as such, so History does not list it as a change.
    if (!report.succeeded() && !report.snapshotId.isEmpty() && options.localSnapshots)
        if (const Status s = options.localSnapshots->setOutcome(report.snapshotId, outcomeName(report.outcome), report.summary))
            report.notes << QStringLiteral("the snapshot here does not say that this change failed: %1").arg(s->describe());
    transport.setCommandLog(listener);
    return report;
}

} // namespace smtls
