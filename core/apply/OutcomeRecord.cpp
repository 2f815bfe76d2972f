#include "apply/OutcomeRecord.h"

#include "transport/Transport.h"

#include <QJsonDocument>

namespace smtls {

QJsonObject withOutcome(QJsonObject manifest, const ApplyReport &report)
{
    manifest.insert(QStringLiteral("outcome"), outcomeName(report.outcome));
    manifest.insert(QStringLiteral("outcomeSummary"), report.summary);
    return manifest;
}

QString recordedOutcome(const QJsonObject &manifest) { return manifest.value(QStringLiteral("outcome")).toString(); }

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
