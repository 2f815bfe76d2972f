// Fuzzes what turns typed text and file keys into Try_TLS keys: parseDestination (what
// `set destination NAME` and the window accept), parseDestinationKey (keys read from a file),
// canonicalIPv6 and printableInput (error messages).
//
// Properties, on any bytes:
//  * an accepted destination's key is printable ASCII without blanks, quotes, '#' or shell
//    metacharacters (it is written into the access file and shown in commands);
//  * the key we would write reads back as the same destination (parseDestinationKey(key));
//  * canonicalIPv6 is stable: the canonical form of a canonical form is itself, and the
//    compressed form canonicalises to the same uncompressed form; the compressed form is what
//    glibc's inet_ntop writes (what sendmail puts in {server_addr}), except for the forms with
//    an embedded IPv4 address, which inet_ntop writes in dotted form;
//  * printableInput leaves no control or format character in a message.

#include "FuzzCheck.h"

#include "Destination.h"

#include <QList>

#include <arpa/inet.h>

#include <cstddef>
#include <cstdint>

using namespace smtls;
using smtls::fuzz::require;

namespace {

bool safeKeyByte(char c)
{
    static const QByteArrayView forbidden = "#'\"`;&|$<>(){}[]\\*?!~^%,=@/+";
    return c > 0x20 && c < 0x7f && !forbidden.contains(c);
}

void checkAccepted(const Destination &d, QByteArrayView input)
{
    if (d.isDefault()) {
        require(d.key.isEmpty(), "the default destination has an empty key");
        return;
    }
    require(!d.key.isEmpty(), "an accepted destination has a key", {{"input", input.toByteArray()}});
    for (char c : d.key)
        require(safeKeyByte(c), "an accepted key is printable ASCII without blanks, quotes or metacharacters",
                {{"input", input.toByteArray()}, {"key", d.key}});
    const Result<Destination> again = parseDestinationKey(d.key);
    require(again.ok(), "the key we write is accepted when read back from the file",
            {{"input", input.toByteArray()}, {"key", d.key}, {"error", fuzz::errorText(again)}});
    require(*again == d, "the key we write reads back as the same destination",
            {{"input", input.toByteArray()}, {"key", d.key}, {"read back", again->key}});
    if (d.kind == DestinationKind::IPv6)
        require(d.key.startsWith("IPv6:"), "an IPv6 key carries the IPv6: tag", {{"key", d.key}});
}

void checkCanonicalIPv6(QByteArrayView input)
{
    const QByteArray full = canonicalIPv6(input);
    const QByteArray compressed = canonicalIPv6(input, IPv6Form::Compressed);
    require(full.isEmpty() == compressed.isEmpty(), "both forms accept the same addresses",
            {{"input", input.toByteArray()}, {"full", full}, {"compressed", compressed}});
    if (full.isEmpty())
        return;
    require(canonicalIPv6(full) == full, "the uncompressed form is canonical", {{"full", full}, {"again", canonicalIPv6(full)}});
    require(canonicalIPv6(compressed) == full, "the compressed form canonicalises to the same address",
            {{"compressed", compressed}, {"full", full}});
    require(canonicalIPv6(compressed, IPv6Form::Compressed) == compressed, "the compressed form is canonical",
            {{"compressed", compressed}});
    require(canonicalIPv6(full, IPv6Form::Compressed) == compressed, "compressing the full form gives the compressed form",
            {{"full", full}, {"compressed", compressed}});

    in6_addr address{};
    const QByteArray bare = full.sliced(5);  // without "IPv6:"
    require(inet_pton(AF_INET6, bare.constData(), &address) == 1, "inet_pton reads our uncompressed form", {{"full", full}});
    char text[INET6_ADDRSTRLEN] = {};
    require(inet_ntop(AF_INET6, &address, text, sizeof text) != nullptr, "inet_ntop writes it back");
    const QByteArray glibc(text);
    if (!glibc.contains('.'))
        require("IPv6:" + glibc == compressed, "the compressed form is inet_ntop's",
                {{"input", input.toByteArray()}, {"ours", compressed}, {"inet_ntop", glibc}});
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const QString typed = QString::fromUtf8(bytes);
    if (const Result<Destination> d = parseDestination(typed))
        checkAccepted(*d, bytes);
    if (const Result<Destination> d = parseDestinationKey(bytes))
        checkAccepted(*d, bytes);
    checkCanonicalIPv6(bytes);

    const QString printable = printableInput(typed);
    // By code point, not by UTF-16 unit: a format character above U+FFFF (the tag characters
    // U+E0000…) is two surrogates, neither of which is a format character on its own.
    for (const char32_t c : printable.toUcs4()) {
        const QChar::Category category = QChar::category(c);
        require(category != QChar::Other_Control && category != QChar::Other_Format && c != 0x2028 && c != 0x2029,
                "printableInput leaves no control or format character",
                {{"input", bytes.toByteArray()}, {"shown", printable.toUtf8()}});
    }
    require(printable.size() <= 80 * 6 + 1, "printableInput is bounded");
    return 0;
}
