#pragma once
// Which destination rules the table shows and in what order: the filter typed above it and the
// column its header sorts by. Worked out on a worker (runRuleQuery): a million rules take about
// a second, far too long for the UI thread on every keystroke.

#include "Policy.h"

#include <QList>
#include <QString>

#include <atomic>
#include <optional>

namespace smtls::gui {

struct RuleQuery {
    QString filter;       // case-insensitive, in any column's text as shown
    int sortColumn = -1;  // a DestinationRulesModel::Column; -1: the file's order
    Qt::SortOrder order = Qt::AscendingOrder;
    bool keepsAll() const { return filter.isEmpty() && sortColumn < 0; }
    friend bool operator==(const RuleQuery &, const RuleQuery &) = default;
};

// The indexes of the RULES that QUERY keeps, in its order (ties in file order). Blocking: call
// it from a worker. Gives up (nothing) soon after CANCELLED turns true.
std::optional<QList<int>> runRuleQuery(const QList<DestinationRule> &rules, const RuleQuery &query,
                                       const std::atomic<bool> &cancelled);

} // namespace smtls::gui
