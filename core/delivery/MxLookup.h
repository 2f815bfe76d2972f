#pragma once
// Which servers this MTA would connect to for a recipient domain, as the MTA itself resolves
// them: sendmail's own routing (`/parse` in `sendmail -bt`: mailertable, smart host, local
// delivery), the mailertable key that decided (`/map mailertable`, tried as
// FEATURE(`mailertable') tries them: "a.b.c", ".b.c", ".c", "."), else its MX lookup (`/mx`:
// the resolver, order and fallback of the host's sendmail), then each server's addresses as the
// host resolves them (getent). The key of a Try_TLS or TLS_Clt_Features rule is one of these
// servers, never the recipient's domain — that is why the admin needs this answer.

#include "apply/HostProfile.h"
#include "delivery/StuckMail.h"
#include "transport/Transport.h"
#include "Result.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>

namespace smtls {

struct MxServer {
    QString name;           // "mx1.stuck.test" (lower case, no trailing dot); for a bracketed
                            // host ("smtp:[relay.example]", no MX lookup) the name inside
    // The DNS preference when the answer has them (MxAnswer::preferencesFromDns: `dig`, `host`
    // or `nslookup` was on the host, or QDnsLookup here); otherwise the position in the order
    // sendmail tries the servers, 1 = first (sendmail -bt does not print preferences; equal
    // preferences come in sendmail's own tie order). 0 when there is one server and no MX
    // record behind it (mailertable, smart host, a domain without MX).
    int preference = 0;
    QStringList addresses;  // as the host resolves the name (IPv4 and IPv6); empty: none found
                            // (MxAnswer::note says why, e.g. getent missing)
};

struct MxAnswer {
    QString domain;  // the domain looked up (lower-case ASCII)
    // "mailertable" (an entry of the mailertable decides), "mx" (MX records; also a domain that
    // does not exist: no servers), "a" (no MX record: the domain's own address), "smarthost"
    // (SMART_HOST takes all remote mail), "local" (the domain is this host's own: no server at
    // all), "error" (sendmail refuses the address itself, not through the mailertable)
    QString route;
    QList<MxServer> servers;  // in the order sendmail tries them; empty: nowhere (see note)
    QString note;    // for people: how the answer came about, what is missing, why it is empty
    // Mailertable only: the key that matched ("stuck.test", ".test", ".") and its value.
    QString mailertableKey;
    QString mailertableValue;
    QString mailer;  // the mailer sendmail chose ("esmtp", "smtp", "relay", "error", "local")
    bool preferencesFromDns = false;  // MxServer::preference is the DNS value, not the order
};

// The domain part of what the admin typed: "user@Stuck.Test" -> "stuck.test" (an address is
// accepted; *wasAddress tells the caller to say so), a bare domain as it is; IDN converted to
// ASCII, lower case, trailing dot dropped. ErrorKind::InvalidInput for anything that is not a
// host name (blanks, newlines, shell metacharacters, quotes, a leading '-', an address).
Result<QString> recipientDomain(const QString &typed, bool *wasAddress = nullptr);

// Asks the host's sendmail (profile.addressTestCommand(profile.cfPath), profile.sendmailWrapper
// honoured) and getent: two or three commands, each with a timeout. Blocking, for a worker
// thread, cancelled through Transport::cancel(). DOMAIN (or an address) goes through
// recipientDomain() first. An Error means the host could not be asked (connection, sendmail -bt
// failed) or its DNS did not answer (ErrorKind::Connection: sendmail would queue the mail and
// try again); a domain that does not exist is an answer with no servers and a note.
Result<MxAnswer> lookupMxOnHost(Transport &transport, const HostProfile &profile, const QString &domain);

// lookupMxOnHost as readStuckMail asks it, for the messages the log has lost: the servers' names,
// best first. `asking` (optional) hears each domain before it is asked (a progress line). The
// transport and profile must outlive the resolver (it is used within one read, on one worker).
MxResolver mxResolverOnHost(Transport &transport, const HostProfile &profile,
                            std::function<void(const QString &domain)> asking = {});

// The readers of sendmail's and getent's output behind lookupMxOnHost, for the tests.
namespace mxparse {

// The mailertable keys FEATURE(`mailertable') tries for DOMAIN, in its order.
QStringList mailertableKeys(const QString &domain);

// What `sendmail -bt` was asked, in one process: the mailertable keys, the smart host ($S),
// the route (/parse), the MX list (/mx, with -d8.1 so that a failed MX query says why).
QByteArray routeQuestions(const QString &domain, const QStringList &keys);
QByteArray mxQuestions(const QString &name);

// `/map mailertable KEY` answers: the value per key, std::nullopt for "no match". mapPresent
// false when sendmail has no such map ("Map named "mailertable" not found": no
// FEATURE(`mailertable'), or its file is missing: "not open").
struct MapAnswers {
    bool mapPresent = true;
    QMap<QString, std::optional<QString>> values;  // key -> value
};
MapAnswers parseMapAnswers(const QByteArray &btOutput);

// The smart host ($S) after our marker line; empty when none.
QString parseSmartHost(const QByteArray &btOutput);

// `/parse ADDRESS`: "mailer esmtp, host stuck.test., user x@stuck.test".
struct SendmailRoute {
    bool found = false;
    QString mailer;   // "esmtp", "*error*", "local"
    QString host;     // as printed: "stuck.test." / "[relay.example]" / "5.7.1" for error
    QString user;
    QString message;  // a line sendmail printed about the address ("Transient parse error …")
};
SendmailRoute parseRoute(const QByteArray &btOutput);

// `/mx NAME` after -d8.1: "getmxrr(NAME) returns N value(s):" then one tab-indented name per
// line; before it, when the MX query failed, "getmxrr: res_search(NAME) failed, h_errno=H".
struct MxLines {
    bool found = false;     // the output had getmxrr's answer for NAME
    int count = 0;          // what getmxrr returned (-1: temporary failure)
    QStringList hosts;      // trailing dot removed, lower case
    int resolverError = 0;  // h_errno of a failed MX query (4 no MX, 1 no such domain, 2 try
                            // again); 0 when the query succeeded or was not made
};
MxLines parseMxLines(const QByteArray &btOutput, const QString &name);

// The output of the host-side script that finds preferences and addresses (see
// hostAddressesScript in MxLookup.cpp): "prefs TOOL" + the tool's output, then per name
// "name N" + `getent ahosts`/`getent hosts` lines; "getent missing" when there is none.
struct HostAnswers {
    QString preferenceTool;                  // "dig" | "host" | "nslookup" | "" (none)
    QList<std::pair<QString, int>> preferences;  // name -> DNS preference
    QMap<QString, QStringList> addresses;    // name -> addresses, in getent's order
    bool getentMissing = false;
};
HostAnswers parseHostAnswers(const QByteArray &output);

// "dig +short MX", "host -t MX", "nslookup -type=mx" lines -> (name, preference).
QList<std::pair<QString, int>> parseMxPreferences(const QByteArray &output);
// `getent ahosts NAME` or `getent hosts NAME` lines -> distinct addresses in their order.
QStringList parseGetentAddresses(const QByteArray &output);

} // namespace mxparse

} // namespace smtls
