#include "SnapshotModel.h"

namespace smtls::gui {

SnapshotModel::SnapshotModel(QObject *parent) : QAbstractTableModel(parent) {}

void SnapshotModel::setSnapshots(QList<Snapshot> snapshots)
{
    beginResetModel();
    m_snapshots = std::move(snapshots);
    endResetModel();
}

int SnapshotModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_snapshots.size()); }
int SnapshotModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant SnapshotModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_snapshots.size())
        return {};
    const Snapshot &s = m_snapshots.at(index.row());
    if (role == Qt::DisplayRole || role == Qt::AccessibleTextRole) {
        switch (index.column()) {
        case TimeColumn: return s.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        case ChangeColumn: return s.change;
        case UserColumn: return s.user;
        case ReasonColumn: return s.reason;
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole)
        return QStringLiteral("Snapshot %1 of %2").arg(s.id, s.host);
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
    default: return {};
    }
}

} // namespace smtls::gui
