#include "SendmailVersion.h"

#include <QStringList>

namespace smtls {

QList<int> sendmailVersionParts(const QString &version)
{
    QList<int> parts;
    for (const QString &word : version.trimmed().split(QLatin1Char('.'))) {
        // "8.18.0.2-beta" and the like: the leading digits of each part count.
        qsizetype digits = 0;
        while (digits < word.size() && word[digits].isDigit())
            ++digits;
        if (digits == 0)
            break;
        parts.append(word.first(digits).toInt());
        if (digits < word.size())
            break;
    }
    return parts;
}

int compareSendmailVersions(const QString &a, const QString &b)
{
    const QList<int> x = sendmailVersionParts(a), y = sendmailVersionParts(b);
    for (qsizetype i = 0; i < std::max(x.size(), y.size()); ++i) {
        const int p = i < x.size() ? x[i] : 0, q = i < y.size() ? y[i] : 0;
        if (p != q)
            return p < q ? -1 : 1;
    }
    return 0;
}

bool supportsTlsFallback(const QString &version)
{
    if (sendmailVersionParts(version).isEmpty())
        return true;
    return compareSendmailVersions(version, QStringLiteral("8.16")) >= 0;
}

Status requireTlsFallback(const QString &version, const QString &hostName)
{
    if (supportsTlsFallback(version))
        return std::nullopt;
    return makeError(ErrorKind::InvalidConfig,
                     QStringLiteral("%1sendmail %2 cannot fall back to clear text: TLSFallbacktoClear and the flag C of "
                                    "TLS_Clt_Features exist since sendmail 8.16; use 'off' for the servers that fail the "
                                    "handshake, or upgrade sendmail")
                         .arg(hostName.isEmpty() ? QString() : hostName + QStringLiteral(": "), version.trimmed()));
}

} // namespace smtls
