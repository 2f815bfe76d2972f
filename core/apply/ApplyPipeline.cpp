#include "apply/ApplyPipeline.h"

#include "apply/HostLock.h"
#include "apply/HostWorkspace.h"
#include "apply/SendmailCf.h"
#include "TextFile.h"
#include "apply/TryTlsQuery.h"

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

namespace {

QString sha256(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

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

class ApplyRun {
public:
    ApplyRun(Transport &transport, const HostProfile &hostProfile, const ApplyRequest &what, const ApplyOptions &how)
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

    ApplyReport execute();

private:
    bool step(Step name, const std::function<Status()> &body);
    Status fail(ErrorKind kind, const QString &message) { return makeError(kind, message, t.hostName()); }
    Result<CommandResult> run(const CommandLine &c, const QByteArray &in = {}, std::chrono::milliseconds timeout = 120s)
    {
        return t.run(c, in, timeout);
    }
    Status runOk(const CommandLine &c, const QString &what, const QByteArray &in = {}, std::chrono::milliseconds timeout = 120s);

    Status lock();
    void unlock();
    // Runs work outside any step (the lock's release, removing a snapshot): its commands go
    // into the last step's record, so the report still holds every command.
    void afterLastStep(const std::function<void()> &work);
    ApplyReport executeLocked();
    Status readAndPlan();
    Status checkUnchanged();
    Status snapshot();
    QStringList stagedNames() const;
    QString checkCfPath() const;
    Status stage();
    Status validate();
    Status install(const QList<StagedFile> &files);
    // rebuild: regenerate sendmail.cf the system's way first (not on rollback: the restored
    // sendmail.cf is the old one byte for byte, and must stay so).
    Status activate(bool restart, bool rebuild = true);
    Status healthCheck(bool restarted);
    Status rollback();
    Result<QList<StagedFile>> stagePreviousFiles();
    QString describeRestore(const RestoreOutput &restored);
    void cleanup();
    void forgetSnapshots();
    Status editOnly();
    Status restoreAfterFailedWrite(const QList<const FileChange *> &written);
    Status askTryTls(const QByteArray &cfText, const QString &mapBase, const QString &where);
    QList<TryTlsQuestion> questions() const;
    bool tryTlsMatters() const;
    Status compareAnswers(const QByteArray &btOutput, const QString &where) const;
    Result<QString> checkCf(const QByteArray &cfText, const QString &mapBase);
    QList<SnapshotFile> snapshotFiles() const;
    QByteArray installedCfText() const { return change.mc.changed() ? newCf : current.cf; }

    QList<const FileChange *> changedFiles() const
    {
        QList<const FileChange *> out;
        for (const FileChange *f : {&change.mc, &change.access})
            if (f->changed())
                out << f;
        return out;
    }
    QString mapType() const
    {
        return change.mc.after.isEmpty() || !newMc().accessDb() ? QStringLiteral("hash")
                                                              : QString::fromLatin1(newMc().accessDb()->mapType);
    }
    SendmailMc newMc() const { return SendmailMc(change.mc.after, change.mc.path); }
    MailConfig newConfig() const { return configAfter(current.config, change); }
    bool accessDbEnabled() const { return newMc().accessDb().has_value(); }

    Transport &t;
    const HostProfile &profile;
    const ApplyRequest &request;
    const ApplyOptions &options;
    HostWorkspace ws;
    HostLock hostLock;  // after ws, which it uses
    ApplyReport report;
    QList<CommandLogEntry> stepCommands;  // the running step's, so far
    QString stepMessage;                  // what the running step has to say when it succeeds
    HostState current;
    ConfigChange change;
    QByteArray newCf;
    QStringList leftovers;  // staged and validation files to remove at the end (stagedNames)
    QStringList leftByOthers;  // files the rollback left as someone else had written them
    bool installed = false;
    bool installMayHaveRun = false;
    bool snapshotTaken = false;  // on the host, by check-unchanged
};

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
    if (!r->ok())
        return fail(ErrorKind::Validation, QStringLiteral("%1 failed (exit %2): %3").arg(what).arg(r->exitCode).arg(r->firstErrorLine()));
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
        return makeError(ErrorKind::Refused,
                         QStringLiteral("%1 was changed on the host since it was read; nothing was changed")
                             .arg(QString::fromUtf8(r->err.trimmed()).section(QStringLiteral("changed: "), 1)),
                         t.hostName());
    snapshotTaken = r->ok();
    constexpr int IsSymlink = 11;
    if (r->exitCode == IsSymlink)
        // Installing renames a new file over the path: the link would become a plain file and
        // its target would silently stop being the configuration. Refuse instead, and say how.
        return makeError(ErrorKind::InvalidConfig,
                         QStringLiteral("%1 is a symbolic link; installing would replace the link with a plain file and "
                                        "leave its target behind. Edit the target itself (--mc/--access, or the host's "
                                        "profile) or make it a plain file; nothing was changed")
                             .arg(QString::fromUtf8(r->err.trimmed()).section(QStringLiteral("symlink: "), 1)),
                         t.hostName());
    if (!r->ok())
        return fail(ErrorKind::FileAccess, QStringLiteral("cannot take the snapshot on the host: %1").arg(r->firstErrorLine()));
    return std::nullopt;
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

QString ApplyRun::checkCfPath() const
{
    return ws.stagedPath(QFileInfo(profile.cfPath).path() + QStringLiteral("/check.cf"));
}

QStringList ApplyRun::stagedNames() const
{
    QStringList names;
    for (const FileChange *f : changedFiles())
        names << ws.stagedPath(f->path);
    if (change.mc.changed())
        names << ws.stagedPath(profile.cfPath);
    if (change.access.changed() && accessDbEnabled())
        if (const QString map = mapFileFor(mapType(), ws.stagedPath(change.access.path)); !map.isEmpty())
            names << map;
    names << checkCfPath();
    return names;
}

Status ApplyRun::stage()
{
    QList<QPair<QString, int>> afterCopies;
    int index = 0;
    for (const FileChange *f : changedFiles()) {
        if (Status s = t.writeFile(ws.stagedPath(f->path), f->after))
            return s;
        afterCopies.append({ws.stagedPath(f->path), index++});
    }
    if (change.mc.changed() && current.cfExists)
        afterCopies.append({ws.snapshotFolder() + QStringLiteral("/%1.before").arg(index), index});
    return runOk(ws.snapshotAfterCommand(afterCopies), QStringLiteral("completing the snapshot on the host"));
}

QList<TryTlsQuestion> ApplyRun::questions() const
{
    QList<TryTlsQuestion> list{{"sendmail-tls-check.invalid", "192.0.2.254"}};
    for (const Destination &d : change.touched)
        list.append(d.isAddress() ? TryTlsQuestion{{}, d.key} : TryTlsQuestion{d.key, "192.0.2.254"});
    return list;
}

bool ApplyRun::tryTlsMatters() const
{
    // Without access_db, or under M=S, ruleset try_tls decides nothing.
    return accessDbEnabled() && !newMc().clientStartTlsDisabled();
}

Status ApplyRun::compareAnswers(const QByteArray &btOutput, const QString &where) const
{
    const QList<TryTlsQuestion> asked = questions();
    const TryTlsAnswers answers = parseTryTlsOutput(btOutput, asked.size());
    if (!answers.error.isEmpty())
        return makeError(ErrorKind::Validation, QStringLiteral("sendmail -bt on %1: %2").arg(where, answers.error), t.hostName());
    const MailConfig after = newConfig();  // the policy points into it: keep it alive
    const Policy policy = after.policy();
    for (qsizetype i = 0; i < asked.size(); ++i) {
        const Decision expected = policy.explain(asked[i].serverName, asked[i].serverAddress);
        if (expected.tls != answers.tls[i])
            return makeError(ErrorKind::Validation,
                             QStringLiteral("sendmail (%1) would %2 STARTTLS with %3, but the change means it should %4 (%5)")
                                 .arg(where, answers.tls[i] ? QStringLiteral("try") : QStringLiteral("skip"),
                                      QString::fromLatin1(asked[i].serverName.isEmpty() ? asked[i].serverAddress : asked[i].serverName),
                                      expected.tls ? QStringLiteral("try it") : QStringLiteral("skip it"), expected.decidedBy),
                             t.hostName());
    }
    return std::nullopt;
}

Result<QString> ApplyRun::checkCf(const QByteArray &cfText, const QString &mapBase)
{
    // A copy of the cf naming the map to check, next to the real cf (sendmail trusts that
    // folder). A real host's installed cf already names the installed map: no copy needed.
    if (mapBase == change.access.path && t.commandPath(profile.cfPath) == profile.cfPath && cfText == installedCfText())
        return profile.cfPath;
    const QString cf = checkCfPath();
    if (Status s = t.writeFile(cf, withAccessMapAt(cfText, change.access.path, mapBase)))
        return *s;
    return t.commandPath(cf);
}

Status ApplyRun::askTryTls(const QByteArray &cfText, const QString &mapBase, const QString &where)
{
    if (!tryTlsMatters() || cfText.isEmpty())
        return std::nullopt;
    const Result<QString> cf = checkCf(cfText, mapBase);
    if (!cf)
        return cf.error();
    const Result<CommandResult> r = run(profile.addressTestCommand(*cf), tryTlsInput(questions()));
    if (!r)
        return r.error();
    return compareAnswers(r->out, where);
}

Status ApplyRun::validate()
{
    const QString stagedCf = ws.stagedPath(profile.cfPath);
    if (change.mc.changed()) {
        const QString mc = t.commandPath(ws.stagedPath(change.mc.path));
        const Result<CommandResult> compiled = run(profile.compileCommand(mc, t.commandPath(stagedCf)));
        if (!compiled)
            return compiled.error();
        if (!compiled->ok())
            return fail(ErrorKind::Validation, QStringLiteral("m4 rejects the new sendmail.mc: %1").arg(compiled->firstErrorLine()));
        const Result<std::optional<QByteArray>> cf = t.readFile(stagedCf, MaxMcFileBytes);
        if (!cf)
            return cf.error();
        newCf = cf->value_or(QByteArray());
        if (!looksLikeCompleteCf(newCf))
            return fail(ErrorKind::Validation, QStringLiteral("m4 produced no complete sendmail.cf (%1 lines)").arg(newCf.count('\n')));
        if (cfHasClientModifierS(newCf) != newMc().clientStartTlsDisabled())
            return fail(ErrorKind::Validation, QStringLiteral("the compiled sendmail.cf does not carry the client modifier S as asked"));
        const Result<CommandResult> accepted = run(profile.addressTestCommand(t.commandPath(stagedCf)), "/quit\n");
        if (!accepted)
            return accepted.error();
        const QByteArray said = accepted->out + accepted->err;
        if (!accepted->ok() || said.contains("readcf:") || said.contains("Warning:"))
            return fail(ErrorKind::Validation, QStringLiteral("sendmail -bt does not accept the new sendmail.cf: %1").arg(accepted->firstErrorLine()));
    }
    QString mapBase = t.commandPath(change.access.path);
    if (change.access.changed() && accessDbEnabled()) {
        const QString stagedText = ws.stagedPath(change.access.path);
        const QString mapFile = mapFileFor(mapType(), stagedText);
        if (mapFile.isEmpty())
            return fail(ErrorKind::Validation, QStringLiteral("map type %1 is not supported for rebuilding").arg(mapType()));
        const Result<CommandResult> built = run(profile.buildMapCommand(mapType(), t.commandPath(stagedText), t.commandPath(stagedText)));
        if (!built)
            return built.error();
        // makemap exits 65 (EX_DATAERR) for lines it skips; fine when the current file already had them.
        if (!built->ok()) {
            const qsizetype oldErrors = change.access.existedBefore ? AccessMap(change.access.before, {}).problems().size() : 0;
            if (built->exitCode != 65 || built->err.count('\n') > oldErrors)
                return fail(ErrorKind::Validation, QStringLiteral("makemap rejects the new access file: %1").arg(built->firstErrorLine()));
        }
        mapBase = t.commandPath(stagedText);
    }
    return askTryTls(installedCfText(), mapBase, QStringLiteral("new files"));
}

Status ApplyRun::install(const QList<StagedFile> &files)
{
    QJsonArray list;
    for (const FileChange *f : changedFiles())
        list.append(QJsonObject{{QStringLiteral("path"), f->path},
                                {QStringLiteral("before"), f->existedBefore ? QJsonValue(sha256(f->before)) : QJsonValue(QJsonValue::Null)},
                                {QStringLiteral("after"), sha256(f->after)}});
    const QJsonObject journal{{QStringLiteral("id"), ws.id()},
                              {QStringLiteral("change"), report.change},
                              {QStringLiteral("user"), request.user},
                              {QStringLiteral("time"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
                              {QStringLiteral("snapshot"), ws.snapshotFolder()},
                              {QStringLiteral("files"), list}};
    const Result<CommandResult> r = run(ws.installCommand(files), QJsonDocument(journal).toJson());
    if (!r) {
        // The script may have run to its end on the host (it ignores a dropped connection):
        // only the next connection can tell, from the journal.
        installMayHaveRun = r.error().kind == ErrorKind::Connection;
        return r.error();
    }
    installed = true;  // from here on, a failure means restoring the old files
    if (!r->ok())
        return fail(ErrorKind::Validation, QStringLiteral("installing the new files failed (exit %1): %2").arg(r->exitCode).arg(r->firstErrorLine()));
    return std::nullopt;
}

Status ApplyRun::activate(bool restart, bool rebuild)
{
    if (!restart || ((!rebuild || profile.rebuild.program.isEmpty()) && profile.restart.program.isEmpty()))
        return std::nullopt;
    // One script for the system's rebuild (Debian's make also appends the .mc and rebuilds
    // submit.cf; touching the .mc makes it run although our compiled sendmail.cf is already in
    // place) and the restart, immune to a dropped connection: never "stopped, not started".
    // Each command goes in as words (CommandLine::sequence), never as joined shell text.
    QList<CommandLine> commands;
    if (rebuild && !profile.rebuild.program.isEmpty())
        commands << CommandLine{QStringLiteral("touch"), {QStringLiteral("--"), t.commandPath(profile.mcPath)}} << profile.rebuild;
    if (!profile.restart.program.isEmpty())
        commands << profile.restart;
    // What the system's rebuild may rewrite among the files this apply installed: still ours
    // for a rollback (HostWorkspace::activateCommand notes them again).
    QStringList rebuilt;
    if (rebuild && !profile.rebuild.program.isEmpty()) {
        rebuilt << profile.cfPath;
        if (change.access.changed() && accessDbEnabled())
            rebuilt << mapFileFor(mapType(), change.access.path);
    }
    QStringList what;
    for (const CommandLine &c : commands.mid(commands.size() > 1 && rebuild ? 1 : 0))
        what << c.display();
    return runOk(ws.activateCommand(commands, rebuilt), QStringLiteral("activating (%1)").arg(what.join(QStringLiteral(", then "))), {},
                 240s);
}

Status ApplyRun::healthCheck(bool restarted)
{
    const QString installedMap = t.commandPath(change.access.path);
    if (!profile.healthCheck)
        return askTryTls(installedCfText(), installedMap, QStringLiteral("installed files"));
    if (profile.pidFile.isEmpty() && !profile.status.program.isEmpty())
        if (Status s = runOk(profile.status, QStringLiteral("checking that sendmail runs")))
            return s;
    const auto [address, port] = greetingAddress(change.mc.after.isEmpty() ? current.config.mc : newMc());
    const bool ask = tryTlsMatters() && !installedCfText().isEmpty();
    QString cf = profile.cfPath;
    if (ask) {
        const Result<QString> check = checkCf(installedCfText(), installedMap);
        if (!check)
            return check.error();
        cf = *check;
    }
    const Result<CommandResult> r = run(ws.healthCommand(address, port, profile.pidFile, restarted, profile.addressTestCommand(cf)),
                                        ask ? tryTlsInput(questions()) : QByteArray("/quit\n"), restarted ? 60s : 30s);
    if (!r)
        return r.error();
    const HealthOutput health = parseHealthOutput(r->out);
    if (!health.running)
        return fail(ErrorKind::Validation, QStringLiteral("sendmail is not running (no live process in %1)").arg(profile.pidFile));
    if (!health.greeted())
        return fail(ErrorKind::Validation, QStringLiteral("sendmail does not greet on %1:%2 (%3)")
                                               .arg(address, port, health.greeting.isEmpty() ? QStringLiteral("no answer")
                                                                                             : QString::fromUtf8(health.greeting.left(200))));
    if (ask)
        return compareAnswers(health.addressTest, QStringLiteral("installed files"));
    return std::nullopt;
}

Status ApplyRun::rollback()
{
    // Stage the bytes we read (they are also in the snapshot), rebuild the old map, then put
    // back what still holds what we installed, restart and check.
    const Result<QList<StagedFile>> restore = stagePreviousFiles();
    if (!restore)
        return restore.error();
    const Result<CommandResult> r = run(ws.restoreCommand(*restore));
    if (!r)
        return r.error();
    if (!r->ok())
        return fail(ErrorKind::Validation, QStringLiteral("restoring the previous files failed (exit %1): %2").arg(r->exitCode).arg(r->firstErrorLine()));
    stepMessage = describeRestore(parseRestoreOutput(r->out));
    if (Status s = activate(change.mc.changed(), false))
        return s;
    // The restored files must work again; the try_tls check compares against the *new* plan,
    // so only the daemon's health is checked here.
    if (profile.healthCheck) {
        const auto [address, port] = greetingAddress(current.config.mc);
        const Result<CommandResult> h =
            run(ws.healthCommand(address, port, profile.pidFile, true, profile.addressTestCommand(t.commandPath(profile.cfPath))),
                "/quit\n", 60s);
        if (!h || !parseHealthOutput(h->out).greeted())
            return fail(ErrorKind::Validation, QStringLiteral("sendmail does not greet after the restore either"));
    }
    return std::nullopt;
}

Result<QList<StagedFile>> ApplyRun::stagePreviousFiles()
{
    // An empty staged name: the file did not exist before, and goes.
    QList<StagedFile> restore;
    for (const FileChange *f : changedFiles()) {
        if (!f->existedBefore) {
            restore.append({f->path, QString()});
            continue;
        }
        if (Status s = t.writeFile(ws.stagedPath(f->path), f->before))
            return *s;
        restore.append({f->path, ws.stagedPath(f->path)});
    }
    if (change.access.changed() && change.access.existedBefore && accessDbEnabled()) {
        const QString text = ws.stagedPath(change.access.path);
        const Result<CommandResult> built = run(profile.buildMapCommand(mapType(), t.commandPath(text), t.commandPath(text)));
        if (!built)
            return built.error();
        constexpr int MakemapSkippedLines = 65;  // EX_DATAERR: the old file had lines makemap skips, as before
        if (!built->ok() && built->exitCode != MakemapSkippedLines)
            return *fail(ErrorKind::Validation, QStringLiteral("rebuilding the old map failed (exit %1): %2")
                                                    .arg(built->exitCode).arg(built->firstErrorLine()));
        restore.append({mapFileFor(mapType(), change.access.path), mapFileFor(mapType(), text)});
    }
    if (change.mc.changed() && current.cfExists) {
        if (Status s = t.writeFile(ws.stagedPath(profile.cfPath), current.cf))
            return *s;
        restore.append({profile.cfPath, ws.stagedPath(profile.cfPath)});
    }
    return restore;
}

QString ApplyRun::describeRestore(const RestoreOutput &restored)
{
    // The script names command paths; the report names the host's.
    const auto hostPaths = [this](const QStringList &commandPaths) {
        QStringList out;
        for (const QString &p : commandPaths) {
            QString host = p;
            for (const QString &target : {change.mc.path, change.access.path, profile.cfPath,
                                          mapFileFor(mapType(), change.access.path)})
                if (!target.isEmpty() && t.commandPath(target) == p)
                    host = target;
            out << host;
        }
        return out;
    };
    leftByOthers = hostPaths(restored.changed);
    QStringList said;
    if (!leftByOthers.isEmpty())
        said << QStringLiteral("left %1 as it is: changed by someone else since the install").arg(leftByOthers.join(QStringLiteral(", ")));
    if (!restored.notInstalled.isEmpty())
        said << QStringLiteral("%1 kept the previous version: the install had not replaced it")
                    .arg(hostPaths(restored.notInstalled).join(QStringLiteral(", ")));
    return said.join(QStringLiteral("; "));
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
        report.summary = QStringLiteral("%1, nothing was changed: %2").arg(outcomeName(report.outcome), report.error.message);
        return report;
    }
    ApplyReport done = executeLocked();
    unlock();
    done.steps = report.steps;  // with the lock's release
    return done;
}

ApplyReport ApplyRun::executeLocked()
{
    if (!step(Step::Read, [&] { return readAndPlan(); })) {
        report.outcome = outcomeBeforeInstall(report.error.kind);
        report.summary = report.error.message;
        return report;
    }
    if (!change.changed()) {
        report.outcome = ApplyOutcome::NothingToDo;
        report.summary = QStringLiteral("the files already say this; nothing to do");
        return report;
    }
    const auto refuse = [&]() {
        report.outcome = outcomeBeforeInstall(report.error.kind);
        report.summary = QStringLiteral("%1, nothing was changed: %2").arg(outcomeName(report.outcome), report.error.message);
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
        report.summary = QStringLiteral("files written (edit only: not validated, rebuilt or restarted)");
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
        report.summary = !restart ? QStringLiteral("applied: access map rebuilt (no restart needed)")
            : profile.restartSimulated
            ? QStringLiteral("applied: sendmail.cf regenerated and sendmail restarted (simulated: this host runs no sendmail)")
            : QStringLiteral("applied: sendmail.cf regenerated and sendmail restarted");
        return report;
    }
    if (!installed && !installMayHaveRun)
        return refuse();
    const Error cause = report.error;
    if (cause.kind == ErrorKind::Connection || cause.kind == ErrorKind::Cancelled) {
        // Nothing can be restored without a connection; the journal on the host says where
        // it stands, and the next connection reports it.
        report.outcome = ApplyOutcome::Failed;
        report.summary = QStringLiteral("the connection was lost after the install started (%1); the host has either the "
                                        "old or the new files, and the next connection reports which (journal %2)")
                             .arg(cause.message, ws.journalPath());
        return report;
    }
    if (step(Step::Rollback, [&] { return rollback(); })) {
        cleanup();
        report.outcome = ApplyOutcome::RolledBack;
        report.error = cause;
        if (leftByOthers.isEmpty()) {
            forgetSnapshots();
            report.summary = QStringLiteral("rolled back: %1; the previous files are active again").arg(cause.message);
        } else {
            // Someone else's edit stays, and so does the snapshot: it is now the one copy of
            // those files' previous bytes.
            report.summary = QStringLiteral("rolled back except %1: changed by someone else since install, left as they are (the "
                                            "snapshot %2 keeps the previous version); %3; the other previous files are active again")
                                 .arg(leftByOthers.join(QStringLiteral(", ")),
                                      report.snapshotId.isEmpty() ? ws.snapshotFolder() : report.snapshotId, cause.message);
        }
    } else {
        report.outcome = ApplyOutcome::RollbackFailed;
        report.summary = QStringLiteral("FAILED and the rollback failed too (%1); the journal %2 and the snapshot %3 "
                                        "on the host say what to restore")
                             .arg(report.error.message, ws.journalPath(), ws.snapshotFolder());
    }
    return report;
}

} // namespace

ApplyReport applyChange(Transport &transport, const HostProfile &profile, const ApplyRequest &request, const ApplyOptions &options)
{
    const std::function<void(const CommandLogEntry &)> listener = transport.commandLog();
    ApplyRun run(transport, profile, request, options);
    ApplyReport report = run.execute();
    transport.setCommandLog(listener);
    return report;
}

} // namespace smtls
