#include "LogModel.h"

#include <QIcon>

namespace smtls::gui {

LogModel::LogModel(QObject *parent) : QAbstractTableModel(parent) {}

void LogModel::append(const CommandLogEntry &entry, const QString &hostName)
{
    if (m_entries.size() >= MaxEntries) {
        beginRemoveRows({}, 0, 0);
        m_entries.removeFirst();
        endRemoveRows();
    }
    const int row = int(m_entries.size());
    beginInsertRows({}, row, row);
    m_entries.append({QDateTime::currentDateTime(), entry, hostName.isEmpty() ? entry.host : hostName});
    endInsertRows();
}

bool LogModel::isInternalHelper(const QString &command)
{
    // As CommandLine::display() writes them: `sh -c 'SCRIPT' sh ARGS…`, maybe behind sudo or
    // pkexec. User text never becomes shell text (only positional parameters), so a script
    // there is always one of ours.
    QStringView rest(command);
    for (bool stripped = true; stripped;) {
        stripped = false;
        for (QLatin1String prefix : {QLatin1String("sudo "), QLatin1String("pkexec "), QLatin1String("-n "),
                                         QLatin1String("-S "), QLatin1String("-- ")})
            if (rest.startsWith(prefix)) {
                rest = rest.mid(prefix.size());
                stripped = true;
            }
    }
    if (!rest.startsWith(QLatin1String("sh -c ")))
        return false;
    rest = rest.mid(6);
    if (rest.startsWith(QLatin1Char('\'')))
        rest = rest.mid(1);
    return !rest.startsWith(QLatin1String("run_sequence()"));
}

int LogModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_entries.size()); }
int LogModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant LogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size())
        return {};
    const Row &r = m_entries.at(index.row());
    const CommandLogEntry &e = r.entry;
    if (role == Qt::DisplayRole || role == Qt::AccessibleTextRole) {
        switch (index.column()) {
        case TimeColumn: return r.time.toString(QStringLiteral("HH:mm:ss"));
        case HostColumn: return r.hostName;
        case CommandColumn: return e.command;
        case ExitColumn: return e.error.isEmpty() ? QString::number(e.exitCode) : e.error;
        case DurationColumn: return tr("%1 ms").arg(e.milliseconds);
        default: return {};
        }
    }
    if (role == InternalRole)
        return e.error.isEmpty() && isInternalHelper(e.command);
    if (role == Qt::ToolTipRole)
        return index.column() == HostColumn ? e.host : e.command;
    if (role == Qt::DecorationRole && index.column() == ExitColumn)
        return QIcon(e.exitCode == 0 && e.error.isEmpty() ? QStringLiteral(":/icons/ok.svg") : QStringLiteral(":/icons/failed.svg"));
    return {};
}

QVariant LogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return tr("Time");
    case HostColumn: return tr("Host");
    case CommandColumn: return tr("Command");
    case ExitColumn: return tr("Exit");
    case DurationColumn: return tr("Duration");
    default: return {};
    }
}

LogFilter::LogFilter(LogModel *log, QObject *parent) : QSortFilterProxyModel(parent)
{
    setSourceModel(log);
}

void LogFilter::setShowAll(bool all)
{
    if (all == m_showAll)
        return;
    m_showAll = all;
    invalidateRowsFilter();
}

bool LogFilter::filterAcceptsRow(int row, const QModelIndex &parent) const
{
    return m_showAll || !sourceModel()->index(row, 0, parent).data(LogModel::InternalRole).toBool();
}

} // namespace smtls::gui
