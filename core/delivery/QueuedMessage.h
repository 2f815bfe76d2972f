#pragma once
// The messages waiting in a host's queues, read from their qf files (sendmail's own record of a
// message: when it was queued, tried, how often, for whom, and the last status). Both queues:
// the MTA's (/var/spool/mqueue, sendmail.cf) and the submission program's
// (/var/spool/mqueue-client, submit.cf), whatever QueueDirectory each .cf names.

#include "Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace smtls {

class Transport;
struct HostProfile;

struct QueuedMessage {
    QString id;              // queue id, e.g. "5B1Ax0Qm012345" (the qf file is "qf" + id)
    QString queue;           // "mta" | "msp" (the MSP's needs `sendmail -Ac` to run)
    QString directory;       // the folder holding its qf file, as the host names it
    QDateTime queued;        // UTC, qf line T
    QDateTime lastAttempt;   // UTC, qf line K; invalid when never tried
    int attempts = 0;        // qf line N
    QString sender;          // qf line S
    QStringList recipients;  // the recipients not yet delivered (qf R lines)
    QString status;          // the last status, qf line M (what mailq shows in "(…)")
};

// The queues of a host: every message, and what could not be read (a queue folder missing or
// unreadable, a qf file cut short), as notes rather than a failure.
struct QueueContents {
    QList<QueuedMessage> messages;  // oldest first
    QStringList notes;
};

// Whether `id` has the form of a sendmail queue id (letters and digits, 8 to 20 of them): what
// may be passed to `sendmail -qI`, checked before anything runs on a host.
bool isQueueId(const QString &id);

// One qf file's bytes -> the message (id, queue and directory are the caller's). An error
// when it is not a qf file of a version we read (no V line, no T line).
Result<QueuedMessage> parseQueueFile(const QByteArray &bytes);

// Both queues of the host, in one round trip (a constant host-side script; the header lines,
// which can be large, are not sent).
Result<QueueContents> readQueues(Transport &transport, const HostProfile &profile);

} // namespace smtls
