#pragma once
// Probe a server's STARTTLS from the mail host and from this computer at once, side by side:
// the host's view is what sendmail meets (its network, its OpenSSL, `openssl s_client` over
// the host's connection), this computer's (Qt Network) tells whether the problem is the
// server's or the host's. Both run on workers; the dialog stays responsive, shows how long
// each has been running, cancels both (Transport::cancel, std::stop_token) and probes again.
// Opened from the Queue view's server rows and from the exception dialog.

#include "ProbeVerdict.h"

#include <QDialog>
#include <QElapsedTimer>
#include <QPointer>

#include <chrono>
#include <memory>
#include <stop_token>

class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTimer;

namespace smtls::gui {

class HostSession;
class HostTaskCancel;
class ProbeColumn;

class ProbeDialog : public QDialog {
    Q_OBJECT
public:
    // SESSION: the mail host to probe from (may be null: then only this computer probes).
    // The probe starts when the dialog is first shown.
    ProbeDialog(HostSession *session, const QString &server, QWidget *parent);
    ~ProbeDialog() override;

    // Starts both probes anew with the server and port as typed (cancelling any running).
    void probe();
    void cancel();
    bool running() const;
    // Workers of this dialog not yet returned, also those whose answers are no longer wanted
    // (after a cancel): a cancel that works brings this to 0 within a fraction of a second.
    int workersRunning() const { return *m_workers; }

    // How long each probe may take (a server that accepts and never answers costs this much).
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }
    void setPort(int port);

    ProbeColumn *hostColumn() const { return m_hostColumn; }
    ProbeColumn *hereColumn() const { return m_hereColumn; }
    const ProbeSide &hostSide() const { return m_host; }
    const ProbeSide &hereSide() const { return m_here; }
    QString verdict() const;

    // Closing stops what still runs.
    void done(int result) override;

Q_SIGNALS:
    // Both sides have their outcome (answered, could not run, or cancelled).
    void probesDone();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void stopWorkers();
    void startHost(const QString &server, int port);
    void startHere(const QString &server, int port);
    void sideDone();
    void tick();
    void updateVerdict();
    void updateButtons();
    QString hostName() const;

    QPointer<HostSession> m_session;
    QLineEdit *m_server;
    QSpinBox *m_port;
    QPushButton *m_probe;
    QPushButton *m_cancel;
    ProbeColumn *m_hostColumn = nullptr;
    ProbeColumn *m_hereColumn = nullptr;
    QLabel *m_verdict;
    QTimer *m_ticker;
    QElapsedTimer m_clock;
    ProbeSide m_host;
    ProbeSide m_here;
    quint64 m_generation = 0;  // answers of an earlier probe (or a cancelled one) are dropped
    std::shared_ptr<HostTaskCancel> m_hostCancel;
    std::stop_source m_hereCancel;
    std::shared_ptr<std::atomic<int>> m_workers;
    std::chrono::milliseconds m_timeout = std::chrono::seconds(10);
    bool m_started = false;
};

} // namespace smtls::gui
