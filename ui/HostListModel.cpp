#include "HostListModel.h"

#include "HostSession.h"

#include <QIcon>

namespace smtls::gui {

HostListModel::HostListModel(QObject *parent) : QAbstractItemModel(parent) {}

void HostListModel::addSession(HostSession *session)
{
    beginResetModel();
    m_sessions.append(session);
    rebuildGroups();
    endResetModel();
    connect(session, &HostSession::changed, this, [this, session] { sessionChanged(session); });
}

void HostListModel::sessionChanged(HostSession *session)
{
    // A host edited into another group moves between parents: the rows change, not just data.
    if (m_groupOf.value(session) != session->entry().groupOrDefault()) {
        beginResetModel();
        rebuildGroups();
        endResetModel();
        return;
    }
    const QModelIndex first = indexOf(session, NameColumn);
    if (first.isValid())
        Q_EMIT dataChanged(first, indexOf(session, StateColumn));
}

void HostListModel::removeSession(HostSession *session)
{
    beginResetModel();
    m_sessions.removeAll(session);
    disconnect(session, nullptr, this, nullptr);
    rebuildGroups();
    endResetModel();
}

void HostListModel::rebuildGroups()
{
    m_groups.clear();
    m_groupOf.clear();
    for (const HostSession *s : m_sessions) {
        m_groupOf.insert(s, s->entry().groupOrDefault());
        if (!m_groups.contains(s->entry().groupOrDefault()))
            m_groups.append(s->entry().groupOrDefault());
    }
}

QList<HostSession *> HostListModel::hostsIn(int group) const
{
    QList<HostSession *> out;
    for (HostSession *s : m_sessions)
        if (s->entry().groupOrDefault() == m_groups.value(group))
            out.append(s);
    return out;
}

HostSession *HostListModel::sessionAt(const QModelIndex &index) const
{
    if (!index.isValid() || index.internalId() == 0)
        return nullptr;
    return hostsIn(int(index.internalId()) - 1).value(index.row());
}

QModelIndex HostListModel::indexOf(const HostSession *session, int column) const
{
    const int group = int(m_groups.indexOf(session->entry().groupOrDefault()));
    const int row = int(hostsIn(group).indexOf(const_cast<HostSession *>(session)));
    return group < 0 || row < 0 ? QModelIndex() : createIndex(row, column, quintptr(group + 1));
}

QModelIndex HostListModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, quintptr(0));
    return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex HostListModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    return createIndex(int(child.internalId()) - 1, 0, quintptr(0));
}

int HostListModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_groups.size());
    if (parent.internalId() == 0 && parent.column() == 0)
        return int(hostsIn(parent.row()).size());
    return 0;
}

int HostListModel::columnCount(const QModelIndex &) const { return ColumnCount; }

QString HostListModel::lastError(const ApplyReport &report, qsizetype maxLength)
{
    QString why = !report.cause.isEmpty() ? report.cause : report.error.message.isEmpty() ? report.summary : report.error.message;
    why = why.simplified();
    if (why.size() > maxLength)
        why = why.left(maxLength - 1) + QStringLiteral("…");
    return why;
}

QString HostListModel::stateSummary(const HostSession &s)
{
    // One short line per kind of news, so that the column stays narrow enough for a laptop
    // screen (1366 px) however much there is to say: what the host is; what is under way; how
    // the last apply ended (a failure says why in the row itself, the whole cause is in the
    // tooltip and on the result page).
    QStringList state, work;
    switch (s.reach()) {
    case HostSession::Reach::Unknown: state << tr("not read yet"); break;
    case HostSession::Reach::Loading: state << tr("reading…"); break;
    case HostSession::Reach::Unreachable: state << tr("unreachable"); break;
    case HostSession::Reach::Reachable: state << tr("reachable"); break;
    }
    if (const std::optional<HostSession::Glance> &g = s.glance()) {
        state << (!g->tls ? tr("TLS off") : g->fallback ? tr("TLS fallback") : tr("TLS on"));
        state << tr("%n exception(s)", nullptr, int(g->exceptions));
        if (g->problems > 0)
            state << tr("%n problem(s)", nullptr, int(g->problems));
    }
    if (s.pendingCount() > 0)
        work << tr("%1 pending").arg(s.pendingCount());
    if (s.busy() && s.reach() != HostSession::Reach::Loading)
        work << tr("applying…");
    if (const std::optional<ApplyReport> &last = s.lastReport())
        work << (last->succeeded() ? tr("last: %1").arg(outcomeName(last->outcome)) : tr("last apply %1").arg(outcomeName(last->outcome)));
    QStringList lines{state.join(QStringLiteral(" · "))};
    if (!work.isEmpty())
        lines << work.join(QStringLiteral(" · "));
    if (const std::optional<ApplyReport> &last = s.lastReport(); last && !last->succeeded())
        lines << lastError(*last, RowCauseLength);
    return lines.join(QLatin1Char('\n'));
}

QVariant HostListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    if (index.internalId() == 0) {
        if (index.column() == NameColumn && (role == Qt::DisplayRole || role == Qt::AccessibleTextRole))
            return m_groups.value(index.row());
        if (index.column() == NameColumn && role == Qt::DecorationRole)
            return QIcon(QStringLiteral(":/icons/group.svg"));
        return {};
    }
    const HostSession *s = sessionAt(index);
    if (!s)
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        return index.column() == NameColumn ? s->entry().name : stateSummary(*s);
    case Qt::ToolTipRole: {
        const std::optional<ApplyReport> &last = s->lastReport();
        return QStringLiteral("%1 (%2)\n%3%4%5%6").arg(s->entry().name, s->entry().address, stateSummary(*s),
                                                        s->sendmailVersion().isEmpty() ? QString() : tr("\nsendmail %1").arg(s->sendmailVersion()),
                                                        s->loadError().isEmpty() ? QString() : QStringLiteral("\n") + s->loadError(),
                                                        last && !last->succeeded() ? tr("\nLast apply: %1\n%2").arg(last->summary, lastError(*last, 2000)) : QString());
    }
    case Qt::DecorationRole:
        if (index.column() == StateColumn)  // the last apply failed: marked where the row says why
            return s->lastReport() && !s->lastReport()->succeeded() ? QIcon(QStringLiteral(":/icons/failed.svg")) : QVariant();
        if (index.column() != NameColumn)
            return {};
        if (s->reach() == HostSession::Reach::Unreachable)
            return QIcon(QStringLiteral(":/icons/host-unreachable.svg"));
        if (s->glance() && !s->glance()->tls)
            return QIcon(QStringLiteral(":/icons/tls-off.svg"));
        if (s->glance() && s->glance()->fallback)
            return QIcon(QStringLiteral(":/icons/tls-fallback.svg"));
        return QIcon(QStringLiteral(":/icons/host.svg"));
    default:
        return {};
    }
}

QVariant HostListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == NameColumn ? tr("Host") : tr("State");
}

} // namespace smtls::gui
