#pragma once
// The keys sendmail's ruleset try_tls looks up, in order (cf/m4/proto.m4, rulesets D and A):
// the server's host name and each parent domain, then its address and each shorter prefix,
// then the bare "Try_TLS:". Kept apart from Policy so it can be compared with `sendmail -bt`
// on its own.

#include <QByteArray>
#include <QList>

namespace smtls {

// "mx.example.com" -> mx.example.com, example.com, com. "[192.0.2.9]" -> [192.0.2.9],
// [192.0.2], [192.0], [192]. An empty name gives the bare key "" (so with no server name the
// default rule is found before any address rule, as sendmail does).
QList<QByteArray> nameLookupKeys(const QByteArray &serverName);

// "192.0.2.9" -> 192.0.2.9, 192.0.2, 192.0, 192. "IPv6:2001:db8::25" -> IPv6:2001:db8::25,
// IPv6:2001:db8, IPv6:2001, IPv6 (sendmail cuts at "::" first, then at single colons).
QList<QByteArray> addressLookupKeys(const QByteArray &serverAddress);

} // namespace smtls
