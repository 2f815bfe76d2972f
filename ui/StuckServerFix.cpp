#include "StuckServerFix.h"

#include "ApplyDialog.h"
#include "DiffPreviewDialog.h"
#include "HostSession.h"
#include "HostTask.h"
#include "SendmailVersion.h"
#include "StagedEdit.h"

#include <QFutureWatcher>
#include <QWidget>
#include <QCoreApplication>

namespace smtls::gui {

namespace {

// A status as the note quotes it: "Deferred: 454 4.7.0 TLS handshake failed." says less than
// "454 4.7.0 TLS handshake failed"; one line, and short (it goes above the rule in the access file).
QString quotedStatus(QString status)
{
    status = status.simplified();
    if (status.startsWith(QLatin1String("Deferred: ")))
        status = status.mid(10);
    while (status.endsWith(QLatin1Char('.')))
        status.chop(1);
    constexpr int MaxLength = 100;
    if (status.size() > MaxLength)
        status = status.left(MaxLength - 3) + QStringLiteral("...");
    return status;
}

// In the reason written to the host's access file: English, like every note there.
QString englishMessages(int n)
{
    return n == 1 ? QStringLiteral("1 message") : QStringLiteral("%1 messages").arg(n);
}

QString messages(int n)
{
    return QCoreApplication::translate("StuckServerFix", "%n message(s)", nullptr, int(n));
}

} // namespace

TlsSetting StuckServerFix::settingFor(const QString &sendmailVersion)
{
    return supportsTlsFallback(sendmailVersion) ? TlsSetting::Fallback : TlsSetting::Off;
}

QString StuckServerFix::actionText(const StuckServer &server, const QString &sendmailVersion)
{
    const QString what = settingFor(sendmailVersion) == TlsSetting::Fallback ? tr("Fall back to clear text")
                                                                             : tr("Turn TLS off");
    return tr("%1 for this server for %2 days and retry its %3").arg(what).arg(Days).arg(messages(server.messages));
}

QString StuckServerFix::reasonFor(const StuckServer &server)
{
    const QString status = quotedStatus(server.lastStatus);
    return QStringLiteral("%1 stuck%2 (queue view)").arg(englishMessages(server.messages), status.isEmpty() ? QString() : QStringLiteral(": ") + status);
}

Result<Change> StuckServerFix::changeFor(const StuckServer &server, const QString &sendmailVersion, const QDateTime &now)
{
    const Result<Destination> destination = parseDestination(server.server);
    if (!destination)
        return destination.error();
    if (destination->isDefault())
        return makeError(ErrorKind::InvalidInput, tr("the server has no name"));
    const Result<Expiry> expires = expiryFromDuration(QStringLiteral("%1d").arg(Days), now);
    if (!expires)
        return expires.error();
    return Change::destination(*destination, settingFor(sendmailVersion), reasonFor(server), *expires);
}

StuckServerFix::StuckServerFix(HostSession *session, std::shared_ptr<const StuckMail> before, const StuckServer &server,
                               QWidget *dialogParent, QObject *parent)
    : QObject(parent), m_session(session), m_before(std::move(before)), m_server(server), m_dialogParent(dialogParent)
{
}

StuckServerFix::~StuckServerFix()
{
    if (m_cancel)
        m_cancel->cancel();
}

void StuckServerFix::start()
{
    HostSession *s = m_session;
    if (!s)
        return finish(tr("The host is no longer listed: nothing was changed."));
    const QString host = s->entry().name;
    if (s->busy())
        return finish(tr("%1 is busy reading or applying: nothing was staged. Try again when it is done.").arg(host));
    if (!s->state())
        return finish(tr("%1 has not been read yet: nothing was staged.").arg(host));
    const Result<Change> change = changeFor(m_server, s->sendmailVersion(), QDateTime::currentDateTimeUtc());
    if (!change)
        return finish(tr("Nothing was staged: %1").arg(change.error().message));
    m_reason = reasonFor(m_server);
    // Staged like any edit (Pending changes lists it, Undo takes it back); the action taken
    // twice stages it once (the first one's expiry and note stay).
    bool staged = false;
    for (const Change &c : stagedChanges(*s->undoStack()))
        staged = staged || (c.kind() == ChangeKind::Destination && c.target() == change->target() && c.setting() == change->setting());
    if (!staged)
        s->stage(*change);
    const int others = s->pendingCount() - 1;
    Q_EMIT progress(others > 0 ? tr("Preview: \"%1\" and %n other staged edit(s) of %2, applied together.", nullptr, others)
                                     .arg(change->description(), host)
                               : tr("Preview: \"%1\" on %2.").arg(change->description(), host));

    m_preview = new DiffPreviewDialog({s}, m_dialogParent);
    m_preview->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_preview, &QDialog::accepted, this, &StuckServerFix::applyAccepted);
    connect(m_preview, &QDialog::rejected, this, [this] {
        finish(tr("Nothing was applied: the preview was closed. The exception stays staged under Pending changes "
                              "(undo it there, or apply it later); no message was retried."));
    });
    m_preview->open();
}

void StuckServerFix::applyAccepted()
{
    HostSession *s = m_session;
    if (!s)
        return finish(tr("The host is no longer listed: nothing was applied."));
    const QString typed = m_preview ? m_preview->reason() : QString();
    m_apply = new ApplyDialog(m_dialogParent);
    m_apply->setAttribute(Qt::WA_DeleteOnClose);
    // Before start(): a busy host answers at once.
    connect(s, &HostSession::applyFinished, this, &StuckServerFix::applyFinished, Qt::SingleShotConnection);
    Q_EMIT progress(tr("Applying on %1…").arg(s->entry().name));
    m_apply->start({s}, typed.isEmpty() ? m_reason : typed);
    m_apply->open();
}

void StuckServerFix::applyFinished(const ApplyReport &report)
{
    m_outcome.applied = report.outcome == ApplyOutcome::Applied || report.outcome == ApplyOutcome::NothingToDo;
    if (!m_outcome.applied)
        return finish(tr("The apply did not go through (%1: %2): no message was retried.")
                          .arg(outcomeName(report.outcome), report.summary));
    retry();
}

void StuckServerFix::retry()
{
    if (!m_session)
        return finish(tr("Applied, but the host is no longer listed: no message was retried."));
    const QStringList ids = m_server.ids;
    Q_EMIT progress(tr("Applied. Retrying the %1 of %2…").arg(messages(int(ids.size())), m_server.server));
    m_cancel = std::make_shared<HostTaskCancel>();
    auto *watcher = new QFutureWatcher<HostAnswer<RetryReport>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        const HostAnswer<RetryReport> a = watcher->result();
        retryFinished(a.result ? *a.result : Result<RetryReport>(makeError(ErrorKind::Internal, tr("the retry gave no answer"))));
    });
    // sendmail -qI runs the queue as root.
    watcher->setFuture(runOnHost<RetryReport>(m_session, RootNeeded::Yes, m_cancel,
                                              [before = m_before, ids](Transport &t, const HostProfile &profile) {
                                                  return retryMessages(t, profile, *before, ids);
                                              }));
}

void StuckServerFix::cancel()
{
    if (m_cancel)
        m_cancel->cancel();
}

void StuckServerFix::retryFinished(const Result<RetryReport> &report)
{
    m_cancel.reset();
    if (!report) {
        if (report.error().kind == ErrorKind::Cancelled)
            return finish(tr("Applied; the retry was cancelled. The messages wait for sendmail's next queue run."));
        return finish(tr("Applied, but the retry failed: %1. The messages wait for sendmail's next queue run.")
                          .arg(report.error().describe()));
    }
    m_outcome.retried = true;
    m_outcome.messages = report->messages;
    m_outcome.notes = report->notes;
    m_outcome.total = int(report->messages.size());
    m_outcome.delivered = int(std::count_if(report->messages.begin(), report->messages.end(),
                                            [](const RetryOutcome &m) { return m.result == QLatin1String("delivered"); }));
    finish(tr("%1 of %2 delivered").arg(m_outcome.delivered).arg(m_outcome.total));
}

void StuckServerFix::finish(const QString &summary)
{
    if (m_finished)
        return;
    m_finished = true;
    m_outcome.summary = summary;
    Q_EMIT finished(m_outcome);
}

} // namespace smtls::gui
