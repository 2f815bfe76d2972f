#include "delivery/StuckMail.h"

#include "transport/Transport.h"

#include <QHash>
#include <QSet>

#include <algorithm>

namespace smtls {
namespace {

QString bareAddress(QString address)
{
    address = address.trimmed();
    if (address.startsWith(QLatin1Char('<')) && address.endsWith(QLatin1Char('>')))
        address = address.mid(1, address.size() - 2);
    return address.toLower();
}

QString domainOf(const QString &address)
{
    const qsizetype at = address.lastIndexOf(QLatin1Char('@'));
    return at < 0 ? QString() : address.mid(at + 1);
}

bool statusIsTlsFailure(const QString &status)
{
    return status.contains(QLatin1String("TLS handshake failed"), Qt::CaseInsensitive);
}

constexpr int MxLookupsAtMost = 50;

// A server's messages while they are gathered.
struct Bucket {
    StuckServer server;
    QSet<QString> ids;
    QSet<QString> domains;
    QDateTime newestAttempt;  // the qf K time of the message whose status is lastStatus
};

class Grouping {
public:
    explicit Grouping(const MxResolver &mx) : m_mx(mx) {}

    void place(const QueuedMessage &m, const QString &server, const QString &address, const QString &domain,
               const QString &status, bool tlsFailure, const QString &from)
    {
        const QString key = server.toLower();
        auto it = m_buckets.find(key);
        if (it == m_buckets.end()) {
            it = m_buckets.insert(key, Bucket{});
            it->server.server = server;
            it->server.serverFrom = from;
            m_order << key;
        }
        Bucket &b = *it;
        if (!domain.isEmpty())
            b.domains.insert(domain);
        if (from == QLatin1String("log"))
            b.server.serverFrom = from;  // one message in the log is enough to name it from there
        b.server.tlsFailure = b.server.tlsFailure || tlsFailure;
        // The newest status, but one with a reason beats a bare "Deferred" (what the second
        // message of a queue run to a failing server logs: the host status cache, no reason).
        const QDateTime when = m.lastAttempt.isValid() ? m.lastAttempt : m.queued;
        const bool newer = !b.newestAttempt.isValid() || when >= b.newestAttempt;
        const bool saysWhy = status.contains(QLatin1Char(':')), saidWhy = b.server.lastStatus.contains(QLatin1Char(':'));
        if ((newer && (saysWhy || !saidWhy)) || (saysWhy && !saidWhy)) {
            b.newestAttempt = std::max(when, b.newestAttempt);
            b.server.lastStatus = status;
        }
        if (!address.isEmpty() && (newer || b.server.address.isEmpty()))
            b.server.address = address;
        if (b.ids.contains(m.id))
            return;
        b.ids.insert(m.id);
        b.server.ids << m.id;
        ++b.server.messages;
        if (!b.server.oldest.isValid() || m.queued < b.server.oldest)
            b.server.oldest = m.queued;
    }

    // The first MX server of the domain (cached: thousands of messages share a few domains;
    // each lookup is a few commands on the host, so only so many domains are asked).
    QString mxServer(const QString &domain)
    {
        if (!m_mx || domain.isEmpty())
            return {};
        const auto cached = m_mxCache.constFind(domain);
        if (cached != m_mxCache.constEnd())
            return *cached;
        if (m_mxCache.size() >= MxLookupsAtMost) {
            m_mxSkipped = true;
            return {};
        }
        const Result<QStringList> servers = m_mx(domain);
        const QString first = servers && !servers->isEmpty() ? servers->first() : QString();
        m_mxCache.insert(domain, first);
        return first;
    }

    QList<StuckServer> servers()
    {
        QList<StuckServer> out;
        out.reserve(m_order.size());
        for (const QString &key : std::as_const(m_order)) {
            Bucket &b = m_buckets[key];
            b.server.domains = QStringList(b.domains.begin(), b.domains.end());
            b.server.domains.sort();
            out << std::move(b.server);
        }
        std::stable_sort(out.begin(), out.end(), [](const StuckServer &a, const StuckServer &b) {
            if (a.tlsFailure != b.tlsFailure)
                return a.tlsFailure;
            if (a.messages != b.messages)
                return a.messages > b.messages;
            return a.server < b.server;
        });
        return out;
    }

    bool mxSkipped() const { return m_mxSkipped; }

private:
    const MxResolver &m_mx;
    bool m_mxSkipped = false;
    QHash<QString, Bucket> m_buckets;
    QStringList m_order;
    QHash<QString, QString> m_mxCache;
};

} // namespace

QString StuckMail::serverOf(const QString &id) const
{
    for (const StuckServer &s : servers)
        if (s.ids.contains(id))
            return s.server;
    return {};
}

StuckMail groupStuckMail(const QueueContents &queue, const DeliveryLog &log, const MxResolver &mx)
{
    StuckMail stuck;
    stuck.logSource = log.source;
    stuck.notes = queue.notes + log.notes;
    stuck.totalMessages = int(queue.messages.size());
    Grouping grouping(mx);
    int byMx = 0, unplaced = 0;
    for (const QueuedMessage &m : queue.messages) {
        const QList<DeliveryAttempt> attempts = log.lastAttempts.value(m.id);
        QStringList recipients = m.recipients;
        if (recipients.isEmpty())
            for (const DeliveryAttempt &a : attempts)
                recipients << a.recipients;
        QStringList notPlaced;
        for (const QString &r : std::as_const(recipients)) {
            const QString address = bareAddress(r);
            const DeliveryAttempt *last = nullptr;
            for (const DeliveryAttempt &a : attempts)
                if (a.recipients.contains(address))
                    last = &a;
            // The log names the message but not this address as queued (an alias expanded, a
            // rewritten address): its newest attempt is the best guess.
            if (!last && !attempts.isEmpty())
                last = &attempts.last();
            if (last && !last->server.isEmpty())
                grouping.place(m, last->server, last->address, domainOf(address), last->stat,
                               last->tlsFailure, QStringLiteral("log"));
            else
                notPlaced << address;
        }
        if (notPlaced.isEmpty())
            continue;
        // Not in the log (rotated away, or never tried): where sendmail would send it now. The
        // submission queue's messages go to the local MTA, not to an MX.
        QStringList unknown;
        for (const QString &address : std::as_const(notPlaced)) {
            const QString server = m.queue == QLatin1String("msp") ? QString() : grouping.mxServer(domainOf(address));
            if (server.isEmpty())
                unknown << address;
            else
                grouping.place(m, server, {}, domainOf(address), m.status, statusIsTlsFailure(m.status), QStringLiteral("mx"));
        }
        if (unknown.size() < notPlaced.size())
            ++byMx;
        if (!unknown.isEmpty()) {
            ++unplaced;
            stuck.unknownServer << UnplacedMessage{m.id, unknown, m.status};
        }
    }
    stuck.servers = grouping.servers();
    stuck.messages = queue.messages;
    if (byMx > 0)
        stuck.notes << QStringLiteral("%1 message(s) not in the mail log (rotated away, or not tried yet): placed by the MX answer "
                                      "of their recipients' domains").arg(byMx);
    if (grouping.mxSkipped())
        stuck.notes << QStringLiteral("the MX answer was looked up for %1 recipient domains only; messages to further "
                                      "domains missing from the log are under \"server unknown\"").arg(MxLookupsAtMost);
    if (unplaced > 0)
        stuck.notes << QStringLiteral("%1 message(s) whose server is known neither from the log nor from an MX answer").arg(unplaced);
    return stuck;
}

Result<StuckMail> readStuckMail(Transport &transport, const HostProfile &profile, const MxResolver &mx)
{
    Result<QueueContents> queue = readQueues(transport, profile);
    if (!queue)
        return queue.error();
    DeliveryLog log;
    if (!queue->messages.isEmpty()) {
        QStringList ids;
        ids.reserve(queue->messages.size());
        for (const QueuedMessage &m : std::as_const(queue->messages))
            ids << m.id;
        Result<DeliveryLog> read = readDeliveryLog(transport, ids);
        if (read)
            log = std::move(*read);
        else if (read.error().kind == ErrorKind::Cancelled)
            return read.error();
        else
            log.notes << read.error().message;
    }
    StuckMail stuck = groupStuckMail(*queue, log, mx);
    stuck.host = transport.hostName();
    return stuck;
}

} // namespace smtls
