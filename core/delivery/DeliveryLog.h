#pragma once
// The mail log's record of delivery attempts, joined to queued messages by queue id:
//   ID: to=<a@stuck.test>, delay=…, mailer=esmtp, pri=…, relay=mx1.relay.test. [127.0.2.1],
//       dsn=4.7.0, stat=Deferred: 454 4.7.0 TLS handshake failed.
// and the STARTTLS=client, error: line before it. Only the lines of the ids asked for are
// read, from the end of the log backwards, never the whole log at once.

#include "Result.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace smtls {

class Transport;

struct DeliveryAttempt {
    QString id;
    QString time;            // as the log wrote it (the host's local time; syslog has no year)
    QStringList recipients;  // to=
    QString server;          // relay= host, without the trailing dot ("mx1.relay.test")
    QString address;         // the [ADDR] after it, without brackets; may be empty
    QString mailer;          // mailer=
    QString dsn;             // "4.7.0"
    QString stat;            // "Deferred: 454 4.7.0 TLS handshake failed."
    bool tlsFailure = false; // the handshake failed (not: the connection was refused)
    QString tlsError;        // the STARTTLS=client, error: line's text, when the log has it

    bool delivered() const;  // stat=Sent
    bool bounced() const;    // dsn 5.x.x
};

// The last attempts per queue id found in the log, and where they came from.
struct DeliveryLog {
    // By queue id, in log order: the newest attempt of each recipient (a message whose
    // recipients are at two servers has two; an older attempt whose recipients were all tried
    // again later is dropped).
    QHash<QString, QList<DeliveryAttempt>> lastAttempts;
    QString source;          // "/var/log/mail.log" | "/var/log/maillog" | "journal"; empty: none
    QStringList notes;       // "no mail log readable on this host", "…: read the last 8 MiB"
};

// Lines of the log, in log order -> the last attempts of `ids`. The STARTTLS=client error and
// the tls_server reject name no queue id: they are joined to a later `to=` line by the
// process id and the relay (a queue run's second message to the same server reads only
// "dsn=4.7.0, stat=Deferred").
DeliveryLog parseDeliveryLines(const QByteArray &lines, const QStringList &ids);

// The log lines of `ids` on the host: the tail of /var/log/mail.log (or maillog) first, further
// back (and the rotated .1) only for ids not yet found, else the journal.
Result<DeliveryLog> readDeliveryLog(Transport &transport, const QStringList &ids);

} // namespace smtls
