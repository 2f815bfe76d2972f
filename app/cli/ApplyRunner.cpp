#include "ApplyRunner.h"

#include "Commands.h"
#include "ExitCode.h"
#include "InvokingUser.h"
#include "MultiHostApply.h"
#include "Output.h"
#include "RemoteHosts.h"
#include "UnifiedDiff.h"

#include <QJsonArray>

#include <mutex>

namespace smtls::cli {
namespace {

QString stateMark(StepState s)
{
    switch (s) {
    case StepState::Done: return QStringLiteral("ok");
    case StepState::Failed: return QStringLiteral("FAILED");
    case StepState::Skipped: return QStringLiteral("skipped");
    case StepState::Running: return QStringLiteral("…");
    }
    return {};
}

QJsonObject reportJson(const ApplyReport &r)
{
    QJsonArray steps, commands;
    for (const StepRecord &s : r.steps)
        steps.append(QJsonObject{{QStringLiteral("step"), s.step}, {QStringLiteral("state"), stateMark(s.state)},
                                 {QStringLiteral("message"), s.message}, {QStringLiteral("ms"), double(s.milliseconds)}});
    for (const CommandLogEntry &c : r.commands)
        commands.append(QJsonObject{{QStringLiteral("command"), c.command}, {QStringLiteral("exit"), c.exitCode},
                                    {QStringLiteral("error"), c.error}, {QStringLiteral("ms"), double(c.milliseconds)}});
    return QJsonObject{{QStringLiteral("host"), r.host},
                       {QStringLiteral("change"), r.change},
                       {QStringLiteral("outcome"), outcomeName(r.outcome)},
                       {QStringLiteral("summary"), r.summary},
                       {QStringLiteral("snapshot"), r.snapshotId},
                       {QStringLiteral("notes"), QJsonArray::fromStringList(r.notes)},
                       {QStringLiteral("steps"), steps},
                       {QStringLiteral("commands"), commands}};
}

QString reportText(const ApplyReport &r)
{
    QString out = QStringLiteral("%1: %2 — %3\n").arg(r.host, outcomeName(r.outcome).toUpper(), r.summary);
    for (const QString &n : r.notes)
        out += QStringLiteral("  note: %1\n").arg(n);
    for (const StepRecord &s : r.steps)
        out += QStringLiteral("  %1 %2 (%3 ms)%4\n")
                   .arg(s.step.leftJustified(15), stateMark(s.state))
                   .arg(s.milliseconds)
                   .arg(s.message.isEmpty() ? QString() : QStringLiteral(": ") + s.message);
    return out;
}

// --dry-run on hosts: read, plan, show the diff; nothing is written.
int dryRunOnHosts(const CliOptions &options, const ChangePlanner &planner)
{
    int code = ExitOk;
    for (const QString &name : options.hosts) {
        Result<HostConnection> c = connectHost(options, name);
        Result<HostState> state = c ? readHostState(*c->transport, c->profile) : Result<HostState>(c.error());
        Result<ConfigChange> change = state ? planner(state->config) : Result<ConfigChange>(state.error());
        if (!change) {
            code = std::max(code, fail(makeError(change.error().kind, name + QStringLiteral(": ") + change.error().describe())));
            continue;
        }
        QByteArray diff;
        for (const FileChange *f : {&change->mc, &change->access})
            if (f->changed())
                diff += unifiedDiff(f->before, f->after, name + QLatin1Char(':') + f->path + QStringLiteral("\t(current)"),
                                    name + QLatin1Char(':') + f->path + QStringLiteral("\t(new)"));
        printOutBytes(diff.isEmpty() ? QByteArray(name.toUtf8() + ": nothing to change\n") : diff);
    }
    return code;
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

int applyThroughPipeline(const CliOptions &options, const ChangePlanner &planner, const QString &description)
{
    if (options.dryRun && !options.hosts.isEmpty())
        return dryRunOnHosts(options, planner);
    const SnapshotStore localSnapshots(snapshotDirectoryFrom(options));
    ApplyRequest request{description, options.reason, invokingUser(), planner,
                         options.editOnly};
    QList<ApplyReport> reports;
    std::mutex printing;
    const ProgressCallback progress = [&](const QString &host, const StepRecord &step) {
        if (options.json || step.state == StepState::Running)
            return;
        std::lock_guard<std::mutex> lock(printing);
        printError(QStringLiteral("%1: %2 %3").arg(host, step.step, stateMark(step.state)));
    };
    if (options.hosts.isEmpty()) {
        HostConnection local = localTreeHost(options);
        ApplyOptions how;
        how.localSnapshots = &localSnapshots;
        reports.append(applyChange(*local.transport, local.profile, request, how));
    } else {
        MultiHostOptions how;
        how.parallelism = options.parallel;
        how.localSnapshots = &localSnapshots;
        how.progress = options.hosts.size() > 1 ? progress : ProgressCallback();
        reports = applyToHosts(hostJobs(options), request, how);
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
        printJson(QJsonObject{{QStringLiteral("change"), description}, {QStringLiteral("hosts"), json}});
    return code;
}

} // namespace smtls::cli
