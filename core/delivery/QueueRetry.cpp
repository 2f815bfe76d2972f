#include "delivery/QueueRetry.h"

#include "apply/HostProfile.h"
#include "transport/Transport.h"

#include <QHash>
#include <QSet>
#include <QThread>

namespace smtls {
namespace {

// sendmail runs the messages of every -qI<id> given in one run (they are ORed; checked on
// 8.17): one process per queue and per this many messages. -qf keeps the run in the
// foreground: a plain -q forks and returns at once, before anything was tried.
constexpr int IdsPerRun = 200;
// Rounds for messages a run skipped because another queue run (the daemon's) held their lock.
constexpr int Rounds = 3;
constexpr unsigned long PauseBetweenRounds = 2;  // seconds

bool serverMatches(const StuckServer &s, const QString &asked)
{
    const QString name = asked.toLower();
    return s.server == name || s.server.endsWith(QLatin1Char('.') + name) || (!s.address.isEmpty() && s.address == name);
}

// Whether the run tried the message: its attempt count or last attempt time moved.
bool wasTried(const QueuedMessage &before, const QueuedMessage &now)
{
    return now.attempts != before.attempts || now.lastAttempt != before.lastAttempt;
}

} // namespace

QStringList messagesToRetry(const StuckMail &stuck, const QStringList &servers, bool tlsFailuresOnly)
{
    QStringList ids;
    QSet<QString> seen;
    for (const StuckServer &s : stuck.servers) {
        bool chosen = tlsFailuresOnly && s.tlsFailure;
        for (const QString &asked : servers)
            chosen = chosen || serverMatches(s, asked);
        if (!chosen)
            continue;
        for (const QString &id : s.ids)
            if (!seen.contains(id)) {
                seen.insert(id);
                ids << id;
            }
    }
    return ids;
}

Result<RetryReport> retryMessages(Transport &transport, const HostProfile &profile, const StuckMail &before,
                                  const QStringList &ids)
{
    for (const QString &id : ids)
        if (!isQueueId(id))
            return makeError(ErrorKind::InvalidInput, QStringLiteral("not a queue id: %1").arg(id));
    if (transport.commandPath(QStringLiteral("/")) != QLatin1String("/"))
        return makeError(ErrorKind::Usage, QStringLiteral("a copied tree (--root) has no sendmail to run its queue"));

    QHash<QString, QString> serverOf;
    for (const StuckServer &s : before.servers)
        for (const QString &id : s.ids)
            if (!serverOf.contains(id))
                serverOf.insert(id, s.server);

    RetryReport report;
    Result<QueueContents> queue = readQueues(transport, profile);
    if (!queue)
        return queue.error();
    QHash<QString, QueuedMessage> waiting;  // asked for and still queued, as before its run
    for (const QueuedMessage &m : std::as_const(queue->messages))
        waiting.insert(m.id, m);
    QStringList pending;
    for (const QString &id : ids)
        if (waiting.contains(id))
            pending << id;

    for (int round = 0; round < Rounds && !pending.isEmpty(); ++round) {
        if (round > 0)
            QThread::sleep(PauseBetweenRounds);
        for (const QString &queueName : {QStringLiteral("mta"), QStringLiteral("msp")}) {
            QStringList batch;
            const auto runBatch = [&]() -> Status {
                if (batch.isEmpty())
                    return std::nullopt;
                // Not profile.sendmailWrapper: that is for -bt, and a queue run in a private
                // UTS namespace would greet the servers with a made-up name.
                const QString program = profile.sendmail;
                QStringList arguments;
                if (queueName == QLatin1String("msp"))
                    arguments << QStringLiteral("-Ac");
                arguments << QStringLiteral("-qf");
                for (const QString &id : std::as_const(batch))
                    arguments << QStringLiteral("-qI") + id;
                batch.clear();
                // sendmail's own timeouts bound each connection; this bounds a run of many.
                const Result<CommandResult> ran = transport.run(CommandLine{program, arguments}, {}, std::chrono::minutes(5));
                if (!ran)
                    return ran.error();
                if (ran->exitCode != 0)
                    report.notes << QStringLiteral("the queue run exited %1 (sendmail does after a Try_TLS NO match even when "
                                                   "it delivered); the results are read from the queue and the log")
                                        .arg(ran->exitCode);
                return std::nullopt;
            };
            for (const QString &id : std::as_const(pending)) {
                if (waiting.value(id).queue != queueName)
                    continue;
                batch << id;
                if (batch.size() >= IdsPerRun)
                    if (Status failed = runBatch())
                        return *failed;
            }
            if (Status failed = runBatch())
                return *failed;
        }
        Result<QueueContents> now = readQueues(transport, profile);
        if (!now)
            return now.error();
        QHash<QString, QueuedMessage> after;
        for (const QueuedMessage &m : std::as_const(now->messages))
            after.insert(m.id, m);
        QStringList skipped;
        for (const QString &id : std::as_const(pending)) {
            const auto it = after.constFind(id);
            if (it == after.constEnd()) {
                waiting.remove(id);
            } else if (wasTried(waiting.value(id), *it)) {
                waiting.insert(id, *it);
            } else {
                skipped << id;
            }
        }
        pending = skipped;
        for (auto it = after.constBegin(); it != after.constEnd(); ++it)
            if (waiting.contains(it.key()))
                waiting.insert(it.key(), it.value());
    }
    if (!pending.isEmpty())
        report.notes << QStringLiteral("%1 message(s) were not tried: another queue run held them each time (%2 rounds)")
                            .arg(pending.size())
                            .arg(Rounds);

    // What became of each: the queue says whether it waits, the log how it left.
    Result<DeliveryLog> log = readDeliveryLog(transport, ids);
    // syslog may write the last lines a moment after sendmail exits: once more for a message
    // that left the queue without its line yet.
    const auto lineMissing = [&] {
        for (const QString &id : ids)
            if (!waiting.contains(id) && !log->lastAttempts.contains(id))
                return true;
        return false;
    };
    if (log && lineMissing()) {
        QThread::sleep(1);
        log = readDeliveryLog(transport, ids);
    }
    DeliveryLog lines = log ? *log : DeliveryLog{};
    if (!log)
        report.notes << log.error().message;
    for (const QString &id : ids) {
        RetryOutcome o;
        o.id = id;
        o.server = serverOf.value(id);
        const QList<DeliveryAttempt> attempts = lines.lastAttempts.value(id);
        const DeliveryAttempt *newest = attempts.isEmpty() ? nullptr : &attempts.last();
        if (newest && o.server.isEmpty())
            o.server = newest->server;
        if (waiting.contains(id)) {
            o.result = QStringLiteral("deferred");
            // The log's line says more than the qf file (the relay); a bare "Deferred" is the
            // host status cache of the same run, whose reason is the TLS failure it marked.
            o.status = newest ? newest->stat : waiting.value(id).status;
            if (o.status.isEmpty())
                o.status = waiting.value(id).status;
            o.tlsFailure = newest ? newest->tlsFailure : waiting.value(id).status.contains(QLatin1String("TLS handshake failed"));
        } else {
            const DeliveryAttempt *bounce = nullptr, *sent = nullptr;
            for (const DeliveryAttempt &a : attempts) {
                if (a.bounced())
                    bounce = &a;
                else if (a.delivered())
                    sent = &a;
            }
            if (bounce) {
                o.result = QStringLiteral("bounced");
                o.status = bounce->stat;
                o.server = bounce->server.isEmpty() ? o.server : bounce->server;
            } else if (sent) {
                o.result = QStringLiteral("delivered");
                o.status = sent->stat;
                o.server = sent->server.isEmpty() ? o.server : sent->server;
            } else {
                o.result = QStringLiteral("gone");
                o.status = QStringLiteral("no longer queued, and the mail log has no delivery line for it");
            }
        }
        report.messages << o;
    }
    return report;
}

} // namespace smtls
