#pragma once
// Feeds the rules table: the rules of the view shown, through the filter and sort order the user
// chose. With nothing to filter or sort it hands them on at once; otherwise a worker runs the
// query (RuleQuery). One query at a time: a newer one (the next keystroke) cancels the running
// one and runs after it, and only the answer for the newest rules and query is handed on.

#include "DestinationRulesModel.h"
#include "RuleQuery.h"

#include <QObject>

#include <atomic>
#include <memory>

namespace smtls::gui {

class RuleQueryRunner : public QObject {
    Q_OBJECT
public:
    explicit RuleQueryRunner(QObject *parent = nullptr);

    void setRules(DestinationRulesModel::Rules rules);
    void setQuery(const RuleQuery &query);
    const RuleQuery &query() const { return m_query; }
    // A newer answer is on its way (what is shown is for older rules or an older query).
    bool busy() const { return m_shown != m_wanted; }

Q_SIGNALS:
    void ready(smtls::gui::DestinationRulesModel::Rules rules, smtls::gui::DestinationRulesModel::Rows rows);
    void busyChanged(bool busy);

private:
    void update();
    void start();
    void finish(quint64 generation, const std::optional<QList<int>> &rows);

    DestinationRulesModel::Rules m_rules = std::make_shared<const QList<DestinationRule>>();
    RuleQuery m_query;
    quint64 m_wanted = 0;
    quint64 m_shown = 0;
    bool m_running = false;
    std::shared_ptr<std::atomic<bool>> m_cancel;
};

} // namespace smtls::gui
