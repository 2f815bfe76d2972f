#pragma once
// An apply in progress on one or many hosts, then its result page: per host the step it is at,
// then its result (applied / rolled back / refused, the cause and the state after a failure)
// with its steps to expand. Cancel stops the hosts that have not installed; Retry runs it again
// on the hosts where it did not go through; Show log shows every step's commands.

#include <QDialog>
#include <QList>
#include <QPointer>

#include <functional>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTreeView;

namespace smtls::gui {

class ApplyProgressModel;
class HostSession;

class ApplyDialog : public QDialog {
    Q_OBJECT
public:
    explicit ApplyDialog(QWidget *parent = nullptr);
    // Starts the staged edits on each session.
    void start(const QList<HostSession *> &sessions, const QString &reason);
    void startRollback(HostSession *session, const QString &change, const std::function<void()> &launch);
    bool finished() const;
    ApplyProgressModel *model() const { return m_model; }
    QTreeView *view() const { return m_tree; }
    // Runs it again on the hosts whose result was not applied (the Retry button).
    void retry();
    // The log window: every host's report with the commands of each step (the Show log button).
    QDialog *showLog();

Q_SIGNALS:
    void allFinished();

private:
    void watch(HostSession *session);
    void startOn(HostSession *session);
    void cancelAll();
    void someFinished();
    QList<HostSession *> failedSessions() const;

    ApplyProgressModel *m_model;
    QTreeView *m_tree;
    QLabel *m_summary;
    QPushButton *m_cancel;
    QPushButton *m_retry;
    QPushButton *m_showLog;
    QPushButton *m_close;
    QList<QPointer<HostSession>> m_sessions;
    QString m_reason;
    std::function<void()> m_rollback;  // set when this dialog shows a rollback
    QPointer<QDialog> m_log;
};

} // namespace smtls::gui
