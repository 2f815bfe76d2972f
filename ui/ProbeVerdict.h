#pragma once
// What a pair of STARTTLS probes of one server means for the admin: the mail host's view (its
// network, its OpenSSL: what sendmail meets) beside this computer's. One sentence that says
// on whose side the problem is and whether a TLS exception would help, so that the two columns
// need not be compared by eye.

#include "delivery/StartTlsProbe.h"

#include <QString>

namespace smtls::gui {

// One side of the pair as the probe dialog has it.
struct ProbeSide {
    enum class State {
        NotStarted,
        Running,
        Answered,     // `result` holds one of the four outcomes
        CouldNotRun,  // `error` says why: no openssl on the host, the host unreachable, bad input
        Cancelled,
    };
    State state = State::NotStarted;
    ProbeResult result;
    QString error;

    bool answered() const { return state == State::Answered; }
    bool is(const QString &handshakeOutcome) const { return answered() && result.handshake == handshakeOutcome; }
    // The server answered this side at all (it was offered STARTTLS or not): a TCP connection.
    bool connected() const { return answered() && result.handshake != handshake::NoConnection; }
};

// The sentence under the two columns; empty while neither side has an answer. HOST is the mail
// host's name as the window shows it.
QString interpretProbes(const ProbeSide &host, const ProbeSide &here, const QString &hostName);

} // namespace smtls::gui
