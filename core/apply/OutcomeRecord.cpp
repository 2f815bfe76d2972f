#include "apply/OutcomeRecord.h"

#include "SnapshotStore.h"
#include "transport/Transport.h"

#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>

namespace smtls {

QJsonObject withOutcome(QJsonObject manifest, const ApplyReport &report)
{
    manifest.insert(QStringLiteral("outcome"), outcomeName(report.outcome));
    manifest.insert(QStringLiteral("outcomeSummary"), report.summary);
    return manifest;
}

QString recordedOutcome(const QJsonObject &manifest) { return manifest.value(QStringLiteral("outcome")).toString(); }

Status markLocalSnapshot(const SnapshotStore &store, const QString &id, const ApplyReport &report)
{
    const QString path = store.directory() + QLatin1Char('/') + id + QStringLiteral("/manifest.json");
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::FileAccess, QStringLiteral("cannot read the snapshot's manifest: %1").arg(in.errorString()), path);
    const QJsonObject manifest = QJsonDocument::fromJson(in.readAll()).object();
    in.close();
    if (manifest.isEmpty())
        return makeError(ErrorKind::FileAccess, QStringLiteral("the snapshot's manifest is damaged"), path);
    // Atomically: a listing meanwhile sees the old manifest or the new one, never half.
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(QJsonDocument(withOutcome(manifest, report)).toJson()) < 0 || !out.commit())
        return makeError(ErrorKind::FileAccess, QStringLiteral("cannot write the snapshot's manifest: %1").arg(out.errorString()), path);
    return std::nullopt;
}

Status markHostSnapshot(Transport &transport, const QString &folder, const ApplyReport &report)
{
    const QString path = folder + QStringLiteral("/manifest.json");
    const Result<std::optional<QByteArray>> manifest = transport.readFile(path, 1 << 20);
    if (!manifest)
        return manifest.error();
    if (!*manifest)
        return makeError(ErrorKind::FileAccess, QStringLiteral("the host's snapshot has no manifest"), path);
    return transport.writeFile(path, QJsonDocument(withOutcome(QJsonDocument::fromJson(**manifest).object(), report)).toJson());
}

} // namespace smtls
