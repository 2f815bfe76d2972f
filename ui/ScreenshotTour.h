#pragma once
// --screenshot DIR: on the Demo host, stage an example edit through the exception dialog (a
// server that falls back to clear text for a week), then save PNGs (QWidget::grab) of that
// dialog, the main window (in the default look also at 1366×768 and 1920×1080, and the host
// dialog), the diff preview and, after a real apply, the history view; then quit.

#include <QObject>
#include <QString>

namespace smtls::gui {

class MainWindow;

class ScreenshotTour : public QObject {
    Q_OBJECT
public:
    ScreenshotTour(MainWindow *window, QString directory, QString suffix);
    void start();

Q_SIGNALS:
    void done(int exitCode);

private:
    void poll();
    bool save(QWidget *widget, const QString &name);

    MainWindow *m_window;
    QString m_directory;
    QString m_suffix;
    int m_step = 0;
    int m_ticks = 0;
};

} // namespace smtls::gui
