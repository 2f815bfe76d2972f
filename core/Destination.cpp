#include "Destination.h"

#include <QUrl>

#include <algorithm>
#include <array>

namespace smtls {

// The input as it can be shown in one line of an error message: control characters and line
// breaks escaped, long input cut.
QString printableInput(const QString &input)
{
    QString out;
    // By code point: a format character above U+FFFF (the invisible tag characters U+E0000…)
    // is two surrogates, neither of which is a format character on its own.
    for (const char32_t c : input.left(80).toUcs4()) {
        const QChar::Category category = QChar::category(c);
        if (category == QChar::Other_Control || category == QChar::Other_Format || c == 0x2028 || c == 0x2029)
            out += QStringLiteral("\\u%1").arg(QString::number(c, 16).rightJustified(4, QLatin1Char('0')));
        else
            out += QStringView(QChar::fromUcs4(c));
    }
    return input.size() > 80 ? out + QStringLiteral("…") : out;
}

namespace {

constexpr int MaxHostNameLength = 253;
constexpr int MaxLabelLength = 63;

QString describeChar(QChar c)
{
    if (c == QLatin1Char(' '))
        return QStringLiteral("a space");
    if (c == QLatin1Char('\t'))
        return QStringLiteral("a tab");
    if (c == QLatin1Char('\n') || c == QLatin1Char('\r'))
        return QStringLiteral("a line break");
    if (c.isSpace())
        return QStringLiteral("a whitespace character");
    if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format)
        return QStringLiteral("a control character (U+%1)")
            .arg(QString::number(c.unicode(), 16).toUpper().rightJustified(4, QLatin1Char('0')));
    return QStringLiteral("'%1'").arg(c);
}

// Characters that are never part of a host name or address key. ':' is checked separately
// because IPv6 keys contain it.
bool isForbidden(QChar c)
{
    static const QString forbidden = QStringLiteral("#'\"`;&|$<>(){}[]\\*?!~^%,=@/+");
    return c.isSpace() || c.category() == QChar::Other_Control
        || c.category() == QChar::Other_Format || forbidden.contains(c)
        || c == QChar(0x2018) || c == QChar(0x2019) || c == QChar(0x201C) || c == QChar(0x201D);
}

bool allDigits(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    for (char c : s)
        if (c < '0' || c > '9')
            return false;
    return true;
}

bool isHex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// 1 to 4 dot-separated decimal octets: an address or a prefix of one.
bool isIPv4Prefix(QByteArrayView s)
{
    int count = 0;
    qsizetype pos = 0;
    while (true) {
        qsizetype dot = s.indexOf('.', pos);
        QByteArrayView part = s.sliced(pos, (dot < 0 ? s.size() : dot) - pos);
        if (!allDigits(part) || part.size() > 3 || part.toInt() > 255)
            return false;
        ++count;
        if (dot < 0)
            break;
        pos = dot + 1;
    }
    return count >= 1 && count <= 4;
}

// The dot-separated labels, as views into `name` (a million-rule map is parsed key by key, and
// QByteArray::split allocates every label).
QList<QByteArrayView> labelsOf(QByteArrayView name)
{
    QList<QByteArrayView> out;
    qsizetype start = 0;
    for (qsizetype dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', start)) {
        out.append(name.sliced(start, dot - start));
        start = dot + 1;
    }
    out.append(name.sliced(start));
    return out;
}

Result<Destination> invalid(const QString &rawInput, const QString &why)
{
    const QString input = printableInput(rawInput);
    return makeError(ErrorKind::InvalidInput,
                     QStringLiteral("'%1' is not a valid destination: %2.").arg(input, why));
}

// Parses 1-8 hex groups with at most one "::". Returns false on anything else.
bool parseIPv6Groups(QByteArrayView s, std::array<quint16, 8> &groups, bool &complete)
{
    groups.fill(0);
    const qsizetype gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0)
        return false;
    auto parseList = [](QByteArrayView part, QList<quint16> &out) {
        if (part.isEmpty())
            return true;
        qsizetype pos = 0;
        while (true) {
            qsizetype colon = part.indexOf(':', pos);
            QByteArrayView g = part.sliced(pos, (colon < 0 ? part.size() : colon) - pos);
            if (g.isEmpty() || g.size() > 4)
                return false;
            for (char c : g)
                if (!isHex(c))
                    return false;
            out.append(quint16(g.toUInt(nullptr, 16)));
            if (colon < 0)
                return true;
            pos = colon + 1;
        }
    };
    QList<quint16> head, tail;
    if (gap >= 0) {
        if (!parseList(s.first(gap), head) || !parseList(s.sliced(gap + 2), tail))
            return false;
        if (head.size() + tail.size() > 7)
            return false;
        complete = true;
    } else {
        if (!parseList(s, head) || head.size() > 8)
            return false;
        complete = head.size() == 8;
    }
    for (int i = 0; i < head.size(); ++i)
        groups[size_t(i)] = head[i];
    for (int i = 0; i < tail.size(); ++i)
        groups[size_t(8 - tail.size() + i)] = tail[i];
    return true;
}

// RFC 5952 text, the same as glibc's inet_ntop, which is what sendmail puts in {server_addr}.
QByteArray formatIPv6(const std::array<quint16, 8> &g)
{
    int bestStart = -1, bestLen = 0;
    for (int i = 0; i < 8;) {
        if (g[size_t(i)] != 0) {
            ++i;
            continue;
        }
        int j = i;
        while (j < 8 && g[size_t(j)] == 0)
            ++j;
        if (j - i > bestLen && j - i >= 2) {
            bestStart = i;
            bestLen = j - i;
        }
        i = j;
    }
    QByteArray out;
    for (int i = 0; i < 8; ++i) {
        if (i == bestStart) {
            out += "::";
            i += bestLen - 1;
            continue;
        }
        if (!out.isEmpty() && !out.endsWith(':'))
            out += ':';
        out += QByteArray::number(g[size_t(i)], 16);
    }
    return out;
}

QByteArrayView stripIPv6Tag(QByteArrayView s)
{
    if (s.size() >= 5 && s.first(5).compare("IPv6:", Qt::CaseInsensitive) == 0)
        return s.sliced(5);
    return s;
}

} // namespace

QByteArray canonicalIPv6(QByteArrayView text, IPv6Form form)
{
    std::array<quint16, 8> groups{};
    bool complete = false;
    if (!parseIPv6Groups(stripIPv6Tag(text), groups, complete) || !complete)
        return {};
    if (form == IPv6Form::Compressed)
        return "IPv6:" + formatIPv6(groups);
    QByteArray out = "IPv6:";
    for (size_t i = 0; i < groups.size(); ++i)
        out += (i ? ":" : "") + QByteArray::number(groups[i], 16);
    return out;
}

Result<Destination> parseDestination(const QString &input)
{
    if (input.isEmpty())
        return invalid(input, QStringLiteral("it is empty (use 'set global' for the default)"));
    if (input.size() > MaxHostNameLength + 5)
        return invalid(input, QStringLiteral("it is longer than %1 characters").arg(MaxHostNameLength));
    for (QChar c : input) {
        if (isForbidden(c))
            return invalid(input, QStringLiteral("it contains %1").arg(describeChar(c)));
    }
    const QByteArray latin = input.toUtf8();
    const bool looksIPv6 = latin.contains(':');
    if (looksIPv6) {
        QByteArrayView body = stripIPv6Tag(latin);
        if ((body.endsWith(':') && !body.endsWith("::")) || (body.startsWith(':') && !body.startsWith("::")))
            return invalid(input, QStringLiteral("an IPv6 prefix ending or starting in ':' never matches: sendmail cuts "
                                                 "addresses at group boundaries, write e.g. 2001:db8"));
        std::array<quint16, 8> groups{};
        bool complete = false;
        if (!parseIPv6Groups(body, groups, complete))
            return invalid(input, QStringLiteral("it contains ':' but is not an IPv6 address or prefix"));
        Destination d;
        d.kind = DestinationKind::IPv6;
        // A complete address is written the way sendmail writes {server_addr}: uncompressed
        // by default since 8.15 (see canonicalIPv6). A prefix ("IPv6:2001:db8") matches
        // textually, so it is kept as typed, without leading zeros and lower-cased.
        if (complete) {
            if (std::all_of(groups.begin(), groups.end(), [](quint16 g) { return g == 0; }))
                return invalid(input, QStringLiteral("'::' is the unspecified address, never a server's"));
            d.key = canonicalIPv6(body);
        } else {
            QByteArray prefix = "IPv6:";
            for (const QByteArray &g : body.toByteArray().split(':'))
                prefix += (prefix.size() > 5 ? ":" : "") + QByteArray::number(g.toUInt(nullptr, 16), 16);
            d.key = prefix;
        }
        return d;
    }
    if (latin.startsWith('.'))
        return invalid(input, QStringLiteral("a leading dot is not used by Try_TLS: "
                                             "'example.com' already covers every host below it"));
    QByteArray name = latin;
    if (name.endsWith('.'))
        name.chop(1);  // an absolute name; sendmail's {server_name} carries no final dot
    // Only digits and dots: an IPv4 address or prefix, as sendmail writes {server_addr}, or a
    // key that never matches anything (a name never ends in an all-digit label).
    const QList<QByteArrayView> parts = labelsOf(name);
    if (std::all_of(parts.begin(), parts.end(), [](QByteArrayView p) { return allDigits(p); })) {
        if (parts.size() > 4)
            return invalid(input, QStringLiteral("an IPv4 address has at most four parts"));
        for (QByteArrayView p : parts) {
            if (p.size() > 3 || p.toInt() > 255)
                return invalid(input, QStringLiteral("an IPv4 part is a number from 0 to 255"));
            if (p.size() > 1 && p.startsWith('0'))
                return invalid(input, QStringLiteral("sendmail writes addresses without leading zeros (1.2.3.4, not "
                                                     "01.02.03.04), so this key would never match"));
        }
    }
    if (isIPv4Prefix(name)) {
        Destination d;
        d.kind = DestinationKind::IPv4;
        d.key = name;
        return d;
    }
    // Internationalised names become their ASCII (punycode) form, which is what the resolver
    // returns and so what sendmail compares against.
    // Structure first, so the message names the rule (QUrl::toAce only says "invalid").
    for (QByteArrayView label : parts) {
        if (label.isEmpty())
            return invalid(input, QStringLiteral("it has an empty label (two dots in a row)"));
        if (label.startsWith('-') || label.endsWith('-'))
            return invalid(input, QStringLiteral("a label cannot start or end with '-'"));
        const bool ascii = std::all_of(label.begin(), label.end(), [](char c) { return (c & 0x80) == 0; });
        if (ascii && label.size() > MaxLabelLength)  // non-ASCII labels are measured after IDN
            return invalid(input, QStringLiteral("a label has at most %1 characters").arg(MaxLabelLength));
    }
    // Only a name with non-ASCII letters needs IDN conversion (QUrl::toAce costs microseconds,
    // and a million-rule map is parsed key by key); ASCII names are checked label by label below.
    const bool asciiOnly = std::all_of(name.begin(), name.end(), [](char c) { return (c & 0x80) == 0; });
    const QByteArray ace = asciiOnly ? name : QUrl::toAce(QString::fromUtf8(name));
    if (ace.isEmpty())
        return invalid(input, QStringLiteral("it is not a valid host or domain name"));
    const QByteArray lower = ace.toLower();
    if (lower.size() > MaxHostNameLength)
        return invalid(input, QStringLiteral("a host name has at most %1 characters").arg(MaxHostNameLength));
    const QList<QByteArrayView> labels = labelsOf(lower);
    for (QByteArrayView label : labels) {
        if (label.isEmpty())
            return invalid(input, QStringLiteral("it has an empty label (two dots in a row)"));
        if (label.size() > MaxLabelLength)
            return invalid(input, QStringLiteral("a label has at most %1 characters").arg(MaxLabelLength));
        if (label.startsWith('-') || label.endsWith('-'))
            return invalid(input, QStringLiteral("a label cannot start or end with '-'"));
        for (char c : label) {
            const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok)
                return invalid(input, QStringLiteral("it contains %1").arg(describeChar(QLatin1Char(c))));
        }
    }
    if (allDigits(labels.last()))
        return invalid(input, QStringLiteral("a host name never ends in an all-digit label, so this key would never match "
                                             "(an IPv4 address is four numbers from 0 to 255)"));
    for (QByteArrayView label : labels)
        if (label.startsWith("xn--") && QUrl::fromAce(label.toByteArray(), QUrl::IgnoreIDNWhitelist) == QString::fromLatin1(label))
            return invalid(input, QStringLiteral("'%1' is not valid punycode, so no resolver returns it").arg(QString::fromLatin1(label)));
    Destination d;
    d.kind = DestinationKind::HostName;
    d.key = lower;
    return d;
}

Result<Destination> parseDestinationKey(QByteArrayView keyAfterTag)
{
    if (keyAfterTag.isEmpty())
        return Destination{};
    // Keys in files are ASCII by construction (makemap would store other bytes verbatim, and no
    // resolver returns them), so decode as Latin-1 to report any oddity faithfully.
    const QString text = QString::fromLatin1(keyAfterTag.data(), keyAfterTag.size());
    for (QChar c : text)
        if (c.unicode() > 0x7e)
            return invalid(text, QStringLiteral("it contains a non-ASCII byte"));
    return parseDestination(text);
}

Result<QByteArray> parseServerAddress(const QString &text)
{
    const Result<Destination> d = parseDestination(text);
    if (d && d->kind == DestinationKind::IPv4 && d->key.count('.') == 3)
        return d->key;
    if (d && d->kind == DestinationKind::IPv6) {
        const QByteArray canonical = canonicalIPv6(d->key);
        if (!canonical.isEmpty())
            return canonical;
    }
    return makeError(ErrorKind::InvalidInput,
                     QStringLiteral("'%1' is not a complete IPv4 or IPv6 address").arg(printableInput(text)));
}

} // namespace smtls
