#include "net/MxFromHere.h"

#include "net/BlockingWait.h"

#include <QDnsLookup>
#include <QHostAddress>
#include <QHostInfo>

#include <array>
#include <memory>

namespace smtls {
namespace {

using net::EventWait;
using net::WaitEnd;

// Several DNS questions at once, all answered (or given up) by one deadline.
class Questions {
public:
    Questions(const QHostAddress &nameserver) : m_nameserver(nameserver) {}

    QDnsLookup *ask(QDnsLookup::Type type, const QString &name)
    {
        auto lookup = std::make_unique<QDnsLookup>(type, name);
        if (!m_nameserver.isNull())
            lookup->setNameserver(m_nameserver);
        QObject::connect(lookup.get(), &QDnsLookup::finished, lookup.get(), [this] { m_wait.wake(); });
        lookup->lookup();
        m_lookups.push_back(std::move(lookup));
        return m_lookups.back().get();
    }

    WaitEnd waitAll(const QDeadlineTimer &deadline, const std::stop_token &cancel)
    {
        const WaitEnd end = m_wait.until(
            [this] { return std::all_of(m_lookups.begin(), m_lookups.end(), [](const auto &l) { return l->isFinished(); }); },
            deadline, cancel);
        if (end != WaitEnd::Done)
            for (const auto &l : m_lookups)
                l->abort();
        return end;
    }

private:
    QHostAddress m_nameserver;
    EventWait m_wait;
    std::vector<std::unique_ptr<QDnsLookup>> m_lookups;
};

Error ended(WaitEnd end, const QString &what, std::chrono::milliseconds timeout)
{
    if (end == WaitEnd::Cancelled)
        return makeError(ErrorKind::Cancelled, QStringLiteral("the lookup was cancelled"));
    return makeError(ErrorKind::Connection,
                     QStringLiteral("the DNS did not answer %1 within %2 s").arg(what).arg(double(timeout.count()) / 1000.0));
}

bool failedToAsk(const QDnsLookup &l)
{
    // Not "no such name" (NotFoundError) nor "no record of this type" (Qt 6.4 reports an answer
    // without records, NODATA, as InvalidReplyError): the name server could not be asked or
    // refused to answer.
    return l.error() != QDnsLookup::NoError && l.error() != QDnsLookup::NotFoundError && l.error() != QDnsLookup::InvalidReplyError;
}

QString withoutDot(QString name)
{
    name = name.toLower();
    if (name.endsWith(QLatin1Char('.')))
        name.chop(1);
    return name;
}

} // namespace

Result<MxAnswer> lookupMxFromHere(const QString &typed, const QString &nameserverText, std::chrono::milliseconds timeout,
                                  std::stop_token cancel)
{
    const Result<QString> domain = recipientDomain(typed);
    if (!domain)
        return domain.error();
    QHostAddress nameserver;
    if (!nameserverText.isEmpty() && !nameserver.setAddress(nameserverText))
        return makeError(ErrorKind::InvalidInput, QStringLiteral("the name server must be an IP address, not '%1'").arg(nameserverText));
    const QDeadlineTimer deadline(timeout);
    MxAnswer answer;
    answer.domain = *domain;
    answer.preferencesFromDns = true;  // QDnsLookup gives the records themselves
    QStringList notes{nameserver.isNull() ? QStringLiteral("This computer's DNS (no mailertable here: that is the MTA's).")
                                          : QStringLiteral("Asked %1 from this computer (no mailertable here: that is the MTA's).")
                                                .arg(nameserver.toString())};

    Questions first(nameserver);
    QDnsLookup *mx = first.ask(QDnsLookup::MX, *domain);
    QDnsLookup *a = first.ask(QDnsLookup::A, *domain);
    QDnsLookup *aaaa = first.ask(QDnsLookup::AAAA, *domain);
    if (const WaitEnd end = first.waitAll(deadline, cancel); end != WaitEnd::Done)
        return ended(end, QStringLiteral("for ") + *domain, timeout);
    if (failedToAsk(*mx))
        return makeError(ErrorKind::Connection, QStringLiteral("the MX query for %1 failed: %2").arg(*domain, mx->errorString()));
    // Qt 6.4 says InvalidReplyError both for an empty answer and for a name server that does
    // not answer at all (port unreachable); only an answer to one of the three tells them apart.
    const std::array<const QDnsLookup *, 3> all{mx, a, aaaa};
    if (std::all_of(all.begin(), all.end(), [](const QDnsLookup *l) { return l->error() == QDnsLookup::InvalidReplyError; }))
        return makeError(ErrorKind::Connection, QStringLiteral("no usable answer for %1 from %2: the name server does not answer, or %1 "
                                                               "has no MX, A or AAAA record")
                                                    .arg(*domain, nameserver.isNull() ? QStringLiteral("this computer's DNS") : nameserver.toString()));
    QList<QDnsMailExchangeRecord> records = mx->mailExchangeRecords();
    // RFC 5321: lowest preference first (QDnsLookup randomises equal ones, as sendmail does).
    std::stable_sort(records.begin(), records.end(),
                     [](const QDnsMailExchangeRecord &x, const QDnsMailExchangeRecord &y) { return x.preference() < y.preference(); });
    if (!records.isEmpty()) {
        answer.route = QStringLiteral("mx");
        answer.preferencesFromDns = true;
        for (const QDnsMailExchangeRecord &r : records)
            answer.servers.append(MxServer{withoutDot(r.exchange()), int(r.preference()), {}});
    } else {
        QStringList own;
        for (const QDnsHostAddressRecord &r : a->hostAddressRecords() + aaaa->hostAddressRecords())
            own << r.value().toString();
        answer.route = QStringLiteral("mx");
        if (own.isEmpty()) {
            notes << (mx->error() == QDnsLookup::NotFoundError ? QStringLiteral("%1 does not exist in the DNS.").arg(*domain)
                                                               : QStringLiteral("%1 has neither MX nor address records.").arg(*domain));
            answer.note = notes.join(QLatin1Char(' '));
            return answer;
        }
        answer.route = QStringLiteral("a");
        answer.servers = {MxServer{*domain, 0, own}};
        notes << QStringLiteral("%1 has no MX record: mail goes to its own address.").arg(*domain);
        answer.note = notes.join(QLatin1Char(' '));
        return answer;
    }

    // Every server's addresses: from the same name server when one was named, else through
    // this computer's resolver (/etc/hosts too), as its mail programs would see them.
    if (!nameserver.isNull()) {
        Questions addresses(nameserver);
        QList<std::pair<QDnsLookup *, QDnsLookup *>> asked;
        for (const MxServer &s : answer.servers)
            asked.append(std::make_pair(addresses.ask(QDnsLookup::A, s.name), addresses.ask(QDnsLookup::AAAA, s.name)));
        if (const WaitEnd end = addresses.waitAll(deadline, cancel); end != WaitEnd::Done)
            return ended(end, QStringLiteral("for the addresses of the MX servers of ") + *domain, timeout);
        for (qsizetype i = 0; i < answer.servers.size(); ++i)
            for (const QDnsHostAddressRecord &r : asked[i].first->hostAddressRecords() + asked[i].second->hostAddressRecords())
                answer.servers[i].addresses << r.value().toString();
    } else {
        EventWait wait;
        QObject context;
        QList<std::optional<QHostInfo>> infos(answer.servers.size());
        QList<int> ids;
        for (qsizetype i = 0; i < answer.servers.size(); ++i)
            ids << QHostInfo::lookupHost(answer.servers[i].name, &context, [&infos, &wait, i](const QHostInfo &info) {
                infos[i] = info;
                wait.wake();
            });
        const WaitEnd end = wait.until(
            [&infos] { return std::all_of(infos.begin(), infos.end(), [](const auto &i) { return i.has_value(); }); }, deadline, cancel);
        if (end != WaitEnd::Done) {
            for (int id : ids)
                QHostInfo::abortHostLookup(id);
            return ended(end, QStringLiteral("for the addresses of the MX servers of ") + *domain, timeout);
        }
        for (qsizetype i = 0; i < answer.servers.size(); ++i)
            for (const QHostAddress &address : infos[i]->addresses())
                answer.servers[i].addresses << address.toString();
    }
    for (const MxServer &s : answer.servers)
        if (s.addresses.isEmpty())
            notes << QStringLiteral("%1 has no address.").arg(s.name);
    answer.note = notes.join(QLatin1Char(' '));
    return answer;
}

} // namespace smtls
