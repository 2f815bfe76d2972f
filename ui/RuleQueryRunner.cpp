#include "RuleQueryRunner.h"

#include "WorkerPool.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace smtls::gui {

RuleQueryRunner::RuleQueryRunner(QObject *parent) : QObject(parent) {}

void RuleQueryRunner::setRules(DestinationRulesModel::Rules rules)
{
    m_rules = rules ? std::move(rules) : std::make_shared<const QList<DestinationRule>>();
    update();
}

void RuleQueryRunner::setQuery(const RuleQuery &query)
{
    if (query == m_query)
        return;
    m_query = query;
    update();
}

void RuleQueryRunner::update()
{
    ++m_wanted;
    if (m_cancel)
        m_cancel->store(true);  // its answer is for an older query or older rules
    if (m_query.keepsAll()) {
        m_shown = m_wanted;
        Q_EMIT ready(m_rules, {});
        Q_EMIT busyChanged(false);
        return;
    }
    if (!m_running)
        start();
    Q_EMIT busyChanged(true);
}

void RuleQueryRunner::start()
{
    m_running = true;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    auto *watcher = new QFutureWatcher<std::optional<QList<int>>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation = m_wanted] {
        watcher->deleteLater();
        finish(generation, watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(workerPool(), [rules = m_rules, query = m_query, cancel = m_cancel] {
        return runRuleQuery(*rules, query, *cancel);
    }));
}

void RuleQueryRunner::finish(quint64 generation, const std::optional<QList<int>> &rows)
{
    m_running = false;
    if (generation == m_wanted && rows) {
        m_shown = generation;
        // Freed on a worker as well: freeing a million rows here took 80 ms (glibc consolidating
        // the worker's arena, where the query freed its million sort keys).
        Q_EMIT ready(m_rules, makeLargeShared<QList<int>>(*rows));
        Q_EMIT busyChanged(false);
    } else if (busy() && !m_query.keepsAll()) {
        start();  // the newest query, on the newest rules
    }
}

} // namespace smtls::gui
