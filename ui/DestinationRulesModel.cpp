#include "DestinationRulesModel.h"

#include "Expiry.h"
#include "Theme.h"

#include <QDate>
#include <QFont>
#include <QHash>
#include <QSet>
#include <QIcon>
#include <QLocale>
#include <QPalette>

#include <cstdlib>
#include <QCoreApplication>

namespace smtls::gui {

namespace {

QDateTime orNow(const QDateTime &now) { return now.isValid() ? now.toUTC() : QDateTime::currentDateTimeUtc(); }

enum class Unit { Minute, Hour, Day };

QString amount(qint64 n, Unit unit)
{
    const int count = int(n);
    switch (unit) {
    case Unit::Minute: return QCoreApplication::translate("DestinationRulesModel", "%n minute(s)", nullptr, count);
    case Unit::Hour: return QCoreApplication::translate("DestinationRulesModel", "%n hour(s)", nullptr, count);
    case Unit::Day: break;
    }
    return QCoreApplication::translate("DestinationRulesModel", "%n day(s)", nullptr, count);
}

QString unreadableExpiry(const DestinationRule &rule)
{
    for (const QString *note : {&rule.note, &rule.featuresNote})
        if (!note->isEmpty())
            if (QString error = expiryOfNote(*note).error; !error.isEmpty())
                return error;
    return {};
}

QString ruleToolTip(const DestinationRule &r)
{
    QStringList tip;
    if (r.hasTryTlsRule())
        tip << QCoreApplication::translate("DestinationRulesModel", "Try_TLS:%1 %2 (access file line %3)")
                   .arg(QString::fromLatin1(r.destination.key), QString::fromLatin1(r.value)).arg(r.line);
    if (r.featuresLine > 0)
        tip << QCoreApplication::translate("DestinationRulesModel", "TLS_Clt_Features:%1 %2 (access file line %3)")
                   .arg(QString::fromLatin1(r.destination.key), QString::fromLatin1(r.featuresValue)).arg(r.featuresLine);
    if (r.fallback)
        tip << QCoreApplication::translate("DestinationRulesModel", "A failed TLS handshake falls back to clear text (decided by %1).").arg(r.fallbackDecidedBy);
    if (!r.effective)
        tip << QCoreApplication::translate("DestinationRulesModel", "Not effective: the access map is not consulted or the client modifier overrides it.");
    return tip.join(QLatin1Char('\n'));
}

} // namespace

DestinationRulesModel::DestinationRulesModel(QObject *parent) : QAbstractTableModel(parent) {}

void DestinationRulesModel::setRules(Rules rules, Rows rows, Marks marks)
{
    beginResetModel();
    m_rules = rules ? std::move(rules) : std::make_shared<const QList<DestinationRule>>();
    m_rows = std::move(rows);
    m_marks = marks && marks->size() == m_rules->size() ? std::move(marks) : Marks();
    endResetModel();
}

DestinationRulesModel::Pending DestinationRulesModel::pendingAt(int row) const
{
    if (!m_marks || row < 0 || row >= rowCount())
        return Pending::None;
    return m_marks->at(m_rows ? m_rows->at(row) : row);
}

namespace {
bool sameRule(const DestinationRule &a, const DestinationRule &b)
{
    return a.tls == b.tls && a.fallback == b.fallback && a.value == b.value && a.featuresValue == b.featuresValue
        && a.note == b.note && a.featuresNote == b.featuresNote && a.hasTryTlsRule() == b.hasTryTlsRule();
}
} // namespace

DestinationRulesModel::Marked DestinationRulesModel::markPending(const QList<DestinationRule> &asRead, const Rules &staged)
{
    QHash<QByteArrayView, qsizetype> readIndex;  // views into the rules' keys, which outlive it
    readIndex.reserve(asRead.size());
    for (qsizetype i = 0; i < asRead.size(); ++i)
        readIndex.insert(QByteArrayView(asRead[i].destination.key), i);
    auto marks = std::make_shared<QList<Pending>>();
    marks->reserve(staged->size());
    QList<bool> seen(asRead.size(), false);  // the staged list has it
    for (const DestinationRule &r : *staged) {
        const auto found = readIndex.constFind(QByteArrayView(r.destination.key));
        if (found != readIndex.cend())
            seen[*found] = true;
        marks->append(found == readIndex.cend() ? Pending::Added : sameRule(asRead[*found], r) ? Pending::None : Pending::Changed);
    }
    QList<DestinationRule> removed;
    for (qsizetype i = 0; i < asRead.size(); ++i)
        if (!seen[i])
            removed.append(asRead[i]);
    if (removed.isEmpty())
        return {staged, std::move(marks)};
    auto rules = std::make_shared<QList<DestinationRule>>(*staged);
    rules->append(removed);
    marks->append(QList<Pending>(removed.size(), Pending::Removed));
    return {std::move(rules), std::move(marks)};
}

QString DestinationRulesModel::pendingWord(Pending mark)
{
    switch (mark) {
    case Pending::Added: return tr("added");
    case Pending::Changed: return tr("changed");
    case Pending::Removed: return tr("removed");
    case Pending::None: break;
    }
    return {};
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
    const qsizetype colon = note.indexOf(QStringLiteral(": "));
    return {date, colon < 0 ? QString() : note.mid(colon + 1).trimmed()};
}

QString DestinationRulesModel::relativeExpiry(const QString &iso, const QDateTime &now)
{
    const std::optional<Expiry> expiry = Expiry::fromIso(iso);
    if (!expiry)
        return {};
    const QDateTime t = orNow(now);
    const qint64 secs = t.secsTo(expiry->endsAt());
    const qint64 span = std::abs(secs);
    QString howLong;
    if (span < 3600) {
        howLong = amount(std::max<qint64>(1, span / 60), Unit::Minute);
    } else if (span < 2 * 86400) {
        howLong = amount((span + 1800) / 3600, Unit::Hour);
    } else if (const QDate date = iso.size() == 10 ? QDate::fromString(iso, Qt::ISODate) : QDate(); date.isValid()) {
        // A date ends when it begins: "in 7 days" is the 7th midnight from now, as picked.
        howLong = amount(std::abs(t.toLocalTime().date().daysTo(date)), Unit::Day);
    } else {
        // Rounded ahead (7d set a moment ago is "in 7 days"), whole days behind.
        howLong = amount(secs > 0 ? (span + 43200) / 86400 : span / 86400, Unit::Day);
    }
    return secs > 0 ? tr("in %1").arg(howLong) : tr("expired %1 ago").arg(howLong);
}

DestinationRulesModel::ExpiryState DestinationRulesModel::expiryState(const DestinationRule &rule, const QDateTime &now)
{
    if (rule.expires.isEmpty())
        return unreadableExpiry(rule).isEmpty() ? ExpiryState::Never : ExpiryState::Unreadable;
    const std::optional<Expiry> expiry = Expiry::fromIso(rule.expires);
    if (!expiry)
        return ExpiryState::Unreadable;
    return expiry->passed(orNow(now)) ? ExpiryState::Expired : ExpiryState::Pending;
}

QString DestinationRulesModel::text(const DestinationRule &rule, int column, const QDateTime &now)
{
    switch (column) {
    case DestinationColumn: return rule.destination.display();
    case TlsColumn: return rule.state();
    case ExpiresColumn:
        if (!rule.expires.isEmpty())
            return relativeExpiry(rule.expires, now);
        return unreadableExpiry(rule).isEmpty() ? tr("never") : tr("unreadable");
    case WhyColumn: return splitNote(rule.note.isEmpty() ? rule.featuresNote : rule.note).second;
    case AddedColumn: return splitNote(rule.note.isEmpty() ? rule.featuresNote : rule.note).first;
    case LineColumn: return QString::number(shownLine(rule));
    default: return {};
    }
}

QVariant DestinationRulesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const DestinationRule &r = ruleAt(index.row());
    const int column = index.column();
    // A staged edit's rule is not in the host's files yet: it says so in words (the Line column,
    // the tooltip), with an icon, and a removal is struck through; never by colour alone.
    const Pending pending = pendingAt(index.row());
    if (pending != Pending::None) {
        if (column == LineColumn && (role == Qt::DisplayRole || role == Qt::AccessibleTextRole))
            return tr("%1 (staged)").arg(pendingWord(pending));
        if (column == DestinationColumn && role == Qt::DecorationRole)
            return QIcon(QStringLiteral(":/icons/pending.svg"));
        if (role == Qt::FontRole && pending == Pending::Removed) {
            QFont struck;
            struck.setStrikeOut(true);
            return struck;
        }
        if (role == Qt::ToolTipRole && column != ExpiresColumn) {
            const QString what = pending == Pending::Added ? tr("Staged, not applied yet: this exception is added.")
                : pending == Pending::Changed              ? tr("Staged, not applied yet: this exception is changed.")
                                                           : tr("Staged, not applied yet: this exception is removed.");
            return pending == Pending::Removed ? what : what + QLatin1Char('\n') + ruleToolTip(r);
        }
        if (role == Qt::ForegroundRole && pending == Pending::Removed)
            return QVariant::fromValue(QPalette().brush(QPalette::Disabled, QPalette::Text));
    }
    if (role == Qt::DisplayRole || role == Qt::AccessibleTextRole)
        return column == LineColumn ? QVariant(shownLine(r)) : QVariant(text(r, column));
    if (role == Qt::DecorationRole && column == TlsColumn) {
        const char *icon = !r.tls ? "tls-off" : r.fallback ? "tls-fallback" : "tls-on";
        return QIcon(QStringLiteral(":/icons/%1.svg").arg(QLatin1String(icon)));
    }
    if (column == ExpiresColumn && (role == Qt::DecorationRole || role == Qt::ForegroundRole || role == Qt::ToolTipRole)) {
        const ExpiryState state = expiryState(r, {});
        const bool warn = state == ExpiryState::Expired || state == ExpiryState::Unreadable;
        if (role == Qt::DecorationRole)
            return warn ? QVariant(QIcon(QStringLiteral(":/icons/warning.svg"))) : QVariant();
        if (role == Qt::ForegroundRole) {
            if (warn)
                return QVariant::fromValue(QBrush(warningColor(QPalette())));
            if (state == ExpiryState::Never)
                return QVariant::fromValue(QPalette().brush(QPalette::PlaceholderText));
        }
        if (role == Qt::ToolTipRole) {
            switch (state) {
            case ExpiryState::Never: return tr("This exception does not end by itself.");
            case ExpiryState::Unreadable: return unreadableExpiry(r);
            case ExpiryState::Pending:
            case ExpiryState::Expired: {
                const QString when = QLocale().toString(Expiry::fromIso(r.expires)->endsAt().toLocalTime(), QLocale::LongFormat);
                return state == ExpiryState::Pending
                    ? tr("Ends %1 (%2 in the note); sendmail-tls expire, or Fix under Problems once it has passed, "
                                     "removes it.").arg(when, r.expires)
                    : tr("Expired %1 (%2 in the note) but still in force: sendmail does not read expiries. "
                                     "Fix it under Problems (Remove the expired exception), or run sendmail-tls expire.")
                          .arg(when, r.expires);
            }
            }
        }
    }
    if (role == Qt::ToolTipRole)
        return ruleToolTip(r);
    if (role == Qt::ForegroundRole && !r.effective)
        return QVariant::fromValue(QPalette().brush(QPalette::Disabled, QPalette::Text));
    return {};
}

QVariant DestinationRulesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole && section == TlsColumn)
        return tr("on: STARTTLS tried; fallback: tried, and a failed handshake is retried in clear text at once; "
                              "off: not tried");
    if (role == Qt::ToolTipRole && section == ExpiresColumn)
        return tr("When the exception ends by itself (from the note above its rule)");
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case DestinationColumn: return tr("Destination");
    case TlsColumn: return QStringLiteral("TLS");
    case ExpiresColumn: return tr("Expires");
    case WhyColumn: return tr("Why");
    case AddedColumn: return tr("Added");
    case LineColumn: return tr("Line");
    default: return {};
    }
}

} // namespace smtls::gui
