#include "RetryResultsModel.h"

#include "Theme.h"

#include <QBrush>
#include <QIcon>
#include <QPalette>

namespace smtls::gui {

RetryResultsModel::RetryResultsModel(QObject *parent) : QAbstractTableModel(parent) {}

void RetryResultsModel::setMessages(QList<RetryOutcome> messages)
{
    beginResetModel();
    m_messages = std::move(messages);
    endResetModel();
}

int RetryResultsModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_messages.size()); }
int RetryResultsModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant RetryResultsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_messages.size())
        return {};
    const RetryOutcome &m = m_messages.at(index.row());
    const bool delivered = m.result == QLatin1String("delivered");
    if (role == Qt::DisplayRole || role == Qt::AccessibleTextRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case IdColumn: return m.id;
        case ServerColumn: return m.server;
        case ResultColumn: return m.result;
        case StatusColumn: return m.status;
        default: return {};
        }
    }
    if (index.column() == ResultColumn && role == Qt::DecorationRole)
        return QIcon(delivered ? QStringLiteral(":/icons/ok.svg") : m.result == QLatin1String("bounced") ? QStringLiteral(":/icons/failed.svg")
                                                                                                          : QStringLiteral(":/icons/warning.svg"));
    if (index.column() == ResultColumn && role == Qt::ForegroundRole && !delivered)
        return QVariant::fromValue(QBrush(warningColor(QPalette())));
    return {};
}

QVariant RetryResultsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IdColumn: return tr("Queue id");
    case ServerColumn: return tr("Server");
    case ResultColumn: return tr("Result");
    case StatusColumn: return tr("Status now");
    default: return {};
    }
}

} // namespace smtls::gui
