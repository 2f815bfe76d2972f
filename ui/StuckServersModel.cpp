#include "StuckServersModel.h"

#include "Theme.h"

#include <QBrush>
#include <QIcon>
#include <QLocale>
#include <QPalette>
#include <QSet>

namespace smtls::gui {

namespace {

// Ids and domains shown in a cell; the tooltip shows more, up to a screenful.
constexpr int IdsShown = 2;
constexpr int DomainsShown = 3;
constexpr int TipItems = 20;

QString queuedWhen(const QDateTime &t)
{
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QString();
}

QString domainOf(const QString &recipient)
{
    QString r = recipient.trimmed();
    if (r.startsWith(QLatin1Char('<')) && r.endsWith(QLatin1Char('>')))
        r = r.mid(1, r.size() - 2);
    const qsizetype at = r.lastIndexOf(QLatin1Char('@'));
    return at < 0 ? QString() : r.mid(at + 1).toLower();
}

} // namespace

StuckServersModel::StuckServersModel(QObject *parent) : QAbstractTableModel(parent) {}

void StuckServersModel::setStuckMail(std::shared_ptr<const StuckMail> stuck, const QDateTime &now)
{
    beginResetModel();
    m_stuck = std::move(stuck);
    m_now = now;
    m_unknown.reset();
    if (m_stuck && !m_stuck->unknownServer.isEmpty()) {
        // One pass over the queue for the messages the row sums up (a few, or thousands).
        UnknownRow row;
        QSet<QString> ids, domains;
        for (const UnplacedMessage &u : m_stuck->unknownServer) {
            ids.insert(u.id);
            row.ids << u.id;
            for (const QString &r : u.recipients)
                if (const QString d = domainOf(r); !d.isEmpty())
                    domains.insert(d);
        }
        row.messages = int(row.ids.size());
        QDateTime newestAttempt;
        for (const QueuedMessage &m : m_stuck->messages) {
            if (!ids.contains(m.id))
                continue;
            if (!row.oldest.isValid() || m.queued < row.oldest)
                row.oldest = m.queued;
            const QDateTime attempt = m.lastAttempt.isValid() ? m.lastAttempt : m.queued;
            if (!newestAttempt.isValid() || attempt >= newestAttempt) {
                newestAttempt = attempt;
                row.lastStatus = m.status;
            }
        }
        if (row.lastStatus.isEmpty())
            row.lastStatus = m_stuck->unknownServer.first().status;
        row.domains = QStringList(domains.begin(), domains.end());
        row.domains.sort();
        m_unknown = row;
    }
    endResetModel();
}

const StuckServer *StuckServersModel::serverAt(int row) const
{
    if (!m_stuck || row < 0 || row >= m_stuck->servers.size())
        return nullptr;
    return &m_stuck->servers.at(row);
}

bool StuckServersModel::isUnknownServerRow(int row) const
{
    return m_unknown && m_stuck && row == m_stuck->servers.size();
}

int StuckServersModel::rowOf(const QString &server) const
{
    for (int row = 0; m_stuck && row < m_stuck->servers.size(); ++row)
        if (m_stuck->servers.at(row).server.compare(server, Qt::CaseInsensitive) == 0)
            return row;
    return -1;
}

int StuckServersModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_stuck)
        return 0;
    return int(m_stuck->servers.size()) + (m_unknown ? 1 : 0);
}

int StuckServersModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QString StuckServersModel::age(const QDateTime &since, const QDateTime &now)
{
    if (!since.isValid())
        return {};
    const qint64 secs = std::max<qint64>(0, since.secsTo(now.isValid() ? now : QDateTime::currentDateTimeUtc()));
    if (secs < 3600)
        return tr("%1 min").arg(std::max<qint64>(1, secs / 60));
    if (secs < 2 * 86400)
        return tr("%1 h").arg(secs / 3600);
    return tr("%n day(s)", nullptr, int(secs / 86400));
}

QString StuckServersModel::elided(const QStringList &items, int shown)
{
    if (items.size() <= shown)
        return items.join(QStringLiteral(", "));
    return tr("%1 and %2 more").arg(items.mid(0, shown).join(QStringLiteral(", "))).arg(items.size() - shown);
}

QString StuckServersModel::text(int row, int column) const
{
    if (const StuckServer *s = serverAt(row)) {
        switch (column) {
        case ServerColumn: return s->server;
        case TlsColumn: return s->tlsFailure ? tr("Handshake fails") : QString();
        case MessagesColumn: return QString::number(s->messages);
        case OldestColumn: return age(s->oldest, m_now);
        case DomainsColumn: return elided(s->domains, DomainsShown);
        case StatusColumn: return s->lastStatus;
        case IdsColumn: return elided(s->ids, IdsShown);
        default: return {};
        }
    }
    if (!isUnknownServerRow(row))
        return {};
    switch (column) {
    case ServerColumn: return tr("Server not known");
    case MessagesColumn: return QString::number(m_unknown->messages);
    case OldestColumn: return age(m_unknown->oldest, m_now);
    case DomainsColumn: return elided(m_unknown->domains, DomainsShown);
    case StatusColumn: return m_unknown->lastStatus;
    case IdsColumn: return elided(m_unknown->ids, IdsShown);
    default: return {};
    }
}

QString StuckServersModel::toolTip(int row, int column) const
{
    const StuckServer *s = serverAt(row);
    const bool unknown = isUnknownServerRow(row);
    if (!s && !unknown)
        return {};
    switch (column) {
    case ServerColumn:
        if (unknown)
            return tr("Neither the mail log nor an MX answer names the server these messages wait for.");
        return QStringLiteral("%1%2\n%3")
            .arg(s->server, s->address.isEmpty() ? QString() : QStringLiteral(" [%1]").arg(s->address),
                 s->serverFrom == QLatin1String("mx")
                     ? tr("Placed by the MX answer: the mail log no longer has these messages.")
                     : tr("The server of the last delivery attempt in the mail log."));
    case TlsColumn:
        return s && s->tlsFailure ? tr("The last attempt failed the TLS handshake. sendmail does not fall back to "
                                                   "clear text by itself: the mail stays deferred until the rule for this "
                                                   "server changes.")
                                  : QString();
    case OldestColumn: {
        const QDateTime oldest = s ? s->oldest : m_unknown->oldest;
        return oldest.isValid() ? tr("The oldest message was queued %1 (local time).").arg(queuedWhen(oldest)) : QString();
    }
    case DomainsColumn: {
        const QStringList &domains = s ? s->domains : m_unknown->domains;
        return elided(domains, TipItems);
    }
    case IdsColumn: {
        const QStringList &ids = s ? s->ids : m_unknown->ids;
        return tr("Queue ids, oldest first: %1").arg(elided(ids, TipItems));
    }
    case StatusColumn: return s ? s->lastStatus : m_unknown->lastStatus;
    default: return {};
    }
}

QVariant StuckServersModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const int row = index.row();
    const int column = index.column();
    const StuckServer *s = serverAt(row);
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole: return text(row, column);
    case Qt::ToolTipRole: return toolTip(row, column);
    case TlsFailureRole: return s && s->tlsFailure;
    case ServerNameRole: return s ? s->server : QString();
    case Qt::TextAlignmentRole:
        return column == MessagesColumn ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case Qt::DecorationRole:
        if (column == TlsColumn && s && s->tlsFailure)
            return QIcon(QStringLiteral(":/icons/warning.svg"));
        return {};
    case Qt::ForegroundRole:
        if (column == TlsColumn && s && s->tlsFailure)
            return QVariant::fromValue(QBrush(warningColor(QPalette())));
        if (!s)  // the unknown-server row: a summary, not a server
            return QVariant::fromValue(QPalette().brush(QPalette::PlaceholderText));
        return {};
    default: return {};
    }
}

QVariant StuckServersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case ServerColumn: return tr("The server sendmail tried (the MX host or relay): the key a TLS rule needs");
        case TlsColumn: return tr("Whether the last attempt failed the TLS handshake");
        case OldestColumn: return tr("How long the oldest of its messages has been waiting");
        case StatusColumn: return tr("The newest attempt's status, as the mail log or the queue file says it");
        default: return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ServerColumn: return tr("Server");
    case TlsColumn: return QStringLiteral("TLS");
    case MessagesColumn: return tr("Messages");
    case OldestColumn: return tr("Oldest");
    case DomainsColumn: return tr("Domains");
    case StatusColumn: return tr("Last status");
    case IdsColumn: return tr("Queue ids");
    default: return {};
    }
}

} // namespace smtls::gui
