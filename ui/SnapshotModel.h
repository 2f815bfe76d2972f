#pragma once
// The snapshots of one host, newest first: when, what changed, who and why.

#include "SnapshotStore.h"

#include <QAbstractTableModel>

namespace smtls::gui {

class SnapshotModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TimeColumn, ChangeColumn, UserColumn, ReasonColumn, ColumnCount };

    explicit SnapshotModel(QObject *parent = nullptr);
    void setSnapshots(QList<Snapshot> snapshots);
    const Snapshot &snapshotAt(int row) const { return m_snapshots.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<Snapshot> m_snapshots;
};

} // namespace smtls::gui
