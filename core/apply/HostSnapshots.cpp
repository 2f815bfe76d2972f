#include "apply/HostSnapshots.h"

#include "apply/OutcomeRecord.h"

#include <QRegularExpression>

#include "Destination.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace smtls {
namespace {

Snapshot fromManifest(const QJsonObject &m, const QString &host)
{
    Snapshot s;
    s.id = m.value(QStringLiteral("id")).toString();
    s.host = host;
    s.time = QDateTime::fromString(m.value(QStringLiteral("time")).toString(), Qt::ISODate);
    s.user = m.value(QStringLiteral("user")).toString();
    s.change = m.value(QStringLiteral("change")).toString();
    s.changeRecord = m.value(QStringLiteral("changeRecord")).toObject();
    s.reason = m.value(QStringLiteral("reason")).toString();
    s.outcome = recordedOutcome(m);  // a failed attempt made from elsewhere is marked too
    for (const QJsonValue &v : m.value(QStringLiteral("files")).toArray())
        s.files.append(SnapshotFile{v.toObject().value(QStringLiteral("path")).toString(), {}, {},
                                    v.toObject().value(QStringLiteral("existedBefore")).toBool(true)});
    return s;
}

// The apply's id: its UTC time in digits, then (since two applies may start in the same
// millisecond) "-" and four hex digits. Nothing else ever names a folder we read or remove.
bool isSnapshotId(const QString &id)
{
    static const QRegularExpression form(QStringLiteral("^[0-9]{1,30}(-[0-9a-f]{4})?$"));
    return form.match(id).hasMatch();
}

} // namespace

Result<QList<Snapshot>> listHostSnapshots(Transport &transport, const HostProfile &profile)
{
    // Every manifest in one round trip, separated by a NUL (which JSON text never holds).
    const Result<CommandResult> r = transport.run(
        CommandLine::shellScript(QStringLiteral("for m in \"$1\"/*/manifest.json; do [ -f \"$m\" ] && cat -- \"$m\" && printf '\\0'; done; true"),
                                 {transport.commandPath(profile.snapshotDir)}));
    if (!r)
        return r.error();
    QList<Snapshot> out;
    for (const QByteArray &chunk : r->out.split('\0')) {
        const QJsonObject m = QJsonDocument::fromJson(chunk).object();
        if (!m.isEmpty())
            out.append(fromManifest(m, transport.hostName()));
    }
    std::sort(out.begin(), out.end(), [](const Snapshot &a, const Snapshot &b) { return a.id > b.id; });
    return out;
}

Status removeHostSnapshots(Transport &transport, const HostProfile &profile, const QStringList &ids)
{
    for (const QString &id : ids)
        if (!isSnapshotId(id))
            return makeError(ErrorKind::InvalidInput, QStringLiteral("'%1' is not a snapshot id of a host").arg(printableInput(id)));
    if (ids.isEmpty())
        return std::nullopt;
    // The manifest first, so that an interrupted removal never leaves a listed half.
    const Result<CommandResult> r = transport.run(
        CommandLine::shellScript(QStringLiteral("dir=$1; shift\n"
                                                "for id in \"$@\"; do rm -f -- \"$dir/$id/manifest.json\" && rm -rf -- \"$dir/$id\" || exit 1; done\n"),
                                 QStringList{transport.commandPath(profile.snapshotDir)} + ids),
        {}, std::chrono::seconds(120));
    if (!r)
        return r.error();
    if (!r->ok())
        return makeError(ErrorKind::FileAccess, QStringLiteral("cannot remove snapshots on the host: %1").arg(r->firstErrorLine()),
                         transport.hostName() + QLatin1Char(':') + profile.snapshotDir);
    return std::nullopt;
}

Result<Snapshot> loadHostSnapshot(Transport &transport, const HostProfile &profile, const QString &id)
{
    if (!isSnapshotId(id))
        return makeError(ErrorKind::InvalidInput, QStringLiteral("'%1' is not a snapshot id of a host (its time in digits, then - and four hex digits)").arg(printableInput(id)));
    const QString folder = profile.snapshotDir + QLatin1Char('/') + id;
    const Result<std::optional<QByteArray>> manifest = transport.readFile(folder + QStringLiteral("/manifest.json"), 1 << 20);
    if (!manifest)
        return manifest.error();
    if (!*manifest)
        return makeError(ErrorKind::InvalidInput, QStringLiteral("there is no snapshot %1 on %2").arg(id, transport.hostName()));
    Snapshot s = fromManifest(QJsonDocument::fromJson(**manifest).object(), transport.hostName());
    for (qsizetype k = 0; k < s.files.size(); ++k) {
        for (const char *which : {"before", "after"}) {
            const Result<std::optional<QByteArray>> bytes =
                transport.readFile(folder + QStringLiteral("/%1.%2").arg(k).arg(QLatin1String(which)), 64 << 20);
            if (!bytes)
                return bytes.error();
            if (!*bytes)
                return makeError(ErrorKind::FileAccess, QStringLiteral("snapshot %1 on %2 is incomplete").arg(id, transport.hostName()));
            (QLatin1String(which) == QLatin1String("before") ? s.files[k].before : s.files[k].after) = **bytes;
        }
    }
    return s;
}

} // namespace smtls
