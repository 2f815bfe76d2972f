#pragma once
// What every GUI test sets up before its first window. Header-only: only GUI tests include it,
// and Q_INIT_RESOURCE names global symbols of smtls_ui, so this stays outside any namespace.

#include <QCoreApplication>
#include <QDir>
#include <QStandardPaths>
#include <QString>

#include "Translations.h"

// The desktop application's compiled-in resources (icons, the Demo host's tree): smtls_ui is a
// static library, and runGui(), which registers them in the program, never runs in a test.
// English texts as the program shows them: "%n host(s)" reads "1 host" (translations/), whatever
// the locale of the machine running the test.
inline void initGuiResources()
{
    Q_INIT_RESOURCE(icons);
    Q_INIT_RESOURCE(demo);
    smtls::gui::installTranslations(QStringLiteral("en"));
}

// Settings and data (the Demo copy, snapshots) in QStandardPaths' test folders under a name of
// the test's own, emptied first: a run never sees the user's files nor an earlier run's.
inline void useEmptyTestDataFolder(const QString &applicationName)
{
    QStandardPaths::setTestModeEnabled(true);
    // An organisation of its own: the snapshot store is per organisation (shared by the
    // programs), and test processes running side by side must not see each other's.
    QCoreApplication::setOrganizationName(QStringLiteral("sendmail-tls-test-") + applicationName);
    QCoreApplication::setApplicationName(applicationName);
    QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QLatin1Char('/')
         + QCoreApplication::organizationName()).removeRecursively();
}
