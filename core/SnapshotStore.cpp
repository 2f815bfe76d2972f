#include "SnapshotStore.h"

#include "TextFile.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

#include <algorithm>

namespace smtls {
namespace {

QString safeForFileName(const QString &text)
{
    QString out;
    for (QChar c : text)
        out += (c.isLetterOrNumber() && c.unicode() < 128) || c == QLatin1Char('-') || c == QLatin1Char('.')
            ? c
            : QLatin1Char('_');
    return out.left(64);
}

Error storeError(const QString &path, const QString &what)
{
    return makeError(ErrorKind::FileAccess, what, path);
}

} // namespace

SnapshotStore::SnapshotStore(QString directory) : m_directory(std::move(directory)) {}

QString SnapshotStore::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/snapshots");
}

Result<QString> SnapshotStore::save(Snapshot snapshot) const
{
    if (!snapshot.time.isValid())
        snapshot.time = QDateTime::currentDateTimeUtc();
    const QString base = snapshot.time.toUTC().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz")) + QLatin1Char('-')
        + safeForFileName(snapshot.host);
    QDir root(m_directory);
    if (!root.mkpath(QStringLiteral(".")))
        return storeError(m_directory, QStringLiteral("cannot create the snapshot folder"));
    QFile::setPermissions(m_directory, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QString id = base;
    for (int n = 2; root.exists(id); ++n)
        id = base + QLatin1Char('-') + QString::number(n);
    if (!root.mkdir(id))
        return storeError(root.filePath(id), QStringLiteral("cannot create the snapshot"));
    const QString dir = root.filePath(id);
    QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);

    QJsonArray files;
    for (qsizetype k = 0; k < snapshot.files.size(); ++k) {
        const SnapshotFile &f = snapshot.files[k];
        const QString stem = QString::number(k);
        if (Status s = writeFileAtomically(dir + QLatin1Char('/') + stem + QStringLiteral(".before"), f.before))
            return *s;
        if (Status s = writeFileAtomically(dir + QLatin1Char('/') + stem + QStringLiteral(".after"), f.after))
            return *s;
        files.append(QJsonObject{{QStringLiteral("path"), f.path},
                                 {QStringLiteral("existedBefore"), f.existedBefore},
                                 {QStringLiteral("stem"), stem}});
    }
    const QJsonObject manifest{{QStringLiteral("id"), id},
                               {QStringLiteral("host"), snapshot.host},
                               {QStringLiteral("time"), snapshot.time.toUTC().toString(Qt::ISODateWithMs)},
                               {QStringLiteral("user"), snapshot.user},
                               {QStringLiteral("change"), snapshot.change},
                               {QStringLiteral("reason"), snapshot.reason},
                               {QStringLiteral("files"), files}};
    if (Status s = writeFileAtomically(dir + QStringLiteral("/manifest.json"), QJsonDocument(manifest).toJson()))
        return *s;
    return id;
}

Result<Snapshot> SnapshotStore::load(const QString &id) const
{
    if (id.isEmpty() || id.contains(QLatin1Char('/')) || id.startsWith(QLatin1Char('.')))
        return makeError(ErrorKind::InvalidInput, QStringLiteral("'%1' is not a snapshot id").arg(id));
    const QString dir = m_directory + QLatin1Char('/') + id;
    QFile manifestFile(dir + QStringLiteral("/manifest.json"));
    if (!manifestFile.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::InvalidInput, QStringLiteral("there is no snapshot '%1'").arg(id), m_directory);
    const QJsonObject m = QJsonDocument::fromJson(manifestFile.readAll()).object();
    Snapshot s;
    s.id = m.value(QStringLiteral("id")).toString();
    s.host = m.value(QStringLiteral("host")).toString();
    s.time = QDateTime::fromString(m.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs);
    s.user = m.value(QStringLiteral("user")).toString();
    s.change = m.value(QStringLiteral("change")).toString();
    s.reason = m.value(QStringLiteral("reason")).toString();
    for (const QJsonValue &v : m.value(QStringLiteral("files")).toArray()) {
        const QJsonObject o = v.toObject();
        SnapshotFile f;
        f.path = o.value(QStringLiteral("path")).toString();
        f.existedBefore = o.value(QStringLiteral("existedBefore")).toBool(true);
        const QString stem = dir + QLatin1Char('/') + o.value(QStringLiteral("stem")).toString();
        QFile before(stem + QStringLiteral(".before")), after(stem + QStringLiteral(".after"));
        if (!before.open(QIODevice::ReadOnly) || !after.open(QIODevice::ReadOnly))
            return storeError(dir, QStringLiteral("the snapshot is incomplete"));
        f.before = before.readAll();
        f.after = after.readAll();
        s.files.append(f);
    }
    return s;
}

Result<QList<Snapshot>> SnapshotStore::list() const
{
    QList<Snapshot> out;
    const QDir root(m_directory);
    for (const QString &id : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name | QDir::Reversed)) {
        if (!QFile::exists(root.filePath(id) + QStringLiteral("/manifest.json")))
            continue;  // interrupted before its manifest: never complete
        Result<Snapshot> s = load(id);
        if (!s)
            continue;
        for (SnapshotFile &f : s->files)
            f.before.clear(), f.after.clear();
        out.append(*s);
    }
    return out;
}

} // namespace smtls
