#include "QueueReader.h"

#include "HostSession.h"
#include "HostTask.h"
#include "WorkerPool.h"
#include "delivery/MxLookup.h"

#include <QCoreApplication>
#include <QFutureWatcher>
#include <QPointer>

namespace smtls::gui {

QueueReader::QueueReader(QObject *parent) : QObject(parent) {}

QueueReader::~QueueReader()
{
    if (m_cancel)
        m_cancel->cancel();  // nobody is left to show the answer
}

void QueueReader::read(HostSession *session)
{
    if (m_cancel)
        m_cancel->cancel();  // its answer is dropped by the generation below anyway
    const quint64 generation = ++m_generation;
    m_cancel = std::make_shared<HostTaskCancel>();
    const QString host = session->entry().name;
    Q_EMIT progress(tr("Connecting to %1…").arg(host));
    // Steps from the worker, shown while this read is the newest.
    const QPointer<QueueReader> self(this);
    const auto step = [self, generation](const QString &text) {
        if (QCoreApplication *app = QCoreApplication::instance())
            QMetaObject::invokeMethod(app, [self, generation, text] {
                if (self && generation == self->m_generation)
                    Q_EMIT self->progress(text);
            }, Qt::QueuedConnection);
    };
    // The Demo host's sendmail would ask this computer's DNS about its made-up domains: its
    // messages the log has lost stay "Server not known".
    const bool askMx = session->entry().kind != HostKind::Demo;
    using Shared = std::shared_ptr<const StuckMail>;
    auto *watcher = new QFutureWatcher<HostAnswer<Shared>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        const HostAnswer<Shared> a = watcher->result();
        answer(generation, a.result ? *a.result : Result<Shared>(makeError(ErrorKind::Internal, tr("the reader gave no answer"))));
    });
    // The queues are root's (the spool folders are mode 700).
    watcher->setFuture(runOnHost<Shared>(session, RootNeeded::Yes, m_cancel, [step, host, askMx](Transport &t, const HostProfile &profile) -> Result<Shared> {
        step(tr("Reading the queues and the mail log of %1…").arg(host));
        const auto asking = [step](const QString &domain) {
            step(tr("Asking the host's sendmail where mail for %1 goes…").arg(domain));
        };
        Result<StuckMail> stuck = readStuckMail(t, profile, askMx ? mxResolverOnHost(t, profile, asking) : MxResolver());
        if (!stuck)
            return stuck.error();
        // Shared from here on: thousands of messages are copied and freed on no UI thread.
        return makeLargeShared<StuckMail>(std::move(*stuck));
    }));
}

void QueueReader::cancel()
{
    if (!m_cancel)
        return;
    m_cancel->cancel();
    m_cancel.reset();
    ++m_generation;  // whatever the read still answers is not shown
    Q_EMIT cancelled();
}

void QueueReader::answer(quint64 generation, const Result<std::shared_ptr<const StuckMail>> &stuck)
{
    if (generation != m_generation)
        return;
    m_cancel.reset();
    if (stuck)
        Q_EMIT finished(*stuck);
    else if (stuck.error().kind == ErrorKind::Cancelled)
        Q_EMIT cancelled();
    else
        Q_EMIT failed(stuck.error().describe());
}

} // namespace smtls::gui
