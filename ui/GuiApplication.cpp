#include "GuiApplication.h"

#include "MainWindow.h"
#include "ScreenshotTour.h"
#include "Theme.h"

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
    QApplication::setApplicationDisplayName(QStringLiteral("Sendmail TLS Admin"));
    QApplication::setApplicationVersion(QStringLiteral(SMTLS_VERSION));
    initGuiResources();

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Read, explain and change sendmail's outbound STARTTLS settings on many hosts."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dark(QStringLiteral("dark"), QStringLiteral("Use a dark palette."));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Save screenshots of the main views (on the Demo host) into DIR and quit."),
                                        QStringLiteral("DIR"));
    parser.addOption(dark);
    parser.addOption(screenshot);
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
