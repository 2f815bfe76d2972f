#pragma once
// What the harnesses share: a property check that says which property broke, with the bytes
// involved, before it traps. libFuzzer then keeps the input as a crash artifact like any
// sanitizer report; without the message a trap would only show a line number.

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <cstdio>
#include <initializer_list>
#include <utility>

namespace smtls::fuzz {

// C-style escaping so that CR, NUL and non-UTF-8 bytes are visible in the report; long values
// are cut (the artifact has the full input).
inline QByteArray shown(QByteArrayView bytes, qsizetype max = 600)
{
    QByteArray out;
    for (qsizetype i = 0; i < bytes.size() && i < max; ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else if (c == '\t')
            out += "\\t";
        else if (c == '\\')
            out += "\\\\";
        else if (c < 0x20 || c >= 0x7f)
            out += "\\x" + QByteArray::number(c, 16).rightJustified(2, '0');
        else
            out += char(c);
    }
    if (bytes.size() > max)
        out += "... (" + QByteArray::number(bytes.size()) + " bytes)";
    return out;
}

using Shown = std::pair<const char *, QByteArray>;

[[noreturn]] inline void fail(const char *property, std::initializer_list<Shown> values = {})
{
    std::fprintf(stderr, "PROPERTY FAILED: %s\n", property);
    for (const Shown &v : values)
        std::fprintf(stderr, "  %s: \"%s\"\n", v.first, shown(v.second).constData());
    std::fflush(stderr);
    __builtin_trap();
}

inline void require(bool holds, const char *property, std::initializer_list<Shown> values = {})
{
    if (!holds)
        fail(property, values);
}

// The error of a failed Result, for a report ("" when it succeeded).
template <typename R>
QByteArray errorText(const R &result)
{
    return result ? QByteArray() : result.error().describe().toUtf8();
}

} // namespace smtls::fuzz
