#include "DestinationRulesModel.h"

#include <QDate>
#include <QIcon>
#include <QPalette>

namespace smtls::gui {

DestinationRulesModel::DestinationRulesModel(QObject *parent) : QAbstractTableModel(parent) {}

void DestinationRulesModel::setRules(QList<DestinationRule> rules)
{
    beginResetModel();
    m_rules = std::move(rules);
    endResetModel();
}

int DestinationRulesModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_rules.size()); }
int DestinationRulesModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

std::pair<QString, QString> DestinationRulesModel::splitNote(const QString &note)
{
    const QString date = note.section(QLatin1Char(' '), 0, 0);
    if (!QDate::fromString(date, Qt::ISODate).isValid())
        return {QString(), note};
    const qsizetype colon = note.indexOf(QLatin1Char(':'));
    return {date, colon < 0 ? QString() : note.mid(colon + 1).trimmed()};
}

QVariant DestinationRulesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rules.size())
        return {};
    const DestinationRule &r = m_rules.at(index.row());
    const auto [added, why] = splitNote(r.note);
    if (role == Qt::DisplayRole || role == Qt::AccessibleTextRole) {
        switch (index.column()) {
        case DestinationColumn: return r.destination.display();
        case TlsColumn: return r.tls ? QStringLiteral("on") : QStringLiteral("off");
        case WhyColumn: return why;
        case AddedColumn: return added;
        case LineColumn: return r.line;
        default: return {};
        }
    }
    if (role == Qt::DecorationRole && index.column() == TlsColumn)
        return QIcon(r.tls ? QStringLiteral(":/icons/tls-on.svg") : QStringLiteral(":/icons/tls-off.svg"));
    if (role == Qt::ToolTipRole) {
        QString tip = QStringLiteral("Try_TLS:%1 %2 (access file line %3)")
                          .arg(QString::fromLatin1(r.destination.key), QString::fromLatin1(r.value)).arg(r.line);
        if (!r.effective)
            tip += QStringLiteral("\nNot effective: the access map is not consulted or the client modifier overrides it.");
        return tip;
    }
    if (role == Qt::ForegroundRole && !r.effective)
        return QVariant::fromValue(QPalette().brush(QPalette::Disabled, QPalette::Text));
    return {};
}

QVariant DestinationRulesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case DestinationColumn: return QStringLiteral("Destination");
    case TlsColumn: return QStringLiteral("TLS");
    case WhyColumn: return QStringLiteral("Why");
    case AddedColumn: return QStringLiteral("Added");
    case LineColumn: return QStringLiteral("Line");
    default: return {};
    }
}

} // namespace smtls::gui
