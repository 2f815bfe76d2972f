#include "Translations.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace smtls::gui {

namespace {

// A translator owned by the application, or nullptr when FILE (or its locale variant) is absent.
QTranslator *load(const QLocale &locale, const QString &name, const QString &folder)
{
    auto *t = new QTranslator(QCoreApplication::instance());
    if (t->load(locale, name, QStringLiteral("_"), folder) && QCoreApplication::installTranslator(t))
        return t;
    delete t;
    return nullptr;
}

QTranslator *loadFile(const QString &path)
{
    auto *t = new QTranslator(QCoreApplication::instance());
    if (t->load(path) && QCoreApplication::installTranslator(t))
        return t;
    delete t;
    return nullptr;
}

} // namespace

QStringList installTranslations(const QString &choice)
{
    QString wanted = choice.isEmpty() ? qEnvironmentVariable("SENDMAIL_TLS_TRANSLATION") : choice;
    const bool file = wanted.endsWith(QLatin1String(".qm"));
    const QLocale locale = wanted.isEmpty() || file ? QLocale() : QLocale(wanted);
    const QString installed = QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("../share/sendmail-tls/translations"));
    QStringList loaded;
    auto note = [&loaded](QTranslator *t) {
        if (t)
            loaded << t->filePath();
    };
    if (!file)
        note(load(locale, QStringLiteral("qtbase"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)));
    note(loadFile(QStringLiteral(":/i18n/sendmail-tls_en.qm")));
    if (file) {
        note(loadFile(wanted));
    } else if (locale.language() != QLocale::English && locale.language() != QLocale::C) {
        QTranslator *own = load(locale, QStringLiteral("sendmail-tls"), QStringLiteral(":/i18n"));
        if (!own)
            own = load(locale, QStringLiteral("sendmail-tls"), installed);
        note(own);
    }
    return loaded;
}

} // namespace smtls::gui
