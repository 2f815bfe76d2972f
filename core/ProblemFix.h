#pragma once
// One-click fixes for the problems core finds in sendmail.mc and the access file. A fix is
// planned like any other edit: a ConfigChange with the new bytes, which the caller previews as
// a diff and applies. Only the bytes of the affected line(s) change.

#include "PolicyEditor.h"
#include "Problem.h"

#include <QString>

namespace smtls {

// Short imperative text for a button ("Replace the curly quotes with ` and '"); empty when the
// problem has no fix (FixKind::None).
QString fixLabel(const Problem &problem);

// The change that fixes `problem` in `config`. The problem is looked up again by its kind and
// subject, not by its line, since other staged edits may have moved it (when several match,
// the one still on the problem's line is preferred). A problem that is no longer there is an
// error saying it is already fixed; so is a fix that could not be made safely.
Result<ConfigChange> planFix(const MailConfig &config, const Problem &problem);

// Every exception whose note says it has expired (at config.now), reverted one after the other
// (the fix of each RevertExpired problem); a change that changes nothing when none has.
Result<ConfigChange> planExpire(const MailConfig &config);

} // namespace smtls
