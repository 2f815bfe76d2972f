#include "TypographicQuotes.h"

namespace smtls {
namespace {

unsigned char byteAt(QByteArrayView bytes, qsizetype k) { return static_cast<unsigned char>(bytes[k]); }

// U+2018 and U+201C (E2 80 98, E2 80 9C) open; U+2019, U+201D and the acute accent close.
bool isOpening(QByteArrayView bytes, qsizetype offset)
{
    return byteAt(bytes, offset) == 0xE2 && (byteAt(bytes, offset + 2) == 0x98 || byteAt(bytes, offset + 2) == 0x9C);
}

} // namespace

int typographicQuoteLength(QByteArrayView bytes, qsizetype offset)
{
    if (offset + 2 < bytes.size() && byteAt(bytes, offset) == 0xE2 && byteAt(bytes, offset + 1) == 0x80) {
        const unsigned char last = byteAt(bytes, offset + 2);
        if (last == 0x98 || last == 0x99 || last == 0x9C || last == 0x9D)
            return 3;
    }
    if (offset + 1 < bytes.size() && byteAt(bytes, offset) == 0xC2 && byteAt(bytes, offset + 1) == 0xB4)
        return 2;
    return 0;
}

QByteArray withStraightQuotes(QByteArrayView text)
{
    QByteArray out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size();) {
        if (const int n = typographicQuoteLength(text, i)) {
            out.append(isOpening(text, i) ? '`' : '\'');
            i += n;
        } else {
            out.append(text[i++]);
        }
    }
    return out;
}

} // namespace smtls
