#include "RuleQuery.h"

#include "DestinationRulesModel.h"
#include "Expiry.h"

#include <QCoreApplication>
#include <algorithm>
#include <limits>
#include <numeric>
#include <type_traits>

namespace smtls::gui {

namespace {

using Model = DestinationRulesModel;

// Looked at every this many rules: a cancelled query ends within milliseconds.
constexpr int CancelCheckEvery = 16384;

bool allDigits(const QString &s)
{
    return std::all_of(s.begin(), s.end(), [](QChar c) { return c.isDigit(); });
}

// Whether any column's text contains FILTER, as the model shows it at NOW; the cheap columns
// first, and the notes (which hold Why, Added and the expiry) split only when they contain the
// filter at all, or, for the expiry's relative text, when they hold an expiry.
bool matches(const DestinationRule &rule, const QString &filter, bool digits, const QDateTime &now)
{
    if (Model::text(rule, Model::DestinationColumn).contains(filter, Qt::CaseInsensitive)
        || Model::text(rule, Model::TlsColumn).contains(filter, Qt::CaseInsensitive))
        return true;
    if (digits && Model::text(rule, Model::LineColumn).contains(filter))
        return true;
    if (Model::text(rule, Model::ExpiresColumn, now).contains(filter, Qt::CaseInsensitive))
        return true;
    if (!rule.note.contains(filter, Qt::CaseInsensitive) && !rule.featuresNote.contains(filter, Qt::CaseInsensitive))
        return false;
    return Model::text(rule, Model::WhyColumn).contains(filter, Qt::CaseInsensitive)
        || Model::text(rule, Model::AddedColumn).contains(filter, Qt::CaseInsensitive);
}

// When an exception ends, for sorting: never after every date; an unreadable one after those.
qint64 expirySortKey(const DestinationRule &rule)
{
    if (!rule.expires.isEmpty())
        if (const std::optional<Expiry> e = Expiry::fromIso(rule.expires))
            return e->endsAt().toMSecsSinceEpoch();
    return std::numeric_limits<qint64>::max() - (Model::text(rule, Model::ExpiresColumn) == QCoreApplication::translate("smtls::gui::DestinationRulesModel", "never") ? 1 : 0);
}

// Sorts ROWS by each row's key, worked out once per row (not once per comparison); ties stay in
// file order. False when cancelled.
template <typename KeyOf>
bool orderBy(QList<int> &rows, const QList<DestinationRule> &rules, const KeyOf &keyOf, bool descending,
             const std::atomic<bool> &cancelled)
{
    QList<std::invoke_result_t<KeyOf, const DestinationRule &>> keys(rows.size());
    for (qsizetype i = 0; i < rows.size(); ++i) {
        if (i % CancelCheckEvery == 0 && cancelled.load())
            return false;
        keys[i] = keyOf(rules.at(rows.at(i)));
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
    return true;
}

} // namespace

std::optional<QList<int>> runRuleQuery(const QList<DestinationRule> &rules, const RuleQuery &query,
                                       const std::atomic<bool> &cancelled)
{
    QList<int> rows;
    // One moment for every row: "in 5 days" is the same text for all of them.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (query.filter.isEmpty()) {
        rows.resize(rules.size());
        std::iota(rows.begin(), rows.end(), 0);
    } else {
        const bool digits = allDigits(query.filter);
        for (qsizetype i = 0; i < rules.size(); ++i) {
            if (i % CancelCheckEvery == 0 && cancelled.load())
                return std::nullopt;
            if (matches(rules.at(i), query.filter, digits, now))
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
            const int x = Model::shownLine(rules.at(a)), y = Model::shownLine(rules.at(b));
            return descending ? y < x : x < y;
        });
    } else if (query.sortColumn == Model::ExpiresColumn) {
        // By the moment, not the text: "in 10 days" is after "in 9 days", "expired …" before both.
        if (!orderBy(rows, rules, expirySortKey, descending, cancelled))
            return std::nullopt;
    } else {
        const auto textOf = [column = query.sortColumn](const DestinationRule &rule) {
            return Model::text(rule, column).toCaseFolded();
        };
        if (!orderBy(rows, rules, textOf, descending, cancelled))
            return std::nullopt;
    }
    if (cancelled.load())
        return std::nullopt;
    return rows;
}

} // namespace smtls::gui
