#pragma once
// The window: hosts on the left, the staged policy / pending changes / history in the centre,
// the command log at the bottom. It wires sessions to views; the data lives in the sessions
// and the models.

#include "HostConnector.h"
#include "Change.h"
#include "SnapshotStore.h"

#include <QMainWindow>

#include <memory>

class QAction;
class QLabel;
class QTabWidget;
class QUndoGroup;
class QUndoView;

namespace smtls::gui {

class ApplyDialog;
class DiffPreviewDialog;
class HistoryPanel;
class HostListModel;
class HostSession;
class HostsPanel;
class LogModel;
class PolicyPanel;
class Prompter;
class QueuePanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    HostSession *sessionById(const QString &id) const;
    void selectHost(const QString &id);
    QList<HostSession *> selectedSessions() const;

    // Opens the preview of the staged changes of the selected hosts (Apply starts from there).
    DiffPreviewDialog *preview();
    ApplyDialog *applySelected(const QString &reason);

    PolicyPanel *policyPanel() const { return m_policy; }
    HistoryPanel *historyPanel() const { return m_history; }
    QueuePanel *queuePanel() const { return m_queue; }
    QTabWidget *tabs() const { return m_tabs; }
    LogModel *logModel() const { return m_log; }
    const SnapshotStore &snapshots() const { return *m_snapshots; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void addSession(const HostEntry &entry);
    void selectionChanged();
    void updateActions();
    void addHost();
    void editHost(HostSession *session);
    void removeHost(HostSession *session);
    void importHosts();
    void saveHosts() const;
    void rollback(HostSession *session, const Change &change);  // an undo or a restore, from History
    // Staged edits at quit: asks Apply / Keep for next time / Discard / Cancel; false = stay.
    bool settleStagedEdits();
    void updatePendingTab();
    QString statusText(const HostSession &session) const;

    // Shared with the sessions' workers, which may outlive the window.
    std::shared_ptr<const SnapshotStore> m_snapshots;
    std::shared_ptr<Prompter> m_prompter;
    std::shared_ptr<const HostConnector> m_connector;
    HostListModel *m_hosts;
    LogModel *m_log;
    QUndoGroup *m_undoGroup;
    HostsPanel *m_hostsPanel;
    QTabWidget *m_tabs;
    PolicyPanel *m_policy;
    QUndoView *m_pending;
    QWidget *m_pendingPage;
    QLabel *m_keptConflicts;  // kept edits that no longer apply to the re-read files
    HistoryPanel *m_history;
    QueuePanel *m_queue;
    QAction *m_previewAction = nullptr;
    QAction *m_applyAction = nullptr;
    QAction *m_reloadAction = nullptr;
};

} // namespace smtls::gui
