#include "RulesTable.h"

#include "RuleQueryRunner.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace smtls::gui {

RulesTable::RulesTable(QWidget *parent)
    : QWidget(parent), m_filter(new QLineEdit(this)), m_model(new DestinationRulesModel(this)), m_query(new RuleQueryRunner(this)),
      m_table(new QTableView(this)), m_status(new QLabel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins({});
    m_filter->setObjectName(QStringLiteral("ruleFilter"));
    m_filter->setPlaceholderText(tr("Filter the exceptions"));
    m_filter->setToolTip(tr("Shows the exceptions whose destination, state, expiry or reason contains this text"));
    m_filter->setClearButtonEnabled(true);
    m_table->setObjectName(QStringLiteral("rulesTable"));
    m_table->setTabKeyNavigation(false);  // Tab leaves the table (arrows move in it)
    m_table->setModel(m_model);
    // The header sorts through the query runner (on a worker), not through the view, which would
    // ask the model to sort a million rows on the UI thread. No indicator at first: the file's
    // order; a third click on a header goes back to it.
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionsClickable(true);
    header->setSortIndicatorShown(true);
    header->setSortIndicatorClearable(true);
    header->setSortIndicator(-1, Qt::AscendingOrder);
    header->setSectionResizeMode(DestinationRulesModel::WhyColumn, QHeaderView::Stretch);
    // Wide enough for the longest words they show (an icon, "fallback", "expired 23 hours
    // ago"): sized from the text, not from the rows (a million of them).
    const int icon = m_table->style()->pixelMetric(QStyle::PM_SmallIconSize) + m_table->fontMetrics().averageCharWidth() * 3;
    m_table->setColumnWidth(DestinationRulesModel::TlsColumn,
                            std::max(header->sectionSizeHint(DestinationRulesModel::TlsColumn),
                                     icon + m_table->fontMetrics().horizontalAdvance(QStringLiteral("fallback"))));
    m_table->setColumnWidth(DestinationRulesModel::ExpiresColumn,
                            std::max(header->sectionSizeHint(DestinationRulesModel::ExpiresColumn),
                                     icon + m_table->fontMetrics().horizontalAdvance(tr("expired 23 hours ago"))));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false);
    m_table->setMinimumHeight(m_table->fontMetrics().height() * 6);
    m_status->setObjectName(QStringLiteral("rulesStatus"));
    layout->addWidget(m_filter);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);
    setFocusProxy(m_filter);

    connect(m_filter, &QLineEdit::textChanged, this, &RulesTable::updateQuery);
    connect(header, &QHeaderView::sortIndicatorChanged, this, &RulesTable::updateQuery);
    connect(m_query, &RuleQueryRunner::ready, this, &RulesTable::showRules);
    connect(m_query, &RuleQueryRunner::busyChanged, this, &RulesTable::updateStatus);
    connect(m_table, &QTableView::doubleClicked, this, &RulesTable::activated);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RulesTable::selectionChanged);
    updateStatus();
}

void RulesTable::setRules(DestinationRulesModel::Rules rules, DestinationRulesModel::Marks marks)
{
    m_marksFor = rules;
    m_marks = std::move(marks);
    m_query->setRules(std::move(rules));
}

std::optional<DestinationRule> RulesTable::selectedRule() const
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid() || !m_table->selectionModel()->hasSelection())
        return std::nullopt;
    return m_model->ruleAt(current.row());
}

DestinationRulesModel::Pending RulesTable::selectedPending() const
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid() || !m_table->selectionModel()->hasSelection())
        return DestinationRulesModel::Pending::None;
    return m_model->pendingAt(current.row());
}

void RulesTable::updateQuery()
{
    const QHeaderView *header = m_table->horizontalHeader();
    m_query->setQuery({m_filter->text(), header->sortIndicatorSection(), header->sortIndicatorOrder()});
}

void RulesTable::showRules(DestinationRulesModel::Rules rules, DestinationRulesModel::Rows rows)
{
    const bool newRules = rules != m_model->rules();
    DestinationRulesModel::Marks marks = rules == m_marksFor ? m_marks : DestinationRulesModel::Marks();
    m_model->setRules(std::move(rules), std::move(rows), std::move(marks));
    if (newRules)
        sizeDestinationColumn();
    updateStatus();
    Q_EMIT selectionChanged();  // a reset drops the selection
}

void RulesTable::sizeDestinationColumn()
{
    // As wide as the widest of the first rows. Not resizeColumnToContents: QTableView sizes from
    // every row while the table is hidden (another tab in front), seconds for a million.
    constexpr int Sample = 200;
    const int column = DestinationRulesModel::DestinationColumn;
    int width = m_table->horizontalHeader()->sectionSizeHint(column);
    for (int row = 0; row < std::min(m_model->rowCount(), Sample); ++row)
        width = std::max(width, m_table->sizeHintForIndex(m_model->index(row, column)).width() + (m_table->showGrid() ? 1 : 0));
    m_table->setColumnWidth(column, width);
}

void RulesTable::updateStatus()
{
    const QLocale locale;
    const qsizetype all = m_model->ruleCount();
    QString text = m_filter->text().isEmpty()
        ? tr("%Ln exception(s)", nullptr, int(all))
        : tr("%1 of %Ln exception(s) shown", nullptr, int(all)).arg(locale.toString(m_model->rowCount()));
    if (m_query->busy())
        text = (m_query->query().filter.isEmpty() ? tr("%1 — sorting…") : tr("%1 — filtering…")).arg(text);
    m_status->setText(text);
}

} // namespace smtls::gui
