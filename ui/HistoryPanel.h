#pragma once
// The snapshots of the selected host, the diff of the chosen one, and the two kinds of going
// back, never confused: *Undo this change* (the default) reverses just that change on the files
// as they are now and keeps every later one (refused, naming the later change, when one touched
// the same lines); *Restore files as before this change…* puts the old bytes back, after a
// confirmation that shows the diff and every later change it discards. Both are applies of a
// Change through the pipeline. Reading snapshots and planning run on a worker.

#include "Change.h"
#include "HistoryList.h"
#include "SnapshotStore.h"

#include <QWidget>

#include <memory>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace smtls::gui {

class HostSession;
class SnapshotModel;

class HistoryPanel : public QWidget {
    Q_OBJECT
public:
    HistoryPanel(std::shared_ptr<const SnapshotStore> store, QWidget *parent = nullptr);
    void setSession(HostSession *session);
    void reload();
    SnapshotModel *model() const { return m_model; }

    // Undo: plans the undo on the host's current files (on a worker), then asks (a QMessageBox
    // named "rollbackConfirm", its default button "Undo on HOST") or, when a later change is in
    // the way, says which ("undoRefused") and offers the restore.
    void rollbackSelected();
    // Restore: the diff against the current files and the later changes it discards, in a
    // RestoreDialog ("restoreConfirm") whose default button keeps the files.
    void restoreSelected();

Q_SIGNALS:
    // An undo or a restore to apply on `session`.
    void rollbackRequested(smtls::gui::HostSession *session, const smtls::Change &change);
    void loaded();

private:
    void showSelected();
    void dropShown();
    void updateButtons();
    // The snapshots listed above the selected one (newer), newest first.
    QList<HistoryItem> laterItems() const;
    std::optional<HistoryItem> selectedItem() const;

    std::shared_ptr<const SnapshotStore> m_store;  // shared with the readers on workers
    HostSession *m_session = nullptr;
    SnapshotModel *m_model;
    QTableView *m_table;
    QPlainTextEdit *m_diff;
    QLabel *m_status;
    QPushButton *m_rollback;  // Undo this change
    QPushButton *m_restore;   // Restore files as before this change…
    std::optional<Snapshot> m_selected;
    int m_generation = 0;  // drops answers for a host no longer shown
};

} // namespace smtls::gui
