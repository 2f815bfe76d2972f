#include "net/BlockingWait.h"

#include <QTimer>

#include <algorithm>

namespace smtls::net {

namespace {
constexpr int SliceMs = 100;
}

int nextSliceMs(const QDeadlineTimer &deadline)
{
    const qint64 left = deadline.remainingTime();  // -1: forever
    if (left == 0)
        return 0;
    return int(left < 0 ? SliceMs : std::min<qint64>(left, SliceMs));
}

WaitEnd EventWait::until(const std::function<bool()> &done, const QDeadlineTimer &deadline, const std::stop_token &cancel)
{
    QTimer tick;
    tick.setInterval(SliceMs);
    QObject::connect(&tick, &QTimer::timeout, &m_loop, &QEventLoop::quit);
    tick.start();
    for (;;) {
        if (done())
            return WaitEnd::Done;
        if (cancel.stop_requested())
            return WaitEnd::Cancelled;
        if (deadline.hasExpired())
            return WaitEnd::TimedOut;
        m_loop.exec();  // until the tick, or wake()
    }
}

} // namespace smtls::net
