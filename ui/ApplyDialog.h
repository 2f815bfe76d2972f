#pragma once
// An apply in progress on one or many hosts: per host the step it is at, then its result
// (applied / rolled back / refused, and why). Cancel stops the hosts that have not installed.

#include <QDialog>
#include <QList>

class QLabel;
class QPushButton;
class QTableView;

namespace smtls::gui {

class ApplyProgressModel;
class HostSession;

class ApplyDialog : public QDialog {
    Q_OBJECT
public:
    explicit ApplyDialog(QWidget *parent = nullptr);
    // Starts the staged edits (or `plan` when given) on each session.
    void start(const QList<HostSession *> &sessions, const QString &reason);
    void startRollback(HostSession *session, const QString &change, const std::function<void()> &launch);
    bool finished() const;
    ApplyProgressModel *model() const { return m_model; }

Q_SIGNALS:
    void allFinished();

private:
    void watch(HostSession *session);
    void cancelAll();

    ApplyProgressModel *m_model;
    QTableView *m_table;
    QLabel *m_summary;
    QPushButton *m_cancel;
    QPushButton *m_close;
    QList<HostSession *> m_sessions;
};

} // namespace smtls::gui
