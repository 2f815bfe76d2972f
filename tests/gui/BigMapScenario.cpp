#include "BigMapScenario.h"

#include "DestinationDialog.h"
#include "DestinationRulesModel.h"
#include "DiffPreviewDialog.h"
#include "HostSession.h"
#include "HostsPanel.h"
#include "MainWindow.h"
#include "WorkerPool.h"

#include "StallMeter.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QTableView>
#include <QTest>
#include <QThreadPool>
#include <QTreeView>

#include <functional>
#include <memory>

namespace smtls::gui::testing {

qint64 BigMapRun::worstStall() const
{
    qint64 worst = 0;
    for (const StepFigure &s : steps)
        worst = std::max(worst, s.worstStall);
    return worst;
}

StepFigure BigMapRun::step(const QString &name) const
{
    for (const StepFigure &s : steps)
        if (s.name == name)
            return s;
    return {};
}

QString BigMapRun::describe() const
{
    QStringList parts;
    for (const StepFigure &s : steps)
        parts << QStringLiteral("%1 %2 ms (stall %3 ms)").arg(s.name).arg(s.ms).arg(s.worstStall);
    return parts.join(QStringLiteral(", ")) + (failure.isEmpty() ? QString() : QStringLiteral("; FAILED: ") + failure);
}

qint64 peakRssKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return 0;
}

namespace {

const QString NewRule = QStringLiteral("bigmap-new.example");

class Steps {
public:
    Steps(BigMapRun &run, int timeoutMs) : m_run(run), m_timeoutMs(timeoutMs) {}

    // Runs ACTION with a fresh stall meter, then waits until SHOWN holds; false (and the run's
    // failure set to WHAT) on a timeout. The meter's first tick comes 10 ms after it starts.
    bool step(const QString &name, const std::function<void()> &action, const std::function<bool()> &shown, const QString &what)
    {
        if (!m_run.failure.isEmpty())
            return false;
        QElapsedTimer clock;
        clock.start();
        StallMeter stalls;
        action();
        const bool ok = QTest::qWaitFor(shown, m_timeoutMs);
        const qint64 ms = clock.elapsed();
        // qWaitFor returns without running the event loop when SHOWN already holds (an action
        // that did all its work before returning): the meter's next tick measures that gap.
        QTest::qWait(30);
        stalls.stop();
        m_run.steps.append({name, ms, stalls.worst(), peakRssKiB()});
        if (!ok)
            m_run.failure = QStringLiteral("%1: %2 (after %3 ms)").arg(name, what).arg(clock.elapsed());
        return ok;
    }

private:
    BigMapRun &m_run;
    int m_timeoutMs;
};

int rows(QTableView *table) { return table->model()->rowCount(); }

} // namespace

BigMapRun runBigMapScenario(const BigMapTree &tree, int timeoutMs)
{
    BigMapRun run;
    Steps steps(run, timeoutMs);
    {
        std::unique_ptr<MainWindow> w;
        QTableView *table = nullptr;
        HostSession *demo = nullptr;
        // The window opens with the Demo host selected (its default), which starts reading it.
        steps.step(
            QStringLiteral("open"),
            [&] {
                w = std::make_unique<MainWindow>();
                w->selectHost(QStringLiteral("demo"));
                w->show();
                table = w->findChild<QTableView *>(QStringLiteral("rulesTable"));
                demo = w->sessionById(QStringLiteral("demo"));
            },
            [&] { return demo && demo->reach() == HostSession::Reach::Reachable && rows(table) == tree.rules; },
            QStringLiteral("the table does not show the %1 rules").arg(tree.rules));

        // Another selection and back: what clicking between hosts does once a host is read.
        auto *hosts = w->findChild<QTreeView *>(QStringLiteral("hostTree"));
        steps.step(
            QStringLiteral("deselect"), [&] { hosts->selectionModel()->clearSelection(); }, [&] { return rows(table) == 0; },
            QStringLiteral("the table still shows rules with no host selected"));
        steps.step(
            QStringLiteral("select"), [&] { w->selectHost(QStringLiteral("demo")); }, [&] { return rows(table) == tree.rules; },
            QStringLiteral("the table does not show the %1 rules again").arg(tree.rules));

        auto *filter = w->findChild<QLineEdit *>(QStringLiteral("ruleFilter"));
        steps.step(
            QStringLiteral("filter"), [&] { QTest::keyClicks(filter, tree.uniqueFilter); },
            [&] {
                return rows(table) == 1
                    && table->model()->index(0, DestinationRulesModel::DestinationColumn).data().toString().startsWith(tree.uniqueFilter);
            },
            QStringLiteral("filtering on %1 does not show that one rule").arg(tree.uniqueFilter));
        steps.step(
            QStringLiteral("clear filter"), [&] { filter->clear(); }, [&] { return rows(table) == tree.rules; },
            QStringLiteral("clearing the filter does not show every rule again"));

        // The header sorts (on a worker): by destination, then back to the file's order (a third
        // click). The first row tells which order is shown.
        QHeaderView *header = table->horizontalHeader();
        const auto clickDestinationHeader = [header] {
            QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
                              QPoint(header->sectionViewportPosition(DestinationRulesModel::DestinationColumn) + 10, header->height() / 2));
        };
        const auto firstRow = [&] { return table->model()->index(0, DestinationRulesModel::DestinationColumn).data().toString(); };
        const QString fileOrderFirst = firstRow();
        // "10.0.0.3" (an address key) sorts before every "mx…" name.
        steps.step(
            QStringLiteral("sort"), clickDestinationHeader, [&] { return firstRow().startsWith(QStringLiteral("10.")) && rows(table) == tree.rules; },
            QStringLiteral("sorting by destination does not put the addresses first"));
        steps.step(
            QStringLiteral("unsort"), [&] { clickDestinationHeader(); clickDestinationHeader(); },
            [&] { return header->sortIndicatorSection() == -1 && firstRow() == fileOrderFirst; },
            QStringLiteral("a third click does not bring back the file's order"));

        auto *explain = w->findChild<QLineEdit *>(QStringLiteral("explainInput"));
        auto *explained = w->findChild<QLabel *>(QStringLiteral("explainResult"));
        steps.step(
            QStringLiteral("explain"), [&] { QTest::keyClicks(explain, tree.uniqueKey); },
            [&] {
                return explained->text().contains(QStringLiteral("NOT be tried"))
                    && explained->text().contains(QStringLiteral("Try_TLS:") + tree.uniqueKey);
            },
            QStringLiteral("the explain box does not name the rule for %1").arg(tree.uniqueKey));

        // An exception through the Add dialog, as a user stages one.
        steps.step(
            QStringLiteral("stage"),
            [&] {
                QTest::mouseClick(w->findChild<QPushButton *>(QStringLiteral("addException")), Qt::LeftButton);
                auto *dialog = w->findChild<DestinationDialog *>(QStringLiteral("destinationDialog"));
                if (!dialog)
                    return;
                dialog->setValues(NewRule, TlsSetting::Off, QStringLiteral("big map test"));
                dialog->accept();
                // A million rules take seconds to work out again: the panel says it is at it.
                if (!w->findChild<QWidget *>(QStringLiteral("policyWorking"))->isVisible())
                    run.failure = QStringLiteral("stage: no busy indication while the staged policy is worked out");
            },
            [&] { return demo->pendingCount() == 1 && rows(table) == tree.rules + 1; },
            QStringLiteral("the staged exception does not show (%1 rows)").arg(rows(table)));
        if (run.failure.isEmpty()) {
            // Not under a meter: match() asks every row.
            const QModelIndexList found = table->model()->match(table->model()->index(0, DestinationRulesModel::DestinationColumn),
                                                                 Qt::DisplayRole, NewRule, 1, Qt::MatchFixedString);
            if (found.isEmpty())
                run.failure = QStringLiteral("stage: %1 is not among the rows").arg(NewRule);
        }

        QPointer<DiffPreviewDialog> preview;
        steps.step(
            QStringLiteral("preview"), [&] { preview = w->preview(); },
            [&] { return preview && preview->diffText().contains(QStringLiteral("+Try_TLS:") + NewRule); },
            QStringLiteral("the preview does not show the new rule"));
        steps.step(
            QStringLiteral("close preview"), [&] { if (preview) preview->reject(); }, [&] { return preview.isNull(); },
            QStringLiteral("the preview did not close"));
        steps.step(
            QStringLiteral("undo"), [&] { demo->undoStack()->undo(); },
            [&] { return demo->pendingCount() == 0 && !demo->policyViewPending() && rows(table) == tree.rules; },
            QStringLiteral("undoing the exception does not show the %1 rules as read").arg(tree.rules));
    }
    // Nothing of this run may still be working when the next one starts.
    workerPool()->waitForDone();
    return run;
}

} // namespace smtls::gui::testing
