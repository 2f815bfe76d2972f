#include "ApplyRunner.h"

#include "Commands.h"
#include "ExitCode.h"
#include "InvokingUser.h"
#include "apply/MultiHostApply.h"
#include "Output.h"
#include "RemoteHosts.h"
#include "SendmailVersion.h"
#include "Targets.h"
#include "UnifiedDiff.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

#include <mutex>

namespace smtls::cli {
namespace {

// An error about a host path, naming the file as the user knows it (a --root tree's under it).
Error shownError(Error error, const Transport &transport)
{
    if (error.file.startsWith(QLatin1Char('/')))
        error.file = transport.commandPath(error.file);
    return error;
}

QByteArray diffOf(const ConfigChange &change, const std::function<QString(const QString &)> &shown)
{
    QByteArray diff;
    for (const FileChange *f : {&change.mc, &change.access})
        if (f->changed())
            diff += unifiedDiff(f->before, f->after, shown(f->path) + QStringLiteral("\t(current)"), shown(f->path) + QStringLiteral("\t(new)"));
    return diff;
}

// What the admin must run before sendmail uses an edit-only write.
QStringList nextSteps(const ConfigChange &change, const std::function<QString(const QString &)> &shown)
{
    QStringList steps;
    const QString mc = shown(change.mc.path);
    if (change.needsRestart())
        steps << QStringLiteral("m4 %1 > %2.new && mv %2.new %2   # or: make -C /etc/mail")
                     .arg(mc, QFileInfo(mc).dir().filePath(QStringLiteral("sendmail.cf")))
              << QStringLiteral("systemctl restart sendmail        # or: service sendmail restart");
    if (change.needsMapRebuild()) {
        const SendmailMc after(change.mc.after, change.mc.path);
        const QString type = after.accessDb() ? QString::fromLatin1(after.accessDb()->mapType) : QStringLiteral("hash");
        steps << QStringLiteral("makemap %1 %2 < %2                 # no restart needed").arg(type, shown(change.access.path));
    }
    return steps;
}

// The documented JSON of --dry-run / --edit-only on the local tree.
QJsonObject localEditJson(const CliOptions &options, const QString &description, const ConfigChange &change, const QString &snapshotId,
                          const std::function<QString(const QString &)> &shown)
{
    QJsonArray files;
    for (const FileChange *f : {&change.mc, &change.access})
        files.append(QJsonObject{{QStringLiteral("path"), shown(f->path)}, {QStringLiteral("changed"), f->changed()}});
    return QJsonObject{{QStringLiteral("change"), description},
                       {QStringLiteral("changed"), change.changed()},
                       {QStringLiteral("dryRun"), options.dryRun},
                       {QStringLiteral("files"), files},
                       {QStringLiteral("diff"), QString::fromUtf8(diffOf(change, shown))},
                       {QStringLiteral("notes"), QJsonArray::fromStringList(change.notes)},
                       {QStringLiteral("snapshot"), snapshotId.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(snapshotId)},
                       {QStringLiteral("nextSteps"), QJsonArray::fromStringList(change.changed() ? nextSteps(change, shown) : QStringList())}};
}

// What the host's sendmail cannot do, known on connect (a local tree is not inspected: its
// validation asks the binary).
Status supportedBy(const Change &change, const HostDetails &details)
{
    if (change.asksForFallback())
        return requireTlsFallback(details.sendmailVersion);
    return std::nullopt;
}

// --dry-run: read and plan exactly as an apply would, show the diff; nothing is written.
int dryRun(const CliOptions &options, const Change &change)
{
    int code = ExitOk;
    for (const QString &name : targetNames(options)) {
        Result<TargetReading> target = readTarget(options, name);
        if (target && !name.isEmpty())
            if (Status refused = supportedBy(change, target->connection.details))
                target = *refused;
        Result<ConfigChange> planned = target ? change.plan(target->reading.state.config) : Result<ConfigChange>(target.error());
        if (!planned) {
            const Error e = target ? shownError(planned.error(), *target->connection.transport) : planned.error();
            code = std::max(code, fail(name.isEmpty() ? e : makeError(e.kind, name + QStringLiteral(": ") + e.describe())));
            continue;
        }
        const auto shown = [&target](const QString &path) { return target->shown(path); };
        if (name.isEmpty()) {
            if (options.json) {
                printJson(localEditJson(options, change.description(), *planned, {}, shown));
                continue;
            }
            printOutBytes(diffOf(*planned, shown));
            for (const QString &n : planned->notes)
                printOut(QStringLiteral("note: %1\n").arg(n));
            if (!planned->changed())
                printOut(QStringLiteral("Nothing to change.\n"));
            continue;
        }
        const QByteArray diff = diffOf(*planned, [&name](const QString &path) { return name + QLatin1Char(':') + path; });
        printOutBytes(diff.isEmpty() ? QByteArray(name.toUtf8() + ": nothing to change\n") : diff);
    }
    return code;
}

// --edit-only on the local tree: the pipeline's write-only path, reported as the text files
// written and what to run before sendmail uses them.
int editLocalFiles(const CliOptions &options, const Change &change)
{
    HostConnection local = localTreeHost(options);
    const SnapshotStore snapshots = snapshotStoreFrom(options);
    std::optional<ConfigChange> planned;
    ApplyOptions how;
    how.localSnapshots = &snapshots;
    how.planned = [&planned](const ConfigChange &c) { planned = c; };
    const ApplyReport report = applyChange(*local.transport, local.profile, ApplyRequest{change, invokingUser(), true}, how);
    if (!report.succeeded())
        return fail(shownError(report.error, *local.transport));
    const auto shown = [&local](const QString &path) { return local.transport->commandPath(path); };
    const ConfigChange &c = *planned;
    if (options.json) {
        printJson(localEditJson(options, report.change, c, report.snapshotId, shown));
        return ExitOk;
    }
    QString out;
    for (const QString &n : c.notes)
        out += QStringLiteral("note: %1\n").arg(n);
    if (!c.changed()) {
        out += QStringLiteral("Nothing to change.\n");
    } else {
        for (const FileChange *f : {&c.mc, &c.access})
            if (f->changed())
                out += QStringLiteral("Wrote %1\n").arg(shown(f->path));
        out += QStringLiteral("Snapshot %1 (undo: see 'sendmail-tls history').\n").arg(report.snapshotId);
        out += QStringLiteral("sendmail does not use the edit until you run:\n");
        for (const QString &st : nextSteps(c, shown))
            out += QStringLiteral("  %1\n").arg(st);
    }
    printOut(out);
    return ExitOk;
}

} // namespace

int exitCodeOf(const ApplyReport &r)
{
    switch (r.outcome) {
    case ApplyOutcome::Applied:
    case ApplyOutcome::NothingToDo: return ExitOk;
    case ApplyOutcome::RolledBack:
    case ApplyOutcome::RollbackFailed: return ExitValidation;
    case ApplyOutcome::Refused:
    case ApplyOutcome::Failed: return exitCodeFor(r.error.kind);
    }
    return ExitInternal;
}

int applyThroughPipeline(const CliOptions &options, const Change &change)
{
    if (options.dryRun)
        return dryRun(options, change);
    if (options.editOnly && options.hosts.isEmpty())
        return editLocalFiles(options, change);
    const SnapshotStore localSnapshots = snapshotStoreFrom(options);
    const ApplyRequest request{change, invokingUser(), options.editOnly};
    QList<ApplyReport> reports;
    std::mutex printing;
    const ProgressCallback progress = [&](const QString &host, const StepRecord &step) {
        if (options.json || step.state == StepState::Running)
            return;
        std::lock_guard<std::mutex> lock(printing);
        printError(QStringLiteral("%1: %2 %3").arg(host, step.name(), stepStateName(step.state)));
    };
    if (options.hosts.isEmpty()) {
        HostConnection local = localTreeHost(options);
        ApplyOptions how;
        how.localSnapshots = &localSnapshots;
        reports.append(applyChange(*local.transport, local.profile, request, how));
        reports.last().error = shownError(reports.last().error, *local.transport);
    } else {
        MultiHostOptions how;
        how.parallelism = options.parallel;
        how.localSnapshots = &localSnapshots;
        how.progress = options.hosts.size() > 1 ? progress : ProgressCallback();
        reports = applyToHosts(hostJobs(options, [&change](const HostDetails &details) { return supportedBy(change, details); }),
                               request, how);
    }
    int code = ExitOk;
    QJsonArray json;
    for (const ApplyReport &r : reports) {
        code = std::max(code, exitCodeOf(r));
        json.append(reportJson(r));
        // The failure in one sentence on stderr too, whatever the output format.
        if (exitCodeOf(r) != ExitOk)
            printError(QStringLiteral("%1: %2: %3").arg(r.host, outcomeName(r.outcome),
                                                      r.error.message.isEmpty() ? r.summary : r.error.describe()));
        if (!options.json)
            printOut(reportText(r));
    }
    if (options.json)
        printJson(QJsonObject{{QStringLiteral("change"), change.description()}, {QStringLiteral("hosts"), json}});
    return code;
}

} // namespace smtls::cli
