#pragma once
// The snapshots of one host, newest first: when, what changed, who, why, where they are kept, and
// what became of the change: undone later, or discarded by a later restore (read from the later
// snapshots' change records), so that History does not offer those as ordinary targets.

#include "HistoryList.h"

#include <QAbstractTableModel>
#include <QHash>

namespace smtls::gui {

class SnapshotModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TimeColumn, ChangeColumn, UserColumn, ReasonColumn, KeptColumn, StateColumn, ColumnCount };

    explicit SnapshotModel(QObject *parent = nullptr);
    void setItems(QList<HistoryItem> items);
    const HistoryItem &itemAt(int row) const { return m_items.at(row); }
    const Snapshot &snapshotAt(int row) const { return m_items.at(row).summary; }
    // "Undone on …", "Discarded by the restore on …"; empty for a change still in the files.
    QString fateOf(const HistoryItem &item) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<HistoryItem> m_items;
    QHash<QString, QString> m_fates;  // by local id and by host id
};

} // namespace smtls::gui
