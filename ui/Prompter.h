#pragma once
// Questions a worker thread has for the user (unknown host key, password, passphrase). The
// worker calls these and waits; the dialog runs on the UI thread, which keeps its event loop.

#include <QObject>
#include <QString>

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

class Prompter : public QObject {
    Q_OBJECT
public:
    explicit Prompter(QWidget *window);

    // From a worker thread (blocks that thread only).
    HostKeyAnswer askHostKey(const HostKeyQuestion &question);
    // *remember: the user asked to keep it in the system keychain.
    std::optional<QString> askSecret(const QString &hostName, const QString &prompt, bool echo, bool *remember);

private:
    template <typename F>
    void onUiThread(F &&f);
    QWidget *m_window;
};

} // namespace smtls::gui
