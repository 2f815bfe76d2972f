#pragma once
// The Queue view's one action on a server whose TLS handshake fails: let its mail through and
// prove it. Fall back to clear text for that server for 7 days (turn TLS off where the host's
// sendmail is older than 8.16), staged like any edit, shown in the usual preview, applied
// through the usual apply; then, only when the apply went through, the queue is run for exactly
// that server's messages (retryMessages, on a worker) and each message's result is reported:
// "3 of 3 delivered". If the preview is closed or the apply does not go through, nothing is
// retried and the outcome says why.

#include "ApplyDialog.h"
#include "Change.h"
#include "DiffPreviewDialog.h"
#include "apply/ApplyReport.h"
#include "delivery/QueueRetry.h"

#include <QObject>
#include <QPointer>

#include <memory>

class QWidget;

namespace smtls::gui {

class HostSession;
class HostTaskCancel;

struct FixOutcome {
    bool applied = false;
    bool retried = false;
    int delivered = 0;
    int total = 0;                   // the messages retried
    QList<RetryOutcome> messages;
    QStringList notes;               // the retry's notes (a queue run's exit code, …)
    QString summary;                 // "3 of 3 delivered", or why nothing was retried
};

class StuckServerFix : public QObject {
    Q_OBJECT
public:
    // How many days the exception lasts: long enough for the other side to repair its TLS.
    static constexpr int Days = 7;

    // What this host's sendmail can do for a failing handshake: fallback from 8.16 on, else off.
    static TlsSetting settingFor(const QString &sendmailVersion);
    // The action as the Queue view offers it for SERVER:
    // "Fall back to clear text for this server for 7 days and retry its 3 messages".
    static QString actionText(const StuckServer &server, const QString &sendmailVersion);
    // The note the exception gets: "3 messages stuck: 454 4.7.0 TLS handshake failed (queue view)".
    static QString reasonFor(const StuckServer &server);
    // The change it stages (InvalidInput when the server's name is no destination).
    static Result<Change> changeFor(const StuckServer &server, const QString &sendmailVersion, const QDateTime &now);

    // BEFORE is the queue as read (the retry reports each message's server from it); the
    // dialogs open over DIALOGPARENT.
    StuckServerFix(HostSession *session, std::shared_ptr<const StuckMail> before, const StuckServer &server,
                   QWidget *dialogParent, QObject *parent = nullptr);
    ~StuckServerFix() override;

    // Stages the change and opens the preview; the dialogs and the retry do the rest, and
    // finished() ends it (possibly before this returns).
    void start();
    // Stops the retry (the queue run on the host is cancelled); the dialogs have their own.
    void cancel();

    const StuckServer &server() const { return m_server; }
    DiffPreviewDialog *preview() const { return m_preview; }
    ApplyDialog *applyDialog() const { return m_apply; }
    bool isFinished() const { return m_finished; }
    const FixOutcome &outcome() const { return m_outcome; }

Q_SIGNALS:
    void progress(const QString &step);
    void finished(const smtls::gui::FixOutcome &outcome);

private:
    void applyAccepted();
    void applyFinished(const ApplyReport &report);
    void retry();
    void retryFinished(const Result<RetryReport> &report);
    void finish(const QString &summary);

    QPointer<HostSession> m_session;
    std::shared_ptr<const StuckMail> m_before;
    StuckServer m_server;
    QPointer<QWidget> m_dialogParent;
    QString m_reason;
    QPointer<DiffPreviewDialog> m_preview;
    QPointer<ApplyDialog> m_apply;
    std::shared_ptr<HostTaskCancel> m_cancel;
    FixOutcome m_outcome;
    bool m_finished = false;
};

} // namespace smtls::gui
