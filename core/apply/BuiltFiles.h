#pragma once
// Whether sendmail uses what the text files say: sendmail reads sendmail.cf, not sendmail.mc,
// and access.db, not the access file. A text file edited after its built file (by hand, or by
// an edit-only write) does nothing until it is rebuilt; that is worth a problem line.

#include "apply/HostProfile.h"
#include "PolicyEditor.h"
#include "transport/Transport.h"

namespace smtls {

// One round trip (a POSIX sh script with test -nt, so it works on Linux and FreeBSD alike).
// Findings are warnings naming the command that rebuilds.
Result<Problems> builtFileProblems(Transport &transport, const HostProfile &profile, const MailConfig &config);

} // namespace smtls
