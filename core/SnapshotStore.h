#pragma once
// Every write is preceded by a snapshot: the before and after bytes of each file, with host,
// time, user, the change in words and as data, and why. Stored as plain files of their own under
// one folder per snapshot (mode 0700: an access map can hold AuthInfo passwords; never links to
// the live files, so nothing can change a snapshot afterwards), the manifest written last so
// that a half-written snapshot is never listed.

#include "Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace smtls {

struct SnapshotFile {
    QString path;
    QByteArray before;
    QByteArray after;
    bool existedBefore = true;
};

struct Snapshot {
    QString id;
    QString host;
    QDateTime time;
    QString user;
    QString change;  // Change::description(), e.g. "set destination mx.example.com off"
    QJsonObject changeRecord;  // Change::toJson(): kind, target, setting (empty in older snapshots)
    QString reason;
    // Empty for a change that was applied; else what became of the attempt ("rolled back",
    // "rollback failed", "failed"): its snapshot stays (it holds bytes nothing else has), but
    // History must not offer it as an ordinary change.
    QString outcome;
    QList<SnapshotFile> files;
};

// Retention: which of `newestFirst` to remove so that at most `keep` remain (the newest) and
// none is older than `olderThan`. Either limit may be absent; with neither, nothing goes.
QStringList snapshotsToPrune(const QList<Snapshot> &newestFirst, std::optional<int> keep, std::optional<QDateTime> olderThan);

class SnapshotStore {
public:
    // Snapshots are saved in `directory`; `olderDirectories` are only read (listed and loaded).
    explicit SnapshotStore(QString directory, QStringList olderDirectories = {});
    // The one per-user store of the command line and the desktop application, whatever the
    // program: <GenericDataLocation>/<organisation>/snapshots (~/.local/share/sendmail-tls/snapshots).
    static QString defaultDirectory();
    // Where earlier versions kept them, one folder per program; still listed.
    static QStringList olderDefaultDirectories();
    // The default store with the older folders.
    static SnapshotStore userStore();

    const QString &directory() const { return m_directory; }
    Result<QString> save(Snapshot snapshot) const;  // returns the new id
    Result<QList<Snapshot>> list() const;           // newest first, without file contents
    Result<Snapshot> load(const QString &id) const;
    // For a snapshot whose change never happened (refused, or rolled back): it must not be
    // listed as a change.
    Status remove(const QString &id) const;
    // Records what became of a change whose snapshot stays although it did not go through: the
    // manifest's "outcome" ("rolled back", "rollback failed", "failed") and "outcomeSummary" (the
    // cause and the state after), as OutcomeRecord.h describes them.
    Status setOutcome(const QString &id, const QString &outcome, const QString &summary = {}) const;

private:
    Result<Snapshot> loadFrom(const QString &directory, const QString &id) const;
    static Status checkId(const QString &id);  // never a path: no '/', no leading '.'
    QString folderHolding(const QString &id) const;  // an older folder that has it, else the current one
    QString m_directory;
    QStringList m_older;
};

} // namespace smtls
