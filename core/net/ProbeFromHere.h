#pragma once
// The STARTTLS probe from this computer with Qt Network: connect, read the 220 greeting, EHLO,
// look for STARTTLS in the 250 lines, STARTTLS, QSslSocket::startClientEncryption(). Certificate
// errors are recorded (CertificateInfo::verified/verifyError), never fatal: this is the
// opportunistic TLS sendmail does, so an unverifiable certificate still counts as "ok".
//
// How to call: from a worker thread (QThread, QtConcurrent::run, std::thread) — it blocks,
// creates its own QSslSocket in the calling thread and needs no running event loop. Never on
// the GUI thread. The whole probe (name lookup, connect, greeting, EHLO, STARTTLS, handshake)
// shares one deadline TIMEOUT: a server that accepts and never answers costs TIMEOUT, a closed
// port answers at once.
// How to cancel: pass a std::stop_token (from a std::stop_source or std::jthread) and call
// request_stop() from any thread; the probe notices within ~100 ms, closes its socket and
// returns ErrorKind::Cancelled.

#include "delivery/StartTlsProbe.h"
#include "Result.h"

#include <QString>

#include <chrono>
#include <stop_token>

namespace smtls {

// SERVER is validated with probeServerName() (InvalidInput), PORT with checkProbePort(). The
// four outcomes ("ok", "failed", "not offered", "no connection") are ProbeResults with
// where = "here"; an Error only for bad input or cancel.
Result<ProbeResult> probeFromHere(const QString &server, int port, std::chrono::milliseconds timeout,
                                  std::stop_token cancel = {});

} // namespace smtls
