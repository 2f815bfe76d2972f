#include "ApplyProgressModel.h"

#include <QIcon>

namespace smtls::gui {

ApplyProgressModel::ApplyProgressModel(QObject *parent) : QAbstractTableModel(parent) {}

void ApplyProgressModel::setHosts(const QStringList &hosts)
{
    beginResetModel();
    m_rows.clear();
    for (const QString &h : hosts)
        m_rows.append(Row{h, QStringLiteral("waiting"), std::nullopt});
    endResetModel();
}

int ApplyProgressModel::rowOf(const QString &host) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).host == host)
            return i;
    return -1;
}

void ApplyProgressModel::updateStep(const QString &host, const StepRecord &step)
{
    const int row = rowOf(host);
    if (row < 0 || m_rows[row].report)
        return;
    const char *state = step.state == StepState::Running ? "…" : step.state == StepState::Failed ? " failed" : "";
    m_rows[row].step = step.name() + QLatin1String(state);
    Q_EMIT dataChanged(index(row, StepColumn), index(row, StepColumn));
}

void ApplyProgressModel::finish(const ApplyReport &report)
{
    const int row = rowOf(report.host);
    if (row < 0)
        return;
    m_rows[row].report = report;
    m_rows[row].step = report.steps.isEmpty() ? QString() : report.steps.last().name();
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

bool ApplyProgressModel::allFinished() const
{
    for (const Row &r : m_rows)
        if (!r.report)
            return false;
    return true;
}

std::optional<ApplyReport> ApplyProgressModel::reportFor(const QString &host) const
{
    const int row = rowOf(host);
    return row < 0 ? std::nullopt : m_rows.at(row).report;
}

int ApplyProgressModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }
int ApplyProgressModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ApplyProgressModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &r = m_rows.at(index.row());
    if (role == Qt::DisplayRole || role == Qt::AccessibleTextRole) {
        switch (index.column()) {
        case HostColumn: return r.host;
        case StepColumn: return r.step;
        case ResultColumn:
            if (!r.report)
                return QStringLiteral("running");
            // Most summaries start with their outcome already ("applied: …", "refused, …").
            if (r.report->summary.startsWith(outcomeName(r.report->outcome)))
                return r.report->summary;
            return outcomeName(r.report->outcome) + QStringLiteral(": ") + r.report->summary;
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole && r.report)
        return reportText(*r.report);  // the command line's rendering: every step, failed ones with their commands
    if (role == Qt::DecorationRole && index.column() == ResultColumn && r.report) {
        const bool good = r.report->outcome == ApplyOutcome::Applied || r.report->outcome == ApplyOutcome::NothingToDo;
        return QIcon(good ? QStringLiteral(":/icons/ok.svg") : QStringLiteral(":/icons/failed.svg"));
    }
    return {};
}

QVariant ApplyProgressModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case HostColumn: return QStringLiteral("Host");
    case StepColumn: return QStringLiteral("Step");
    case ResultColumn: return QStringLiteral("Result");
    default: return {};
    }
}

} // namespace smtls::gui
