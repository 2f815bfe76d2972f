#pragma once
// Running the queue for chosen messages only (sendmail -qI<id>, -Ac for the submission queue),
// after a fix, then reading queue and log again to say what became of each.

#include "delivery/StuckMail.h"

namespace smtls {

struct RetryOutcome {
    QString id;
    QString server;   // as grouped before the retry (or the new attempt's relay)
    QString result;   // "delivered" | "deferred" | "bounced"
    QString status;   // the newest stat= in the log (or the qf status)
    bool tlsFailure = false;  // deferred by a failed TLS handshake (also when status is a bare "Deferred")
};

struct RetryReport {
    QList<RetryOutcome> messages;
    QStringList notes;  // "the queue run exited 65 (sendmail does after a Try_TLS NO match)", …
};

// The ids of the messages stuck at `servers` (a server name, or a parent domain of it), or at
// any server with a TLS failure when `tlsFailuresOnly`.
QStringList messagesToRetry(const StuckMail &stuck, const QStringList &servers, bool tlsFailuresOnly);

// Runs the queue for `ids` (which must be valid queue ids) and reports each one. `servers`
// names each id's server for the report (from messagesToRetry's StuckMail).
Result<RetryReport> retryMessages(Transport &transport, const HostProfile &profile, const StuckMail &before,
                                  const QStringList &ids);

} // namespace smtls
