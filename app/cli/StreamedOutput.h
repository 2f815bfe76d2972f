#pragma once
// Output too large to build first: a status of a million-rule map as one QString is 100 MB, as
// one QJsonArray a gigabyte. These write it in pieces, so the peak is one piece.

#include <QJsonObject>
#include <QString>

#include <functional>

namespace smtls::cli {

// Text to stdout, written whenever 64 KB have gathered, and the rest when it goes out of scope.
class TextStream {
public:
    TextStream() = default;
    TextStream(const TextStream &) = delete;
    TextStream &operator=(const TextStream &) = delete;
    ~TextStream() { flush(); }
    TextStream &operator<<(const QString &text);
    void flush();

private:
    QByteArray m_pending;
};

// One compact JSON object written directly, keys in the order added (add them sorted, as Qt
// writes them). For the elements of a million-rule array: a QJsonObject per element of a dozen
// keys costs more than reading the file.
class CompactJson {
public:
    CompactJson &add(const char *key, const QString &value);
    CompactJson &add(const char *key, bool value);
    CompactJson &add(const char *key, int value);
    CompactJson &addNull(const char *key);
    // A string, or null when empty.
    CompactJson &addOrNull(const char *key, const QString &value);
    CompactJson &add(const char *key, const CompactJson &object);
    QByteArray bytes() const { return m_bytes + '}'; }

private:
    CompactJson &key(const char *key);
    QByteArray m_bytes = "{";
};

// Gives each element of an array (compact JSON) to `add`, in order.
using JsonElements = std::function<void(const std::function<void(const QByteArray &)> &add)>;

// `object` as indented JSON (as printJson), except that the array under `key` comes from
// `elements`, one compact element per line. `indent` nests the whole object (in spaces).
void printJsonWithStreamedArray(const QJsonObject &object, const QString &key, const JsonElements &elements,
                                int indent = 0);

// `object` as indented JSON nested `indent` spaces deep, without a final newline when nested.
void printJsonObject(const QJsonObject &object, int indent);

} // namespace smtls::cli
