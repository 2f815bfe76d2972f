// Install and after: the staged files renamed over their targets (journaled), the system's
// rebuild and restart, the health check, and on a failure from there the rollback, which puts
// back only what still holds what this apply installed.
#include "apply/ApplyRun.h"
#include "apply/FailureCause.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace smtls {

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
    installClock.start();
    const Result<CommandResult> r = run(ws.installCommand(files), QJsonDocument(journal).toJson());
    if (!r) {
        // The script may have run to its end on the host (it ignores a dropped connection):
        // only the next connection can tell, from the journal.
        installMayHaveRun = r.error().kind == ErrorKind::Connection;
        return r.error();
    }
    installed = true;  // from here on, a failure means restoring the old files
    if (!r->ok()) {
        lastCause = failureCause(*r);
        return fail(ErrorKind::Validation, QStringLiteral("installing the new files failed (exit %1): %2").arg(r->exitCode).arg(lastCause));
    }
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
        return fail(ErrorKind::Validation, QStringLiteral("restoring the previous files failed (exit %1): %2").arg(r->exitCode).arg(failureCause(*r)));
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
                                                    .arg(built->exitCode).arg(failureCause(*built)));
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

} // namespace smtls
