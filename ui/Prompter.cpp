#include "Prompter.h"

#include "HostKeyDialog.h"
#include "KeychainStore.h"
#include "SecretDialog.h"

#include <QCoreApplication>
#include <QThread>
#include <QWidget>

namespace smtls::gui {

Prompter::Prompter(QWidget *window) : m_window(window) {}

bool Prompter::onUiThread(const std::function<void(QWidget *)> &show)
{
    QCoreApplication *app = QCoreApplication::instance();
    if (!app)
        return false;
    bool shown = false;
    const auto showIfOpen = [&] {
        if (!m_closed.load() && m_window) {
            show(m_window.data());
            shown = true;
        }
    };
    if (QThread::currentThread() == app->thread()) {
        showIfOpen();
        return shown;
    }
    // Counted before the check, so that close() either sees this worker waiting or this worker
    // sees close()'s flag (both sequentially consistent).
    m_waiting.fetch_add(1);
    if (!m_closed.load())
        QMetaObject::invokeMethod(app, showIfOpen, Qt::BlockingQueuedConnection);
    m_waiting.fetch_sub(1);
    return shown;
}

HostKeyAnswer Prompter::askHostKey(const HostKeyQuestion &question)
{
    HostKeyAnswer answer = HostKeyAnswer::Cancel;
    onUiThread([&](QWidget *window) {
        HostKeyDialog dialog(question, window);
        dialog.exec();
        answer = dialog.answer();
    });
    return answer;
}

std::optional<QString> Prompter::askSecret(const QString &hostName, const QString &prompt, bool echo, bool *remember,
                                           SecretPurpose purpose)
{
    std::optional<QString> secret;
    onUiThread([&](QWidget *window) {
        SecretDialog dialog(hostName, prompt, echo, KeychainStore::available(), purpose, window);
        if (dialog.exec() == QDialog::Accepted) {
            secret = dialog.secret();
            if (remember)
                *remember = dialog.remember();
        }
    });
    return secret;
}

void Prompter::close()
{
    m_closed.store(true);
    // A question posted just before the flag: answer it (unshown) so its worker can go on.
    while (m_waiting.load() > 0) {
        QCoreApplication::sendPostedEvents(QCoreApplication::instance(), QEvent::MetaCall);
        QThread::yieldCurrentThread();
    }
}

} // namespace smtls::gui
