#pragma once
// The Queue tab: the selected host's stuck mail by server (StuckServersModel, read on a worker
// by QueueReader whenever the tab is shown for a host and on Refresh), the TLS handshake
// failures first. On a TLS-failure row one action lets that server's mail through and retries
// it (StuckServerFix), ending in "N of M delivered" and each message's result below the table;
// on every server row, Probe opens the STARTTLS probe of that server.

#include "StuckServerFix.h"

#include <QPointer>
#include <QWidget>

#include <memory>

class QLabel;
class QProgressBar;
class QPushButton;
class QSplitter;
class QTableView;

namespace smtls::gui {

class HostSession;
class QueueReader;
class RetryResultsModel;
class StuckServersModel;

class QueuePanel : public QWidget {
    Q_OBJECT
public:
    explicit QueuePanel(QWidget *parent = nullptr);

    // The host whose queue to show; read at once when the tab is showing, else when it is shown.
    void setSession(HostSession *session);
    HostSession *session() const { return m_session.data(); }
    // Reads the queue again (Refresh, F5).
    void refresh();
    // Cancels the read or the retry that is running.
    void cancel();

    // The action on the selected server: stages, previews, applies, retries. Null when the
    // selected row offers none. The fix reports through fixFinished().
    StuckServerFix *fixSelected();
    // The STARTTLS probe of the selected server.
    void probeSelected();
    // Selects the row of SERVER; false when it has none.
    bool selectServer(const QString &server);

    StuckServersModel *model() const { return m_model; }
    RetryResultsModel *results() const { return m_results; }
    QueueReader *reader() const { return m_reader; }
    StuckServerFix *currentFix() const { return m_fix; }
    QString title() const;
    QString resultSummary() const;

Q_SIGNALS:
    void loaded();  // an answer (or an error) of the newest read is shown
    void fixFinished(const smtls::gui::FixOutcome &outcome);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void showStuckMail(const std::shared_ptr<const StuckMail> &stuck);
    void showError(const QString &error);
    void showSteps(const QString &readStep, const QString &fixStep);
    void updateActions();
    void showFixOutcome(const FixOutcome &outcome);
    void contextMenu(const QPoint &pos);
    const StuckServer *selectedServer() const;

    QPointer<HostSession> m_session;
    QPointer<HostSession> m_shownFor;  // the host whose queue was read last (or is being read)
    QueueReader *m_reader;
    StuckServersModel *m_model;
    RetryResultsModel *m_results;
    QLabel *m_title;
    QPushButton *m_refresh;
    QPushButton *m_cancel;
    QProgressBar *m_working;
    QLabel *m_step;
    QLabel *m_error;
    QTableView *m_table;
    QLabel *m_notes;
    QPushButton *m_fixButton;
    QPushButton *m_probeButton;
    QWidget *m_resultBox;
    QLabel *m_resultSummary;
    QLabel *m_resultNotes;
    QTableView *m_resultTable;
    StuckServerFix *m_fix = nullptr;
    QString m_readStep;  // what the running read or fix is doing; empty when none runs
    QString m_fixStep;
};

} // namespace smtls::gui
