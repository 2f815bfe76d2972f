#pragma once
// Every write is preceded by a snapshot: the before and after bytes of each file, with host,
// time, user, the change in words and why. Stored as plain files under one folder per
// snapshot (mode 0700: an access map can hold AuthInfo passwords), the manifest written last
// so that a half-written snapshot is never listed.

#include "Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

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
    QString change;  // e.g. "set destination mx.example.com off"
    QString reason;
    QList<SnapshotFile> files;
};

class SnapshotStore {
public:
    explicit SnapshotStore(QString directory);
    // The per-user default: <AppLocalDataLocation>/snapshots.
    static QString defaultDirectory();

    const QString &directory() const { return m_directory; }
    Result<QString> save(Snapshot snapshot) const;  // returns the new id
    Result<QList<Snapshot>> list() const;           // newest first, without file contents
    Result<Snapshot> load(const QString &id) const;

private:
    QString m_directory;
};

} // namespace smtls
