#include "HistoryPanel.h"

#include "ChangeUndo.h"
#include "HostConnector.h"
#include "RestoreDialog.h"
#include "HostSession.h"
#include "apply/HostSnapshots.h"
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

#include <unistd.h>
#include <QtConcurrent/QtConcurrentRun>
#include <QCoreApplication>

namespace smtls::gui {

HistoryPanel::HistoryPanel(std::shared_ptr<const SnapshotStore> store, QWidget *parent)
    : QWidget(parent), m_store(std::move(store)), m_model(new SnapshotModel(this)), m_table(new QTableView(this)),
      m_diff(new QPlainTextEdit(this)), m_status(new QLabel(this)),
      m_rollback(new QPushButton(QIcon(QStringLiteral(":/icons/rollback.svg")), tr("&Undo this change…"), this)),
      m_restore(new QPushButton(tr("R&estore files as before this change…"), this))
{
    setObjectName(QStringLiteral("historyPanel"));
    auto *layout = new QVBoxLayout(this);
    m_status->setObjectName(QStringLiteral("historyStatus"));
    m_status->setWordWrap(true);  // the folders it names are long
    layout->addWidget(m_status);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_table->setObjectName(QStringLiteral("snapshotTable"));
    m_table->setTabKeyNavigation(false);  // Tab leaves the table (arrows move in it)
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
    m_rollback->setToolTip(tr("Takes back just the selected change on the files as they are now; every later "
                                          "change stays. Validated and applied like any change."));
    m_rollback->setEnabled(false);
    m_restore->setObjectName(QStringLiteral("restoreButton"));
    m_restore->setToolTip(tr("Puts the files back as they were before the selected change, discarding every "
                                         "later change (they are listed before anything happens)."));
    m_restore->setEnabled(false);
    row->addStretch();
    row->addWidget(m_restore);
    row->addWidget(m_rollback);
    layout->addLayout(row);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &HistoryPanel::showSelected);
    connect(m_rollback, &QPushButton::clicked, this, &HistoryPanel::rollbackSelected);
    connect(m_restore, &QPushButton::clicked, this, &HistoryPanel::restoreSelected);
}

void HistoryPanel::updateButtons()
{
    const std::optional<HistoryItem> item = selectedItem();
    const bool ready = m_selected && m_session && !m_session->busy() && item;
    // An undone change, or one a restore discarded, is no longer in the files: nothing to undo.
    m_rollback->setEnabled(ready && m_model->fateOf(*item).isEmpty());
    m_restore->setEnabled(ready);
}

std::optional<HistoryItem> HistoryPanel::selectedItem() const
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid() || current.row() >= m_model->rowCount())
        return std::nullopt;
    return m_model->itemAt(current.row());
}

QList<HistoryItem> HistoryPanel::laterItems() const
{
    QList<HistoryItem> later;
    const QModelIndex current = m_table->currentIndex();
    for (int row = 0; current.isValid() && row < current.row(); ++row)
        later.append(m_model->itemAt(row));
    return later;
}

void HistoryPanel::dropShown()
{
    ++m_generation;  // answers still on their way are for what was shown before
    m_selected.reset();
    m_rollback->setEnabled(false);
    m_restore->setEnabled(false);
    m_diff->clear();
}

void HistoryPanel::setSession(HostSession *session)
{
    if (m_session == session)
        return;
    m_session = session;
    if (session && session->reach() == HostSession::Reach::Loading) {
        // The host is being read; the end of that read re-reads its history (MainWindow), so
        // reading it now too would open a second connection for nothing.
        dropShown();
        m_model->setItems({});
        m_status->setText(tr("Reading %1…").arg(session->entry().name));
        return;
    }
    reload();
}

namespace {

struct HistoryRead {
    Result<QList<Snapshot>> local = QList<Snapshot>();
    std::optional<Result<QList<Snapshot>>> onHost;  // not asked: see readsHostSnapshots
};

// "This computer" without root would need pkexec/sudo only to list the history: its local
// store has every apply made from here, so the host's own folder is not asked then.
bool readsHostSnapshots(const HostEntry &entry)
{
    return entry.kind != HostKind::Local || ::geteuid() == 0;
}

Result<QList<Snapshot>> localSnapshotsOf(const SnapshotStore &store, const QStringList &hostNames)
{
    Result<QList<Snapshot>> all = store.list();
    if (!all)
        return all;
    QList<Snapshot> mine;
    for (const Snapshot &s : *all)
        if (hostNames.contains(s.host))
            mine.append(s);
    return mine;
}

// A snapshot as the panel shows it: the snapshot and, worked out with it, its text.
struct SnapshotShown {
    Result<Snapshot> snapshot = makeError(ErrorKind::Internal, QCoreApplication::translate("HistoryPanel", "not loaded"));
    QString text;
};

} // namespace

void HistoryPanel::reload()
{
    // A re-read (after an apply, or the host's own re-read) keeps the snapshot being looked at.
    std::optional<HistoryItem> keep;
    if (const QModelIndex current = m_table->currentIndex(); current.isValid() && current.row() < m_model->rowCount())
        keep = m_model->itemAt(current.row());
    dropShown();
    if (!m_session) {
        m_model->setItems({});
        m_status->setText(tr("Select a host to see its snapshots."));
        return;
    }
    m_status->setText(tr("Reading the snapshots of %1…").arg(m_session->entry().name));
    const QStringList names{m_session->entry().name, m_session->transportName()};
    auto *watcher = new QFutureWatcher<HistoryRead>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation = m_generation, host = m_session->entry().name, keep] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;
        const HistoryRead read = watcher->result();
        const QList<Snapshot> local = read.local ? *read.local : QList<Snapshot>();
        const QList<Snapshot> onHost = read.onHost && *read.onHost ? **read.onHost : QList<Snapshot>();
        const QList<HistoryItem> items = mergeHistory(local, onHost);
        m_model->setItems(items);
        QStringList parts;
        parts << (read.local ? tr("%1 kept on this computer (%2)").arg(local.size()).arg(m_store->directory())
                             : tr("this computer's snapshots could not be read: %1").arg(read.local.error().describe()));
        if (!read.onHost)
            parts << tr("the host's own folder is not read without root");
        else if (*read.onHost)
            parts << tr("%1 on the host").arg(onHost.size());
        else
            parts << tr("the host's own snapshots could not be read: %1").arg(read.onHost->error().describe());
        m_status->setText(tr("%n snapshot(s) of %1: %2.", nullptr, int(items.size())).arg(host, parts.join(QStringLiteral("; "))));
        for (qsizetype row = 0; keep && row < items.size(); ++row)
            if ((!keep->localId.isEmpty() && items[row].localId == keep->localId) || (!keep->hostId.isEmpty() && items[row].hostId == keep->hostId)) {
                m_table->setCurrentIndex(m_model->index(int(row), 0));
                break;
            }
        Q_EMIT loaded();
    });
    watcher->setFuture(QtConcurrent::run(workerPool(), [store = m_store, names, connector = m_session->connector(),
                                                        entry = m_session->entry()]() {
        HistoryRead read;
        read.local = localSnapshotsOf(*store, names);
        if (readsHostSnapshots(entry)) {
            const Result<Connection> c = connector->connect(entry);
            read.onHost = c ? listHostSnapshots(*c->transport, c->profile) : Result<QList<Snapshot>>(c.error());
        }
        return read;
    }));
}

void HistoryPanel::showSelected()
{
    const QModelIndex current = m_table->currentIndex();
    m_selected.reset();
    m_rollback->setEnabled(false);
    m_restore->setEnabled(false);
    if (!current.isValid() || !m_session)
        return;
    const HistoryItem item = m_model->itemAt(current.row());
    auto *watcher = new QFutureWatcher<SnapshotShown>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation = m_generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;
        const SnapshotShown shown = watcher->result();
        m_diff->setPlainText(shown.text);
        if (!shown.snapshot)
            return;
        m_selected = *shown.snapshot;
        updateButtons();
    });
    // This computer's copy when there is one (no connection needed), else the host's. The diff
    // too is worked out there: a snapshot of a million-line map holds two of its versions.
    watcher->setFuture(QtConcurrent::run(workerPool(), [store = m_store, item, connector = m_session->connector(),
                                                        entry = m_session->entry(), fate = m_model->fateOf(item)]() {
        SnapshotShown shown;
        if (!item.localId.isEmpty()) {
            shown.snapshot = store->load(item.localId);
        } else {
            const Result<Connection> c = connector->connect(entry);
            shown.snapshot = c ? loadHostSnapshot(*c->transport, c->profile, item.hostId) : Result<Snapshot>(c.error());
        }
        if (!shown.snapshot) {
            shown.text = shown.snapshot.error().describe();
            return shown;
        }
        const Snapshot &s = *shown.snapshot;
        shown.text = tr("# %1\n# by %2 at %3%4\n# kept %5\n%6")
                         .arg(s.change, s.user, s.time.toLocalTime().toString(Qt::ISODate),
                              s.reason.isEmpty() ? QString() : QStringLiteral(": ") + s.reason, item.whereKept(),
                              fate.isEmpty() ? QString() : QStringLiteral("# ") + fate + QLatin1Char('\n'));
        for (const SnapshotFile &f : s.files)
            shown.text += QString::fromUtf8(unifiedDiff(f.before, f.after, f.path, f.path));
        return shown;
    }));
}

namespace {

// What going back needs, worked out on a worker: the later snapshots (with their bytes, for an
// undo to name the one in its way), the change and its plan on the files as they are now.
struct GoingBack {
    QList<Snapshot> later;  // oldest first
    std::optional<Change> change;
    Result<ConfigChange> planned = makeError(ErrorKind::Internal, QCoreApplication::translate("HistoryPanel", "not planned"));
    QString diff;
};

PathMatcher matcherFor(const HostEntry &entry)
{
    // The Demo host is a local tree: its snapshots here name its files under its folder.
    return sameFileUnder(entry.kind == HostKind::Demo ? HostConnector::demoRoot() : QString());
}

QString diffOf(const ConfigChange &c)
{
    QString text;
    for (const FileChange *f : {&c.mc, &c.access})
        if (f->changed())
            text += QString::fromUtf8(unifiedDiff(f->before, f->after, f->path + QCoreApplication::translate("HistoryPanel", " (now)"), f->path + QCoreApplication::translate("HistoryPanel", " (then)")));
    return text;
}

// Loads the later snapshots (this computer's copy when there is one: no connection), oldest first.
Result<QList<Snapshot>> loadLater(const SnapshotStore &store, const QList<HistoryItem> &newestFirst,
                                  const std::shared_ptr<const HostConnector> &connector, const HostEntry &entry)
{
    QList<Snapshot> later;
    std::optional<Connection> c;
    for (auto it = newestFirst.rbegin(); it != newestFirst.rend(); ++it) {
        Result<Snapshot> s = makeError(ErrorKind::Internal, QCoreApplication::translate("HistoryPanel", "not loaded"));
        if (!it->localId.isEmpty()) {
            s = store.load(it->localId);
        } else {
            if (!c) {
                Result<Connection> connected = connector->connect(entry);
                if (!connected)
                    return connected.error();
                c = std::move(*connected);
            }
            s = loadHostSnapshot(*c->transport, c->profile, it->hostId);
        }
        if (!s)
            return s.error();
        later.append(*s);
    }
    return later;
}

} // namespace

void HistoryPanel::rollbackSelected()
{
    if (!m_selected || !m_session || !m_session->state())
        return;
    const Snapshot snapshot = *m_selected;
    HostSession *session = m_session;
    m_rollback->setEnabled(false);
    m_restore->setEnabled(false);
    m_status->setText(tr("Working out the undo of \"%1\" on the files as they are now…").arg(snapshot.change));
    auto *watcher = new QFutureWatcher<GoingBack>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, session, snapshot, generation = m_generation] {
        watcher->deleteLater();
        if (generation != m_generation || session != m_session)
            return;
        updateButtons();
        const GoingBack back = watcher->result();
        m_status->clear();
        const QString host = session->entry().name;
        if (!back.planned) {
            auto *box = new QMessageBox(QMessageBox::Warning, tr("Cannot undo this change alone"),
                                        back.planned.error().message, QMessageBox::NoButton, this);
            box->setObjectName(QStringLiteral("undoRefused"));
            box->setInformativeText(tr("Undo the later change first, or restore the files as they were before this "
                                                   "change, which discards the later changes (they are listed first)."));
            QPushButton *restore = box->addButton(tr("Restore files as before this change…"), QMessageBox::ActionRole);
            restore->setObjectName(QStringLiteral("undoRefusedRestore"));
            QPushButton *close = box->addButton(tr("Leave the files as they are"), QMessageBox::RejectRole);
            box->setDefaultButton(close);
            box->setAttribute(Qt::WA_DeleteOnClose);
            connect(restore, &QPushButton::clicked, this, &HistoryPanel::restoreSelected, Qt::QueuedConnection);
            box->open();
            return;
        }
        auto *box = new QMessageBox(QMessageBox::Question, tr("Undo this change"),
                                    tr("Undo \"%1\" (snapshot %2 of %3) on %4?\n\n"
                                                   "Only the lines this change wrote are put back; %5. The files are validated and "
                                                   "installed like any change; a new snapshot is taken first.")
                                        .arg(snapshot.change, snapshot.id, snapshot.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")), host,
                                             back.later.isEmpty() ? tr("no change was made after it")
                                                                  : tr("the %n later change(s) {stays|stay}", nullptr, int(back.later.size()))),
                                    QMessageBox::Yes | QMessageBox::Cancel, this);
        box->setObjectName(QStringLiteral("rollbackConfirm"));
        box->setDetailedText(back.diff);
        box->button(QMessageBox::Yes)->setText(tr("Undo on %1").arg(host));
        box->button(QMessageBox::Cancel)->setText(tr("Leave the files as they are"));
        box->setDefaultButton(QMessageBox::Yes);  // named, and it keeps every later change
        box->setAttribute(Qt::WA_DeleteOnClose);
        const Change change = *back.change;
        connect(box, &QDialog::finished, this, [this, session, change](int result) {
            if (result == QMessageBox::Yes)
                Q_EMIT rollbackRequested(session, change);
        });
        box->open();
    });
    watcher->setFuture(QtConcurrent::run(workerPool(), [store = m_store, snapshot, later = laterItems(), connector = m_session->connector(),
                                                        entry = m_session->entry(), state = m_session->state()]() {
        GoingBack back;
        const Result<QList<Snapshot>> loaded = loadLater(*store, later, connector, entry);
        if (!loaded) {
            back.planned = loaded.error();
            return back;
        }
        back.later = *loaded;
        Change change = undoChange(snapshot, matcherFor(entry), back.later);
        change.setReason(QStringLiteral("undone from the History view"));
        back.planned = change.plan(state->config);
        back.change = change;
        if (back.planned)
            back.diff = diffOf(*back.planned);
        return back;
    }));
}

void HistoryPanel::restoreSelected()
{
    if (!m_selected || !m_session || !m_session->state())
        return;
    const Snapshot snapshot = *m_selected;
    HostSession *session = m_session;
    QList<Snapshot> discarded;
    for (const HistoryItem &item : laterItems())
        if (m_model->fateOf(item).isEmpty())  // already undone or discarded: not in the files any more
            discarded.prepend(item.summary);
    auto *watcher = new QFutureWatcher<GoingBack>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, session, snapshot, discarded, generation = m_generation] {
        watcher->deleteLater();
        if (generation != m_generation || session != m_session)
            return;
        const GoingBack back = watcher->result();
        if (!back.planned) {
            m_status->setText(back.planned.error().describe());
            return;
        }
        auto *dialog = new RestoreDialog(session->entry().name, snapshot, discarded, back.diff, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        const Change change = *back.change;
        connect(dialog, &QDialog::accepted, this, [this, session, change] { Q_EMIT rollbackRequested(session, change); });
        dialog->open();
    });
    watcher->setFuture(QtConcurrent::run(workerPool(), [snapshot, entry = m_session->entry(), state = m_session->state()]() {
        GoingBack back;
        // Confirmed in the dialog, which lists what goes: the later changes are discarded knowingly.
        Change change = Change::restore(snapshot, matcherFor(entry), true);
        change.setReason(QStringLiteral("restored from the History view"));
        back.planned = change.plan(state->config);
        back.change = change;
        if (back.planned)
            back.diff = diffOf(*back.planned);
        return back;
    }));
}

} // namespace smtls::gui
