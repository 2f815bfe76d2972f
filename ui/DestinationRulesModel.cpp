#include "DestinationRulesModel.h"

#include <QDate>
#include <QIcon>
#include <QPalette>

namespace smtls::gui {

DestinationRulesModel::DestinationRulesModel(QObject *parent) : QAbstractTableModel(parent) {}

void DestinationRulesModel::setRules(Rules rules, Rows rows)
{
    beginResetModel();
    m_rules = rules ? std::move(rules) : std::make_shared<const QList<DestinationRule>>();
    m_rows = std::move(rows);
    endResetModel();
}

int DestinationRulesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows ? m_rows->size() : m_rules->size());
}
int DestinationRulesModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

std::pair<QString, QString> DestinationRulesModel::splitNote(const QString &note)
{
    const QString date = note.section(QLatin1Char(' '), 0, 0);
    if (!QDate::fromString(date, Qt::ISODate).isValid())
        return {QString(), note};
    const qsizetype colon = note.indexOf(QLatin1Char(':'));
    return {date, colon < 0 ? QString() : note.mid(colon + 1).trimmed()};
}

QString DestinationRulesModel::text(const DestinationRule &rule, int column)
{
    switch (column) {
    case DestinationColumn: return rule.destination.display();
    case TlsColumn: return rule.tls ? QStringLiteral("on") : QStringLiteral("off");
    case WhyColumn: return splitNote(rule.note).second;
    case AddedColumn: return splitNote(rule.note).first;
    case LineColumn: return QString::number(rule.line);
    default: return {};
    }
}

QVariant DestinationRulesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const DestinationRule &r = ruleAt(index.row());
    if (role == Qt::DisplayRole || role == Qt::AccessibleTextRole)
        return index.column() == LineColumn ? QVariant(r.line) : QVariant(text(r, index.column()));
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
