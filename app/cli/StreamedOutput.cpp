#include "StreamedOutput.h"

#include "Output.h"

#include <QJsonDocument>
#include <QRandomGenerator>

namespace smtls::cli {
namespace {

constexpr qsizetype FlushAt = 64 * 1024;

QByteArray indented(const QByteArray &json, int indent)
{
    if (indent == 0)
        return json;
    const QByteArray pad(indent, ' ');
    QByteArray out;
    out.reserve(json.size() + json.count('\n') * indent);
    qsizetype start = 0;
    while (start < json.size()) {
        qsizetype nl = json.indexOf('\n', start);
        const qsizetype end = nl < 0 ? json.size() : nl + 1;
        if (start > 0)
            out += pad;  // the first line continues wherever the caller left off
        out += QByteArrayView(json).sliced(start, end - start);
        start = end;
    }
    return out;
}

} // namespace

TextStream &TextStream::operator<<(const QString &text)
{
    m_pending += text.toUtf8();
    if (m_pending.size() >= FlushAt)
        flush();
    return *this;
}

void TextStream::flush()
{
    if (m_pending.isEmpty())
        return;
    printOutBytes(m_pending);
    m_pending.clear();
}

CompactJson &CompactJson::key(const char *key)
{
    if (m_bytes.size() > 1)
        m_bytes += ',';
    m_bytes += '"';
    m_bytes += key;
    m_bytes += "\":";
    return *this;
}

CompactJson &CompactJson::add(const char *k, const QString &value)
{
    key(k);
    // As QJsonDocument writes strings: UTF-8, with '"', '\\' and control characters escaped.
    m_bytes += '"';
    for (char c : value.toUtf8()) {
        switch (c) {
        case '"': m_bytes += "\\\""; break;
        case '\\': m_bytes += "\\\\"; break;
        case '\b': m_bytes += "\\b"; break;
        case '\f': m_bytes += "\\f"; break;
        case '\n': m_bytes += "\\n"; break;
        case '\r': m_bytes += "\\r"; break;
        case '\t': m_bytes += "\\t"; break;
        default:
            if (uchar(c) < 0x20)
                m_bytes += "\\u00" + QByteArray::number(uchar(c), 16).rightJustified(2, '0');
            else
                m_bytes += c;
        }
    }
    m_bytes += '"';
    return *this;
}

CompactJson &CompactJson::add(const char *k, bool value)
{
    key(k);
    m_bytes += value ? "true" : "false";
    return *this;
}

CompactJson &CompactJson::add(const char *k, int value)
{
    key(k);
    m_bytes += QByteArray::number(value);
    return *this;
}

CompactJson &CompactJson::addNull(const char *k)
{
    key(k);
    m_bytes += "null";
    return *this;
}

CompactJson &CompactJson::addOrNull(const char *k, const QString &value)
{
    return value.isEmpty() ? addNull(k) : add(k, value);
}

CompactJson &CompactJson::add(const char *k, const CompactJson &object)
{
    key(k);
    m_bytes += object.bytes();
    return *this;
}

void printJsonObject(const QJsonObject &object, int indent)
{
    QByteArray json = QJsonDocument(object).toJson(QJsonDocument::Indented);
    if (indent > 0 && json.endsWith('\n'))
        json.chop(1);
    printOutBytes(indented(json, indent));
}

void printJsonWithStreamedArray(const QJsonObject &object, const QString &key, const JsonElements &elements, int indent)
{
    // The object is serialised by Qt with a placeholder where the array goes; the placeholder
    // carries a random token, so no value from a file can be mistaken for it.
    const QString placeholder = QStringLiteral("streamed-array-%1%2")
                                    .arg(QRandomGenerator::global()->generate64(), 16, 16, QLatin1Char('0'))
                                    .arg(QRandomGenerator::global()->generate64(), 16, 16, QLatin1Char('0'));
    QJsonObject withPlaceholder = object;
    withPlaceholder.insert(key, placeholder);
    QByteArray json = QJsonDocument(withPlaceholder).toJson(QJsonDocument::Indented);
    if (json.endsWith('\n'))
        json.chop(1);
    json = indented(json, indent);
    const QByteArray quoted = '"' + placeholder.toLatin1() + '"';
    const qsizetype at = json.indexOf(quoted);
    Q_ASSERT(at >= 0);
    const qsizetype lineStart = json.lastIndexOf('\n', at) + 1;
    // The line reads `<keyIndent>"key": "placeholder"`; elements go one level deeper.
    const int keyIndent = int(at - lineStart - key.size() - 4);
    const QByteArray elementPad(keyIndent + 4, ' ');

    QByteArray pending = json.first(at) + '[';
    bool first = true;
    elements([&](const QByteArray &element) {
        pending += first ? "\n" : ",\n";
        first = false;
        pending += elementPad + element;
        if (pending.size() >= FlushAt) {
            printOutBytes(pending);
            pending.clear();
        }
    });
    if (!first)
        pending += '\n' + QByteArray(keyIndent, ' ');
    pending += ']' + json.sliced(at + quoted.size());
    if (indent == 0)
        pending += '\n';
    printOutBytes(pending);
}

} // namespace smtls::cli
