#include "LogModel.h"

#include <QIcon>

namespace smtls::gui {

LogModel::LogModel(QObject *parent) : QAbstractTableModel(parent) {}

void LogModel::append(const CommandLogEntry &entry)
{
    if (m_entries.size() >= MaxEntries) {
        beginRemoveRows({}, 0, 0);
        m_entries.removeFirst();
        endRemoveRows();
    }
    const int row = int(m_entries.size());
    beginInsertRows({}, row, row);
    m_entries.append({QDateTime::currentDateTime(), entry});
    endInsertRows();
}

int LogModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_entries.size()); }
int LogModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant LogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size())
        return {};
    const auto &[time, e] = m_entries.at(index.row());
    if (role == Qt::DisplayRole || role == Qt::AccessibleTextRole) {
        switch (index.column()) {
        case TimeColumn: return time.toString(QStringLiteral("HH:mm:ss"));
        case HostColumn: return e.host;
        case CommandColumn: return e.command;
        case ExitColumn: return e.error.isEmpty() ? QString::number(e.exitCode) : e.error;
        case DurationColumn: return QStringLiteral("%1 ms").arg(e.milliseconds);
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole)
        return e.command;
    if (role == Qt::DecorationRole && index.column() == ExitColumn)
        return QIcon(e.exitCode == 0 && e.error.isEmpty() ? QStringLiteral(":/icons/ok.svg") : QStringLiteral(":/icons/failed.svg"));
    return {};
}

QVariant LogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return QStringLiteral("Time");
    case HostColumn: return QStringLiteral("Host");
    case CommandColumn: return QStringLiteral("Command");
    case ExitColumn: return QStringLiteral("Exit");
    case DurationColumn: return QStringLiteral("Duration");
    default: return {};
    }
}

} // namespace smtls::gui
