#pragma once
// What is really sent for a command: a tiny sh wrapper that announces its process id on
// stderr (so a command that timed out can be killed: sshd ignores signal requests for root
// logins), and sudo when the login is not root. All of it is argument lists; the one quoting
// place stays CommandLine::toShellCommand().

#include "transport/CommandLine.h"

#include <QByteArray>

#include <optional>

namespace smtls::ssh {

enum class Elevation { None, SudoNoPassword, SudoWithPassword };

// `sudo -n -- prog args…`, or `sudo -S -k -p '' -- prog args…` (the password then comes first
// on stdin, never on the command line).
CommandLine elevated(const CommandLine &command, Elevation elevation);

// `sh -c '<announce $$ on stderr>; exec "$@"' sh prog args…`
CommandLine announcingPid(const CommandLine &command);

// Removes the announcement line from the start of stderr and returns the pid in it.
std::optional<qint64> takeAnnouncedPid(QByteArray &standardError);

// Ends the command's whole process group (the login shell is its leader: sshd calls setsid).
CommandLine killProcessGroup(qint64 pid);

} // namespace smtls::ssh
