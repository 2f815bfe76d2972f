#pragma once
// The table of destination exceptions (Try_TLS rules and TLS_Clt_Features entries) of the
// staged configuration: destination, TLS on/fallback/off, when the exception ends, why and when
// it was added (from the "# sendmail-tls:" note above the rule).
// A million-line map has a million rules: the list is shared with the view that worked it out
// (PolicyView), never copied, and filtering or sorting it is a worker's job (RuleQuery) that
// hands this model the rows to show.

#include "Policy.h"

#include <QAbstractTableModel>
#include <QDateTime>

#include <memory>

namespace smtls::gui {

class DestinationRulesModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { DestinationColumn, TlsColumn, ExpiresColumn, WhyColumn, AddedColumn, LineColumn, ColumnCount };
    using Rules = std::shared_ptr<const QList<DestinationRule>>;
    using Rows = std::shared_ptr<const QList<int>>;  // indexes into Rules; null: all, in file order
    // What the staged edits do to each rule, parallel to Rules; null: nothing staged. A removed
    // rule is listed (struck through) so that a staged removal does not look like nothing.
    enum class Pending : quint8 { None, Added, Changed, Removed };
    using Marks = std::shared_ptr<const QList<Pending>>;
    struct Marked {
        Rules rules;
        Marks marks;
    };
    // The staged rules with their marks, and after them the rules AS READ that the edits remove.
    // Compared by destination and by what the rule says (value, flags, note), not by line: an
    // edit above moves the lines of the rules below it. Thread-safe (a worker's job: a million rules).
    // The staged list itself is shared, not copied, unless there are removed rules to list.
    static Marked markPending(const QList<DestinationRule> &asRead, const Rules &staged);
    // "added", "changed", "removed" (what the Line column says instead of a line number).
    static QString pendingWord(Pending mark);

    explicit DestinationRulesModel(QObject *parent = nullptr);
    // One reset, whatever the number of rows.
    void setRules(Rules rules, Rows rows = {}, Marks marks = {});
    Pending pendingAt(int row) const;
    const Rules &rules() const { return m_rules; }
    const DestinationRule &ruleAt(int row) const { return m_rules->at(m_rows ? m_rows->at(row) : row); }
    qsizetype ruleCount() const { return m_rules->size(); }  // shown or not

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // A column's text as shown (the line number as digits): what the filter looks in and the
    // sort compares. The Expires column is relative to NOW (invalid: the current time).
    // Thread-safe.
    static QString text(const DestinationRule &rule, int column, const QDateTime &now = {});
    // "2026-11-25 TLS off: reason" -> {date, reason}
    static std::pair<QString, QString> splitNote(const QString &note);
    // The line shown: the Try_TLS rule's, else the TLS_Clt_Features entry's.
    static int shownLine(const DestinationRule &rule) { return rule.line > 0 ? rule.line : rule.featuresLine; }

    // How an exception stands on its expiry at NOW.
    enum class ExpiryState { Never, Pending, Expired, Unreadable };
    static ExpiryState expiryState(const DestinationRule &rule, const QDateTime &now);
    // "in 5 days", "in 3 hours", "expired 2 days ago" for an ISO-8601 expiry as the note holds it
    // (a date ends when it begins, local time); empty when it cannot be read.
    static QString relativeExpiry(const QString &iso, const QDateTime &now);

private:
    Rules m_rules = std::make_shared<const QList<DestinationRule>>();
    Rows m_rows;
    Marks m_marks;
};

} // namespace smtls::gui
