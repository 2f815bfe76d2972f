#include "WorkerPool.h"

#include <QCoreApplication>
#include <QPointer>
#include <QThread>
#include <QThreadPool>

namespace smtls::gui {

QThreadPool *workerPool()
{
    static QPointer<QThreadPool> pool;
    if (!pool) {
        pool = new QThreadPool(QCoreApplication::instance());
        pool->setObjectName(QStringLiteral("sendmail-tls workers"));
        pool->setMaxThreadCount(16);  // hosts applied in parallel; more wait their turn
    }
    return pool;
}

void freeOffUiThread(std::function<void()> free)
{
    const QCoreApplication *app = QCoreApplication::instance();
    if (app && QThread::currentThread() == app->thread())
        workerPool()->start(std::move(free));
    else
        free();
}

} // namespace smtls::gui
