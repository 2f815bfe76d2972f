#pragma once
// The user's end of sendmail-tls-privileged: started through pkexec on the first request (the
// one password prompt of an apply), kept for every later request, ended when the session is
// destroyed or cancelled. Blocking, for the worker thread that owns it; cancel() may be called
// from any thread.

#include "transport/PrivilegedProtocol.h"
#include "transport/Transport.h"

#include <QProcess>
#include <QString>

#include <atomic>
#include <chrono>
#include <memory>

namespace smtls {

class PrivilegedSession {
public:
    // The installed helper (SMTLS_PRIVILEGED_HELPER; the environment variable of that name
    // overrides it, for a build tree and for tests), or empty when it is not there.
    static QString helperPath();

    explicit PrivilegedSession(QString elevator = QStringLiteral("pkexec"), QString helper = helperPath());
    ~PrivilegedSession();
    PrivilegedSession(const PrivilegedSession &) = delete;
    PrivilegedSession &operator=(const PrivilegedSession &) = delete;

    Result<CommandResult> run(const CommandLine &command, const QByteArray &standardInput, std::chrono::milliseconds timeout);
    Result<std::optional<QByteArray>> readFile(const QString &path, qint64 maxBytes);
    void cancel();
    // How many times the helper was started (one per session unless it died).
    int starts() const { return m_starts; }

private:
    Status start();
    Result<privileged::Reply> ask(const privileged::Request &request, std::chrono::milliseconds replyWithin);
    Result<QByteArray> readFrame(std::chrono::milliseconds within, const char *waitingFor);
    void stop();

    QString m_elevator;
    QString m_helper;
    std::unique_ptr<QProcess> m_process;
    QByteArray m_buffer;
    int m_starts = 0;
    std::atomic<bool> m_cancelled{false};
};

} // namespace smtls
