#include "RuleQuery.h"

#include "DestinationRulesModel.h"

#include <algorithm>
#include <numeric>

namespace smtls::gui {

namespace {

using Model = DestinationRulesModel;

// Looked at every this many rules: a cancelled query ends within milliseconds.
constexpr int CancelCheckEvery = 16384;

bool allDigits(const QString &s)
{
    return std::all_of(s.begin(), s.end(), [](QChar c) { return c.isDigit(); });
}

// Whether any column's text contains FILTER, as the model shows it; the cheap columns first, and
// the note (which holds both Why and Added) split only when it contains the filter at all.
bool matches(const DestinationRule &rule, const QString &filter, bool digits)
{
    if (Model::text(rule, Model::DestinationColumn).contains(filter, Qt::CaseInsensitive)
        || Model::text(rule, Model::TlsColumn).contains(filter, Qt::CaseInsensitive))
        return true;
    if (digits && Model::text(rule, Model::LineColumn).contains(filter))
        return true;
    if (!rule.note.contains(filter, Qt::CaseInsensitive))
        return false;
    return Model::text(rule, Model::WhyColumn).contains(filter, Qt::CaseInsensitive)
        || Model::text(rule, Model::AddedColumn).contains(filter, Qt::CaseInsensitive);
}

} // namespace

std::optional<QList<int>> runRuleQuery(const QList<DestinationRule> &rules, const RuleQuery &query,
                                       const std::atomic<bool> &cancelled)
{
    QList<int> rows;
    if (query.filter.isEmpty()) {
        rows.resize(rules.size());
        std::iota(rows.begin(), rows.end(), 0);
    } else {
        const bool digits = allDigits(query.filter);
        for (qsizetype i = 0; i < rules.size(); ++i) {
            if (i % CancelCheckEvery == 0 && cancelled.load())
                return std::nullopt;
            if (matches(rules.at(i), query.filter, digits))
                rows.append(int(i));
        }
    }
    if (cancelled.load())
        return std::nullopt;
    if (query.sortColumn < 0)
        return rows;

    const bool descending = query.order == Qt::DescendingOrder;
    if (query.sortColumn == Model::LineColumn) {
        std::stable_sort(rows.begin(), rows.end(), [&](int a, int b) {
            return descending ? rules.at(b).line < rules.at(a).line : rules.at(a).line < rules.at(b).line;
        });
    } else {
        // Each row's text once (case-folded), not once per comparison.
        QList<QString> keys(rows.size());
        for (qsizetype i = 0; i < rows.size(); ++i) {
            if (i % CancelCheckEvery == 0 && cancelled.load())
                return std::nullopt;
            keys[i] = Model::text(rules.at(rows.at(i)), query.sortColumn).toCaseFolded();
        }
        QList<int> order(rows.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
            return descending ? keys.at(b) < keys.at(a) : keys.at(a) < keys.at(b);
        });
        QList<int> sorted;
        sorted.reserve(rows.size());
        for (int i : order)
            sorted.append(rows.at(i));
        rows = std::move(sorted);
    }
    if (cancelled.load())
        return std::nullopt;
    return rows;
}

} // namespace smtls::gui
