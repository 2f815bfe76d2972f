#pragma once
// The waiting both "from here" functions share: run a private event loop (QDnsLookup and
// QHostInfo deliver their answers through one) until the work is done, the deadline passes or
// the caller cancels — checked every 100 ms, so a cancel is seen at once and a dead name
// server costs the deadline, never more.

#include <QDeadlineTimer>
#include <QEventLoop>

#include <functional>
#include <stop_token>

namespace smtls::net {

enum class WaitEnd { Done, TimedOut, Cancelled };

class EventWait {
public:
    // Call from a slot of the waiting thread when something arrived: done() is checked now.
    void wake() { m_loop.quit(); }
    // Processes events of the calling thread until done() is true.
    WaitEnd until(const std::function<bool()> &done, const QDeadlineTimer &deadline, const std::stop_token &cancel);

private:
    QEventLoop m_loop;
};

// One step of at most 100 ms of a blocking QAbstractSocket wait (waitForConnected, …) within
// what the deadline leaves; 0 when it has passed.
int nextSliceMs(const QDeadlineTimer &deadline);

} // namespace smtls::net
