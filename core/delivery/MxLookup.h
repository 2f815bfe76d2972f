#pragma once
// Which servers this MTA would connect to for a recipient domain, as the MTA itself resolves
// them: sendmail's own mailertable first (asked through `sendmail -bt`, parent-domain keys as
// FEATURE(`mailertable') looks them up), else its MX lookup (`/mx` in -bt: the resolver, order
// and fallback of the host's sendmail), then each server's addresses as the host resolves them
// (getent). The key of a Try_TLS or TLS_Clt_Features rule is one of these servers, never the
// recipient's domain — that is why the admin needs this answer.

#include "apply/HostProfile.h"
#include "transport/Transport.h"
#include "Result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace smtls {

struct MxServer {
    QString name;           // "mx1.stuck.test" (lower case, no trailing dot); for a bracketed
                            // mailertable host "[192.0.2.7]" or "[relay.example]", the inside
    // The DNS preference when the answer has them (MxAnswer::preferencesFromDns); otherwise the
    // position in the order sendmail tries the servers, 1 = first (sendmail -bt does not print
    // preferences; equal preferences are in sendmail's own tie order). 0 for a mailertable route
    // or a domain without MX (one server, no preference).
    int preference = 0;
    QStringList addresses;  // as the host resolves the name (IPv4 and IPv6); empty: none found
                            // (MxAnswer::note says why, e.g. getent missing)
};

struct MxAnswer {
    QString domain;  // the domain looked up (lower-case ASCII)
    QString route;   // "mailertable" | "mx" | "a" (no MX record: the domain's own address)
    QList<MxServer> servers;  // in the order sendmail tries them; empty: nowhere (see note)
    QString note;    // for people: how the answer came about, what is missing, why it is empty
    // Mailertable only: the key that matched ("stuck.test", ".test", ".") and its mailer
    // ("esmtp", "smtp", "relay", "error", "local", …).
    QString mailertableKey;
    QString mailer;
    bool preferencesFromDns = false;  // MxServer::preference is the DNS value, not the order
};

// The domain part of what the admin typed: "user@Stuck.Test" -> "stuck.test" (an address is
// accepted; *wasAddress tells the caller to say so), a bare domain as it is; IDN converted to
// ASCII, lower case, trailing dot dropped. ErrorKind::InvalidInput for anything that is not a
// host name (blanks, newlines, shell metacharacters, quotes, a leading '-', an address literal).
Result<QString> recipientDomain(const QString &typed, bool *wasAddress = nullptr);

// Asks the host's sendmail (profile.addressTestCommand(profile.cfPath), profile.sendmailWrapper
// honoured) and getent. Blocking, bounded (each command has a timeout); for a worker thread,
// cancelled through Transport::cancel(). DOMAIN is validated with recipientDomain() first. An
// Error means the host could not be asked (connection, sendmail -bt failed, DNS unreachable
// from the host = a temporary failure); a domain that does not exist is an answer with no
// servers and a note.
Result<MxAnswer> lookupMxOnHost(Transport &transport, const HostProfile &profile, const QString &domain);

// The parts of lookupMxOnHost that read sendmail's and getent's output, for the tests.
namespace mxparse {
// The mailertable keys FEATURE(`mailertable') tries for DOMAIN, in its order:
// "a.b.c", ".b.c", ".c", ".".
QStringList mailertableKeys(const QString &domain);
// The answer lines of `/map mailertable KEY` in -bt output, one per key in order: the value,
// or an empty QString for "no match". std::nullopt when the map is not there ("Map named
// "mailertable" not found": no FEATURE(`mailertable')).
struct MapAnswers {
    bool mapPresent = true;
    QList<std::optional<QString>> values;
    QString error;  // empty when every key got its answer
};
MapAnswers parseMapAnswers(const QByteArray &btOutput, qsizetype keyCount);
// A mailertable value "esmtp:[mx.example]" for the KEY that matched DOMAIN -> the route
// (route "mailertable", mailer, servers with the host, '%1' replaced as sendmail does; a value
// without host means the recipient's domain, error:/local: mean no server).
MxAnswer mailertableRoute(const QString &domain, const QString &key, const QString &value);
// `-d8.1` + `/mx DOMAIN` output -> hosts in sendmail's order ("getmxrr(d) returns N value(s):"
// then one tab-indented name per line), the resolver's h_errno when the MX query failed
// (4 = no MX record, 1 = no such domain, 2 = try again), -1 for "returns -1" (temporary).
struct MxAnswerLines {
    int count = 0;          // what getmxrr returned (-1: temporary failure)
    QStringList hosts;      // trailing dot removed, lower case
    int resolverError = 0;  // h_errno of a failed MX query, 0 when it succeeded
    QString error;          // empty when the output had the answer
};
MxAnswerLines parseMxLines(const QByteArray &btOutput);
// "dig +short MX" / "host -t MX" lines -> name -> preference (lower case, no trailing dot).
QList<std::pair<QString, int>> parseMxPreferences(const QByteArray &output);
// `getent ahosts NAME` (or `getent hosts`) -> distinct addresses in their order.
QStringList parseGetentAddresses(const QByteArray &output);
} // namespace mxparse

} // namespace smtls
