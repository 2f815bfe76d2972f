#pragma once
// A destination of a Try_TLS rule: the part after "Try_TLS:" in the access map. It names the
// *server* sendmail connects to (MX host or relay), by host name, parent domain, IPv4/IPv6
// address or address prefix, or nothing at all for the default key "Try_TLS:".

#include "Result.h"

#include <QByteArray>
#include <QString>

namespace smtls {

enum class DestinationKind { Default, HostName, IPv4, IPv6 };

struct Destination {
    DestinationKind kind = DestinationKind::Default;
    // Normalised key text after the tag: lower-case ASCII host names (IDN converted), IPv4
    // dotted (prefix) form, "IPv6:" + the address as sendmail writes {server_addr}
    // (uncompressed; see IPv6Form) or an IPv6 prefix.
    QByteArray key;

    bool isDefault() const { return kind == DestinationKind::Default; }
    bool isAddress() const { return kind == DestinationKind::IPv4 || kind == DestinationKind::IPv6; }
    QString display() const
    {
        return isDefault() ? QStringLiteral("(default for all servers)") : QString::fromLatin1(key);
    }
    friend bool operator==(const Destination &, const Destination &) = default;
};

// Validates what an administrator typed and returns the key sendmail would look up.
// Never accepts whitespace, control characters, quotes, '#', shell metacharacters, or over-long
// names; the error sentence says which rule was broken.
Result<Destination> parseDestination(const QString &input);

// Like parseDestination but for a key already present in a file (no IDN conversion; case
// folded). Returns an error when the key could never match a server.
Result<Destination> parseDestinationKey(QByteArrayView keyAfterTag);

// User input made safe to show in a one-line message (control characters escaped, cut).
QString printableInput(const QString &input);

// How sendmail writes an IPv6 {server_addr}. Since 8.15 (built with IPV6_FULL, as Debian's
// is) it is uncompressed: "IPv6:2001:db8:0:0:0:0:0:25", no "::", no leading zeros; the option
// UseCompressedIPv6Addresses (confUSE_COMPRESSED_IPV6_ADDRESSES) brings back "IPv6:2001:db8::25".
// A Try_TLS key must be written the same way to ever match.
enum class IPv6Form { Uncompressed, Compressed };

// Normalises an IPv6 address (with or without the "IPv6:" prefix) to the text sendmail uses
// in {server_addr}; empty when not a complete IPv6 address.
QByteArray canonicalIPv6(QByteArrayView text, IPv6Form form = IPv6Form::Uncompressed);

// A server's address as `explain` takes it (the CLI's --addr, the Explain box's address field):
// sendmail's {server_addr} is always a complete address, so a complete IPv4 address or an IPv6
// address in sendmail's form (canonicalIPv6); ErrorKind::InvalidInput for anything else.
Result<QByteArray> parseServerAddress(const QString &text);

} // namespace smtls
