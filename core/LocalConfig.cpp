#include "LocalConfig.h"

#include "TextFile.h"

#include <QDir>
#include <QFileInfo>

namespace smtls {
namespace {

void compareAges(const QString &source, const QString &built, const QString &advice, Problems *out)
{
    const QFileInfo s(source), b(built);
    if (!out || !s.exists() || !b.exists())
        return;
    if (s.lastModified() > b.lastModified())
        out->append(Problem{source, 0, Severity::Warning,
                            QStringLiteral("this file was changed after %1 was built, so sendmail does not "
                                           "use the change yet: %2")
                                .arg(b.fileName(), advice)});
}

} // namespace

QString underRoot(const QString &root, const QString &absolutePath)
{
    if (root.isEmpty() || root == QLatin1String("/"))
        return absolutePath;
    return QDir::cleanPath(root + QLatin1Char('/') + absolutePath);
}

Result<MailConfig> loadLocalConfig(const LocalPaths &paths, Problems *extraProblems)
{
    const QString mcPath = paths.mc.isEmpty() ? underRoot(paths.root, QStringLiteral("/etc/mail/sendmail.mc")) : paths.mc;
    Result<QByteArray> mcBytes = readConfigFile(mcPath, MaxMcFileBytes);
    if (!mcBytes)
        return mcBytes.error();
    MailConfig config{SendmailMc(std::move(*mcBytes), mcPath), std::nullopt, {}};

    QString accessPath = paths.access;
    if (accessPath.isEmpty()) {
        const QString named = config.mc.accessDb() ? config.mc.accessDb()->sourcePath : QStringLiteral("/etc/mail/access");
        accessPath = QDir::isAbsolutePath(named) ? underRoot(paths.root, named)
                                                 : QFileInfo(mcPath).dir().filePath(named);
    }
    config.accessPath = accessPath;
    if (QFileInfo::exists(accessPath)) {
        Result<QByteArray> accessBytes = readConfigFile(accessPath, MaxAccessFileBytes);
        if (!accessBytes)
            return accessBytes.error();
        config.access.emplace(std::move(*accessBytes), accessPath);
    }

    compareAges(mcPath, QFileInfo(mcPath).dir().filePath(QStringLiteral("sendmail.cf")),
                QStringLiteral("regenerate sendmail.cf (make -C /etc/mail) and restart sendmail"), extraProblems);
    if (config.mc.accessDb() && (config.mc.accessDb()->mapType == "hash" || config.mc.accessDb()->mapType == "btree"))
        compareAges(accessPath, accessPath + QStringLiteral(".db"),
                    QStringLiteral("rebuild the map (makemap %1 %2 < %2)")
                        .arg(QString::fromLatin1(config.mc.accessDb()->mapType), accessPath),
                    extraProblems);
    return config;
}

} // namespace smtls
