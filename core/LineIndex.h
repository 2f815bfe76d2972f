#pragma once
// Where each line of a byte buffer starts. Lines end at '\n'; a '\r' right before it belongs
// to the terminator (CRLF files), a lone '\r' is ordinary content. The last line may lack a
// terminator. Offsets are 32-bit: files are capped far below 4 GiB (see TextFile), and a
// million-line access map then costs 4 MB of index instead of 24.

#include <QByteArray>
#include <QByteArrayView>

#include <cstdint>
#include <vector>

namespace smtls {

class LineIndex {
public:
    LineIndex() = default;
    explicit LineIndex(QByteArrayView bytes);

    int count() const { return int(m_starts.size()); }
    qsizetype start(int line) const { return m_starts[size_t(line)]; }
    // Offset just past the line's terminator (start of the next line, or end of buffer).
    qsizetype end(int line) const
    {
        return size_t(line) + 1 < m_starts.size() ? qsizetype(m_starts[size_t(line) + 1]) : m_size;
    }
    // Offset of the terminator ("\n" or "\r\n"), or end() when the line has none.
    qsizetype contentEnd(QByteArrayView bytes, int line) const;
    QByteArrayView content(QByteArrayView bytes, int line) const
    {
        return bytes.sliced(start(line), contentEnd(bytes, line) - start(line));
    }
    bool hasTerminator(QByteArrayView bytes, int line) const
    {
        return contentEnd(bytes, line) != end(line);
    }
    // 0-based line containing the byte at offset.
    int lineOf(qsizetype offset) const;

private:
    std::vector<std::uint32_t> m_starts;
    qsizetype m_size = 0;
};

// The terminator new lines should get in this file: the first line's, else "\n".
QByteArray preferredLineEnding(QByteArrayView bytes);

} // namespace smtls
