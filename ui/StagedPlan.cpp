#include "StagedPlan.h"

namespace smtls::gui {

MailConfig configAfter(const MailConfig &config, const ConfigChange &change)
{
    MailConfig next = config;
    if (!change.mc.path.isEmpty())
        next.mc = SendmailMc(change.mc.after, change.mc.path);
    if (!change.access.path.isEmpty()) {
        next.accessPath = change.access.path;
        if (!change.access.existedBefore && change.access.after.isEmpty())
            next.access.reset();
        else
            next.access = AccessMap(change.access.after, change.access.path);
    }
    return next;
}

Result<MailConfig> applyPlanners(const MailConfig &config, const QList<ChangePlanner> &planners)
{
    MailConfig current = config;
    for (const ChangePlanner &plan : planners) {
        const Result<ConfigChange> change = plan(current);
        if (!change)
            return change.error();
        current = configAfter(current, *change);
    }
    return current;
}

ChangePlanner composePlanners(QList<ChangePlanner> planners)
{
    return [planners = std::move(planners)](const MailConfig &config) -> Result<ConfigChange> {
        ConfigChange total = unchangedConfig(config);
        MailConfig current = config;
        for (const ChangePlanner &plan : planners) {
            const Result<ConfigChange> change = plan(current);
            if (!change)
                return change.error();
            total.notes += change->notes;
            for (const Destination &d : change->touched)
                if (!total.touched.contains(d))
                    total.touched.append(d);
            current = configAfter(current, *change);
        }
        total.mc.after = current.mc.bytes();
        total.access.after = current.access ? current.access->bytes() : QByteArray();
        return total;
    };
}

ChangePlanner restoreSnapshotPlanner(const Snapshot &snapshot)
{
    return [snapshot](const MailConfig &config) -> Result<ConfigChange> {
        ConfigChange change = unchangedConfig(config);
        bool matched = false;
        for (const SnapshotFile &f : snapshot.files) {
            // The local store names remote files "host:/path".
            const QString path = f.path.startsWith(QLatin1Char('/')) ? f.path : f.path.section(QLatin1Char(':'), 1);
            if (path == change.mc.path) {
                change.mc.after = f.before;
                matched = true;
            } else if (path == change.access.path) {
                change.access.after = f.existedBefore ? f.before : QByteArray();
                matched = true;
            }
        }
        if (!matched)
            return makeError(ErrorKind::InvalidInput,
                             QStringLiteral("snapshot %1 holds none of this host's files (%2, %3)")
                                 .arg(snapshot.id, change.mc.path, change.access.path));
        change.notes << QStringLiteral("files set back to their state before snapshot %1").arg(snapshot.id);
        return change;
    };
}

} // namespace smtls::gui
