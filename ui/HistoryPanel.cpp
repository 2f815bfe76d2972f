#include "HistoryPanel.h"

#include "HostSession.h"
#include "SnapshotModel.h"
#include "UnifiedDiff.h"

#include "WorkerPool.h"
#include <QFontDatabase>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace smtls::gui {

HistoryPanel::HistoryPanel(std::shared_ptr<const SnapshotStore> store, QWidget *parent)
    : QWidget(parent), m_store(std::move(store)), m_model(new SnapshotModel(this)), m_table(new QTableView(this)),
      m_diff(new QPlainTextEdit(this)), m_status(new QLabel(this)),
      m_rollback(new QPushButton(QIcon(QStringLiteral(":/icons/rollback.svg")), QStringLiteral("&Roll back to before this change…"), this))
{
    setObjectName(QStringLiteral("historyPanel"));
    auto *layout = new QVBoxLayout(this);
    m_status->setObjectName(QStringLiteral("historyStatus"));
    layout->addWidget(m_status);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_table->setObjectName(QStringLiteral("snapshotTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->horizontalHeader()->setSectionResizeMode(SnapshotModel::ChangeColumn, QHeaderView::Stretch);
    m_table->verticalHeader()->hide();
    m_diff->setObjectName(QStringLiteral("snapshotDiff"));
    m_diff->setReadOnly(true);
    m_diff->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_diff->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    splitter->addWidget(m_table);
    splitter->addWidget(m_diff);
    layout->addWidget(splitter, 1);
    auto *row = new QHBoxLayout;
    m_rollback->setObjectName(QStringLiteral("rollbackButton"));
    m_rollback->setToolTip(QStringLiteral("Sets the files back to what they were before the selected change, "
                                          "through the same validated apply"));
    m_rollback->setEnabled(false);
    row->addStretch();
    row->addWidget(m_rollback);
    layout->addLayout(row);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &HistoryPanel::showSelected);
    connect(m_rollback, &QPushButton::clicked, this, &HistoryPanel::rollbackSelected);
}

void HistoryPanel::setSession(HostSession *session)
{
    if (m_session == session)
        return;
    m_session = session;
    reload();
}

void HistoryPanel::reload()
{
    ++m_generation;
    m_selected.reset();
    m_rollback->setEnabled(false);
    m_diff->clear();
    if (!m_session) {
        m_model->setSnapshots({});
        m_status->setText(QStringLiteral("Select a host to see its snapshots."));
        return;
    }
    m_status->setText(QStringLiteral("Reading the snapshots of %1…").arg(m_session->entry().name));
    const QStringList names{m_session->entry().name, m_session->transportName()};
    auto *watcher = new QFutureWatcher<Result<QList<Snapshot>>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation = m_generation, host = m_session->entry().name] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;
        const Result<QList<Snapshot>> list = watcher->result();
        m_model->setSnapshots(list ? *list : QList<Snapshot>());
        m_status->setText(!list ? list.error().describe()
                                : QStringLiteral("%1 snapshot(s) of %2 in %3").arg(list->size()).arg(host, m_store->directory()));
        Q_EMIT loaded();
    });
    watcher->setFuture(QtConcurrent::run(workerPool(), [store = m_store, names]() -> Result<QList<Snapshot>> {
        Result<QList<Snapshot>> all = store->list();
        if (!all)
            return all;
        QList<Snapshot> mine;
        for (const Snapshot &s : *all)
            if (names.contains(s.host))
                mine.append(s);
        return mine;
    }));
}

void HistoryPanel::showSelected()
{
    const QModelIndex current = m_table->currentIndex();
    m_selected.reset();
    m_rollback->setEnabled(false);
    if (!current.isValid())
        return;
    const QString id = m_model->snapshotAt(current.row()).id;
    auto *watcher = new QFutureWatcher<Result<Snapshot>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation = m_generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;
        const Result<Snapshot> s = watcher->result();
        if (!s) {
            m_diff->setPlainText(s.error().describe());
            return;
        }
        QString text = QStringLiteral("# %1\n# by %2 at %3%4\n").arg(s->change, s->user, s->time.toLocalTime().toString(Qt::ISODate),
                                                                     s->reason.isEmpty() ? QString() : QStringLiteral(": ") + s->reason);
        for (const SnapshotFile &f : s->files)
            text += QString::fromUtf8(unifiedDiff(f.before, f.after, f.path, f.path));
        m_diff->setPlainText(text);
        m_selected = *s;
        m_rollback->setEnabled(m_session && !m_session->busy());
    });
    watcher->setFuture(QtConcurrent::run(workerPool(), [store = m_store, id] { return store->load(id); }));
}

void HistoryPanel::rollbackSelected()
{
    if (!m_selected || !m_session)
        return;
    const Snapshot snapshot = *m_selected;
    HostSession *session = m_session;
    auto *box = new QMessageBox(QMessageBox::Warning, QStringLiteral("Roll back"),
                                QStringLiteral("Roll back %1 to its files before \"%2\" (snapshot %3 of %4)?\n\n"
                                               "The files are validated and installed like any change; a new snapshot is taken first.")
                                    .arg(session->entry().name, snapshot.change, snapshot.id,
                                         snapshot.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))),
                                QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("rollbackConfirm"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->button(QMessageBox::Yes)->setText(QStringLiteral("Roll back %1").arg(session->entry().name));
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QDialog::finished, this, [this, session, snapshot](int result) {
        if (result == QMessageBox::Yes)
            Q_EMIT rollbackRequested(session, snapshot);
    });
    box->open();
}

} // namespace smtls::gui
