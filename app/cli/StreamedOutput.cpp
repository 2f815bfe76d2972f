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
    elements([&](const QJsonObject &element) {
        pending += first ? "\n" : ",\n";
        first = false;
        pending += elementPad + QJsonDocument(element).toJson(QJsonDocument::Compact);
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
