#pragma once
// The snapshots of one host, newest first: when, what changed, who, why and where they are kept.

#include "HistoryList.h"

#include <QAbstractTableModel>

namespace smtls::gui {

class SnapshotModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TimeColumn, ChangeColumn, UserColumn, ReasonColumn, KeptColumn, ColumnCount };

    explicit SnapshotModel(QObject *parent = nullptr);
    void setItems(QList<HistoryItem> items);
    const HistoryItem &itemAt(int row) const { return m_items.at(row); }
    const Snapshot &snapshotAt(int row) const { return m_items.at(row).summary; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<HistoryItem> m_items;
};

} // namespace smtls::gui
