#include "delivery/StartTlsProbe.h"

#include "Destination.h"

#include <QElapsedTimer>
#include <QLocale>
#include <QRegularExpression>

namespace smtls {
namespace {

using namespace std::chrono_literals;

// $1 server (a host name or an IP address), $2 port, $3 seconds. The address is resolved
// first (getent, as the host's programs resolve it) so that the answer names it; s_client
// then connects to that address, with the name for SNI and certificate name checks. `timeout`
// bounds the whole conversation; stdin is closed, so s_client leaves right after the
// handshake. -state shows whether the handshake began (STARTTLS accepted, ClientHello sent).
const QString ProbeScript = QStringLiteral(R"sh(command -v openssl >/dev/null 2>&1 || { echo '@@missing openssl'; exit 0; }
command -v timeout >/dev/null 2>&1 || { echo '@@missing timeout'; exit 0; }
name=$1
case $1 in
  *:*) addr=$1; name= ;;
  *[!0-9.]*)
    if command -v getent >/dev/null 2>&1; then
      addr=$( { timeout "$3" getent ahosts "$1" || timeout "$3" getent hosts "$1"; } 2>/dev/null | sed -n '1s/[[:space:]].*//p')
    else
      echo '@@note no getent: openssl resolves the name itself'; addr=$1
    fi ;;
  *) addr=$1; name= ;;
esac
echo "@@address $addr"
[ -n "$addr" ] || exit 0
case $addr in *:*) target="[$addr]:$2" ;; *) target="$addr:$2" ;; esac
if [ -n "$name" ]; then
  out=$(timeout "$3" openssl s_client -starttls smtp -connect "$target" -servername "$name" -verify_hostname "$name" -state </dev/null 2>&1)
else
  out=$(timeout "$3" openssl s_client -starttls smtp -connect "$target" -verify_ip "$addr" -state </dev/null 2>&1)
fi
echo "@@exit $?"
printf '%s\n' "$out"
case $out in *'-----BEGIN CERTIFICATE-----'*)
  echo '@@certificate'
  printf '%s\n' "$out" | sed -n '/-----BEGIN CERTIFICATE-----/,/-----END CERTIFICATE-----/p' |
    openssl x509 -noout -subject -issuer -enddate -nameopt RFC2253,sep_comma_plus_space 2>&1 ;;
esac
exit 0
)sh");

Error invalidServer(const QString &typed, const QString &why)
{
    return makeError(ErrorKind::InvalidInput, QStringLiteral("'%1' is not a server name or address: %2").arg(printableInput(typed), why));
}

// "40C7…:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../ssl/…" -> the
// reason, "wrong version number"; "…:system library:BIO_connect:Connection refused:…" ->
// "Connection refused".
QString openSslReason(const QString &line)
{
    static const QRegularExpression error(QStringLiteral("^[0-9A-Fa-f]+:error:[0-9A-Fa-f]+:[^:]*:[^:]*:([^:]+):"));
    const QRegularExpressionMatch m = error.match(line);
    return m.hasMatch() ? m.captured(1) : QString();
}

} // namespace

Result<QString> probeServerName(const QString &typed)
{
    QString text = typed;
    if (text.startsWith(QLatin1Char('[')) && text.endsWith(QLatin1Char(']')))
        text = text.mid(1, text.size() - 2);  // "[192.0.2.7]", as a mailertable writes it
    if (text.isEmpty())
        return invalidServer(typed, QStringLiteral("it is empty"));
    const Result<Destination> d = parseDestination(text);
    if (!d)
        return makeError(ErrorKind::InvalidInput, QString(d.error().message).replace(QStringLiteral("is not a valid destination"),
                                                                                     QStringLiteral("is not a valid server")));
    switch (d->kind) {
    case DestinationKind::HostName: return QString::fromLatin1(d->key);
    case DestinationKind::IPv4:
        if (d->key.count('.') == 3)
            return QString::fromLatin1(d->key);
        return invalidServer(typed, QStringLiteral("an IPv4 address has four parts"));
    case DestinationKind::IPv6:
        if (!canonicalIPv6(d->key).isEmpty())
            return text.toLower();
        return invalidServer(typed, QStringLiteral("it is not a complete IPv6 address"));
    case DestinationKind::Default: break;
    }
    return invalidServer(typed, QStringLiteral("it is empty"));
}

Status checkProbePort(int port)
{
    if (port < 1 || port > 65535)
        return makeError(ErrorKind::InvalidInput, QStringLiteral("port %1 is not a TCP port (1 to 65535)").arg(port));
    return std::nullopt;
}

namespace probeparse {

QDateTime parseOpenSslTime(const QString &text)
{
    // "Nov 29 07:36:22 2036 GMT"; a day below 10 is padded with a blank ("Dec  2 …").
    QDateTime t = QLocale::c().toDateTime(text.simplified(), QStringLiteral("MMM d HH:mm:ss yyyy 'GMT'"));
    t.setTimeSpec(Qt::UTC);
    return t;
}

HostProbe parseHostProbe(const QByteArray &output, const QString &server, int port, std::chrono::seconds timeout)
{
    static const QRegularExpression session(QStringLiteral("^New, (\\S+), Cipher is (\\S+)$"));
    static const QRegularExpression verify(QStringLiteral("^Verify return code: (\\d+) \\((.*)\\)$"));
    HostProbe probe;
    ProbeResult &r = probe.result;
    r.server = server;
    r.port = port;
    r.where = QStringLiteral("host");
    bool addressSeen = false, exitSeen = false, inCertificate = false, notOffered = false, handshakeBegan = false;
    int exitCode = 0;
    QString reason, firstLine, verifyError, subject, issuer, notAfter;
    std::optional<int> verifyCode;
    for (QByteArray raw : output.split('\n')) {
        if (raw.endsWith('\r'))
            raw.chop(1);
        const QString line = QString::fromUtf8(raw);
        if (line.startsWith(QLatin1String("@@missing "))) {
            probe.missing = line.mid(10).trimmed();
            return probe;
        }
        if (line.startsWith(QLatin1String("@@address"))) {
            addressSeen = true;
            r.address = line.mid(9).trimmed();
            continue;
        }
        if (line.startsWith(QLatin1String("@@exit "))) {
            exitSeen = true;
            exitCode = line.mid(7).trimmed().toInt();
            continue;
        }
        if (line == QLatin1String("@@certificate")) {
            inCertificate = true;
            continue;
        }
        if (line.startsWith(QLatin1String("@@")))
            continue;
        if (inCertificate) {
            if (line.startsWith(QLatin1String("subject=")))
                subject = line.mid(8).trimmed();
            else if (line.startsWith(QLatin1String("issuer=")))
                issuer = line.mid(7).trimmed();
            else if (line.startsWith(QLatin1String("notAfter=")))
                notAfter = line.mid(9).trimmed();
            continue;
        }
        if (line.startsWith(QLatin1String("Didn't find STARTTLS")))
            notOffered = true;
        else if (line.startsWith(QLatin1String("SSL_connect:")) && line.contains(QLatin1String("write client hello")))
            handshakeBegan = true;
        else if (const QRegularExpressionMatch m = session.match(line); m.hasMatch()) {
            if (m.captured(1) != QLatin1String("(NONE)")) {
                r.protocol = m.captured(1);
                r.cipher = m.captured(2);
            }
        } else if (const QRegularExpressionMatch v = verify.match(line); v.hasMatch()) {
            verifyCode = v.captured(1).toInt();
            verifyError = v.captured(2);
        } else if (reason.isEmpty() && !openSslReason(line).isEmpty()) {
            reason = openSslReason(line);
        } else if (firstLine.isEmpty() && !line.trimmed().isEmpty() && !line.startsWith(QLatin1String("SSL_connect:"))
                   && !line.startsWith(QLatin1String("depth=")) && !line.startsWith(QLatin1String("verify "))) {
            firstLine = line.trimmed();
        }
    }
    const bool timedOut = exitCode == 124 || exitCode == 143 || exitCode == 137;  // coreutils, busybox (TERM, KILL)
    if (!addressSeen) {
        r.handshake = handshake::NoConnection;
        r.error = QStringLiteral("the probe on the host gave no answer");
    } else if (r.address.isEmpty()) {
        r.handshake = handshake::NoConnection;
        r.error = QStringLiteral("%1 has no address on the host").arg(server);
    } else if (!exitSeen) {
        r.handshake = handshake::NoConnection;
        r.error = QStringLiteral("openssl s_client did not finish on the host");
    } else if (notOffered) {
        // s_client tries anyway; what follows is noise.
        r.handshake = handshake::NotOffered;
        r.error = QStringLiteral("the server's EHLO answer does not offer STARTTLS");
    } else if (!r.protocol.isEmpty()) {
        r.starttlsOffered = true;
        r.handshake = handshake::Ok;
    } else if (handshakeBegan) {
        r.starttlsOffered = true;
        r.handshake = handshake::Failed;
        r.error = timedOut ? QStringLiteral("the TLS handshake did not finish within %1 s").arg(timeout.count())
                  : reason.isEmpty() ? QStringLiteral("the TLS handshake failed")
                                     : reason;
    } else {
        r.handshake = handshake::NoConnection;
        r.error = timedOut ? QStringLiteral("no SMTP answer within %1 s (the connection hangs, or the server accepted it "
                                            "and said nothing)")
                                 .arg(timeout.count())
                  : !reason.isEmpty() ? reason
                  : !firstLine.isEmpty() ? QStringLiteral("openssl s_client: %1").arg(firstLine)
                                         : QStringLiteral("openssl s_client failed (exit status %1)").arg(exitCode);
    }
    if (!subject.isEmpty()) {
        CertificateInfo c;
        c.subject = subject;
        c.issuer = issuer;
        c.notAfter = parseOpenSslTime(notAfter);
        c.verified = verifyCode == 0;
        c.verifyError = c.verified ? QString() : verifyError;
        r.certificate = c;
    }
    return probe;
}

} // namespace probeparse

Result<ProbeResult> probeFromHost(Transport &transport, const QString &typed, int port, std::chrono::seconds timeout)
{
    const Result<QString> server = probeServerName(typed);
    if (!server)
        return server.error();
    if (Status s = checkProbePort(port))
        return *s;
    if (timeout < 1s)
        timeout = 1s;
    QElapsedTimer clock;
    clock.start();
    // Beyond the probe's own bound: the name lookup (bounded alike) and the connection.
    const Result<CommandResult> r = transport.run(
        CommandLine::shellScript(ProbeScript, {*server, QString::number(port), QString::number(timeout.count())}), {},
        2 * timeout + 30s);
    if (!r)
        return r.error();
    probeparse::HostProbe probe = probeparse::parseHostProbe(r->out, *server, port, timeout);
    if (!probe.missing.isEmpty())
        return makeError(ErrorKind::InvalidConfig,
                         QStringLiteral("%1 is not installed on the host, so it cannot probe from there; --from-here probes from "
                                        "this computer")
                             .arg(probe.missing == QLatin1String("timeout") ? QStringLiteral("timeout (coreutils)") : probe.missing));
    if (!r->ok() && probe.result.address.isEmpty() && probe.result.error == QLatin1String("the probe on the host gave no answer"))
        probe.result.error = QStringLiteral("the probe script failed on the host: %1").arg(r->firstErrorLine());
    probe.result.milliseconds = clock.elapsed();
    return probe.result;
}

} // namespace smtls
