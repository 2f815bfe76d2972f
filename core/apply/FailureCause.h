#pragma once
// Why a host command failed, in the lines of its output that say so. A failed restart after
// Debian's `make -C /etc/mail` prints twenty lines of make's progress first ("make: Entering
// directory '/etc/mail'", "Updating databases ..."); the cause is the init script's last line.
// So: make's directory lines are noise; lines that name a failure (error, failed, fatal,
// cannot, not found, denied…) are the cause, the last ones first in weight; make's own
// "*** [Makefile:2: all] Error 1" only repeats that a command before it failed and goes when a
// line says what failed; without any such line, the last lines.

#include "transport/Transport.h"

#include <QByteArray>
#include <QString>

namespace smtls {

// At most `maxLines` lines of `output`, joined with " / ", each cut at 300 characters; empty
// when the output has nothing but noise.
QString failureCause(const QByteArray &output, int maxLines = 3);

// The command's stderr when it says why, else its stdout (the apply's scripts merge the two),
// else the exit status in words.
QString failureCause(const CommandResult &result, int maxLines = 3);

} // namespace smtls
