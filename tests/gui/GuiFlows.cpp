#include "GuiFlows.h"

#include "ApplyDialog.h"
#include "ApplyProgressModel.h"
#include "DestinationDialog.h"
#include "DestinationRulesModel.h"
#include "DiffPreviewDialog.h"
#include "HistoryPanel.h"
#include "HostConnector.h"
#include "HostSession.h"
#include "MainWindow.h"
#include "SnapshotModel.h"

#include <QFile>
#include <QLineEdit>
#include <QProcess>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTest>
#include <QTreeView>

#include <unistd.h>

namespace smtls::testing {

using namespace smtls::gui;

QString whyTheDemoCannotApply()
{
    for (const char *tool : {"/usr/bin/m4", "/usr/sbin/makemap", "/usr/sbin/sendmail"})
        if (!QFile::exists(QLatin1String(tool)))
            return QStringLiteral("m4/makemap/sendmail not installed (installer/setup.sh test installs them)");
    if (::geteuid() != 0 && HostConnector::demoProfile().sendmailWrapper.contains(QStringLiteral("--map-root-user"))
        && QProcess::execute(QStringLiteral("unshare"), {QStringLiteral("--map-root-user"), QStringLiteral("--uts"), QStringLiteral("true")}) != 0)
        return QStringLiteral("not root and no user namespaces: sendmail -bt would sleep 60 s on this unqualified host name");
    return {};
}

HostSession *openHost(MainWindow &w, const QString &id, int timeoutMs)
{
    w.show();
    w.selectHost(id);
    HostSession *session = w.sessionById(id);
    if (!session
        || !QTest::qWaitFor([session] { return session->state() && !session->policyViewPending() && !session->busy(); }, timeoutMs))
        return nullptr;
    return session;
}

bool addException(MainWindow &w, const QString &destination, TlsSetting setting, const QString &reason)
{
    QTest::mouseClick(w.findChild<QPushButton *>(QStringLiteral("addException")), Qt::LeftButton);
    auto *dialog = w.findChild<DestinationDialog *>(QStringLiteral("destinationDialog"));
    if (!dialog || !dialog->isVisible())
        return false;
    dialog->setValues(destination, setting, reason);
    dialog->accept();
    delete dialog;
    return true;
}

ApplyReport waitForApply(MainWindow &w, HostSession *session)
{
    ApplyDialog *apply = nullptr;
    if (!QTest::qWaitFor([&] { return (apply = w.findChild<ApplyDialog *>(QStringLiteral("applyDialog"))) != nullptr; }, 60000)
        || !QTest::qWaitFor([apply] { return apply->finished(); }, 180000))
        return {};
    ApplyReport report = apply->model()->reportFor(session->entry().name).value_or(ApplyReport{});
    apply->accept();
    delete apply;
    // And the re-read after it: what the window shows next is the host's new state.
    if (!QTest::qWaitFor([session] { return !session->busy() && session->state() && !session->policyViewPending(); }, 60000))
        report.summary += QStringLiteral(" (the host was not read again after the apply)");
    return report;
}

ApplyReport previewAndApply(MainWindow &w, HostSession *session, const QString &reason, QString *diff)
{
    DiffPreviewDialog *preview = w.preview();
    if (!QTest::qWaitFor([preview] { return preview->isReady(); }, 60000))
        return {};
    if (diff)
        *diff = preview->diffText();
    if (!reason.isEmpty())
        preview->findChild<QLineEdit *>(QStringLiteral("applyReason"))->setText(reason);
    QTest::mouseClick(preview->findChild<QPushButton *>(QStringLiteral("applyButton")), Qt::LeftButton);
    return waitForApply(w, session);
}

ApplyReport applyException(MainWindow &w, HostSession *session, const QString &destination, TlsSetting setting, const QString &reason)
{
    if (!addException(w, destination, setting, reason.isEmpty() ? QStringLiteral("test ") + destination : reason))
        return {};
    return previewAndApply(w, session);
}

int ruleRow(QTableView *rules, const QString &destination)
{
    for (int row = 0; row < rules->model()->rowCount(); ++row)
        if (rules->model()->index(row, DestinationRulesModel::DestinationColumn).data().toString() == destination)
            return row;
    return -1;
}

int historyRow(HistoryPanel *history, const QString &text)
{
    for (int row = 0; row < history->model()->rowCount(); ++row)
        if (history->model()->index(row, SnapshotModel::ChangeColumn).data().toString().startsWith(text))
            return row;
    return -1;
}

bool selectHistoryChange(HistoryPanel *history, const QString &text, int rows, int timeoutMs)
{
    history->reload();
    if (!QTest::qWaitFor([&] { return history->model()->rowCount() == rows; }, timeoutMs))
        return false;
    const int row = historyRow(history, text);
    if (row < 0)
        return false;
    auto *table = history->findChild<QTableView *>(QStringLiteral("snapshotTable"));
    table->setCurrentIndex(table->model()->index(row, 0));
    auto *diff = history->findChild<QPlainTextEdit *>(QStringLiteral("snapshotDiff"));
    return QTest::qWaitFor([&] { return diff->toPlainText().contains(text); }, timeoutMs)
        && QTest::qWaitFor([&] { return history->findChild<QPushButton *>(QStringLiteral("restoreButton"))->isEnabled(); }, timeoutMs);
}

QStringList cutHostCells(QTreeView *hosts)
{
    QStringList cut;
    QAbstractItemModel *model = hosts->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex group = model->index(row, 0);
        for (int child = 0; child < model->rowCount(group); ++child)
            for (int column = 0; column < model->columnCount(group); ++column) {
                if (hosts->isColumnHidden(column))
                    continue;
                const QModelIndex i = model->index(child, column, group);
                const QRect shown = hosts->visualRect(i);
                const QSize needs = hosts->sizeHintForIndex(i);
                if (shown.right() > hosts->viewport()->width() + 2)
                    cut << QStringLiteral("host list cell \"%1\" ends at %2, past the visible %3 px").arg(i.data().toString()).arg(shown.right()).arg(hosts->viewport()->width());
                if (shown.width() + 2 < needs.width() || shown.height() + 2 < needs.height())
                    cut << QStringLiteral("host list cell \"%1\" is %2×%3 px, needs %4×%5")
                               .arg(i.data().toString()).arg(shown.width()).arg(shown.height()).arg(needs.width()).arg(needs.height());
            }
    }
    return cut;
}

} // namespace smtls::testing
