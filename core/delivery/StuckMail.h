#pragma once
// Mail that is stuck, by the server it is stuck at: each queued message joined with its last
// delivery attempt in the log (relay=SERVER [ADDR]), grouped by that server, the TLS handshake
// failures first. What `sendmail-tls queue` prints and the GUI's Queue view shows.

#include "delivery/DeliveryLog.h"
#include "delivery/QueuedMessage.h"

#include <functional>

namespace smtls {

class Transport;
struct HostProfile;

struct StuckServer {
    QString server;          // the MX host or relay tried, e.g. "mx1.relay.test"
    QString address;         // its address in the last attempt; empty when placed by MX
    QStringList domains;     // the recipient domains stuck there, sorted
    QStringList ids;         // the queue ids, oldest first
    int messages = 0;
    QDateTime oldest;        // the oldest message's queue time (UTC)
    QString lastStatus;      // the newest attempt's stat= (or the qf status)
    bool tlsFailure = false; // the last attempt of any of its messages failed the TLS handshake
    QString serverFrom;      // "log" | "mx" (the log no longer has these messages)
};

// A message whose server neither the log nor the MX answer names.
struct UnplacedMessage {
    QString id;
    QStringList recipients;
    QString status;
};

struct StuckMail {
    QString host;
    QList<StuckServer> servers;          // TLS failures first, then by message count
    QList<UnplacedMessage> unknownServer;
    QString logSource;                   // "/var/log/mail.log" | "journal" | empty (none, or an empty queue: not read)
    QStringList notes;                   // "log rotated: 3 messages placed by MX", …
    int totalMessages = 0;
    QList<QueuedMessage> messages;       // the queues as read, oldest first

    // The server a message was grouped under (its first, when its recipients are at two).
    QString serverOf(const QString &id) const;
};

// The servers this host's sendmail would connect to for a recipient domain, best first (the
// MX lookup on the host, see MxLookup.h). Kept a callback so this file needs no network code.
using MxResolver = std::function<Result<QStringList>(const QString &domain)>;

// Joins and groups (no I/O): the queue, the log, and the MX answers for messages the log has
// lost. `mx` may be empty: such messages go to unknownServer.
StuckMail groupStuckMail(const QueueContents &queue, const DeliveryLog &log, const MxResolver &mx);

// Reads the host's queues and log and groups them. Fails only when the queue cannot be read;
// an unreadable log is a note.
Result<StuckMail> readStuckMail(Transport &transport, const HostProfile &profile, const MxResolver &mx = {});

} // namespace smtls
