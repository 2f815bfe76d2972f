// sendmail-tls mx DOMAIN|ADDRESS: the servers sendmail connects to for a recipient domain, as
// each host's own sendmail resolves them (mailertable, smart host, MX), with their addresses;
// --from-here: this computer's DNS (QDnsLookup), beside or instead of the hosts' answers.
#include "Commands.h"
#include "ExitCode.h"
#include "Output.h"
#include "InParallel.h"
#include "Targets.h"
#include "delivery/MxLookup.h"
#include "net/MxFromHere.h"

#include <QJsonArray>

namespace smtls::cli {
namespace {

struct HostMx {
    QString host;
    std::optional<Result<MxAnswer>> answer;
};

QJsonObject toJson(const HostMx &h, const QString &domain, const QString &recipient)
{
    QJsonObject o{{QStringLiteral("host"), h.host}, {QStringLiteral("domain"), domain}};
    if (!recipient.isEmpty())
        o.insert(QStringLiteral("recipient"), recipient);
    const Result<MxAnswer> &a = *h.answer;
    if (!a) {
        o.insert(QStringLiteral("error"), a.error().describe());
        return o;
    }
    QJsonArray servers;
    for (const MxServer &s : a->servers)
        servers.append(QJsonObject{{QStringLiteral("server"), s.name},
                                   {QStringLiteral("preference"), s.preference},
                                   {QStringLiteral("addresses"), QJsonArray::fromStringList(s.addresses)}});
    o.insert(QStringLiteral("route"), a->route);
    o.insert(QStringLiteral("servers"), servers);
    o.insert(QStringLiteral("preferences"), a->preferencesFromDns ? QStringLiteral("dns") : QStringLiteral("order"));
    o.insert(QStringLiteral("mailer"), a->mailer.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(a->mailer));
    o.insert(QStringLiteral("mailertable"),
             a->mailertableKey.isEmpty() ? QJsonValue(QJsonValue::Null)
                                         : QJsonValue(QJsonObject{{QStringLiteral("key"), a->mailertableKey},
                                                                  {QStringLiteral("value"), a->mailertableValue}}));
    o.insert(QStringLiteral("note"), a->note);
    return o;
}

QString routeWords(const MxAnswer &a)
{
    if (a.route == QLatin1String("mx"))
        return QStringLiteral("by its MX records, in the order sendmail tries them");
    if (a.route == QLatin1String("a"))
        return QStringLiteral("to the domain's own address (it has no MX record)");
    if (a.route == QLatin1String("mailertable"))
        return QStringLiteral("as the mailertable says (%1 %2)").arg(a.mailertableKey, a.mailertableValue);
    if (a.route == QLatin1String("smarthost"))
        return QStringLiteral("through the smart host");
    if (a.route == QLatin1String("local"))
        return QStringLiteral("nowhere: the host delivers it itself");
    return QStringLiteral("nowhere: sendmail answers with an error");
}

QString toText(const HostMx &h, const QString &domain, const QString &recipient)
{
    const QString of = recipient.isEmpty() ? domain : QStringLiteral("%1 (the domain of %2)").arg(domain, recipient);
    const Result<MxAnswer> &a = *h.answer;
    if (!a)
        return QStringLiteral("%1: mail for %2: error: %3\n\n").arg(h.host, of, a.error().describe());
    QString text = a->servers.isEmpty() && a->route != QLatin1String("local")
        ? QStringLiteral("%1: mail for %2 has no server to go to.\n").arg(h.host, of)
        : QStringLiteral("%1: mail for %2 goes %3%4\n").arg(h.host, of, routeWords(*a), a->servers.isEmpty() ? QStringLiteral(".") : QStringLiteral(":"));
    qsizetype width = 0;
    for (const MxServer &s : a->servers)
        width = std::max(width, s.name.size());
    for (const MxServer &s : a->servers) {
        const QString preference = s.preference == 0 ? QString()
                                   : a->preferencesFromDns ? QStringLiteral("preference %1").arg(s.preference)
                                                           : QStringLiteral("#%1").arg(s.preference);
        text += QStringLiteral("  %1  %2  %3\n")
                    .arg(s.name.leftJustified(int(width)), preference.leftJustified(14),
                         s.addresses.isEmpty() ? QStringLiteral("(no address)") : s.addresses.join(QStringLiteral(", ")));
    }
    if (!a->note.isEmpty())
        text += QStringLiteral("  %1\n").arg(a->note);
    if (!a->servers.isEmpty() && a->route != QLatin1String("local"))
        text += QStringLiteral("  A TLS exception names one of these servers (e.g. sendmail-tls set destination %1 fallback), "
                               "not the recipient's domain.\n")
                    .arg(a->servers.first().name);
    return text + QLatin1Char('\n');
}

} // namespace

int runMx(const CliOptions &options)
{
    if (options.arguments.size() != 1)
        return fail(makeError(ErrorKind::Usage, QStringLiteral("mx takes one domain or recipient address")));
    const QString typed = options.arguments.first();
    bool wasAddress = false;
    const Result<QString> domain = recipientDomain(typed, &wasAddress);
    if (!domain)
        return fail(domain.error());
    const QString recipient = wasAddress ? typed : QString();

    // The hosts' answers (this computer's MTA without --host), unless only --from-here.
    QStringList hosts;
    if (!options.fromHere || !options.hosts.isEmpty())
        hosts = targetNames(options);
    QList<HostMx> answers(hosts.size() + (options.fromHere ? 1 : 0));
    runInParallel(answers.size(), options.parallel, [&](qsizetype i) {
        HostMx &h = answers[i];
        if (i == hosts.size()) {
            h.host = QStringLiteral("here");
            h.answer = lookupMxFromHere(*domain, options.nameserver, std::chrono::seconds(options.timeoutSeconds));
            return;
        }
        h.host = hostLabel(options, hosts[i]);
        Result<HostConnection> c = connectTarget(options, hosts[i]);
        if (!c) {
            h.answer = Result<MxAnswer>(c.error());
            return;
        }
        h.answer = lookupMxOnHost(*c->transport, c->profile, *domain);
    });

    int code = ExitOk;
    QJsonArray json;
    for (const HostMx &h : answers) {
        if (!*h.answer)
            code = std::max(code, exitCodeFor(h.answer->error().kind));
        if (options.json)
            json.append(toJson(h, *domain, recipient));
        else
            printOut(toText(h, *domain, recipient));
    }
    if (options.json)
        printJson(QJsonObject{{QStringLiteral("hosts"), json}});
    return code;
}

} // namespace smtls::cli
