#include "LineIndex.h"

#include <algorithm>
#include <cstring>

namespace smtls {

LineIndex::LineIndex(QByteArrayView bytes) : m_size(bytes.size())
{
    if (bytes.isEmpty())
        return;
    const char *data = bytes.data();
    const char *end = data + bytes.size();
    // Counted first, so the index is allocated once at its size: grown by doubling, a
    // million-line index would cost up to twice its 4 MB at the peak.
    size_t lines = 1;
    for (const char *p = data; (p = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)))); ++p)
        ++lines;
    m_starts.reserve(lines);
    m_starts.push_back(0);
    // memchr is several times faster than a byte loop on large maps.
    for (const char *p = data; (p = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p))));) {
        ++p;
        if (p == end)
            break;
        m_starts.push_back(std::uint32_t(p - data));
    }
}

qsizetype LineIndex::contentEnd(QByteArrayView bytes, int line) const
{
    qsizetype e = end(line);
    if (e > start(line) && bytes[e - 1] == '\n') {
        --e;
        if (e > start(line) && bytes[e - 1] == '\r')
            --e;
    }
    return e;
}

int LineIndex::lineOf(qsizetype offset) const
{
    auto it = std::upper_bound(m_starts.begin(), m_starts.end(), std::uint32_t(offset));
    return int(it - m_starts.begin()) - 1;
}

QByteArray preferredLineEnding(QByteArrayView bytes)
{
    const qsizetype nl = bytes.indexOf('\n');
    if (nl > 0 && bytes[nl - 1] == '\r')
        return QByteArrayLiteral("\r\n");
    return QByteArrayLiteral("\n");
}

} // namespace smtls
