#pragma once
// Does a server offer STARTTLS, and does the handshake work — seen from the mail host (its
// network, its OpenSSL: `openssl s_client -starttls smtp` run over the host's connection) or
// from this computer (core/net/ProbeFromHere.h, Qt Network). Both fill the same ProbeResult,
// so the two views can be shown side by side.

#include "transport/Transport.h"
#include "Result.h"

#include <QDateTime>
#include <QString>

#include <chrono>
#include <optional>

namespace smtls {

struct CertificateInfo {
    QString subject;     // "CN=mx1.stuck.test, O=Test" (one line)
    QString issuer;
    QDateTime notAfter;  // UTC; invalid when it could not be read
    // Whether the chain verified against the trust store of the side that probed (the host's
    // OpenSSL, this computer's Qt). Opportunistic TLS (what sendmail does by default) delivers
    // over an unverified certificate too: false is information, not the failure.
    bool verified = false;
    QString verifyError;  // why not ("self-signed certificate"); empty when verified
};

struct ProbeResult {
    QString server;   // as asked ("mx1.stuck.test", "192.0.2.7")
    QString address;  // the address connected to (or resolved); empty when the name has none
    int port = 25;
    bool starttlsOffered = false;  // the EHLO answer listed STARTTLS
    // "ok" | "failed" | "not offered" | "no connection"
    QString handshake;
    QString protocol;  // "TLSv1.3"; empty unless ok
    QString cipher;    // "TLS_AES_256_GCM_SHA384"; empty unless ok
    std::optional<CertificateInfo> certificate;  // the server's certificate when one was seen
    QString error;     // why not ok, in the TLS library's words ("wrong version number",
                       // "Connection refused", "no answer within 10 s"); empty when ok
    QString banner;    // the server's 220 line, when it sent one
    qint64 milliseconds = 0;  // how long the probe took
    QString where;     // "host" (from the mail host) | "here" (from this computer)
};

// The handshake values, spelled once.
namespace handshake {
inline const QString Ok = QStringLiteral("ok");
inline const QString Failed = QStringLiteral("failed");
inline const QString NotOffered = QStringLiteral("not offered");
inline const QString NoConnection = QStringLiteral("no connection");
} // namespace handshake

// SERVER as the admin typed it: a host name (IDN converted, lower case), an IPv4 address or an
// IPv6 address (brackets allowed). ErrorKind::InvalidInput for blanks, newlines, shell
// metacharacters, quotes, a leading '-'. PORT must be 1..65535.
Result<QString> probeServerName(const QString &typed);
Status checkProbePort(int port);

// Runs the probe on the mail host: resolves SERVER there (getent), then `openssl s_client
// -starttls smtp` under coreutils `timeout` (one constant POSIX script, the server and port as
// parameters, stdin closed), the certificate read with `openssl x509`. Blocking, for a worker
// thread; the whole probe is bounded by about TIMEOUT (+ a few seconds for the connection);
// cancelled through Transport::cancel(). The four outcomes are results; an Error means the
// probe could not run: the host cannot be reached, or openssl or timeout is missing there
// (ErrorKind::InvalidConfig, the sentence names the missing program and suggests --from-here).
Result<ProbeResult> probeFromHost(Transport &transport, const QString &server, int port,
                                  std::chrono::seconds timeout);

// The reader of the host-side probe's output, for the tests (formats captured from OpenSSL's
// s_client and x509, tests/core/data/probe/).
namespace probeparse {
struct HostProbe {
    QString missing;  // "openssl" or "timeout" when the host lacks it; then no result
    ProbeResult result;
};
HostProbe parseHostProbe(const QByteArray &output, const QString &server, int port, std::chrono::seconds timeout);
// "Nov 29 07:36:22 2036 GMT" (openssl x509 -enddate, after "notAfter=") -> UTC.
QDateTime parseOpenSslTime(const QString &text);
} // namespace probeparse

} // namespace smtls
