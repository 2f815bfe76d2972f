#pragma once
// What a host's sendmail can do, by its version ("8.17.1.9", read on connect by
// apply/HostInspector). Falling back to clear text after a failed TLS handshake
// (TLSFallbacktoClear, the C flag of TLS_Clt_Features) exists since 8.16: an older sendmail
// reads the option as unknown and fails the TLS setup of a session whose Flags it cannot read.

#include "Result.h"

#include <QList>
#include <QString>

namespace smtls {

// "8.17.1.9" -> {8, 17, 1, 9}; empty when it does not start with a number.
QList<int> sendmailVersionParts(const QString &version);

// -1, 0 or 1; missing parts count as 0 ("8.16" == "8.16.0").
int compareSendmailVersions(const QString &a, const QString &b);

// Whether this version knows TLSFallbacktoClear and Flags=C (8.16 and later). An unknown
// version (empty) is given the benefit of the doubt: validation then asks the binary itself.
bool supportsTlsFallback(const QString &version);

// A refusal for `fallback` on this version (ErrorKind::InvalidConfig), or nothing.
Status requireTlsFallback(const QString &version, const QString &hostName = {});

} // namespace smtls
