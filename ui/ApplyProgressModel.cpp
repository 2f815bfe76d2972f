#include "ApplyProgressModel.h"

#include <QIcon>
#include <QLocale>
#include <QCoreApplication>

namespace smtls::gui {
namespace {

constexpr quintptr HostRows = 0;  // internalId of a host row; a step row has its host's row + 1

QString stateText(const StepRecord &s)
{
    QString state;
    switch (s.state) {
    case StepState::Running: return QCoreApplication::translate("ApplyProgressModel", "Running…");
    case StepState::Done: state = QCoreApplication::translate("ApplyProgressModel", "Done"); break;
    case StepState::Failed: state = QCoreApplication::translate("ApplyProgressModel", "Failed"); break;
    case StepState::Skipped: state = QCoreApplication::translate("ApplyProgressModel", "Skipped"); break;
    }
    return s.milliseconds < 1000 ? QCoreApplication::translate("ApplyProgressModel", "%1 · %2 ms").arg(state).arg(s.milliseconds)
                                 : QStringLiteral("%1 · %2 s").arg(state, QLocale().toString(double(s.milliseconds) / 1000.0, 'f', 1));
}

QString commandsText(const StepRecord &s)
{
    QStringList lines;
    for (const CommandLogEntry &c : s.commands) {
        lines << QCoreApplication::translate("ApplyProgressModel", "$ %1  (%2, %3 ms)")
                     .arg(c.command.left(300), c.error.isEmpty() ? QCoreApplication::translate("ApplyProgressModel", "exit %1").arg(c.exitCode) : c.error)
                     .arg(c.milliseconds);
        if (!c.output.isEmpty() && c.exitCode != 0)
            lines << c.output.left(600);
    }
    return lines.isEmpty() ? QCoreApplication::translate("ApplyProgressModel", "No command ran in this step.") : lines.join(QLatin1Char('\n'));
}

} // namespace

ApplyProgressModel::ApplyProgressModel(QObject *parent) : QAbstractItemModel(parent) {}

QString ApplyProgressModel::resultText(const ApplyReport &report)
{
    const QString summary = report.summary.trimmed();
    if (summary.isEmpty())
        return outcomeTitle(report.outcome);
    // A summary that names its outcome already is not prefixed with it again.
    if (summary.startsWith(outcomeName(report.outcome), Qt::CaseInsensitive))
        return asSentence(summary);
    return outcomeTitle(report.outcome) + QStringLiteral(": ") + asSentence(summary);
}

void ApplyProgressModel::setHosts(const QStringList &hosts)
{
    beginResetModel();
    m_rows.clear();
    for (const QString &h : hosts)
        m_rows.append(Row{h, std::nullopt, {}, std::nullopt});
    endResetModel();
}

QStringList ApplyProgressModel::hosts() const
{
    QStringList out;
    for (const Row &r : m_rows)
        out << r.host;
    return out;
}

int ApplyProgressModel::rowOf(const QString &host) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).host == host)
            return i;
    return -1;
}

QModelIndex ApplyProgressModel::hostIndex(const QString &host, int column) const
{
    const int row = rowOf(host);
    return row < 0 ? QModelIndex() : index(row, column);
}

void ApplyProgressModel::setSteps(int row, const QList<StepRecord> &steps)
{
    const QModelIndex parent = index(row, 0);
    if (!m_rows[row].steps.isEmpty()) {
        beginRemoveRows(parent, 0, int(m_rows[row].steps.size()) - 1);
        m_rows[row].steps.clear();
        endRemoveRows();
    }
    if (!steps.isEmpty()) {
        beginInsertRows(parent, 0, int(steps.size()) - 1);
        m_rows[row].steps = steps;
        endInsertRows();
    }
}

void ApplyProgressModel::restartHost(const QString &host)
{
    const int row = rowOf(host);
    if (row < 0)
        return;
    setSteps(row, {});
    m_rows[row].report.reset();
    m_rows[row].running.reset();
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void ApplyProgressModel::updateStep(const QString &host, const StepRecord &step)
{
    const int row = rowOf(host);
    if (row < 0 || m_rows[row].report)
        return;
    Row &r = m_rows[row];
    if (step.state == StepState::Running) {
        r.running = step;
    } else {
        r.running.reset();
        const QModelIndex parent = index(row, 0);
        beginInsertRows(parent, int(r.steps.size()), int(r.steps.size()));
        r.steps.append(step);
        endInsertRows();
    }
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void ApplyProgressModel::finish(const ApplyReport &report)
{
    const int row = rowOf(report.host);
    if (row < 0)
        return;
    m_rows[row].running.reset();
    setSteps(row, report.steps);
    m_rows[row].report = report;
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

QModelIndex ApplyProgressModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    return createIndex(row, column, parent.isValid() ? quintptr(parent.row() + 1) : HostRows);
}

QModelIndex ApplyProgressModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == HostRows)
        return {};
    return createIndex(int(child.internalId()) - 1, 0, HostRows);
}

int ApplyProgressModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_rows.size());
    if (parent.internalId() == HostRows && parent.column() == 0 && parent.row() < m_rows.size())
        return int(m_rows.at(parent.row()).steps.size());
    return 0;
}

int ApplyProgressModel::columnCount(const QModelIndex &) const { return ColumnCount; }

QVariant ApplyProgressModel::hostData(const Row &r, int column, int role) const
{
    if (role == Qt::DisplayRole || role == Qt::AccessibleTextRole) {
        switch (column) {
        case HostColumn: return r.host;
        case StepColumn: {
            if (r.report) {
                // Where it stopped, not the clean-up that ran last.
                for (const StepRecord &s : r.report->steps)
                    if (s.state == StepState::Failed && s.step != Step::Cleanup)
                        return tr("%1 failed").arg(stepTitle(s.step));
                return tr("Finished");
            }
            if (r.running)
                return stepTitle(r.running->step) + QStringLiteral("…");
            return r.steps.isEmpty() ? tr("Waiting") : stepTitle(r.steps.last().step);
        }
        case ResultColumn: return r.report ? resultText(*r.report) : tr("Running");
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole && r.report)
        return reportText(*r.report);  // the command line's rendering
    if (role == Qt::DecorationRole && column == ResultColumn && r.report)
        return QIcon(r.report->succeeded() ? QStringLiteral(":/icons/ok.svg") : QStringLiteral(":/icons/failed.svg"));
    return {};
}

QVariant ApplyProgressModel::stepData(const StepRecord &s, int column, int role) const
{
    if (role == Qt::DisplayRole || role == Qt::AccessibleTextRole) {
        switch (column) {
        case HostColumn: return stepTitle(s.step);
        case StepColumn: return stateText(s);
        case ResultColumn: return s.message.isEmpty() ? QString() : asSentence(s.message);
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole)
        return commandsText(s);
    if (role == Qt::DecorationRole && column == StepColumn && (s.state == StepState::Done || s.state == StepState::Failed))
        return QIcon(s.state == StepState::Done ? QStringLiteral(":/icons/ok.svg") : QStringLiteral(":/icons/failed.svg"));
    return {};
}

QVariant ApplyProgressModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    if (index.internalId() == HostRows)
        return index.row() < m_rows.size() ? hostData(m_rows.at(index.row()), index.column(), role) : QVariant();
    const int host = int(index.internalId()) - 1;
    if (host >= m_rows.size() || index.row() >= m_rows.at(host).steps.size())
        return {};
    return stepData(m_rows.at(host).steps.at(index.row()), index.column(), role);
}

QVariant ApplyProgressModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case HostColumn: return tr("Host");
    case StepColumn: return tr("Step");
    case ResultColumn: return tr("Result");
    default: return {};
    }
}

} // namespace smtls::gui
