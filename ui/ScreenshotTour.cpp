#include "ScreenshotTour.h"

#include "ApplyDialog.h"
#include "DestinationDialog.h"
#include "DiffPreviewDialog.h"
#include "HistoryPanel.h"
#include "HostDialog.h"
#include "HostSession.h"
#include "MainWindow.h"
#include "PolicyPanel.h"
#include "SnapshotModel.h"

#include <QAction>
#include <QDir>
#include <QPixmap>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>

namespace smtls::gui {

ScreenshotTour::ScreenshotTour(MainWindow *window, QString directory, QString suffix)
    : QObject(window), m_window(window), m_directory(std::move(directory)), m_suffix(std::move(suffix))
{
}

void ScreenshotTour::start()
{
    QDir().mkpath(m_directory);
    m_window->selectHost(QStringLiteral("demo"));
    auto *timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, &ScreenshotTour::poll);
    timer->start(200);
}

bool ScreenshotTour::save(QWidget *widget, const QString &name)
{
    const QString path = m_directory + QLatin1Char('/') + name + m_suffix + QStringLiteral(".png");
    const bool ok = widget->grab().save(path);
    qInfo("%s %s", ok ? "saved" : "FAILED to save", qPrintable(path));
    return ok;
}

void ScreenshotTour::poll()
{
    if (++m_ticks > 600) {  // two minutes
        qWarning("screenshot tour: timed out at step %d", m_step);
        Q_EMIT done(1);
        return;
    }
    HostSession *demo = m_window->sessionById(QStringLiteral("demo"));
    switch (m_step) {
    case 0:  // the demo host has been read
        if (!demo || !demo->state() || demo->busy())
            return;
        // As a user adds one: the dialog, filled in, then OK (the policy panel stages it).
        m_window->policyPanel()->addException();
        if (auto *dialog = m_window->findChild<DestinationDialog *>(QStringLiteral("destinationDialog"))) {
            dialog->setValues(QStringLiteral("old-relay.example.org"), TlsSetting::Fallback,
                              QStringLiteral("handshake fails since their upgrade"));
            m_step = 10;
        } else {
            qWarning("screenshot tour: no exception dialog");
            Q_EMIT done(1);
        }
        return;
    case 10:  // shown and laid out by now
        if (auto *dialog = m_window->findChild<DestinationDialog *>(QStringLiteral("destinationDialog"))) {
            save(dialog, QStringLiteral("exception-dialog"));
            dialog->accept();
        }
        m_step = 1;
        return;
    case 1: {
        if (demo->policyViewPending())
            return;  // the staged exception is worked out on a worker: shown once it is there
        save(m_window, QStringLiteral("main-window"));
        if (!m_suffix.isEmpty()) {
            m_step = 20;
            return;
        }
        // The two screens the layout is tested at (tests/gui/tst_guilayout), less a panel and
        // a title bar; laid out on the next tick.
        m_window->resize(1366, 768 - 70);
        m_step = 13;
        return;
    }
    case 13:
        save(m_window, QStringLiteral("main-window-1366x768"));
        m_window->resize(1920, 1080 - 70);
        m_step = 14;
        return;
    case 14:
        save(m_window, QStringLiteral("main-window-1920x1080"));
        m_window->findChild<QAction *>(QStringLiteral("addHostAction"))->trigger();
        if (auto *host = m_window->findChild<HostDialog *>(QStringLiteral("hostDialog"))) {
            host->findChild<QLineEdit *>(QStringLiteral("hostName"))->setText(QStringLiteral("Relay two"));
            host->findChild<QLineEdit *>(QStringLiteral("hostAddress"))->setText(QStringLiteral("relay2"));
        }
        m_step = 15;
        return;
    case 15:
        if (auto *host = m_window->findChild<HostDialog *>(QStringLiteral("hostDialog"))) {
            save(host, QStringLiteral("host-dialog"));
            host->reject();
        }
        m_step = 20;
        return;
    case 20: {
        DiffPreviewDialog *preview = m_window->preview();
        preview->findChild<QLineEdit *>(QStringLiteral("applyReason"))->setText(QStringLiteral("screenshot tour"));
        m_step = 2;
        return;
    }
    case 2:
        // The diff is worked out on a worker; Apply is off until it is shown.
        if (auto *preview = m_window->findChild<DiffPreviewDialog *>(); preview && preview->isReady()) {
            save(preview, QStringLiteral("diff-preview"));
            preview->findChild<QPushButton *>(QStringLiteral("applyButton"))->click();
            m_step = 3;
        }
        return;
    case 3:
        if (auto *apply = m_window->findChild<ApplyDialog *>(); apply && apply->finished()) {
            save(apply, QStringLiteral("apply-result"));
            apply->accept();
            m_window->tabs()->setCurrentWidget(m_window->historyPanel());
            m_window->historyPanel()->reload();
            m_step = 4;
        }
        return;
    case 4: {
        auto *table = m_window->historyPanel()->findChild<QTableView *>(QStringLiteral("snapshotTable"));
        if (demo->busy() || m_window->historyPanel()->model()->rowCount() == 0)
            return;
        table->setCurrentIndex(table->model()->index(0, 0));
        m_step = 5;
        return;
    }
    case 5:
        if (m_window->historyPanel()->findChild<QPlainTextEdit *>(QStringLiteral("snapshotDiff"))->toPlainText().isEmpty())
            return;
        save(m_window, QStringLiteral("history"));
        m_step = 6;
        Q_EMIT done(0);
        return;
    default:
        return;
    }
}

} // namespace smtls::gui
