#pragma once
// One question to a host, asked on a worker and stoppable from the UI thread: the worker opens
// the host's connection (HostSession::connector(), as the history does), runs the question with
// the transport and profile, and hands back the answer. Cancel stops a running command through
// Transport::cancel(); a question cancelled before it got its connection never runs. The
// commands reach the session's Log panel like the session's own. The worker holds only copies
// and shared state, so it may outlive the dialog that asked.

#include "apply/HostProfile.h"
#include "transport/Transport.h"
#include "Result.h"

#include <QFuture>
#include <QMutex>

#include <functional>
#include <memory>
#include <optional>

namespace smtls::gui {

class HostSession;

// Shared by the UI thread (cancel) and the worker (the transport while it runs).
class HostTaskCancel {
public:
    void cancel();
    bool cancelled() const;
    // The worker's side: false when cancelled already (then nothing is to run).
    bool attach(Transport *transport);
    void detach();

private:
    mutable QMutex m_mutex;
    Transport *m_transport = nullptr;
    bool m_cancelled = false;
};

// An answer from a worker. Result<T> has no empty state, which QFuture needs.
template <typename T>
struct HostAnswer {
    std::optional<Result<T>> result;
};

// Whether the question needs root on the host. On "This computer" without root every command
// goes through pkexec or sudo; a question any user may ask (a probe, sendmail -bt) runs as the
// user there instead of asking for a password. Remote hosts are unchanged (their login decides).
enum class RootNeeded { Yes, No };

// The part of runOnHost that is not a template: connect, attach, run, detach.
using HostWork = std::function<void(Transport &, const HostProfile &)>;
QFuture<void> runWithHost(HostSession *session, RootNeeded root, const std::shared_ptr<HostTaskCancel> &cancel, HostWork work,
                          std::function<void(const Error &)> failed);

// Runs WORK(transport, profile) for SESSION's host on the window's worker pool.
template <typename T>
QFuture<HostAnswer<T>> runOnHost(HostSession *session, RootNeeded root, const std::shared_ptr<HostTaskCancel> &cancel,
                                 std::function<Result<T>(Transport &, const HostProfile &)> work)
{
    auto answer = std::make_shared<HostAnswer<T>>();
    return runWithHost(session, root, cancel, [answer, work](Transport &t, const HostProfile &p) { answer->result = work(t, p); },
                       [answer](const Error &e) { answer->result = Result<T>(e); })
        .then([answer] { return *answer; });
}

} // namespace smtls::gui
