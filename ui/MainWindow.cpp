#include "MainWindow.h"

#include "ApplyDialog.h"
#include "DiffPreviewDialog.h"
#include "HistoryPanel.h"
#include "HostConnector.h"
#include "HostDialog.h"
#include "HostImportDialog.h"
#include "HostListModel.h"
#include "HostSession.h"
#include "HostStore.h"
#include "HostsPanel.h"
#include "LogModel.h"
#include "PolicyPanel.h"
#include "Prompter.h"
#include "PolicyView.h"
#include "QueuePanel.h"
#include "StagedEditsStore.h"

#include <QAction>
#include <QCloseEvent>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QUndoGroup>
#include <QUndoView>
#include <QVBoxLayout>

namespace smtls::gui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent), m_snapshots(std::make_shared<const SnapshotStore>(SnapshotStore::userStore())),
      m_prompter(std::make_shared<Prompter>(this)), m_connector(std::make_shared<const HostConnector>(m_prompter)), m_hosts(new HostListModel(this)), m_log(new LogModel(this)), m_undoGroup(new QUndoGroup(this)),
      m_hostsPanel(new HostsPanel(m_hosts, this)), m_tabs(new QTabWidget(this)), m_policy(new PolicyPanel(this)),
      m_pending(new QUndoView(m_undoGroup, this)), m_pendingPage(nullptr), m_keptConflicts(nullptr), m_history(new HistoryPanel(m_snapshots, this)),
      m_queue(new QueuePanel(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Sendmail TLS Admin"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/app.svg")));

    auto *pendingPage = m_pendingPage = new QWidget(this);
    auto *pendingLayout = new QVBoxLayout(pendingPage);
    auto *pendingHelp = new QLabel(tr("Staged edits of the current host, oldest first. Click an entry to undo "
                                                  "back to it; nothing is sent until you apply."), pendingPage);
    pendingHelp->setWordWrap(true);
    m_pending->setObjectName(QStringLiteral("pendingView"));
    m_pending->setEmptyLabel(tr("<as read from the host>"));
    pendingLayout->addWidget(pendingHelp);
    m_keptConflicts = new QLabel(pendingPage);
    m_keptConflicts->setObjectName(QStringLiteral("keptConflicts"));
    m_keptConflicts->setWordWrap(true);
    m_keptConflicts->setTextFormat(Qt::PlainText);
    m_keptConflicts->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_keptConflicts->hide();
    pendingLayout->addWidget(m_keptConflicts);
    pendingLayout->addWidget(m_pending, 1);
    auto *previewButton = new QPushButton(QIcon(QStringLiteral(":/icons/diff.svg")), tr("&Preview and apply…"), pendingPage);
    previewButton->setObjectName(QStringLiteral("previewButton"));
    pendingLayout->addWidget(previewButton, 0, Qt::AlignRight);
    connect(previewButton, &QPushButton::clicked, this, &MainWindow::preview);

    m_tabs->setObjectName(QStringLiteral("centreTabs"));
    // In a scroll area: on a short window (a laptop at 200 %) the panel scrolls instead of
    // squeezing its parts under their minimum sizes, where they would overlap.
    auto *policyScroll = new QScrollArea(this);
    policyScroll->setObjectName(QStringLiteral("policyScroll"));
    policyScroll->setWidget(m_policy);
    policyScroll->setWidgetResizable(true);
    policyScroll->setFrameShape(QFrame::NoFrame);
    m_tabs->addTab(policyScroll, QIcon(QStringLiteral(":/icons/policy.svg")), tr("&Policy"));
    m_tabs->addTab(pendingPage, QIcon(QStringLiteral(":/icons/pending.svg")), tr("Pe&nding changes"));
    m_tabs->addTab(m_history, QIcon(QStringLiteral(":/icons/history.svg")), tr("Hi&story"));
    m_tabs->addTab(m_queue, QIcon(QStringLiteral(":/icons/queue.svg")), tr("&Queue"));

    auto *splitter = new QSplitter(this);
    splitter->addWidget(m_hostsPanel);
    splitter->addWidget(m_tabs);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({m_hostsPanel->sizeHint().width(), 700});
    setCentralWidget(splitter);

    auto *logView = new QTableView(this);
    logView->setObjectName(QStringLiteral("logView"));
    logView->setTabKeyNavigation(false);  // Tab leaves the table (arrows move in it)
    auto *logFilter = new LogFilter(m_log, this);  // our internal helper scripts hidden by default
    logView->setModel(logFilter);
    logView->verticalHeader()->hide();
    logView->horizontalHeader()->setSectionResizeMode(LogModel::CommandColumn, QHeaderView::Stretch);
    logView->setSelectionBehavior(QAbstractItemView::SelectRows);
    logView->setWordWrap(false);
    connect(logFilter, &QAbstractItemModel::rowsInserted, logView, &QTableView::scrollToBottom);
    auto *logDock = new QDockWidget(tr("Log: every command run"), this);
    logDock->setObjectName(QStringLiteral("logDock"));
    // In the View menu and the log's context menu: a row of its own would take the policy's room.
    auto *showAll = new QAction(tr("Show &all commands in the log (also internal helper scripts)"), this);
    showAll->setObjectName(QStringLiteral("showAllCommands"));
    showAll->setCheckable(true);
    connect(showAll, &QAction::toggled, logFilter, &LogFilter::setShowAll);
    logView->addAction(showAll);
    logView->setContextMenuPolicy(Qt::ActionsContextMenu);
    logDock->setWidget(logView);
    addDockWidget(Qt::BottomDockWidgetArea, logDock);
    resizeDocks({logDock}, {logView->fontMetrics().height() * 5}, Qt::Vertical);  // the policy gets the room

    createActions();
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(logDock->toggleViewAction());
    view->addAction(showAll);

    connect(m_hostsPanel, &HostsPanel::selectionChanged, this, &MainWindow::selectionChanged);
    connect(m_hostsPanel, &HostsPanel::addRequested, this, &MainWindow::addHost);
    connect(m_hostsPanel, &HostsPanel::editRequested, this, &MainWindow::editHost);
    connect(m_hostsPanel, &HostsPanel::removeRequested, this, &MainWindow::removeHost);
    connect(m_hostsPanel, &HostsPanel::importRequested, this, &MainWindow::importHosts);
    connect(m_hostsPanel, &HostsPanel::reloadRequested, m_reloadAction, &QAction::trigger);
    connect(m_history, &HistoryPanel::rollbackRequested, this, &MainWindow::rollback);
    connect(m_undoGroup, &QUndoGroup::indexChanged, this, &MainWindow::updatePendingTab);
    connect(m_undoGroup, &QUndoGroup::activeStackChanged, this, &MainWindow::updatePendingTab);

    for (const HostEntry &e : HostStore::load())
        addSession(e);
    QSettings settings;
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
        // 1280x900, or less on a small screen (a 1920x1080 screen at 200 % has 960x540 to give).
        const QSize room = screen() ? screen()->availableGeometry().size() * 0.9 : QSize(1280, 900);
        resize(QSize(1280, 900).boundedTo(room));
    }
    selectHost(settings.value(QStringLiteral("window/currentHost"), QStringLiteral("demo")).toString());
}

MainWindow::~MainWindow()
{
    // The sessions are deleted after this body, with the panels they report to already gone:
    // silence them first. Workers still running keep only shared state and drop their answers.
    for (HostSession *s : m_hosts->sessions()) {
        s->shutdown();
        s->disconnect(this);
    }
    m_prompter->close();
}

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);

    QAction *undo = m_undoGroup->createUndoAction(this, tr("&Undo"));
    undo->setIcon(QIcon(QStringLiteral(":/icons/undo.svg")));
    undo->setShortcut(QKeySequence::Undo);
    QAction *redo = m_undoGroup->createRedoAction(this, tr("&Redo"));
    redo->setIcon(QIcon(QStringLiteral(":/icons/redo.svg")));
    redo->setShortcut(QKeySequence::Redo);
    m_previewAction = new QAction(QIcon(QStringLiteral(":/icons/diff.svg")), tr("&Preview and apply…"), this);
    m_previewAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_previewAction->setToolTip(tr("The diff of every file on every selected host, then Apply (Ctrl+Enter)"));
    connect(m_previewAction, &QAction::triggered, this, &MainWindow::preview);
    m_reloadAction = new QAction(QIcon(QStringLiteral(":/icons/reload.svg")), tr("Re&read hosts"), this);
    m_reloadAction->setShortcut(QKeySequence::Refresh);
    connect(m_reloadAction, &QAction::triggered, this, [this] {
        // F5 on the Queue tab reads the queue again; the host's files are not what it shows.
        if (m_tabs->currentWidget() == m_queue)
            return m_queue->refresh();
        for (HostSession *s : selectedSessions())
            s->reload();
    });
    QAction *quit = new QAction(tr("&Quit"), this);
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    // Hosts from the menu too (not only the icon under the list), each with its shortcut.
    file->addAction(QIcon(QStringLiteral(":/icons/add.svg")), tr("&Add host…"), QKeySequence(Qt::CTRL | Qt::Key_N), this, &MainWindow::addHost)->setObjectName(QStringLiteral("addHostAction"));
    file->addAction(QIcon(QStringLiteral(":/icons/import.svg")), tr("&Import hosts from ssh_config…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I), this, &MainWindow::importHosts)->setObjectName(QStringLiteral("importHostsAction"));
    file->addSeparator();
    file->addAction(m_reloadAction);
    file->addSeparator();
    file->addAction(quit);
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    edit->addAction(QIcon(QStringLiteral(":/icons/add.svg")), tr("Add &exception…"), QKeySequence(Qt::CTRL | Qt::Key_E), this, [this] {
        m_tabs->setCurrentIndex(0);
        m_policy->addException();
    })->setObjectName(QStringLiteral("addExceptionAction"));
    edit->addAction(m_previewAction);
    bar->addAction(undo);
    bar->addAction(redo);
    bar->addSeparator();
    bar->addAction(m_previewAction);
    bar->addAction(m_reloadAction);
}

void MainWindow::addSession(const HostEntry &entry)
{
    auto *session = new HostSession(entry, m_connector, m_snapshots, this);
    m_undoGroup->addStack(session->undoStack());
    // Edits kept at the last quit: staged again once the host has been read.
    QStringList unreadable;
    if (const QList<KeptEdit> kept = StagedEditsStore::load(entry.id, &unreadable); !kept.isEmpty() || !unreadable.isEmpty())
        session->setKeptEdits(kept, unreadable);
    connect(session, &HostSession::commandLogged, m_log, [this, session](const CommandLogEntry &e) { m_log->append(e, session->entry().name); });
    connect(session, &HostSession::changed, this, [this, session] {
        if (selectedSessions().contains(session)) {
            m_policy->refresh();
            updateActions();
        }
        if (selectedSessions().value(0) == session) {
            statusBar()->showMessage(statusText(*session));
            updatePendingTab();
        }
    });
    connect(session, &HostSession::stateLoaded, this, [this, session] {
        if (selectedSessions().value(0) == session)
            m_history->reload();
    });
    m_hosts->addSession(session);
}

HostSession *MainWindow::sessionById(const QString &id) const
{
    for (HostSession *s : m_hosts->sessions())
        if (s->entry().id == id)
            return s;
    return nullptr;
}

void MainWindow::selectHost(const QString &id)
{
    HostSession *s = sessionById(id);
    if (!s)
        s = m_hosts->sessions().value(0);
    if (s)
        m_hostsPanel->select(s);
}

QList<HostSession *> MainWindow::selectedSessions() const { return m_hostsPanel->selectedSessions(); }

void MainWindow::selectionChanged()
{
    const QList<HostSession *> selected = selectedSessions();
    HostSession *primary = selected.value(0);
    m_undoGroup->setActiveStack(primary ? primary->undoStack() : nullptr);
    for (HostSession *s : selected)
        if (s->reach() == HostSession::Reach::Unknown)
            s->reload();
    m_policy->setSessions(selected);
    m_history->setSession(primary);
    m_queue->setSession(primary);
    updateActions();
    statusBar()->showMessage(primary ? statusText(*primary) : QString());
    updatePendingTab();
}

QString MainWindow::statusText(const HostSession &session) const
{
    // The status bar has one line: the host list's lines joined.
    QString text = QStringLiteral("%1: %2").arg(session.entry().name, HostListModel::stateSummary(session).replace(QLatin1Char('\n'), QStringLiteral(" · ")));
    // The summary counts the problems of the files as read; the Problems panel shows those of
    // the staged files. When they differ, both are said, so that the two never disagree.
    const std::shared_ptr<const PolicyView> view = session.policyView();
    if (session.pendingCount() > 0 && view && view->config && !session.policyViewPending() && session.glance()
        && view->problems.size() != session.glance()->problems)
        text += tr(" · %n problem(s) with the staged changes", nullptr, int(view->problems.size()));
    return text;
}

void MainWindow::updatePendingTab()
{
    // The count in the tab's own title: staged edits are visible from every tab.
    HostSession *primary = selectedSessions().value(0);
    const int pending = primary ? primary->pendingCount() : 0;
    const QStringList conflicts = primary ? primary->keptConflicts() : QStringList();
    // Kept edits that conflicted are counted there too: they are listed on that tab.
    QString count = pending > 0 ? QString::number(pending) : QString();
    if (!conflicts.isEmpty())
        count += (count.isEmpty() ? QString() : QStringLiteral(", ")) + tr("%n conflict(s)", nullptr, int(conflicts.size()));
    if (const int index = m_tabs->indexOf(m_pendingPage); index >= 0)
        m_tabs->setTabText(index, count.isEmpty() ? tr("Pe&nding changes") : tr("Pe&nding changes (%1)").arg(count));
    m_keptConflicts->setText(conflicts.isEmpty() ? QString()
                                                 : tr("Conflicts with the files as read now (not staged):\n") + conflicts.join(QLatin1Char('\n')));
    m_keptConflicts->setVisible(!conflicts.isEmpty());
}

void MainWindow::updateActions()
{
    bool pending = false;
    for (HostSession *s : selectedSessions())
        pending = pending || (s->pendingCount() > 0 && !s->busy());
    m_previewAction->setEnabled(pending);
}

DiffPreviewDialog *MainWindow::preview()
{
    const QList<HostSession *> sessions = selectedSessions();
    auto *dialog = new DiffPreviewDialog(sessions, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { applySelected(dialog->reason()); });
    dialog->open();
    return dialog;
}

ApplyDialog *MainWindow::applySelected(const QString &reason)
{
    auto *dialog = new ApplyDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->start(selectedSessions(), reason);
    dialog->open();
    return dialog;
}

void MainWindow::rollback(HostSession *session, const Change &change)
{
    auto *dialog = new ApplyDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->startRollback(session, change.description(), [session, change] { session->apply(change); });
    // No reload here: the session re-reads the host after the apply, and its end re-reads the
    // history of the selected host.
    dialog->open();
}

void MainWindow::addHost()
{
    HostEntry entry;
    entry.id = HostStore::newId();
    auto *dialog = new HostDialog(entry, m_connector, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        addSession(dialog->entry());
        saveHosts();
    });
    dialog->open();
}

void MainWindow::editHost(HostSession *session)
{
    if (session->entry().isBuiltIn()) {
        statusBar()->showMessage(tr("%1 is built in and cannot be edited").arg(session->entry().name), 5000);
        return;
    }
    auto *dialog = new HostDialog(session->entry(), m_connector, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, session] {
        session->setEntry(dialog->entry());
        saveHosts();
        session->reload();
    });
    dialog->open();
}

void MainWindow::removeHost(HostSession *session)
{
    if (session->entry().isBuiltIn() || session->busy())
        return;
    m_hosts->removeSession(session);
    m_undoGroup->removeStack(session->undoStack());
    session->deleteLater();
    saveHosts();
}

void MainWindow::importHosts()
{
    QStringList known;
    for (HostSession *s : m_hosts->sessions())
        known << s->entry().address;
    // A checklist: only the Host entries the user picks are added.
    auto *dialog = new HostImportDialog(QString(), known, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const QList<HostEntry> chosen = dialog->chosen();
        for (const HostEntry &e : chosen)
            addSession(e);
        saveHosts();
        statusBar()->showMessage(tr("Imported %1 of the hosts of ~/.ssh/config.").arg(chosen.size()), 5000);
    });
    dialog->open();
}

void MainWindow::saveHosts() const
{
    QList<HostEntry> entries;
    for (HostSession *s : m_hosts->sessions())
        entries << s->entry();
    HostStore::save(entries);
}

bool MainWindow::settleStagedEdits()
{
    QList<HostSession *> withEdits;
    QStringList lines;
    for (HostSession *s : m_hosts->sessions())
        if (s->pendingCount() > 0) {
            withEdits << s;
            lines << tr("%1: %n staged edit(s)", nullptr, s->pendingCount()).arg(s->entry().name);
        }
    if (withEdits.isEmpty())
        return true;
    QMessageBox box(QMessageBox::Question, tr("Staged edits not applied"),
                    tr("Some edits are staged but not applied:\n%1\n\nNothing has been sent to these hosts.")
                        .arg(lines.join(QLatin1Char('\n'))),
                    QMessageBox::NoButton, this);
    box.setObjectName(QStringLiteral("stagedAtQuit"));
    box.setInformativeText(tr("Keep for next time saves them on this computer (per host, no passwords); the next "
                                          "start stages them again on the files it reads then."));
    QPushButton *apply = box.addButton(tr("&Apply…"), QMessageBox::AcceptRole);
    QPushButton *keep = box.addButton(tr("&Keep for next time"), QMessageBox::AcceptRole);
    QPushButton *discard = box.addButton(tr("&Discard"), QMessageBox::DestructiveRole);
    QPushButton *cancel = box.addButton(QMessageBox::Cancel);
    apply->setObjectName(QStringLiteral("applyStaged"));
    keep->setObjectName(QStringLiteral("keepStaged"));
    discard->setObjectName(QStringLiteral("discardStaged"));
    // Enter keeps them: the safe choice, and named on its button.
    box.setDefaultButton(keep);
    box.setEscapeButton(cancel);
    box.exec();
    if (box.clickedButton() == keep) {
        for (HostSession *s : withEdits)
            if (const Status failed = StagedEditsStore::save(s->entry().id, s->editsToKeep())) {
                QMessageBox::warning(this, tr("Staged edits not kept"), failed->message);
                return false;
            }
        return true;
    }
    if (box.clickedButton() == discard) {
        for (HostSession *s : withEdits)
            StagedEditsStore::remove(s->entry().id);
        return true;
    }
    if (box.clickedButton() == apply) {
        // The preview of every host with edits: Apply is pressed there, after the diffs.
        m_hostsPanel->select(withEdits);
        m_tabs->setCurrentWidget(m_pendingPage);
        preview();
    }
    return false;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!settleStagedEdits()) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    if (HostSession *s = selectedSessions().value(0))
        settings.setValue(QStringLiteral("window/currentHost"), s->entry().id);
    QMainWindow::closeEvent(event);
}

} // namespace smtls::gui
