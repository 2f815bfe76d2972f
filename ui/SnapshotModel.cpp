#include "SnapshotModel.h"

namespace smtls::gui {

SnapshotModel::SnapshotModel(QObject *parent) : QAbstractTableModel(parent) {}

void SnapshotModel::setItems(QList<HistoryItem> items)
{
    beginResetModel();
    m_items = std::move(items);
    endResetModel();
}

int SnapshotModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_items.size()); }
int SnapshotModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant SnapshotModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_items.size())
        return {};
    const HistoryItem &item = m_items.at(index.row());
    const Snapshot &s = item.summary;
    if (role == Qt::DisplayRole || role == Qt::AccessibleTextRole) {
        switch (index.column()) {
        case TimeColumn: return s.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        case ChangeColumn: return s.change;
        case UserColumn: return s.user;
        case ReasonColumn: return s.reason;
        case KeptColumn: return item.whereKept();
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        QStringList ids;
        if (!item.localId.isEmpty())
            ids << QStringLiteral("%1 on this computer").arg(item.localId);
        if (!item.hostId.isEmpty())
            ids << QStringLiteral("%1 on the host").arg(item.hostId);
        return QStringLiteral("Snapshot %1 of %2").arg(ids.join(QStringLiteral(", ")), s.host);
    }
    return {};
}

QVariant SnapshotModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return QStringLiteral("When");
    case ChangeColumn: return QStringLiteral("Change");
    case UserColumn: return QStringLiteral("User");
    case ReasonColumn: return QStringLiteral("Reason");
    case KeptColumn: return QStringLiteral("Kept");
    default: return {};
    }
}

} // namespace smtls::gui
