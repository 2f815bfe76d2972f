#include "apply/SendmailCf.h"

#include <QByteArrayList>

namespace smtls {

bool looksLikeCompleteCf(const QByteArray &cf)
{
    constexpr qsizetype MinLines = 100;
    return cf.contains("\nV") && cf.count('\n') >= MinLines;
}

bool cfHasClientModifierS(const QByteArray &cf)
{
    bool any = false;
    for (const QByteArray &line : cf.split('\n')) {
        if (!line.startsWith("O ClientPortOptions="))
            continue;
        any = true;
        bool hasS = false;
        for (const QByteArray &field : line.mid(20).split(','))
            if (field.trimmed().toUpper().startsWith("M") && field.contains('=') && field.mid(field.indexOf('=') + 1).contains('S'))
                hasS = true;
        if (!hasS)
            return false;
    }
    return any;
}

bool cfFallsBackToClear(const QByteArray &cf)
{
    constexpr QByteArrayView Option = "O TLSFallbacktoClear";
    bool on = false;
    for (const QByteArray &line : cf.split('\n')) {
        if (!line.startsWith(Option))
            continue;
        const QByteArray rest = line.mid(Option.size()).trimmed();
        if (!rest.isEmpty() && !rest.startsWith('='))
            continue;  // another option whose name begins the same way
        const QByteArray value = rest.mid(1).trimmed();
        on = value.isEmpty() || QByteArrayView("tTyY").contains(value.front());
    }
    return on;
}

bool cfReadsTlsCltFeatures(const QByteArray &cf)
{
    return cf.contains("\nStls_clt_feat_acc");
}

QByteArray withAccessMapAt(const QByteArray &cf, const QString &livePath, const QString &mapBase)
{
    const QByteArray live = livePath.toUtf8();
    QByteArrayList lines = cf.split('\n');
    for (QByteArray &line : lines) {
        if (!line.startsWith("Kaccess "))
            continue;
        QByteArrayList words = line.split(' ');
        for (QByteArray &w : words)
            if (w == live || w == live + ".db")
                w = mapBase.toUtf8();
        line = words.join(' ');
    }
    return lines.join('\n');
}

} // namespace smtls
