// sendmail-tls probe SERVER [--port N]: does the server offer STARTTLS, and does the handshake
// work — from each mail host (openssl s_client over its connection: its network, its OpenSSL)
// and, with --from-here, from this computer (Qt Network). Whatever the outcome, a probe that ran
// is an answer (exit 0); a host where it could not run is an error for that host.
#include "Commands.h"
#include "ExitCode.h"
#include "Output.h"
#include "InParallel.h"
#include "Targets.h"
#include "delivery/StartTlsProbe.h"
#include "net/ProbeFromHere.h"

#include <QJsonArray>

namespace smtls::cli {
namespace {

struct HostProbe {
    QString host;
    std::optional<Result<ProbeResult>> result;
};

QJsonValue textOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QJsonObject toJson(const HostProbe &h, const QString &server, int port)
{
    QJsonObject o{{QStringLiteral("host"), h.host}, {QStringLiteral("server"), server}, {QStringLiteral("port"), port}};
    const Result<ProbeResult> &r = *h.result;
    if (!r) {
        o.insert(QStringLiteral("handshake"), QJsonValue(QJsonValue::Null));
        o.insert(QStringLiteral("error"), r.error().describe());
        return o;
    }
    o.insert(QStringLiteral("address"), textOrNull(r->address));
    o.insert(QStringLiteral("starttlsOffered"), r->starttlsOffered);
    o.insert(QStringLiteral("handshake"), r->handshake);
    o.insert(QStringLiteral("protocol"), textOrNull(r->protocol));
    o.insert(QStringLiteral("cipher"), textOrNull(r->cipher));
    if (r->certificate) {
        const CertificateInfo &c = *r->certificate;
        o.insert(QStringLiteral("certificate"),
                 QJsonObject{{QStringLiteral("subject"), c.subject},
                             {QStringLiteral("issuer"), c.issuer},
                             {QStringLiteral("notAfter"), c.notAfter.isValid() ? QJsonValue(c.notAfter.toString(Qt::ISODate))
                                                                               : QJsonValue(QJsonValue::Null)},
                             {QStringLiteral("verified"), c.verified},
                             {QStringLiteral("verifyError"), textOrNull(c.verifyError)}});
    } else {
        o.insert(QStringLiteral("certificate"), QJsonValue(QJsonValue::Null));
    }
    o.insert(QStringLiteral("error"), textOrNull(r->error));
    o.insert(QStringLiteral("banner"), textOrNull(r->banner));
    o.insert(QStringLiteral("milliseconds"), qint64(r->milliseconds));
    return o;
}

// One paragraph per host: what happened, and what it means for sendmail.
QString toText(const HostProbe &h, const QString &server, int port)
{
    const Result<ProbeResult> &r = *h.result;
    const QString from = h.host == QLatin1String("here") ? QStringLiteral("From this computer") : QStringLiteral("From %1").arg(h.host);
    if (!r)
        return QStringLiteral("%1: %2 port %3 could not be probed: %4\n\n").arg(from, server).arg(port).arg(r.error().describe());
    const QString target = QStringLiteral("%1%2 port %3")
                               .arg(server, r->address.isEmpty() || r->address == server ? QString() : QStringLiteral(" [%1]").arg(r->address))
                               .arg(port);
    const QString took = QStringLiteral(" (%1 s)").arg(double(r->milliseconds) / 1000.0, 0, 'f', 2);
    QString text;
    if (r->handshake == handshake::Ok) {
        text = QStringLiteral("%1: %2 offers STARTTLS and the handshake works: %3, %4.").arg(from, target, r->protocol, r->cipher);
        if (r->certificate) {
            const CertificateInfo &c = *r->certificate;
            text += QStringLiteral(" Certificate %1, issued by %2, valid until %3; %4.")
                        .arg(c.subject, c.issuer, c.notAfter.isValid() ? c.notAfter.toString(Qt::ISODate) : QStringLiteral("?"),
                             c.verified ? QStringLiteral("verified")
                                        : QStringLiteral("not verified (%1) — sendmail delivers over it anyway unless a rule "
                                                         "demands verification")
                                              .arg(c.verifyError));
        }
    } else if (r->handshake == handshake::Failed) {
        text = QStringLiteral("%1: %2 offers STARTTLS, but the handshake FAILS: %3. sendmail defers mail to this server "
                              "(\"454 4.7.0 TLS handshake failed\") until it is fixed, or until an exception for %4 "
                              "(sendmail-tls set destination %4 fallback) lets it retry in clear text.")
                   .arg(from, target, r->error, server);
    } else if (r->handshake == handshake::NotOffered) {
        text = QStringLiteral("%1: %2 does not offer STARTTLS (%3): sendmail delivers in clear text.").arg(from, target, r->error);
    } else {
        text = QStringLiteral("%1: no connection to %2: %3.").arg(from, target, r->error);
    }
    return text + took + QStringLiteral("\n\n");
}

} // namespace

int runProbe(const CliOptions &options)
{
    if (options.arguments.size() != 1)
        return fail(makeError(ErrorKind::Usage, QStringLiteral("probe takes one server name or address")));
    const Result<QString> server = probeServerName(options.arguments.first());
    if (!server)
        return fail(server.error());
    bool numeric = false;
    const int port = options.port.toInt(&numeric);
    if (!numeric)
        return fail(makeError(ErrorKind::InvalidInput, QStringLiteral("--port takes a TCP port (1 to 65535), not '%1'")
                                                           .arg(printableInput(options.port))));
    if (Status s = checkProbePort(port))
        return fail(*s);
    const std::chrono::seconds timeout(options.timeoutSeconds);

    QStringList hosts;
    if (!options.fromHere || !options.hosts.isEmpty())
        hosts = targetNames(options);
    QList<HostProbe> probes(hosts.size() + (options.fromHere ? 1 : 0));
    runInParallel(probes.size(), options.parallel, [&](qsizetype i) {
        HostProbe &h = probes[i];
        if (i == hosts.size()) {
            h.host = QStringLiteral("here");
            h.result = smtls::probeFromHere(*server, port, timeout);
            return;
        }
        h.host = hostLabel(options, hosts[i]);
        Result<HostConnection> c = connectTarget(options, hosts[i]);
        if (!c) {
            h.result = Result<ProbeResult>(c.error());
            return;
        }
        h.result = probeFromHost(*c->transport, *server, port, timeout);
    });

    int code = ExitOk;
    QJsonArray json;
    for (const HostProbe &h : probes) {
        if (!*h.result)
            code = std::max(code, exitCodeFor(h.result->error().kind));
        if (options.json)
            json.append(toJson(h, *server, port));
        else
            printOut(toText(h, *server, port));
    }
    if (options.json)
        printJson(QJsonObject{{QStringLiteral("hosts"), json}});
    return code;
}

} // namespace smtls::cli
