#include "net/ProbeFromHere.h"

#include "net/BlockingWait.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QHostInfo>
#include <QSslCipher>
#include <QSslSocket>

namespace smtls {
namespace {

using net::EventWait;
using net::WaitEnd;

constexpr qsizetype MaxReplyBytes = 64 * 1024;  // an SMTP reply longer than this is not one

Error cancelled()
{
    return makeError(ErrorKind::Cancelled, QStringLiteral("the probe was cancelled"));
}

QString protocolName(QSsl::SslProtocol p)
{
    switch (p) {
    case QSsl::TlsV1_3: return QStringLiteral("TLSv1.3");
    case QSsl::TlsV1_2: return QStringLiteral("TLSv1.2");
QT_WARNING_PUSH
QT_WARNING_DISABLE_DEPRECATED
    case QSsl::TlsV1_1: return QStringLiteral("TLSv1.1");
    case QSsl::TlsV1_0: return QStringLiteral("TLSv1");
QT_WARNING_POP
    default: return {};
    }
}

// "CN=mx1.stuck.test, O=Stuck Test, C=DE": the most specific first, as OpenSSL's RFC 2253
// form (what the probe from the host shows) writes a usual certificate.
QString distinguishedName(const QSslCertificate &c, bool issuer)
{
    static const QList<QByteArray> order{"CN", "OU", "O", "L", "ST", "C", "emailAddress"};
    QList<QByteArray> attributes = issuer ? c.issuerInfoAttributes() : c.subjectInfoAttributes();
    std::stable_sort(attributes.begin(), attributes.end(), [](const QByteArray &a, const QByteArray &b) {
        const auto rank = [](const QByteArray &x) { const qsizetype i = order.indexOf(x); return i < 0 ? order.size() : i; };
        return rank(a) < rank(b);
    });
    QStringList parts;
    for (const QByteArray &a : attributes)
        for (const QString &value : issuer ? c.issuerInfo(a) : c.subjectInfo(a))
            parts << QString::fromLatin1(a) + QLatin1Char('=') + value;
    return parts.join(QStringLiteral(", "));
}

// Qt says "Error during SSL handshake: error:0A00010B:SSL routines::wrong version number";
// the admin needs "wrong version number", as the probe from the host says it.
QString tlsReason(const QString &qtError)
{
    const qsizetype e = qtError.indexOf(QLatin1String("error:"));
    if (e < 0)
        return qtError;
    const qsizetype last = qtError.lastIndexOf(QLatin1Char(':'));
    const QString reason = qtError.mid(last + 1).trimmed();
    return reason.isEmpty() ? qtError : reason;
}

struct Reply {
    int code = 0;
    QStringList lines;  // text after "NNN-" / "NNN "
    QString first() const { return lines.isEmpty() ? QString() : QString::number(code) + QLatin1Char(' ') + lines.first(); }
};

enum class Step { Done, TimedOut, Cancelled, Failed };

class Conversation {
public:
    Conversation(QSslSocket &socket, const QDeadlineTimer &deadline, const std::stop_token &cancel)
        : m_socket(socket), m_deadline(deadline), m_cancel(cancel)
    {
    }

    // Repeats a blocking wait in slices of at most 100 ms until it succeeds, the socket fails,
    // the deadline passes or the caller cancels.
    template <typename Wait>
    Step wait(Wait waitFor)
    {
        for (;;) {
            if (m_cancel.stop_requested())
                return Step::Cancelled;
            const int slice = net::nextSliceMs(m_deadline);
            if (slice == 0)
                return Step::TimedOut;
            if (waitFor(slice))
                return Step::Done;
            if (m_socket.error() != QAbstractSocket::SocketTimeoutError)
                return Step::Failed;
        }
    }

    // One SMTP reply, multi-line included ("250-…" until "250 …").
    Step readReply(Reply &reply)
    {
        reply = {};
        for (;;) {
            while (m_socket.canReadLine()) {
                const QByteArray line = m_socket.readLine(MaxReplyBytes).trimmed();
                if (line.size() < 3)
                    continue;
                reply.code = line.left(3).toInt();
                reply.lines << QString::fromUtf8(line.mid(4));
                if (line.size() == 3 || line.at(3) == ' ')
                    return Step::Done;
            }
            if (m_socket.bytesAvailable() > MaxReplyBytes) {
                m_notSmtp = true;
                return Step::Failed;
            }
            const Step s = wait([this](int ms) { return m_socket.waitForReadyRead(ms); });
            if (s != Step::Done)
                return s;
        }
    }

    // Why the conversation failed, in words.
    QString failure() const
    {
        return m_notSmtp ? QStringLiteral("the server sent something that is not an SMTP reply") : m_socket.errorString();
    }

    Step send(const QByteArray &command)
    {
        m_socket.write(command + "\r\n");
        return wait([this](int ms) { return m_socket.bytesToWrite() == 0 || m_socket.waitForBytesWritten(ms); });
    }

private:
    QSslSocket &m_socket;
    const QDeadlineTimer &m_deadline;
    const std::stop_token &m_cancel;
    bool m_notSmtp = false;
};

} // namespace

Result<ProbeResult> probeFromHere(const QString &typed, int port, std::chrono::milliseconds timeout, std::stop_token cancel)
{
    const Result<QString> server = probeServerName(typed);
    if (!server)
        return server.error();
    if (Status s = checkProbePort(port))
        return *s;
    QElapsedTimer clock;
    clock.start();
    const QDeadlineTimer deadline(timeout);
    const QString seconds = QString::number(double(timeout.count()) / 1000.0);
    ProbeResult r;
    r.server = *server;
    r.port = port;
    r.where = QStringLiteral("here");
    const auto finish = [&r, &clock](const QString &handshake, const QString &error) {
        r.handshake = handshake;
        r.error = error;
        r.milliseconds = clock.elapsed();
        return r;
    };

    // The address first, through this computer's resolver (files, DNS: as its programs see it).
    QHostAddress address;
    const bool isName = !address.setAddress(*server);
    if (isName) {
        EventWait wait;
        std::optional<QHostInfo> info;
        QObject context;
        const int id = QHostInfo::lookupHost(*server, &context, [&](const QHostInfo &i) {
            info = i;
            wait.wake();
        });
        const WaitEnd end = wait.until([&info] { return info.has_value(); }, deadline, cancel);
        if (end != WaitEnd::Done)
            QHostInfo::abortHostLookup(id);
        if (end == WaitEnd::Cancelled)
            return cancelled();
        if (end == WaitEnd::TimedOut)
            return finish(handshake::NoConnection, QStringLiteral("no address for %1 within %2 s").arg(*server, seconds));
        if (info->error() != QHostInfo::NoError || info->addresses().isEmpty())
            return finish(handshake::NoConnection, QStringLiteral("%1 has no address here (%2)").arg(*server, info->errorString()));
        address = info->addresses().first();
    }
    r.address = address.toString();

    QSslSocket socket;
    Conversation talk(socket, deadline, cancel);
    const auto lost = [&](Step s, const QString &waitingFor, const QString &handshakeIfLost) -> Result<ProbeResult> {
        if (s == Step::Cancelled)
            return cancelled();
        if (s == Step::TimedOut)
            return finish(handshakeIfLost, QStringLiteral("%1 within %2 s").arg(waitingFor, seconds));
        return finish(handshakeIfLost, talk.failure());
    };
    socket.connectToHost(address, quint16(port));
    if (Step s = talk.wait([&socket](int ms) { return socket.waitForConnected(ms); }); s != Step::Done)
        return lost(s, QStringLiteral("no connection"), handshake::NoConnection);
    Reply reply;
    if (Step s = talk.readReply(reply); s != Step::Done)
        return lost(s, QStringLiteral("no SMTP greeting (the server accepted the connection and said nothing)"), handshake::NoConnection);
    r.banner = reply.first();
    if (reply.code != 220)
        return finish(handshake::NoConnection, QStringLiteral("the server does not take mail: %1").arg(r.banner));

    // EHLO with our address literal: always well-formed, whatever this computer is called.
    const QHostAddress local = socket.localAddress();
    const QByteArray ehlo = "EHLO ["
        + (local.protocol() == QAbstractSocket::IPv6Protocol ? "IPv6:" + local.toString().toLatin1() : local.toString().toLatin1()) + "]";
    if (Step s = talk.send(ehlo); s != Step::Done)
        return lost(s, QStringLiteral("EHLO could not be sent"), handshake::NoConnection);
    if (Step s = talk.readReply(reply); s != Step::Done)
        return lost(s, QStringLiteral("no answer to EHLO"), handshake::NoConnection);
    for (const QString &line : reply.lines.mid(1))
        if (line.section(QLatin1Char(' '), 0, 0).compare(QLatin1String("STARTTLS"), Qt::CaseInsensitive) == 0)
            r.starttlsOffered = true;
    if (reply.code != 250 || !r.starttlsOffered) {
        talk.send("QUIT");
        return finish(handshake::NotOffered, reply.code != 250 ? QStringLiteral("the server refuses EHLO: %1").arg(reply.first())
                                                               : QStringLiteral("the server's EHLO answer does not offer STARTTLS"));
    }
    if (Step s = talk.send("STARTTLS"); s != Step::Done)
        return lost(s, QStringLiteral("STARTTLS could not be sent"), handshake::Failed);
    if (Step s = talk.readReply(reply); s != Step::Done)
        return lost(s, QStringLiteral("no answer to STARTTLS"), handshake::Failed);
    if (reply.code != 220)
        return finish(handshake::Failed, QStringLiteral("the server answers STARTTLS with %1").arg(reply.first()));

    // Opportunistic TLS, as sendmail does it: certificate errors are noted, not fatal.
    QList<QSslError> certificateErrors;
    QObject::connect(&socket, &QSslSocket::sslErrors, &socket, [&](const QList<QSslError> &errors) {
        certificateErrors = errors;
        socket.ignoreSslErrors();
    });
    if (isName)
        socket.setPeerVerifyName(*server);
    socket.startClientEncryption();
    const Step tls = talk.wait([&socket](int ms) { return socket.waitForEncrypted(ms); });
    if (tls == Step::Cancelled)
        return cancelled();
    if (!socket.peerCertificate().isNull()) {
        const QSslCertificate c = socket.peerCertificate();
        CertificateInfo info;
        info.subject = distinguishedName(c, false);
        info.issuer = distinguishedName(c, true);
        info.notAfter = c.expiryDate().toUTC();
        info.verified = certificateErrors.isEmpty();
        QStringList why;
        for (const QSslError &e : certificateErrors)
            why << e.errorString();
        info.verifyError = why.join(QStringLiteral("; "));
        r.certificate = info;
    }
    if (tls == Step::TimedOut)
        return finish(handshake::Failed, QStringLiteral("the TLS handshake did not finish within %1 s").arg(seconds));
    if (tls == Step::Failed)
        return finish(handshake::Failed, tlsReason(socket.errorString()));
    r.protocol = protocolName(socket.sessionProtocol());
    r.cipher = socket.sessionCipher().name();
    talk.send("QUIT");
    socket.disconnectFromHost();
    return finish(handshake::Ok, {});
}

} // namespace smtls
