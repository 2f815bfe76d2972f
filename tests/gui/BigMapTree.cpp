#include "BigMapTree.h"

#include <QDir>
#include <QFile>

namespace smtls::gui::testing {

namespace {

// Unique per n, and "mx<n>." is a substring of no other key (the "mx" right before the digits).
QByteArray ruleKey(int n)
{
    if (n % 7 == 3)  // some address keys, as real maps have (never an IPv6 one: that is a problem)
        return "10." + QByteArray::number((n >> 16) & 255) + '.' + QByteArray::number((n >> 8) & 255) + '.'
            + QByteArray::number(n & 255);
    return "mx" + QByteArray::number(n) + ".d" + QByteArray::number(n % 997) + ".example";
}

// Most exceptions switch TLS off; one in ten says YES (a rule that undoes a global off).
QByteArray ruleLine(int n)
{
    return "Try_TLS:" + ruleKey(n) + (n % 3 ? "\t" : " ") + (n % 10 == 0 ? "YES" : "NO") + '\n';
}

QByteArray otherLine(int i)
{
    switch (i % 5) {
    case 0: return "Connect:192." + QByteArray::number((i >> 8) & 255) + '.' + QByteArray::number(i & 255) + ".0\tREJECT\n";
    case 1: return "From:user" + QByteArray::number(i) + "@spam" + QByteArray::number(i % 499) + ".example\tREJECT\n";
    case 2: return "To:relay" + QByteArray::number(i) + ".example.net\tRELAY\n";
    case 3: return "Connect:dyn-" + QByteArray::number(i) + ".pool.example.org\tDISCARD\n";
    default: return "GreetPause:host" + QByteArray::number(i) + ".example\t5000\n";
    }
}

} // namespace

QString bigMapKindName(BigMapKind kind)
{
    return kind == BigMapKind::Mixed ? QStringLiteral("mixed map, 1 line in 10 a Try_TLS rule") : QStringLiteral("every line a Try_TLS rule");
}

std::optional<BigMapTree> writeBigMapTree(const QString &root, BigMapKind kind, int lines)
{
    const QString mail = root + QStringLiteral("/etc/mail");
    if (!QDir().mkpath(mail))
        return std::nullopt;
    QFile::remove(mail + QStringLiteral("/sendmail.mc"));
    if (!QFile::copy(QStringLiteral(":/demo/etc/mail/sendmail.mc"), mail + QStringLiteral("/sendmail.mc")))
        return std::nullopt;
    QFile::setPermissions(mail + QStringLiteral("/sendmail.mc"), QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
    QFile::remove(mail + QStringLiteral("/access.db"));  // an older build of another map would be "stale"

    QFile access(mail + QStringLiteral("/access"));
    if (!access.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return std::nullopt;
    BigMapTree tree;
    tree.lines = lines;
    // A rule in the middle of the file: the filter has to look at every row to find it.
    int pickedRule = kind == BigMapKind::Mixed ? lines / 20 + 1 : lines / 2 + 1;
    while (pickedRule % 7 == 3 || pickedRule % 10 == 0)
        ++pickedRule;  // a name key ("mx<n>." matches one row only) with the value NO
    QByteArray chunk;
    chunk.reserve(1 << 20);
    for (int i = 0; i < lines; ++i) {
        QByteArray line;
        if (kind == BigMapKind::AllTryTls) {
            line = ruleLine(i);
            ++tree.rules;
        } else if (i % 10 == 9) {
            const int n = i / 10;
            line = ruleLine(n);
            ++tree.rules;
        } else if (i % 10 == 8 && (i / 10) % 4 == 0) {
            // Our note right above the rule that follows: the table's Why and Added columns.
            line = "# sendmail-tls: 2026-11-" + QByteArray::number(10 + (i / 10) % 19) + " TLS off: reason r"
                + QByteArray::number(i / 10) + '\n';
        } else if (i % 100 == 0) {
            line = "# block " + QByteArray::number(i / 100) + " of the relay's entries\n";
        } else {
            line = otherLine(i);
        }
        chunk += line;
        if (chunk.size() >= (1 << 20) - 256) {
            if (access.write(chunk) != chunk.size())
                return std::nullopt;
            chunk.clear();
        }
    }
    if (access.write(chunk) != chunk.size() || !access.flush())
        return std::nullopt;
    tree.uniqueFilter = QStringLiteral("mx%1.").arg(pickedRule);
    tree.uniqueKey = QString::fromLatin1(ruleKey(pickedRule));
    return tree;
}

} // namespace smtls::gui::testing
