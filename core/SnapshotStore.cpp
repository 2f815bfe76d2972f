#include "SnapshotStore.h"

#include "Destination.h"
#include "TextFile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

#include <algorithm>

#include <unistd.h>

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

struct Delta {
    qsizetype prefix = 0;
    qsizetype suffix = 0;
    QByteArray middle;
};

Delta deltaOf(const QByteArray &before, const QByteArray &after)
{
    Delta d;
    const qsizetype limit = std::min(before.size(), after.size());
    while (d.prefix < limit && before[d.prefix] == after[d.prefix])
        ++d.prefix;
    while (d.suffix < limit - d.prefix && before[before.size() - 1 - d.suffix] == after[after.size() - 1 - d.suffix])
        ++d.suffix;
    d.middle = after.mid(d.prefix, after.size() - d.prefix - d.suffix);
    return d;
}

// The "before" copy: always the bytes we read, in a file of the snapshot's own. Never a hard
// link to the live file: an editor that writes in place (vim does when the file has several
// links), or a write that never happened, would otherwise change history after the fact.
Status storeBefore(const SnapshotFile &f, const QString &beforePath)
{
    return writeFileAtomically(beforePath, f.before);
}

} // namespace

SnapshotStore::SnapshotStore(QString directory, QStringList olderDirectories)
    : m_directory(std::move(directory)), m_older(std::move(olderDirectories))
{
    m_older.removeAll(m_directory);
}

// <GenericDataLocation>/<organisation>: both programs set the organisation "sendmail-tls"
// (tests set their own, so that each test process has a store of its own).
static QString organisationDataFolder()
{
    const QString organisation = QCoreApplication::organizationName().isEmpty() ? QStringLiteral("sendmail-tls")
                                                                               : QCoreApplication::organizationName();
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QLatin1Char('/') + organisation;
}

QString SnapshotStore::defaultDirectory()
{
    // Not AppLocalDataLocation: that differs per program (sendmail-tls, sendmail-tls-gui), and
    // the command line must list what the window did on the same computer.
    return organisationDataFolder() + QStringLiteral("/snapshots");
}

QStringList SnapshotStore::olderDefaultDirectories()
{
    const QString data = organisationDataFolder();
    return {data + QStringLiteral("/sendmail-tls/snapshots"), data + QStringLiteral("/sendmail-tls-gui/snapshots")};
}

SnapshotStore SnapshotStore::userStore()
{
    return SnapshotStore(defaultDirectory(), olderDefaultDirectories());
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
        const QString beforePath = dir + QLatin1Char('/') + stem + QStringLiteral(".before");
        if (Status s = storeBefore(f, beforePath))
            return *s;
        // "after" is kept as the changed middle between the common prefix and suffix: one line
        // of a million-line map costs a few bytes, not another full copy.
        const Delta d = deltaOf(f.before, f.after);
        if (Status s = writeFileAtomically(dir + QLatin1Char('/') + stem + QStringLiteral(".after-middle"), d.middle))
            return *s;
        files.append(QJsonObject{{QStringLiteral("path"), f.path},
                                 {QStringLiteral("existedBefore"), f.existedBefore},
                                 {QStringLiteral("stem"), stem},
                                 {QStringLiteral("afterPrefix"), double(d.prefix)},
                                 {QStringLiteral("afterSuffix"), double(d.suffix)}});
    }
    const QJsonObject manifest{{QStringLiteral("id"), id},
                               {QStringLiteral("host"), snapshot.host},
                               {QStringLiteral("time"), snapshot.time.toUTC().toString(Qt::ISODateWithMs)},
                               {QStringLiteral("user"), snapshot.user},
                               {QStringLiteral("change"), snapshot.change},
                               {QStringLiteral("changeRecord"), snapshot.changeRecord},
                               {QStringLiteral("reason"), snapshot.reason},
                               {QStringLiteral("files"), files}};
    if (Status s = writeFileAtomically(dir + QStringLiteral("/manifest.json"), QJsonDocument(manifest).toJson()))
        return *s;
    return id;
}

Status SnapshotStore::setOutcome(const QString &id, const QString &outcome, const QString &summary) const
{
    if (Status bad = checkId(id))
        return *bad;
    const QString path = folderHolding(id) + QLatin1Char('/') + id + QStringLiteral("/manifest.json");
    const Result<QByteArray> bytes = readConfigFile(path, 1024 * 1024);
    if (!bytes)
        return bytes.error();
    QJsonObject manifest = QJsonDocument::fromJson(*bytes).object();
    manifest.insert(QStringLiteral("outcome"), outcome);
    if (!summary.isEmpty())
        manifest.insert(QStringLiteral("outcomeSummary"), summary);
    return writeFileAtomically(path, QJsonDocument(manifest).toJson());
}

Status SnapshotStore::checkId(const QString &id)
{
    if (id.isEmpty() || id.contains(QLatin1Char('/')) || id.startsWith(QLatin1Char('.')))
        return makeError(ErrorKind::InvalidInput, QStringLiteral("'%1' is not a snapshot id").arg(printableInput(id)));
    return std::nullopt;
}

QString SnapshotStore::folderHolding(const QString &id) const
{
    for (const QString &older : m_older)
        if (QFile::exists(older + QLatin1Char('/') + id + QStringLiteral("/manifest.json")))
            return older;
    return m_directory;
}

Result<Snapshot> SnapshotStore::load(const QString &id) const
{
    if (Status bad = checkId(id))
        return *bad;
    return loadFrom(folderHolding(id), id);
}

Result<Snapshot> SnapshotStore::loadFrom(const QString &directory, const QString &id) const
{
    const QString dir = directory + QLatin1Char('/') + id;
    QFile manifestFile(dir + QStringLiteral("/manifest.json"));
    if (!manifestFile.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::InvalidInput, QStringLiteral("there is no snapshot '%1'").arg(printableInput(id)), directory);
    const QJsonObject m = QJsonDocument::fromJson(manifestFile.readAll()).object();
    Snapshot s;
    s.id = m.value(QStringLiteral("id")).toString();
    s.host = m.value(QStringLiteral("host")).toString();
    s.time = QDateTime::fromString(m.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs);
    s.user = m.value(QStringLiteral("user")).toString();
    s.change = m.value(QStringLiteral("change")).toString();
    s.changeRecord = m.value(QStringLiteral("changeRecord")).toObject();
    s.reason = m.value(QStringLiteral("reason")).toString();
    s.outcome = m.value(QStringLiteral("outcome")).toString();
    for (const QJsonValue &v : m.value(QStringLiteral("files")).toArray()) {
        const QJsonObject o = v.toObject();
        SnapshotFile f;
        f.path = o.value(QStringLiteral("path")).toString();
        f.existedBefore = o.value(QStringLiteral("existedBefore")).toBool(true);
        const QString stem = dir + QLatin1Char('/') + o.value(QStringLiteral("stem")).toString();
        QFile before(stem + QStringLiteral(".before")), middle(stem + QStringLiteral(".after-middle"));
        if (!before.open(QIODevice::ReadOnly) || !middle.open(QIODevice::ReadOnly))
            return storeError(dir, QStringLiteral("the snapshot is incomplete"));
        f.before = before.readAll();
        const qsizetype prefix = qsizetype(o.value(QStringLiteral("afterPrefix")).toDouble());
        const qsizetype suffix = qsizetype(o.value(QStringLiteral("afterSuffix")).toDouble());
        if (prefix < 0 || suffix < 0 || prefix + suffix > f.before.size())
            return storeError(dir, QStringLiteral("the snapshot's manifest is damaged"));
        f.after = f.before.left(prefix) + middle.readAll() + f.before.right(suffix);
        s.files.append(f);
    }
    return s;
}

QStringList snapshotsToPrune(const QList<Snapshot> &newestFirst, std::optional<int> keep, std::optional<QDateTime> olderThan)
{
    QStringList out;
    for (qsizetype i = 0; i < newestFirst.size(); ++i) {
        const Snapshot &s = newestFirst[i];
        if ((keep && i >= *keep) || (olderThan && s.time.isValid() && s.time < *olderThan))
            out << s.id;
    }
    return out;
}

Status SnapshotStore::remove(const QString &id) const
{
    if (Status bad = checkId(id))
        return bad;
    const QString dir = folderHolding(id) + QLatin1Char('/') + id;
    // The manifest first: a half-removed snapshot is never listed.
    QFile::remove(dir + QStringLiteral("/manifest.json"));
    if (!QDir(dir).removeRecursively())
        return storeError(dir, QStringLiteral("cannot remove the snapshot"));
    return std::nullopt;
}

Result<QList<Snapshot>> SnapshotStore::list() const
{
    QList<Snapshot> out;
    const QStringList directories = QStringList(m_older) << m_directory;
    for (const QString &directory : directories) {
        const QDir root(directory);
        for (const QString &id : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            if (!QFile::exists(root.filePath(id) + QStringLiteral("/manifest.json")))
                continue;  // interrupted before its manifest: never complete
            Result<Snapshot> s = loadFrom(directory, id);
            if (!s)
                continue;
            for (SnapshotFile &f : s->files)
                f.before.clear(), f.after.clear();
            out.append(*s);
        }
    }
    // Ids start with the UTC time: newest first across all folders.
    std::stable_sort(out.begin(), out.end(), [](const Snapshot &a, const Snapshot &b) { return a.id > b.id; });
    return out;
}

} // namespace smtls
