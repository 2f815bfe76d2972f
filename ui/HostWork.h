#pragma once
// One piece of work on a host, off the UI thread: connect through the session's connector, run
// the work with the transport, hand the answer back on the UI thread. A cancel reaches the
// transport the worker is using (Transport::cancel stops the running command and every later
// one); the worker holds only copies and shared state, so it may outlive whoever asked.

#include "HostConnector.h"
#include "HostSession.h"
#include "WorkerPool.h"

#include <QCoreApplication>
#include <QMutex>
#include <QMutexLocker>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

#include <functional>
#include <memory>

namespace smtls::gui {

// Shared by the one who may cancel and the worker.
class TransportCancel {
public:
    // False when cancelled already: the worker stops before it starts.
    bool attach(Transport *transport)
    {
        const QMutexLocker lock(&m_mutex);
        m_transport = transport;
        if (m_cancelled && transport)
            transport->cancel();
        return !m_cancelled;
    }
    void detach() { attach(nullptr); }
    // Any thread.
    void cancel()
    {
        const QMutexLocker lock(&m_mutex);
        m_cancelled = true;
        if (m_transport)
            m_transport->cancel();
    }
    bool cancelled() const
    {
        const QMutexLocker lock(&m_mutex);
        return m_cancelled;
    }

private:
    mutable QMutex m_mutex;
    Transport *m_transport = nullptr;
    bool m_cancelled = false;
};

// Runs F on the UI thread, if CONTEXT still exists then.
template <typename F>
void postTo(const QPointer<QObject> &context, F f)
{
    QCoreApplication *app = QCoreApplication::instance();
    if (!app)
        return;  // the program is ending
    QMetaObject::invokeMethod(app, [context, f = std::move(f)]() mutable {
        if (context)
            f();
    }, Qt::QueuedConnection);
}

// Connects to SESSION's host on a worker (its commands reach the session's log), runs WORK
// there and gives its answer to DONE on the UI thread while CONTEXT exists. A connection that
// fails, or a cancel before the work began, is DONE's error.
template <typename T>
void runOnHost(HostSession *session, const std::shared_ptr<TransportCancel> &cancel, QObject *context,
               std::function<Result<T>(Transport &, const HostProfile &)> work, std::function<void(Result<T>)> done)
{
    const QPointer<HostSession> logTo(session);
    const auto log = [logTo](const CommandLogEntry &entry) {
        postTo(logTo.data(), [logTo, entry] { Q_EMIT logTo->commandLogged(entry); });
    };
    const QPointer<QObject> answerTo(context);
    (void)QtConcurrent::run(workerPool(), [entry = session->entry(), connector = session->connector(), cancel, log, answerTo,
                                           work = std::move(work), done = std::move(done)]() mutable {
        Result<T> answer = makeError(ErrorKind::Cancelled, QStringLiteral("cancelled"));
        if (!cancel->cancelled()) {
            Result<Connection> c = connector->connect(entry, log);
            if (!c) {
                answer = c.error();
            } else {
                c->transport->setCommandLog(log);
                if (cancel->attach(c->transport.get()))
                    answer = work(*c->transport, c->profile);
                cancel->detach();
            }
        }
        postTo(answerTo, [done = std::move(done), answer = std::move(answer)]() mutable { done(std::move(answer)); });
    });
}

} // namespace smtls::gui
