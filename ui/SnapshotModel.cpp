#include "SnapshotModel.h"

#include <QJsonObject>
#include <QPalette>

namespace smtls::gui {

SnapshotModel::SnapshotModel(QObject *parent) : QAbstractTableModel(parent) {}

namespace {

QString shortTime(const QDateTime &t) { return t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")); }

// Which row a change record's target (a snapshot id, here or on the host) names.
qsizetype rowOf(const QList<HistoryItem> &items, const QString &id)
{
    for (qsizetype i = 0; !id.isEmpty() && i < items.size(); ++i)
        if (items[i].localId == id || items[i].hostId == id)
            return i;
    return -1;
}

} // namespace

void SnapshotModel::setItems(QList<HistoryItem> items)
{
    beginResetModel();
    m_items = std::move(items);
    m_fates.clear();
    QList<QString> fates(m_items.size());
    // Oldest first: what happened first to a change is what it shows.
    for (qsizetype j = m_items.size() - 1; j >= 0; --j) {
        const QJsonObject record = m_items[j].summary.changeRecord;
        const QString kind = record.value(QStringLiteral("kind")).toString();
        const qsizetype target = rowOf(m_items, record.value(QStringLiteral("target")).toString());
        if (target < 0 || target <= j)  // names nothing listed, or nothing older
            continue;
        if (kind == QLatin1String("undo") && fates[target].isEmpty())
            fates[target] = tr("Undone on %1").arg(shortTime(m_items[j].summary.time));
        if (kind == QLatin1String("restore"))
            for (qsizetype i = j + 1; i <= target; ++i)  // the target and everything after it, up to the restore
                if (fates[i].isEmpty())
                    fates[i] = tr("Discarded by the restore on %1").arg(shortTime(m_items[j].summary.time));
    }
    for (qsizetype i = 0; i < m_items.size(); ++i) {
        if (const QString outcome = m_items[i].summary.outcome; !outcome.isEmpty())
            fates[i] = tr("Not applied: %1").arg(outcome);  // a failed attempt, never a change
        if (fates[i].isEmpty())
            continue;
        if (!m_items[i].localId.isEmpty())
            m_fates.insert(m_items[i].localId, fates[i]);
        if (!m_items[i].hostId.isEmpty())
            m_fates.insert(QStringLiteral("host:") + m_items[i].hostId, fates[i]);
    }
    endResetModel();
}

QString SnapshotModel::fateOf(const HistoryItem &item) const
{
    if (!item.localId.isEmpty() && m_fates.contains(item.localId))
        return m_fates.value(item.localId);
    return item.hostId.isEmpty() ? QString() : m_fates.value(QStringLiteral("host:") + item.hostId);
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
        case StateColumn: {
            const QString fate = fateOf(item);
            return fate.isEmpty() ? tr("In the files") : fate;
        }
        default: return {};
        }
    }
    if (role == Qt::ForegroundRole && !fateOf(item).isEmpty())
        return QPalette().brush(QPalette::Disabled, QPalette::Text);
    if (role == Qt::ToolTipRole) {
        QStringList ids;
        if (!item.localId.isEmpty())
            ids << tr("%1 on this computer").arg(item.localId);
        if (!item.hostId.isEmpty())
            ids << tr("%1 on the host").arg(item.hostId);
        return tr("Snapshot %1 of %2").arg(ids.join(QStringLiteral(", ")), s.host);
    }
    return {};
}

QVariant SnapshotModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return tr("When");
    case ChangeColumn: return tr("Change");
    case UserColumn: return tr("User");
    case ReasonColumn: return tr("Reason");
    case KeptColumn: return tr("Kept");
    case StateColumn: return tr("State");
    default: return {};
    }
}

} // namespace smtls::gui
