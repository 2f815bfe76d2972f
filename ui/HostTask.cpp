#include "HostTask.h"

#include "HostConnector.h"
#include "HostSession.h"
#include "WorkerPool.h"
#include "transport/LocalTransport.h"

#include <QCoreApplication>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

#include <unistd.h>

namespace smtls::gui {

void HostTaskCancel::cancel()
{
    const QMutexLocker lock(&m_mutex);
    m_cancelled = true;
    if (m_transport)
        m_transport->cancel();
}

bool HostTaskCancel::cancelled() const
{
    const QMutexLocker lock(&m_mutex);
    return m_cancelled;
}

bool HostTaskCancel::attach(Transport *transport)
{
    const QMutexLocker lock(&m_mutex);
    if (m_cancelled)
        return false;
    m_transport = transport;
    return true;
}

void HostTaskCancel::detach()
{
    const QMutexLocker lock(&m_mutex);
    m_transport = nullptr;  // the transport ends with the worker's connection
}

namespace {

Error cancelledError()
{
    return makeError(ErrorKind::Cancelled, QCoreApplication::translate("HostTask", "Cancelled."));
}

} // namespace

QFuture<void> runWithHost(HostSession *session, RootNeeded root, const std::shared_ptr<HostTaskCancel> &cancel, HostWork work,
                          std::function<void(const Error &)> failed)
{
    if (!session) {
        failed(makeError(ErrorKind::Usage, QCoreApplication::translate("HostTask", "No host is selected.")));
        return QtConcurrent::run(workerPool(), [] {});
    }
    // The commands go to the Log panel through the session, as its own do (HostSession::logTo).
    const QPointer<HostSession> logTo(session);
    const CommandLog log = [logTo](const CommandLogEntry &entry) {
        if (QCoreApplication *app = QCoreApplication::instance())
            QMetaObject::invokeMethod(app, [logTo, entry] {
                if (logTo)
                    Q_EMIT logTo->commandLogged(entry);
            }, Qt::QueuedConnection);
    };
    return QtConcurrent::run(workerPool(), [connector = session->connector(), entry = session->entry(), root, cancel,
                                            work = std::move(work), failed = std::move(failed), log]() {
        if (cancel->cancelled())
            return failed(cancelledError());
        Result<Connection> c = connector->connect(entry, log);
        if (!c)
            return failed(c.error());
        if (entry.kind == HostKind::Local && root == RootNeeded::No && ::geteuid() != 0)
            c->transport = std::make_unique<LocalTransport>(QStringLiteral("/"), entry.name);
        c->transport->setCommandLog(log);
        if (!cancel->attach(c->transport.get()))
            return failed(cancelledError());
        work(*c->transport, c->profile);
        cancel->detach();
    });
}

} // namespace smtls::gui
