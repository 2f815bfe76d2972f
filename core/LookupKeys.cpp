#include "LookupKeys.h"

namespace smtls {
namespace {

// One sendmail token at the end of the text: a run without the operators '.' and ':'.
bool endsWithSingleToken(const QByteArray &s, qsizetype from)
{
    if (from >= s.size())
        return false;
    for (qsizetype k = from; k < s.size(); ++k)
        if (s[k] == '.' || s[k] == ':')
            return false;
    return true;
}

// Ruleset A's "remove last part": <$+::$-> first, then <$+:$->, then <$+.$->.
bool cutLastPart(QByteArray &key, bool allowColon)
{
    if (allowColon) {
        const qsizetype dc = key.lastIndexOf("::");
        if (dc > 0 && endsWithSingleToken(key, dc + 2)) {
            key.truncate(dc);
            return true;
        }
        const qsizetype c = key.lastIndexOf(':');
        if (c > 0 && endsWithSingleToken(key, c + 1)) {
            key.truncate(c);
            return true;
        }
    }
    const qsizetype d = key.lastIndexOf('.');
    if (d > 0 && endsWithSingleToken(key, d + 1)) {
        key.truncate(d);
        return true;
    }
    return false;
}

} // namespace

QList<QByteArray> nameLookupKeys(const QByteArray &serverName)
{
    QByteArray key = serverName.toLower();
    if (key.isEmpty())
        return {QByteArray()};  // ruleset D then looks up the bare "Try_TLS:" first (verified)
    QList<QByteArray> keys;
    if (key.startsWith('[') && key.endsWith(']')) {
        // An address literal as host name: ruleset D shortens it inside the brackets.
        QByteArray inner = key.mid(1, key.size() - 2);
        keys.append(key);
        while (cutLastPart(inner, true))
            keys.append('[' + inner + ']');
        return keys;
    }
    keys.append(key);
    // <$+.$+> -> $2: drop the first label while something follows the dot.
    for (qsizetype dot = key.indexOf('.'); dot > 0 && dot + 1 < key.size(); dot = key.indexOf('.')) {
        key = key.mid(dot + 1);
        keys.append(key);
    }
    return keys;
}

QList<QByteArray> addressLookupKeys(const QByteArray &serverAddress)
{
    QList<QByteArray> keys;
    QByteArray key = serverAddress;
    if (key.isEmpty())
        return keys;
    const bool ipv6 = key.startsWith("IPv6:") || key.startsWith("ipv6:");
    keys.append(key.toLower());
    while (cutLastPart(key, ipv6))
        keys.append(key.toLower());
    return keys;
}

} // namespace smtls
