#pragma once
// The table of destination exceptions (Try_TLS rules) of the staged configuration: destination,
// TLS on/off, why and when it was added (from the "# sendmail-tls:" note above the rule).

#include "Policy.h"

#include <QAbstractTableModel>

namespace smtls::gui {

class DestinationRulesModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { DestinationColumn, TlsColumn, WhyColumn, AddedColumn, LineColumn, ColumnCount };

    explicit DestinationRulesModel(QObject *parent = nullptr);
    void setRules(QList<DestinationRule> rules);
    const DestinationRule &ruleAt(int row) const { return m_rules.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // "2026-11-25 TLS off: reason" -> {date, reason}
    static std::pair<QString, QString> splitNote(const QString &note);

private:
    QList<DestinationRule> m_rules;
};

} // namespace smtls::gui
