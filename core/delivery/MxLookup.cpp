#include "delivery/MxLookup.h"

#include "Destination.h"

namespace smtls {
namespace {

using namespace std::chrono_literals;

// sendmail's resolver gives up on a dead name server after its own timeouts (5 s x 4 by
// default, per query); this only stops a hung process.
constexpr auto SendmailTimeout = 90s;
constexpr auto ToolsTimeout = 60s;

// $1: the name whose MX preferences to read ('' for none), then the names to resolve. Each
// tool is looked for first, so that a missing one is an answer ("@@prefs none", "@@getent
// missing"), never an error; every lookup is bounded by `timeout` when the host has it.
const QString HostAnswersScript = QStringLiteral(R"sh(t() { if command -v timeout >/dev/null 2>&1; then timeout 10 "$@"; else "$@"; fi; }
if [ -n "$1" ]; then
  if command -v dig >/dev/null 2>&1; then echo '@@prefs dig'; t dig +short +time=2 +tries=2 MX "$1" 2>&1
  elif command -v host >/dev/null 2>&1; then echo '@@prefs host'; t host -W 2 -t MX "$1" 2>&1
  elif command -v nslookup >/dev/null 2>&1; then echo '@@prefs nslookup'; t nslookup -type=mx "$1" 2>&1
  else echo '@@prefs none'; fi
fi
shift
if command -v getent >/dev/null 2>&1; then
  for n in "$@"; do echo "@@name $n"; t getent ahosts "$n" 2>/dev/null || t getent hosts "$n" 2>/dev/null; done
else
  echo '@@getent missing'
fi
exit 0
)sh");

Error invalidDomain(const QString &typed, const QString &why)
{
    return makeError(ErrorKind::InvalidInput, QStringLiteral("'%1' is not a valid domain: %2.").arg(printableInput(typed), why));
}

QString withoutBrackets(const QString &host)
{
    return host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')) ? host.mid(1, host.size() - 2) : host;
}

QString hostName(QString name)
{
    name = withoutBrackets(name.trimmed()).toLower();
    if (name.endsWith(QLatin1Char('.')))
        name.chop(1);
    return name;
}

// The smart host's server: "relay:[mail.example]" -> "mail.example".
QString smartHostServer(const QString &value)
{
    QString v = value.trimmed();
    const qsizetype colon = v.indexOf(QLatin1Char(':'));
    if (colon >= 0 && !v.startsWith(QLatin1Char('[')))
        v = v.mid(colon + 1);
    return hostName(v);
}

struct Lookup {
    Transport &t;
    const HostProfile &profile;
    MxAnswer answer;
    QStringList notes;

    Result<CommandResult> askSendmail(const QByteArray &questions)
    {
        Result<CommandResult> r = t.run(profile.addressTestCommand(t.commandPath(profile.cfPath)), questions, SendmailTimeout);
        if (!r)
            return r.error();
        // -bt exits non-zero after an address that ends in an error mailer: only output counts.
        if (!r->out.contains("ADDRESS TEST MODE"))
            return makeError(ErrorKind::InvalidConfig,
                             QStringLiteral("sendmail -bt did not start on the host: %1").arg(r->firstErrorLine()));
        return r;
    }

    // The servers of an MX lookup of NAME as getmxrr answered it.
    Status takeMxAnswer(const mxparse::MxLines &mx, const QString &name, bool mayBeA)
    {
        if (!mx.found)
            return makeError(ErrorKind::Internal, QStringLiteral("sendmail -bt gave no MX answer for %1").arg(name));
        if (mx.count < 0)
            return makeError(ErrorKind::Connection,
                             QStringLiteral("the host's DNS did not answer the MX query for %1 (temporary failure, h_errno %2): "
                                            "sendmail keeps such mail queued and tries again")
                                 .arg(name)
                                 .arg(mx.resolverError));
        if (mx.count == 0 && mx.resolverError == 0) {
            // No query at all: the service switch gives sendmail no DNS for host names.
            if (mayBeA)
                answer.route = QStringLiteral("a");
            answer.servers = {MxServer{name, 0, {}}};
            notes << QStringLiteral("The host's sendmail makes no DNS query for %1 (its service switch has no dns for hosts): "
                                    "it connects to the name's own address.")
                         .arg(name);
            return std::nullopt;
        }
        if (mx.count == 0) {
            notes << QStringLiteral("%1 does not exist in the host's DNS (h_errno %2): sendmail returns such mail as 'host unknown'.")
                         .arg(name)
                         .arg(mx.resolverError);
            return std::nullopt;
        }
        if (mx.resolverError != 0) {
            // NO_DATA: no MX record, so getmxrr answers with the name itself (canonical).
            if (mayBeA)
                answer.route = QStringLiteral("a");
            answer.servers = {MxServer{mx.hosts.value(0, name), 0, {}}};
            notes << QStringLiteral("%1 has no MX record: sendmail connects to its own address.").arg(name);
            return std::nullopt;
        }
        for (qsizetype i = 0; i < mx.hosts.size(); ++i)
            answer.servers.append(MxServer{mx.hosts[i], int(i + 1), {}});
        return std::nullopt;
    }

    // Preferences (when MX_NAME is set) and every server's addresses, in one command.
    Status addHostAnswers(const QString &mxName)
    {
        QStringList names;
        for (const MxServer &s : answer.servers)
            names << s.name;
        if (names.isEmpty())
            return std::nullopt;
        const Result<CommandResult> r = t.run(CommandLine::shellScript(HostAnswersScript, QStringList{mxName} + names), {}, ToolsTimeout);
        if (!r)
            return r.error();
        const mxparse::HostAnswers host = mxparse::parseHostAnswers(r->out);
        if (host.getentMissing)
            notes << QStringLiteral("The host has no getent: addresses unknown.");
        for (MxServer &s : answer.servers) {
            s.addresses = host.addresses.value(s.name);
            if (s.addresses.isEmpty() && !host.getentMissing)
                notes << QStringLiteral("%1 has no address on the host.").arg(s.name);
        }
        if (mxName.isEmpty())
            return std::nullopt;
        if (host.preferenceTool.isEmpty()) {
            notes << QStringLiteral("Preferences are sendmail's order (1 = tried first): the host has neither dig, host nor nslookup "
                                    "to read the DNS values.");
            return std::nullopt;
        }
        bool all = true;
        for (const MxServer &s : answer.servers)
            all = all && std::any_of(host.preferences.begin(), host.preferences.end(), [&s](const auto &p) { return p.first == s.name; });
        if (!all) {
            notes << QStringLiteral("Preferences are sendmail's order (1 = tried first): %1 on the host did not list every server.")
                         .arg(host.preferenceTool);
            return std::nullopt;
        }
        for (MxServer &s : answer.servers)
            for (const auto &[name, preference] : host.preferences)
                if (name == s.name)
                    s.preference = preference;
        answer.preferencesFromDns = true;
        return std::nullopt;
    }
};

} // namespace

Result<QString> recipientDomain(const QString &typed, bool *wasAddress)
{
    if (wasAddress)
        *wasAddress = false;
    for (QChar c : typed)
        if (c.isSpace() || c.category() == QChar::Other_Control || c.category() == QChar::Other_Format)
            return invalidDomain(typed, QStringLiteral("it contains blanks or control characters"));
    QString text = typed;
    const qsizetype at = typed.lastIndexOf(QLatin1Char('@'));
    if (at >= 0) {
        text = typed.mid(at + 1);
        if (text.isEmpty())
            return invalidDomain(typed, QStringLiteral("nothing follows the '@'"));
        if (wasAddress)
            *wasAddress = true;
    }
    if (text.startsWith(QLatin1Char('[')))
        return invalidDomain(typed, QStringLiteral("an address literal has no MX; probe the address itself"));
    const Result<Destination> d = parseDestination(text);
    if (!d)
        return makeError(ErrorKind::InvalidInput, QString(d.error().message).replace(QStringLiteral("is not a valid destination"),
                                                                                     QStringLiteral("is not a valid domain")));
    if (d->kind != DestinationKind::HostName)
        return invalidDomain(typed, QStringLiteral("it is an address, not a domain; probe the address itself"));
    return QString::fromLatin1(d->key);
}

Result<MxAnswer> lookupMxOnHost(Transport &transport, const HostProfile &profile, const QString &typed)
{
    const Result<QString> domain = recipientDomain(typed);
    if (!domain)
        return domain.error();
    Lookup l{transport, profile, {}, {}};
    l.answer.domain = *domain;
    const QStringList keys = mxparse::mailertableKeys(*domain);
    const Result<CommandResult> first = l.askSendmail(mxparse::routeQuestions(*domain, keys));
    if (!first)
        return first.error();
    const mxparse::MapAnswers map = mxparse::parseMapAnswers(first->out);
    const mxparse::SendmailRoute route = mxparse::parseRoute(first->out);
    const mxparse::MxLines domainMx = mxparse::parseMxLines(first->out, *domain);
    if (!route.found)
        return makeError(ErrorKind::Internal, QStringLiteral("sendmail -bt gave no route for %1%2")
                                                  .arg(*domain, route.message.isEmpty() ? QString() : QStringLiteral(": ") + route.message));
    l.answer.mailer = route.mailer == QLatin1String("*error*") ? QStringLiteral("error") : route.mailer;
    for (const QString &key : keys) {
        if (const std::optional<QString> value = map.values.value(key); value) {
            l.answer.mailertableKey = key;
            l.answer.mailertableValue = *value;
            break;
        }
    }
    if (l.answer.mailer == QLatin1String("local")) {
        l.answer.route = QStringLiteral("local");
        l.answer.note = QStringLiteral("%1 is this host's own (class w): sendmail delivers its mail locally, no server is involved.")
                            .arg(*domain);
        return l.answer;
    }
    if (l.answer.mailer == QLatin1String("error")) {
        l.answer.route = l.answer.mailertableKey.isEmpty() ? QStringLiteral("error") : QStringLiteral("mailertable");
        l.answer.note = QStringLiteral("sendmail answers mail to %1 with an error (%2 %3)%4: no server is involved.")
                            .arg(*domain, route.host, route.user,
                                 l.answer.mailertableKey.isEmpty()
                                     ? QString()
                                     : QStringLiteral(" from the mailertable entry '%1 %2'").arg(l.answer.mailertableKey, l.answer.mailertableValue));
        return l.answer;
    }
    const QString server = hostName(route.host);
    const bool bracketed = route.host.startsWith(QLatin1Char('['));
    const QString smart = mxparse::parseSmartHost(first->out);
    bool mxRoute = false;
    if (!l.answer.mailertableKey.isEmpty()) {
        l.answer.route = QStringLiteral("mailertable");
        l.notes << QStringLiteral("The mailertable entry '%1 %2' decides (mailer %3).")
                       .arg(l.answer.mailertableKey, l.answer.mailertableValue, l.answer.mailer);
    } else if (!smart.isEmpty() && smartHostServer(smart) == server) {
        l.answer.route = QStringLiteral("smarthost");
        l.notes << QStringLiteral("The smart host %1 takes all remote mail (mailer %2).").arg(smart, l.answer.mailer);
    } else {
        mxRoute = true;
        l.answer.route = QStringLiteral("mx");
        if (!map.mapPresent)
            l.notes << QStringLiteral("No mailertable on the host.");
        if (server != *domain)
            l.notes << QStringLiteral("sendmail canonifies %1 to %2 (a CNAME) and routes to that.").arg(*domain, server);
    }
    QString mxName;  // the name whose MX records the servers are, for their preferences
    if (bracketed) {
        l.answer.servers = {MxServer{server, 0, {}}};
        l.notes << QStringLiteral("The brackets in [%1] mean no MX lookup: sendmail connects to that host itself.").arg(server);
    } else {
        mxparse::MxLines mx = domainMx;
        if (server != *domain) {
            const Result<CommandResult> second = l.askSendmail(mxparse::mxQuestions(server));
            if (!second)
                return second.error();
            mx = mxparse::parseMxLines(second->out, server);
        }
        if (Status s = l.takeMxAnswer(mx, server, mxRoute))
            return *s;
        if (mx.resolverError == 0 && mx.count > 0)
            mxName = server;
        if (!mxRoute && mxName == server)
            l.notes << QStringLiteral("sendmail looks up the MX records of %1.").arg(server);
    }
    if (Status s = l.addHostAnswers(mxName))
        return *s;
    l.answer.note = l.notes.join(QLatin1Char(' '));
    return l.answer;
}

MxResolver mxResolverOnHost(Transport &transport, const HostProfile &profile, std::function<void(const QString &domain)> asking)
{
    return [&transport, &profile, asking = std::move(asking)](const QString &domain) -> Result<QStringList> {
        if (asking)
            asking(domain);
        const Result<MxAnswer> answer = lookupMxOnHost(transport, profile, domain);
        if (!answer)
            return answer.error();
        QStringList servers;
        for (const MxServer &server : answer->servers)
            servers << server.name;
        return servers;
    };
}

} // namespace smtls
