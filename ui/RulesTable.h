#pragma once
// The destination exceptions as the policy panel lists them: the filter box, the table (its
// header sorts) and a line with the count. The rules come worked out (PolicyView); filtering
// and sorting run on a worker (RuleQueryRunner), so a million rows never hold the UI thread.

#include "DestinationRulesModel.h"

#include <QWidget>

#include <optional>

class QLabel;
class QLineEdit;
class QTableView;

namespace smtls::gui {

class RuleQueryRunner;

class RulesTable : public QWidget {
    Q_OBJECT
public:
    explicit RulesTable(QWidget *parent = nullptr);

    // MARKS: what the staged edits do to each rule (DestinationRulesModel::markPending), or none.
    void setRules(DestinationRulesModel::Rules rules, DestinationRulesModel::Marks marks = {});
    DestinationRulesModel *model() const { return m_model; }
    std::optional<DestinationRule> selectedRule() const;
    // What the staged edits do to the selected rule (Removed: it is only listed, struck through).
    DestinationRulesModel::Pending selectedPending() const;
    // For the panel's tab order.
    QLineEdit *filter() const { return m_filter; }
    QTableView *table() const { return m_table; }

Q_SIGNALS:
    void selectionChanged();
    void activated();  // a row double-clicked

private:
    void updateQuery();
    void showRules(DestinationRulesModel::Rules rules, DestinationRulesModel::Rows rows);
    void sizeDestinationColumn();
    void updateStatus();

    QLineEdit *m_filter;
    DestinationRulesModel *m_model;
    RuleQueryRunner *m_query;
    QTableView *m_table;
    QLabel *m_status;
    // The marks of the rules last given: the query answers with the same list, filtered or sorted.
    DestinationRulesModel::Rules m_marksFor;
    DestinationRulesModel::Marks m_marks;
};

} // namespace smtls::gui
