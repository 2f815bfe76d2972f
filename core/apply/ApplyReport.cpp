#include "apply/ApplyReport.h"

#include <QJsonArray>

namespace smtls {
namespace {

QJsonObject commandJson(const CommandLogEntry &c)
{
    QJsonObject o{{QStringLiteral("command"), c.command}, {QStringLiteral("exit"), c.exitCode},
                  {QStringLiteral("error"), c.error}, {QStringLiteral("ms"), double(c.milliseconds)}};
    if (!c.output.isEmpty())
        o.insert(QStringLiteral("output"), c.output);
    return o;
}

QString commandText(const CommandLogEntry &c)
{
    QString line = QStringLiteral("      $ %1  [%2, %3 ms]").arg(c.command.left(300),
                                                               c.error.isEmpty() ? QStringLiteral("exit %1").arg(c.exitCode) : c.error)
                       .arg(c.milliseconds);
    if (!c.output.isEmpty() && c.exitCode != 0)
        for (const QString &out : c.output.split(QLatin1Char('\n'), Qt::SkipEmptyParts).mid(0, 5))
            line += QStringLiteral("\n        %1").arg(out.left(200));
    return line;
}

} // namespace

QString stepName(Step step)
{
    switch (step) {
    case Step::Connect: return QStringLiteral("connect");
    case Step::Lock: return QStringLiteral("lock");
    case Step::Read: return QStringLiteral("read");
    case Step::CheckUnchanged: return QStringLiteral("check-unchanged");
    case Step::Snapshot: return QStringLiteral("snapshot");
    case Step::Write: return QStringLiteral("write");
    case Step::Upload: return QStringLiteral("upload");
    case Step::Validate: return QStringLiteral("validate");
    case Step::Install: return QStringLiteral("install");
    case Step::Activate: return QStringLiteral("activate");
    case Step::HealthCheck: return QStringLiteral("health-check");
    case Step::Rollback: return QStringLiteral("rollback");
    case Step::CheckState: return QStringLiteral("check-state");
    case Step::Cleanup: return QStringLiteral("cleanup");
    case Step::Audit: return QStringLiteral("audit");
    }
    return {};
}

QString stepTitle(Step step)
{
    switch (step) {
    case Step::Connect: return QStringLiteral("Connect");
    case Step::Lock: return QStringLiteral("Take the host's apply lock");
    case Step::Read: return QStringLiteral("Read and plan");
    case Step::CheckUnchanged: return QStringLiteral("Check the files are unchanged, snapshot on the host");
    case Step::Snapshot: return QStringLiteral("Snapshot on this computer");
    case Step::Write: return QStringLiteral("Write the files");
    case Step::Upload: return QStringLiteral("Upload");
    case Step::Validate: return QStringLiteral("Validate");
    case Step::Install: return QStringLiteral("Install");
    case Step::Activate: return QStringLiteral("Rebuild and restart");
    case Step::HealthCheck: return QStringLiteral("Health check");
    case Step::Rollback: return QStringLiteral("Roll back");
    case Step::CheckState: return QStringLiteral("Check the state after the failure");
    case Step::Cleanup: return QStringLiteral("Clean up");
    case Step::Audit: return QStringLiteral("Audit line on the host");
    }
    return {};
}

QString outcomeTitle(ApplyOutcome outcome)
{
    return asSentence(outcomeName(outcome)).chopped(1);
}

QString asSentence(const QString &text)
{
    QString out = text.trimmed();
    if (out.isEmpty())
        return out;
    out[0] = out.at(0).toUpper();
    if (!out.endsWith(QLatin1Char('.')) && !out.endsWith(QLatin1Char('!')) && !out.endsWith(QLatin1Char('?')))
        out += QLatin1Char('.');
    return out;
}

QString stepStateName(StepState state)
{
    switch (state) {
    case StepState::Done: return QStringLiteral("ok");
    case StepState::Failed: return QStringLiteral("FAILED");
    case StepState::Skipped: return QStringLiteral("skipped");
    case StepState::Running: return QStringLiteral("…");
    }
    return {};
}

QString outcomeName(ApplyOutcome outcome)
{
    switch (outcome) {
    case ApplyOutcome::Applied: return QStringLiteral("applied");
    case ApplyOutcome::NothingToDo: return QStringLiteral("nothing to do");
    case ApplyOutcome::Refused: return QStringLiteral("refused");
    case ApplyOutcome::RolledBack: return QStringLiteral("rolled back");
    case ApplyOutcome::RollbackFailed: return QStringLiteral("rollback failed");
    case ApplyOutcome::Failed: return QStringLiteral("failed");
    }
    return {};
}

const StepRecord *ApplyReport::find(Step wanted) const
{
    for (const StepRecord &s : steps)
        if (s.step == wanted)
            return &s;
    return nullptr;
}

QList<CommandLogEntry> ApplyReport::allCommands() const
{
    QList<CommandLogEntry> out;
    for (const StepRecord &s : steps)
        out += s.commands;
    return out;
}

ApplyReport connectFailedReport(const QString &host, const QString &change, const Error &error)
{
    ApplyReport report;
    report.host = host;
    report.change = change;
    report.error = error;
    report.outcome = error.kind == ErrorKind::Refused || error.kind == ErrorKind::Cancelled ? ApplyOutcome::Refused : ApplyOutcome::Failed;
    report.summary = asSentence(error.describe());
    report.steps.append(StepRecord{Step::Connect, StepState::Failed, error.message, 0, {}});
    return report;
}

QString reportText(const ApplyReport &r, bool withCommands)
{
    QString out = QStringLiteral("%1: %2 — %3\n").arg(r.host, outcomeName(r.outcome).toUpper(), r.summary);
    for (const QString &n : r.notes)
        out += QStringLiteral("  note: %1\n").arg(n);
    for (const StepRecord &s : r.steps) {
        out += QStringLiteral("  %1 %2 (%3 ms)%4\n")
                   .arg(s.name().leftJustified(15), stepStateName(s.state))
                   .arg(s.milliseconds)
                   .arg(s.message.isEmpty() ? QString() : QStringLiteral(": ") + s.message);
        if (withCommands || s.state == StepState::Failed)
            for (const CommandLogEntry &c : s.commands)
                out += commandText(c) + QLatin1Char('\n');
    }
    return out;
}

QJsonObject reportJson(const ApplyReport &r)
{
    QJsonArray steps, all;
    for (const StepRecord &s : r.steps) {
        QJsonArray commands;
        for (const CommandLogEntry &c : s.commands) {
            commands.append(commandJson(c));
            all.append(commandJson(c));
        }
        steps.append(QJsonObject{{QStringLiteral("step"), s.name()}, {QStringLiteral("state"), stepStateName(s.state)},
                                 {QStringLiteral("message"), s.message}, {QStringLiteral("ms"), double(s.milliseconds)},
                                 {QStringLiteral("commands"), commands}});
    }
    return QJsonObject{{QStringLiteral("host"), r.host},
                       {QStringLiteral("change"), r.change},
                       {QStringLiteral("outcome"), outcomeName(r.outcome)},
                       {QStringLiteral("summary"), r.summary},
                       {QStringLiteral("cause"), r.cause},
                       {QStringLiteral("stateAfter"), r.stateAfter},
                       {QStringLiteral("snapshot"), r.snapshotId},
                       {QStringLiteral("notes"), QJsonArray::fromStringList(r.notes)},
                       {QStringLiteral("steps"), steps},
                       {QStringLiteral("commands"), all}};
}

} // namespace smtls
