#include "ProbeVerdict.h"
#include <QCoreApplication>

namespace smtls::gui {

namespace {

using State = ProbeSide::State;

QString exceptionHelps()
{
    return QCoreApplication::translate("ProbeVerdict", "An exception for this server (fallback to clear text, or TLS off) lets the "
                                                       "mail through until it is fixed.");
}

// This computer's view alone, as the end of a sentence.
QString hereAlone(const ProbeSide &here)
{
    if (here.is(handshake::Ok))
        return QCoreApplication::translate("ProbeVerdict", "from this computer the handshake works.");
    if (here.is(handshake::Failed))
        return QCoreApplication::translate("ProbeVerdict", "from this computer the handshake fails, so the server's TLS is likely broken for everyone.");
    if (here.is(handshake::NotOffered))
        return QCoreApplication::translate("ProbeVerdict", "this computer is not offered STARTTLS.");
    if (here.is(handshake::NoConnection))
        return QCoreApplication::translate("ProbeVerdict", "this computer cannot connect to the server either.");
    return QCoreApplication::translate("ProbeVerdict", "this computer has no answer either.");
}

QString hostOk(const ProbeSide &here, const QString &host)
{
    if (here.is(handshake::Ok))
        return QCoreApplication::translate("ProbeVerdict", "Both handshakes work: %1 can deliver to this server over TLS now. Mail still waiting in the "
                              "queue goes at its next queue run (or retry it).").arg(host);
    if (here.is(handshake::Failed))
        return QCoreApplication::translate("ProbeVerdict", "The host's handshake works but this computer's fails: sendmail on %1 is not affected; the "
                              "difference is on this computer's side (its TLS library or its network path).").arg(host);
    if (here.is(handshake::NotOffered))
        return QCoreApplication::translate("ProbeVerdict", "The host's handshake works; this computer is not offered STARTTLS (something on its network "
                              "path removes it), which does not matter for %1's mail.").arg(host);
    if (here.is(handshake::NoConnection))
        return QCoreApplication::translate("ProbeVerdict", "The host's handshake works; this computer cannot reach the server, which does not matter "
                              "for %1's mail.").arg(host);
    return QCoreApplication::translate("ProbeVerdict", "The host's handshake works: sendmail on %1 can deliver to this server over TLS.").arg(host);
}

QString hostFailed(const ProbeSide &here, const QString &host)
{
    if (here.is(handshake::Ok))
        return QCoreApplication::translate("ProbeVerdict", "The host's handshake fails but this computer's works: the problem is on the host's side "
                              "(its OpenSSL or its network path). ") + exceptionHelps();
    if (here.is(handshake::Failed))
        return QCoreApplication::translate("ProbeVerdict", "Both handshakes fail: the server's TLS is broken, not %1's. ").arg(host) + exceptionHelps();
    if (here.is(handshake::NotOffered) || here.is(handshake::NoConnection))
        return QCoreApplication::translate("ProbeVerdict", "The host's handshake fails; this computer cannot compare (%1). ")
                   .arg(here.is(handshake::NoConnection) ? QCoreApplication::translate("ProbeVerdict", "no connection") : QCoreApplication::translate("ProbeVerdict", "STARTTLS not offered to it"))
            + exceptionHelps();
    return QCoreApplication::translate("ProbeVerdict", "The host's handshake fails: sendmail on %1 defers the mail for this server (\"TLS handshake "
                          "failed\"). ").arg(host) + exceptionHelps();
}

QString hostNotOffered(const ProbeSide &here, const QString &host)
{
    QString text = QCoreApplication::translate("ProbeVerdict", "The server does not offer STARTTLS to %1: sendmail delivers in clear text there, so no "
                                  "TLS setting changes anything for this server.").arg(host);
    if (here.answered() && here.result.starttlsOffered)
        text += QCoreApplication::translate("ProbeVerdict", " It does offer it to this computer: something on the host's network path removes it "
                               "(a firewall that inspects SMTP?).");
    return text;
}

QString hostNoConnection(const ProbeSide &host, const ProbeSide &here, const QString &hostName)
{
    const QString why = host.result.error.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(host.result.error);
    QString text = QCoreApplication::translate("ProbeVerdict", "%1 cannot connect to the server%2: this is not a TLS problem and no TLS exception "
                                  "helps; the mail waits until the server can be reached.").arg(hostName, why);
    if (here.connected())
        text += QCoreApplication::translate("ProbeVerdict", " This computer can reach it: look at the host's network path (firewall, routing, DNS).");
    return text;
}

} // namespace

QString interpretProbes(const ProbeSide &host, const ProbeSide &here, const QString &hostName)
{
    if (host.state == State::Cancelled || here.state == State::Cancelled)
        return QCoreApplication::translate("ProbeVerdict", "Cancelled: probe again to compare.");
    if (host.state == State::Running && here.state == State::Running)
        return {};
    if (host.state == State::Running)
        return QCoreApplication::translate("ProbeVerdict", "Waiting for %1's answer; %2").arg(hostName, hereAlone(here));
    if (host.state == State::CouldNotRun || host.state == State::NotStarted) {
        if (here.state == State::Running || here.state == State::NotStarted)
            return QCoreApplication::translate("ProbeVerdict", "The probe could not run on %1 (see its column); waiting for this computer's answer.").arg(hostName);
        return QCoreApplication::translate("ProbeVerdict", "The probe could not run on %1 (see its column); %2").arg(hostName, hereAlone(here));
    }
    if (host.is(handshake::Ok))
        return hostOk(here, hostName);
    if (host.is(handshake::Failed))
        return hostFailed(here, hostName);
    if (host.is(handshake::NotOffered))
        return hostNotOffered(here, hostName);
    return hostNoConnection(host, here, hostName);
}

} // namespace smtls::gui
