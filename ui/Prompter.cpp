#include "Prompter.h"

#include "HostKeyDialog.h"
#include "KeychainStore.h"
#include "SecretDialog.h"

#include <QThread>
#include <QWidget>

namespace smtls::gui {

Prompter::Prompter(QWidget *window) : QObject(window), m_window(window) {}

template <typename F>
void Prompter::onUiThread(F &&f)
{
    if (QThread::currentThread() == thread())
        f();
    else
        QMetaObject::invokeMethod(this, std::forward<F>(f), Qt::BlockingQueuedConnection);
}

HostKeyAnswer Prompter::askHostKey(const HostKeyQuestion &question)
{
    HostKeyAnswer answer = HostKeyAnswer::Cancel;
    onUiThread([&] {
        HostKeyDialog dialog(question, m_window);
        dialog.exec();
        answer = dialog.answer();
    });
    return answer;
}

std::optional<QString> Prompter::askSecret(const QString &hostName, const QString &prompt, bool echo, bool *remember)
{
    std::optional<QString> secret;
    onUiThread([&] {
        SecretDialog dialog(hostName, prompt, echo, KeychainStore::available(), m_window);
        if (dialog.exec() == QDialog::Accepted) {
            secret = dialog.secret();
            if (remember)
                *remember = dialog.remember();
        }
    });
    return secret;
}

} // namespace smtls::gui
