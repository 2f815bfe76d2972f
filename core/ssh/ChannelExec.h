#pragma once
// One command on one exec channel: stdin written as the window allows, stdout and stderr
// drained together (they share the window: reading only one deadlocks when the other floods),
// all bounded by a deadline and an atomic cancel flag checked every ~200 ms.

#include <QByteArray>
#include <QString>

#include <libssh/libssh.h>

#include <atomic>
#include <chrono>

namespace smtls::ssh {

struct ChannelExecResult {
    enum class End { Finished, TimedOut, Cancelled, Failed, Lost };
    End end = End::Failed;
    int exitStatus = -1; // -1 also when a signal ended the command
    QByteArray out;
    QByteArray err;
    QString error;       // libssh's words for Failed / Lost
};

// Blocking; not for two threads on one session at once. When the command times out or is
// cancelled, it is sent SIGTERM (sshd ignores that for root logins; the caller kills it too).
ChannelExecResult execOnChannel(ssh_session session, const QByteArray &command, const QByteArray &standardInput,
                                std::chrono::milliseconds timeout, const std::atomic_bool &cancelled);

} // namespace smtls::ssh
