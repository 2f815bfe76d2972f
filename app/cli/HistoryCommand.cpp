// sendmail-tls history / show SNAPSHOT: the snapshots taken before each write.
#include "Commands.h"
#include "ExitCode.h"
#include "Output.h"
#include "SnapshotStore.h"
#include "UnifiedDiff.h"
#include "ApplyRunner.h"
#include "apply/HostSnapshots.h"
#include "transport/LocalTransport.h"
#include "RemoteHosts.h"
#include "Targets.h"

#include <QFileInfo>
#include <QJsonArray>

namespace smtls::cli {

namespace {

// The snapshots of --host hosts (kept on each host), or of this workstation.
Result<QList<Snapshot>> snapshotsFor(const CliOptions &options)
{
    if (options.hosts.isEmpty())
        return snapshotStoreFrom(options).list();
    QList<Snapshot> all;
    for (const QString &host : options.hosts) {
        Result<HostConnection> c = connectHost(options, host);
        if (!c)
            return makeError(c.error().kind, host + QStringLiteral(": ") + c.error().describe());
        const Result<QList<Snapshot>> list = listHostSnapshots(*c->transport, c->profile);
        if (!list)
            return list.error();
        all += *list;
    }
    return all;
}

Result<Snapshot> loadSnapshot(const CliOptions &options, const QString &id)
{
    if (options.hosts.isEmpty())
        return snapshotStoreFrom(options).load(id);
    if (options.hosts.size() != 1)
        return makeError(ErrorKind::Usage, QStringLiteral("a snapshot belongs to one host: give one --host"));
    Result<HostConnection> c = connectHost(options, options.hosts.first());
    if (!c)
        return c.error();
    Result<Snapshot> onHost = loadHostSnapshot(*c->transport, c->profile, id);
    if (onHost)
        return onHost;
    // `set --host H` prints this computer's id of the snapshot (the host keeps its own copy
    // under another id): `show`/`rollback --host H ID` take it too, when it is H's. Its files
    // are named "H:/path" here; on the host they are the paths.
    const Result<Snapshot> here = snapshotStoreFrom(options).load(id);
    if (!here || here->host != c->transport->hostName())
        return onHost;
    Snapshot snapshot = *here;
    const QString prefix = snapshot.host + QLatin1Char(':');
    for (SnapshotFile &f : snapshot.files)
        if (f.path.startsWith(prefix))
            f.path = f.path.mid(prefix.size());
    return snapshot;
}

} // namespace

int runRollback(const CliOptions &options)
{
    if (options.arguments.size() != 1)
        return fail(makeError(ErrorKind::Usage, QStringLiteral("rollback takes one snapshot id")));
    const Result<Snapshot> snapshot = loadSnapshot(options, options.arguments.first());
    if (!snapshot)
        return fail(snapshot.error());
    // The snapshot's files are matched to the host's by path (a local snapshot may name them
    // as typed, or as "host:path").
    const QString root = options.root;
    const auto samePath = [root](const QString &snapshotPath, const QString &configPath) {
        if (sameFileUnder(root)(snapshotPath, configPath))
            return true;
        const QString a = QFileInfo(snapshotPath).canonicalFilePath();
        return !a.isEmpty() && (a == QFileInfo(configPath).canonicalFilePath()
                                || a == QFileInfo(LocalTransport(root).mapPath(configPath)).canonicalFilePath());
    };
    Change restore = Change::restore(*snapshot, samePath, options.force);
    restore.setReason(options.reason);
    return applyThroughPipeline(options, restore);
}

namespace {

// history --prune: the same retention rule for this computer's store and each host's.
int pruneHistory(const CliOptions &options)
{
    const std::optional<QDateTime> olderThan =
        options.olderThanDays ? std::optional<QDateTime>(QDateTime::currentDateTimeUtc().addDays(-*options.olderThanDays)) : std::nullopt;
    int code = ExitOk;
    QJsonArray results;
    QString out;
    const SnapshotStore local = snapshotStoreFrom(options);
    for (const QString &host : targetNames(options)) {
        const QString who = host.isEmpty() ? QStringLiteral("this computer") : host;
        std::optional<HostConnection> c;
        Result<QList<Snapshot>> listed = local.list();
        if (!host.isEmpty()) {
            Result<HostConnection> connected = connectHost(options, host);
            if (!connected) {
                code = std::max(code, fail(makeError(connected.error().kind, host + QStringLiteral(": ") + connected.error().describe())));
                continue;
            }
            c = std::move(*connected);
            listed = listHostSnapshots(*c->transport, c->profile);
        }
        if (!listed) {
            code = std::max(code, fail(listed.error()));
            continue;
        }
        const QStringList doomed = snapshotsToPrune(*listed, options.keep, olderThan);
        if (!options.dryRun) {
            Status removed;
            if (c) {
                removed = removeHostSnapshots(*c->transport, c->profile, doomed);
            } else {
                for (const QString &id : doomed)
                    if ((removed = local.remove(id)))
                        break;
            }
            if (removed) {
                code = std::max(code, fail(*removed));
                continue;
            }
        }
        results.append(QJsonObject{{QStringLiteral("host"), host.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(host)},
                                   {QStringLiteral("removed"), QJsonArray::fromStringList(doomed)},
                                   {QStringLiteral("kept"), int(listed->size() - doomed.size())},
                                   {QStringLiteral("dryRun"), options.dryRun}});
        out += QStringLiteral("%1: %2 %3 of %4 snapshot(s)%5\n")
                   .arg(who, options.dryRun ? QStringLiteral("would remove") : QStringLiteral("removed"))
                   .arg(doomed.size())
                   .arg(listed->size())
                   .arg(doomed.isEmpty() ? QString() : QStringLiteral(": ") + doomed.join(QLatin1Char(' ')));
    }
    if (options.json)
        printJson(QJsonObject{{QStringLiteral("prune"), results}});
    else
        printOut(out);
    return code;
}

} // namespace

int runHistory(const CliOptions &options)
{
    if (!options.arguments.isEmpty())
        return fail(makeError(ErrorKind::Usage, QStringLiteral("history takes no arguments")));
    if (options.prune)
        return pruneHistory(options);
    const Result<QList<Snapshot>> snapshots = snapshotsFor(options);
    if (!snapshots)
        return fail(snapshots.error());
    if (options.json) {
        QJsonArray list;
        for (const Snapshot &s : *snapshots) {
            QJsonArray files;
            for (const SnapshotFile &f : s.files)
                files.append(f.path);
            list.append(QJsonObject{{QStringLiteral("id"), s.id},
                                    {QStringLiteral("host"), s.host},
                                    {QStringLiteral("time"), s.time.toString(Qt::ISODate)},
                                    {QStringLiteral("user"), s.user},
                                    {QStringLiteral("change"), s.change},
                                    {QStringLiteral("changeRecord"), s.changeRecord},
                                    {QStringLiteral("reason"), s.reason},
                                    {QStringLiteral("files"), files}});
        }
        printJson(QJsonObject{{QStringLiteral("snapshots"), list}});
        return ExitOk;
    }
    QString out;
    for (const Snapshot &s : *snapshots)
        out += QStringLiteral("%1  %2  %3  %4%5\n")
                   .arg(s.id, s.host, s.user, s.change, s.reason.isEmpty() ? QString() : QStringLiteral(" (") + s.reason + QLatin1Char(')'));
    if (snapshots->isEmpty())
        out = QStringLiteral("No snapshots in %1\n").arg(snapshotDirectoryFrom(options));
    printOut(out);
    return ExitOk;
}

int runShow(const CliOptions &options)
{
    if (options.arguments.size() != 1)
        return fail(makeError(ErrorKind::Usage, QStringLiteral("show takes one snapshot id")));
    const Result<Snapshot> s = loadSnapshot(options, options.arguments.first());
    if (!s)
        return fail(s.error());
    printOut(QStringLiteral("snapshot %1\nhost %2\ntime %3\nuser %4\nchange %5\n%6\n")
                 .arg(s->id, s->host, s->time.toString(Qt::ISODate), s->user, s->change,
                      s->reason.isEmpty() ? QString() : QStringLiteral("reason ") + s->reason + QLatin1Char('\n')));
    for (const SnapshotFile &f : s->files)
        printOutBytes(unifiedDiff(f.before, f.after, f.path + QStringLiteral("\t(before)"), f.path + QStringLiteral("\t(after)")));
    return ExitOk;
}

} // namespace smtls::cli
