#pragma once
// Questions a worker thread has for the user (unknown host key, password, passphrase). The
// worker calls these and waits; the dialog runs on the UI thread, which keeps its event loop.
//
// Workers hold the Prompter by shared_ptr, so it outlives the window; it only names the
// window through a QPointer read on the UI thread. close() is for the window's end: from then
// on every question is answered "cancel" without a dialog, and it returns only once no worker
// is still waiting for the UI thread, so that shutting down cannot deadlock on a question.

#include "SecretDialog.h"

#include <QPointer>
#include <QString>

#include <atomic>
#include <functional>
#include <optional>

class QWidget;

namespace smtls::gui {

struct HostKeyQuestion {
    QString host;
    int port = 22;
    QString keyType;
    QString fingerprint;
    QString knownHostsFile;
};

enum class HostKeyAnswer { Cancel, AcceptOnce, AcceptAlways };

class Prompter {
public:
    explicit Prompter(QWidget *window);  // on the UI thread

    // From a worker thread (blocks that thread only).
    HostKeyAnswer askHostKey(const HostKeyQuestion &question);
    // *remember: the user asked to keep it in the system keychain.
    std::optional<QString> askSecret(const QString &hostName, const QString &prompt, bool echo, bool *remember,
                                     SecretPurpose purpose = SecretPurpose::Login);

    void close();  // on the UI thread

private:
    // Runs `show` on the UI thread with the window as the dialogs' parent and waits for it;
    // false when the window is gone or closing (nothing was shown).
    bool onUiThread(const std::function<void(QWidget *)> &show);

    QPointer<QWidget> m_window;
    std::atomic<bool> m_closed{false};
    std::atomic<int> m_waiting{0};
};

} // namespace smtls::gui
