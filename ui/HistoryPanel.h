#pragma once
// The snapshots of the selected host, the diff of the chosen one, and Rollback: an apply of a
// restore Change, which sets the files back to the snapshot's "before" bytes (after a confirmation naming the
// host and the snapshot). Reading the store runs on a worker.

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

    // Asks for confirmation (a QMessageBox named "rollbackConfirm"), then emits rollbackRequested.
    void rollbackSelected();

Q_SIGNALS:
    void rollbackRequested(smtls::gui::HostSession *session, const smtls::Snapshot &snapshot);
    void loaded();

private:
    void showSelected();
    void dropShown();

    std::shared_ptr<const SnapshotStore> m_store;  // shared with the readers on workers
    HostSession *m_session = nullptr;
    SnapshotModel *m_model;
    QTableView *m_table;
    QPlainTextEdit *m_diff;
    QLabel *m_status;
    QPushButton *m_rollback;
    std::optional<Snapshot> m_selected;
    int m_generation = 0;  // drops answers for a host no longer shown
};

} // namespace smtls::gui
