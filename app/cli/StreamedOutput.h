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

// Gives each element of an array to `add`, in order.
using JsonElements = std::function<void(const std::function<void(const QJsonObject &)> &add)>;

// `object` as indented JSON (as printJson), except that the array under `key` comes from
// `elements`, one compact element per line. `indent` nests the whole object (in spaces).
void printJsonWithStreamedArray(const QJsonObject &object, const QString &key, const JsonElements &elements,
                                int indent = 0);

// `object` as indented JSON nested `indent` spaces deep, without a final newline when nested.
void printJsonObject(const QJsonObject &object, int indent);

} // namespace smtls::cli
