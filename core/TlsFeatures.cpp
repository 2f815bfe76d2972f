#include "TlsFeatures.h"

#include <QList>

namespace smtls {
namespace {

bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool isAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

qsizetype trimmedEnd(QByteArrayView v)
{
    qsizetype end = v.size();
    while (end > 0 && isBlank(v[end - 1]))
        --end;
    return end;
}

bool startsQuoted(QByteArrayView v)
{
    qsizetype i = 0;
    while (i < v.size() && isBlank(v[i]))
        ++i;
    return i < v.size() && v[i] == '"';
}

// One ';'-separated option as written: [nameStart, eq) is the name with its blanks, the value
// runs from eq + 1 to the end of the segment. eq is -1 when there is no '='.
struct Segment {
    QByteArray text;
    qsizetype eq = -1;
    bool isFlags() const
    {
        return eq >= 0 && text.first(eq).trimmed().compare("flags", Qt::CaseInsensitive) == 0;
    }
    // The value's bytes without the blanks around them.
    std::pair<qsizetype, qsizetype> valueRange() const
    {
        qsizetype s = eq + 1, e = text.size();
        while (s < e && isBlank(text[s]))
            ++s;
        while (e > s && isBlank(text[e - 1]))
            --e;
        return {s, e};
    }
};

struct Split {
    QList<Segment> segments;
    QByteArray tail;  // the blanks after the last byte of the value
};

Split split(const QByteArray &value)
{
    Split out;
    const qsizetype end = trimmedEnd(value);
    out.tail = value.mid(end);
    if (end == 0)
        return out;
    for (const QByteArray &text : value.first(end).split(';')) {
        Segment s;
        s.text = text;
        s.eq = text.indexOf('=');
        out.segments.append(s);
    }
    return out;
}

QByteArray join(const Split &s)
{
    QByteArrayList texts;
    for (const Segment &seg : s.segments)
        texts.append(seg.text);
    return texts.join(';') + s.tail;
}

bool knownOption(QByteArrayView name)
{
    // get_tls_se_features() in sendmail 8.17 (CipherSuites needs TLSv1.3, which Debian's
    // OpenSSL has; ServerName and STS exist only with _FFR_MTA_STS, which Debian does not set).
    for (const char *known : {"options", "cipherlist", "ciphersuites", "flags", "keyfile", "certfile"})
        if (name.compare(QByteArrayView(known), Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

} // namespace

TlsFeatures::TlsFeatures(QByteArray value) : m_value(std::move(value)) {}

QByteArray TlsFeatures::asSendmailReadsIt() const
{
    QByteArray out;
    out.reserve(m_value.size());
    bool quoted = false;
    for (char c : m_value) {
        if (c == '"')
            quoted = !quoted;
        if (!quoted && isBlank(c))
            continue;
        out.append(c);
    }
    return out;
}

QByteArray TlsFeatures::flags() const
{
    const QByteArray s = asSendmailReadsIt();
    QByteArray out;
    for (const QByteArray &option : s.split(';')) {
        const qsizetype eq = option.indexOf('=');
        if (eq < 0 || option.first(eq).compare("flags", Qt::CaseInsensitive) != 0)
            continue;
        for (char c : option.sliced(eq + 1))
            if (isAlnum(c))
                out.append(c);
    }
    return out;
}

std::optional<bool> TlsFeatures::fallback() const
{
    const QByteArray f = flags();
    if (f.contains('c'))
        return false;  // "do not fall back" wins over C and over TLSFallbacktoClear
    if (f.contains('C'))
        return true;
    return std::nullopt;
}

QString TlsFeatures::syntaxError() const
{
    QByteArray s = asSendmailReadsIt();
    if (s.size() < 2)
        return {};  // sendmail treats it as "no options"
    qsizetype i = 0;
    if (s.front() == '"' && s.back() == '"') {
        s = s.mid(1, s.size() - 2);
        if (s.size() <= 1)
            return {};
    }
    const qsizetype len = s.size();
    do {
        const qsizetype optStart = i;
        while (i < len && s[i] != '=')
            ++i;
        if (i >= len)
            return QStringLiteral("\"%1\" is not Name=value").arg(QString::fromUtf8(s.sliced(optStart)));
        const QByteArray name = s.sliced(optStart, i - optStart);
        ++i;
        if (i >= len)
            return QStringLiteral("%1= has no value").arg(QString::fromUtf8(name));
        while (i < len && s[i] != ';')
            ++i;
        if (i < len)
            ++i;
        if (!knownOption(name))
            return QStringLiteral("unknown option \"%1\" (sendmail knows Options, CipherList, CipherSuites, Flags, "
                                  "CertFile and KeyFile)")
                .arg(QString::fromUtf8(name));
    } while (i < len);
    return {};
}

std::optional<QByteArray> TlsFeatures::withoutFlag(char flag) const
{
    if (startsQuoted(m_value))
        return std::nullopt;
    if (!flags().contains(flag))
        return m_value;
    Split s = split(m_value);
    for (qsizetype k = s.segments.size() - 1; k >= 0; --k) {
        Segment &seg = s.segments[k];
        if (!seg.isFlags())
            continue;
        const auto [vs, ve] = seg.valueRange();
        QByteArray letters = seg.text.mid(vs, ve - vs);
        letters.replace(QByteArray(1, flag), QByteArray());
        if (!letters.isEmpty()) {
            seg.text.replace(vs, ve - vs, letters);
            continue;
        }
        // An emptied "Flags=" is a syntax error for sendmail: the option goes, with the ';'
        // that separated it (after it, or before it when it was the last).
        s.segments.removeAt(k);
        if (k == 0 && !s.segments.isEmpty()) {
            QByteArray &first = s.segments[0].text;
            qsizetype b = 0;
            while (b < first.size() && isBlank(first[b]))
                ++b;
            first.remove(0, b);
            s.segments[0].eq = first.indexOf('=');
        }
    }
    const QByteArray out = join(s);
    for (char c : out)
        if (!isBlank(c) && c != ';')
            return out;
    return QByteArray();  // nothing left: the entry can go
}

std::optional<QByteArray> TlsFeatures::withFlag(char flag) const
{
    if (startsQuoted(m_value))
        return std::nullopt;
    QByteArray base = m_value;
    if (flag == 'C' || flag == 'c') {
        const std::optional<QByteArray> without = withoutFlag(char(flag ^ 0x20));
        if (!without)
            return std::nullopt;
        base = *without;
    }
    if (TlsFeatures(base).flags().contains(flag))
        return base;
    Split s = split(base);
    for (Segment &seg : s.segments) {
        if (!seg.isFlags())
            continue;
        seg.text.insert(seg.valueRange().second, flag);
        return join(s);
    }
    const QByteArray option = QByteArrayLiteral("Flags=") + flag;
    const qsizetype end = trimmedEnd(base);
    if (end == 0)
        return option + base;
    if (base[end - 1] == ';')
        return base.first(end) + ' ' + option + ';' + base.mid(end);
    return base.first(end) + "; " + option + base.mid(end);
}

} // namespace smtls
