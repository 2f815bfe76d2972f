#include "GuiApplication.h"

#include "MainWindow.h"
#include "ScreenshotTour.h"
#include "Theme.h"
#include "Translations.h"

#include <QApplication>
#include <QCommandLineParser>

static void initGuiResources()
{
    Q_INIT_RESOURCE(icons);
    Q_INIT_RESOURCE(demo);
}

namespace smtls::gui {

int runGui(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("sendmail-tls"));
    QApplication::setApplicationName(QStringLiteral("sendmail-tls-gui"));
    QApplication::setApplicationVersion(QStringLiteral(SMTLS_VERSION));
    initGuiResources();
    // Before any text is made: --translation (or SENDMAIL_TLS_TRANSLATION) picks a language or a
    // .qm file other than the system's; the parser below still checks the option's syntax.
    const QStringList arguments = app.arguments();
    const qsizetype translationAt = arguments.indexOf(QStringLiteral("--translation"));
    installTranslations(translationAt > 0 && translationAt + 1 < arguments.size() ? arguments[translationAt + 1] : QString());
    QApplication::setApplicationDisplayName(QCoreApplication::translate("GuiApplication", "Sendmail TLS Admin"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate("GuiApplication", "Read, explain and change sendmail's outbound STARTTLS settings on many hosts."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dark(QStringLiteral("dark"), QCoreApplication::translate("GuiApplication", "Use a dark palette."));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QCoreApplication::translate("GuiApplication", "Save screenshots of the main views (on the Demo host) into DIR and quit."),
                                        QStringLiteral("DIR"));
    const QCommandLineOption translation(QStringLiteral("translation"),
                                         QCoreApplication::translate("GuiApplication", "Show the windows in LANGUAGE (a locale name such as \"de\") or with the translation FILE.qm instead of the system's language."),
                                         QStringLiteral("LANGUAGE|FILE.qm"));
    parser.addOption(dark);
    parser.addOption(screenshot);
    parser.addOption(translation);
    parser.process(app);
    if (parser.isSet(dark))
        applyDarkPalette(app);

    MainWindow window;
    window.show();
    if (parser.isSet(screenshot)) {
        // File names say the palette and the scale: main-window-dark.png, main-window-200pct.png.
        QString suffix = parser.isSet(dark) ? QStringLiteral("-dark") : QString();
        if (app.devicePixelRatio() > 1.0)
            suffix += QStringLiteral("-%1pct").arg(qRound(app.devicePixelRatio() * 100));
        auto *tour = new ScreenshotTour(&window, parser.value(screenshot), suffix);
        QObject::connect(tour, &ScreenshotTour::done, &app, [](int code) { QApplication::exit(code); });
        tour->start();
    }
    return app.exec();
}

} // namespace smtls::gui
