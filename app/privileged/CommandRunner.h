#pragma once
// Runs one command for sendmail-tls-privileged: its own process group (so that a timeout or
// the peer going away ends the command and whatever it started, not a daemon it restarted,
// which leaves the group), its stdin written and its output read without deadlock, bounded in
// time and in bytes. While it runs, the helper's own stdin is watched: the peer closing it
// (cancel, or the program ending) stops the command at once.

#include "transport/CommandLine.h"

#include <QByteArray>
#include <QString>

namespace smtls::privileged {

struct RunOutcome {
    enum class End { Exited, TimedOut, PeerGone, TooMuchOutput, CannotStart };
    End end = End::CannotStart;
    int exitCode = -1;  // Exited: the status, or -1 when killed by a signal
    QByteArray out, err;
    QString error;      // CannotStart: why
};

// PEERFD is watched for EOF; bytes that arrive on it meanwhile are appended to PENDING (the
// next request). Output beyond MAXOUTPUT bytes (stdout and stderr together) stops the command.
RunOutcome runCommand(const CommandLine &command, const QByteArray &standardInput, qint64 timeoutMs, int peerFd,
                      QByteArray &pending, qint64 maxOutput);

// Set from a signal handler (SIGTERM, SIGHUP, SIGINT): the running command is stopped as if
// the peer had gone.
void requestStop();
bool stopRequested();

} // namespace smtls::privileged
