// sendmail-tls history / show SNAPSHOT: the snapshots taken before each write.
#include "Commands.h"
#include "ExitCode.h"
#include "Output.h"
#include "SnapshotStore.h"
#include "ChangeUndo.h"
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

namespace {

// The snapshot and those taken after it on the same files (with their bytes, oldest first):
// what an undo names when a later change is in its way, what a restore discards.
struct SnapshotAndLater {
    Snapshot snapshot;
    QList<Snapshot> later;
};

// Reading every later snapshot costs a round trip each on a host: beyond this many, the oldest
// (the likeliest to be in the way) are read.
constexpr qsizetype MaxLaterSnapshots = 200;

Result<SnapshotAndLater> loadWithLater(const CliOptions &options, const QString &id)
{
    Result<Snapshot> snapshot = loadSnapshot(options, id);
    if (!snapshot)
        return snapshot.error();
    SnapshotAndLater result{*snapshot, {}};
    std::optional<HostConnection> c;
    Result<QList<Snapshot>> listed = snapshotStoreFrom(options).list();
    if (!options.hosts.isEmpty()) {
        Result<HostConnection> connected = connectHost(options, options.hosts.first());
        if (!connected)
            return connected.error();
        c = std::move(*connected);
        listed = listHostSnapshots(*c->transport, c->profile);
    }
    if (!listed)
        return listed.error();
    QList<Snapshot> later = snapshotsAfter(*snapshot, *listed);
    later = later.mid(0, MaxLaterSnapshots);
    for (const Snapshot &s : later) {
        Result<Snapshot> full = c ? loadHostSnapshot(*c->transport, c->profile, s.id) : snapshotStoreFrom(options).load(s.id);
        if (!full)
            return full.error();
        result.later.append(*full);
    }
    return result;
}

// The snapshot's files are matched to the host's by path (a local snapshot may name them as
// typed, or as "host:path").
PathMatcher snapshotPathMatcher(const CliOptions &options)
{
    const QString root = options.root;
    return [root](const QString &snapshotPath, const QString &configPath) {
        if (sameFileUnder(root)(snapshotPath, configPath))
            return true;
        const QString a = QFileInfo(snapshotPath).canonicalFilePath();
        return !a.isEmpty() && (a == QFileInfo(configPath).canonicalFilePath()
                                || a == QFileInfo(LocalTransport(root).mapPath(configPath)).canonicalFilePath());
    };
}

// "ID (TIME, change)" for each, joined by `separator`.
QString laterList(const QList<Snapshot> &later, const QString &separator)
{
    QStringList items;
    for (const Snapshot &s : later)
        items << QStringLiteral("%1 (%2, %3)").arg(s.id, s.time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")), s.change);
    return items.join(separator);
}

} // namespace

// rollback ID: undo that change alone, on the files as they are now; later changes stay.
int runRollback(const CliOptions &options)
{
    if (options.arguments.size() != 1)
        return fail(makeError(ErrorKind::Usage, QStringLiteral("rollback takes one snapshot id")));
    if (options.force)
        return fail(makeError(ErrorKind::Usage,
                              QStringLiteral("rollback undoes one change and keeps the later ones; to put the files back as they "
                                             "were before it, discarding later changes, use: restore %1 --discard-later")
                                  .arg(printableInput(options.arguments.first()))));
    const Result<SnapshotAndLater> loaded = loadWithLater(options, options.arguments.first());
    if (!loaded)
        return fail(loaded.error());
    Change undo = undoChange(loaded->snapshot, snapshotPathMatcher(options), loaded->later);
    undo.setReason(options.reason);
    return applyThroughPipeline(options, undo);
}

// restore ID: the files as they were before that change — every later change is discarded,
// which needs --discard-later when there are any (--dry-run shows the diff and the list).
int runRestore(const CliOptions &options)
{
    if (options.arguments.size() != 1)
        return fail(makeError(ErrorKind::Usage, QStringLiteral("restore takes one snapshot id")));
    const Result<SnapshotAndLater> loaded = loadWithLater(options, options.arguments.first());
    if (!loaded)
        return fail(loaded.error());
    const Snapshot &snapshot = loaded->snapshot;
    if (!loaded->later.isEmpty()) {
        if (!options.discardLater && !options.dryRun)
            return fail(makeError(ErrorKind::Refused,
                                  QStringLiteral("restoring the files as they were before snapshot %1 discards %2 later change(s): %3. "
                                                 "Give --discard-later to do that (--dry-run shows the diff), or undo just this "
                                                 "change with: rollback %1; nothing was changed")
                                      .arg(snapshot.id)
                                      .arg(loaded->later.size())
                                      .arg(laterList(loaded->later, QStringLiteral("; ")))));
        if (!options.json)
            printError(QStringLiteral("This discards %1 later change(s):\n  %2")
                           .arg(loaded->later.size())
                           .arg(laterList(loaded->later, QStringLiteral("\n  "))));
    }
    Change restore = Change::restore(snapshot, snapshotPathMatcher(options), options.discardLater || options.dryRun);
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
                                    {QStringLiteral("outcome"), s.outcome.isEmpty() ? QStringLiteral("applied") : s.outcome},
                                    {QStringLiteral("files"), files}});
        }
        printJson(QJsonObject{{QStringLiteral("snapshots"), list}});
        return ExitOk;
    }
    QString out;
    for (const Snapshot &s : *snapshots)
        out += QStringLiteral("%1  %2  %3  %4%5%6\n")
                   .arg(s.id, s.host, s.user, s.change, s.reason.isEmpty() ? QString() : QStringLiteral(" (") + s.reason + QLatin1Char(')'),
                        s.outcome.isEmpty() ? QString() : QStringLiteral("  [not applied: %1]").arg(s.outcome));
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
