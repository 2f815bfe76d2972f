#include "transport/PrivilegedSession.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>

namespace smtls {

using namespace privileged;

namespace {

// The password dialog is in front of the admin meanwhile: give them time to type.
constexpr std::chrono::minutes AuthenticationTime{5};

// pkexec's own exit statuses (pkexec(1)).
QString pkexecFailure(int exitCode)
{
    if (exitCode == 126)
        return QStringLiteral("the administrator authentication was dismissed or failed (pkexec exit 126)");
    if (exitCode == 127)
        return QStringLiteral("not authorized to run the privileged helper (pkexec exit 127; is the polkit action "
                              "org.sendmailtls.privileged installed?)");
    return QStringLiteral("the privileged helper ended (exit %1)").arg(exitCode);
}

} // namespace

QString PrivilegedSession::helperPath()
{
    if (const QString forced = qEnvironmentVariable("SMTLS_PRIVILEGED_HELPER"); !forced.isEmpty())
        return QFileInfo::exists(forced) ? forced : QString();
    // Beside the program as installed (bin/../libexec/sendmail-tls/), whatever the prefix; then
    // where the build was configured to install it.
    QStringList candidates;
#ifdef SMTLS_PRIVILEGED_HELPER_FROM_BIN
    if (QCoreApplication::instance())
        candidates << QDir::cleanPath(QCoreApplication::applicationDirPath() + QStringLiteral("/" SMTLS_PRIVILEGED_HELPER_FROM_BIN));
#endif
#ifdef SMTLS_PRIVILEGED_HELPER
    candidates << QStringLiteral(SMTLS_PRIVILEGED_HELPER);
#endif
    for (const QString &path : candidates)
        if (QFileInfo(path).isExecutable())
            return path;
    return {};
}

PrivilegedSession::PrivilegedSession(QString elevator, QString helper) : m_elevator(std::move(elevator)), m_helper(std::move(helper)) {}

PrivilegedSession::~PrivilegedSession() { stop(); }

void PrivilegedSession::cancel() { m_cancelled = true; }

void PrivilegedSession::stop()
{
    if (!m_process)
        return;
    // The helper ends (and stops a running command) when its stdin closes. It runs as root, so
    // a signal from us would not reach it; the kill is for pkexec still asking for a password.
    m_process->closeWriteChannel();
    if (!m_process->waitForFinished(3000)) {
        m_process->kill();
        m_process->waitForFinished(2000);
    }
    m_process.reset();
    m_buffer.clear();
}

Result<QByteArray> PrivilegedSession::readFrame(std::chrono::milliseconds within, const char *waitingFor)
{
    QElapsedTimer clock;
    clock.start();
    for (;;) {
        Result<std::optional<QByteArray>> f = takeFrame(m_buffer);
        if (!f) {
            stop();
            return makeError(ErrorKind::Connection, QStringLiteral("the privileged helper sent a malformed reply: %1").arg(f.error().message));
        }
        if (*f)
            return std::move(**f);
        if (m_cancelled) {
            stop();
            return makeError(ErrorKind::Cancelled, QStringLiteral("cancelled"));
        }
        if (m_process->state() == QProcess::NotRunning) {
            if (const QByteArray rest = m_process->readAllStandardOutput(); !rest.isEmpty()) {
                m_buffer += rest;
                continue;
            }
            const int code = m_process->exitCode();
            const QString err = QString::fromUtf8(m_process->readAllStandardError().trimmed()).left(300);
            stop();
            return makeError(ErrorKind::Connection, pkexecFailure(code) + (err.isEmpty() ? QString() : QStringLiteral(": ") + err));
        }
        if (clock.elapsed() > within.count()) {
            stop();
            return makeError(ErrorKind::Connection,
                             QStringLiteral("the privileged helper did not answer within %1 s (%2)").arg(within.count() / 1000).arg(QLatin1String(waitingFor)));
        }
        // Slices, so that cancel() from another thread is noticed.
        if (m_process->waitForReadyRead(200) || m_process->bytesAvailable() > 0)
            m_buffer += m_process->readAllStandardOutput();
    }
}

Status PrivilegedSession::start()
{
    if (m_process && m_process->state() == QProcess::Running)
        return std::nullopt;
    m_process.reset();
    m_buffer.clear();
    if (m_helper.isEmpty())
        return makeError(ErrorKind::Connection, QStringLiteral("the privileged helper sendmail-tls-privileged is not installed"));
    m_process = std::make_unique<QProcess>();
    m_process->start(m_elevator, {m_helper});
    ++m_starts;
    if (!m_process->waitForStarted(10000)) {
        const QString why = m_process->errorString();
        m_process.reset();
        return makeError(ErrorKind::Connection, QStringLiteral("cannot start %1: %2").arg(m_elevator, why));
    }
    const Result<QByteArray> hello = readFrame(AuthenticationTime, "waiting for the administrator's authentication");
    if (!hello)
        return hello.error();
    if (*hello != QByteArray(Hello)) {
        stop();
        return makeError(ErrorKind::Connection, QStringLiteral("%1 is not the privileged helper this program expects").arg(m_helper));
    }
    return std::nullopt;
}

Result<Reply> PrivilegedSession::ask(const Request &request, std::chrono::milliseconds replyWithin)
{
    if (m_cancelled)
        return makeError(ErrorKind::Cancelled, QStringLiteral("cancelled"));
    if (Status s = start())
        return *s;
    const QByteArray bytes = frame(encodeRequest(request));
    if (bytes.size() - 4 > qsizetype(MaxFrameBytes))
        return makeError(ErrorKind::Refused, QStringLiteral("the request is larger than the privileged helper accepts"));
    m_process->write(bytes);
    const Result<QByteArray> payload = readFrame(replyWithin, "running the command");
    if (!payload)
        return payload.error();
    return decodeReply(*payload);
}

Result<CommandResult> PrivilegedSession::run(const CommandLine &command, const QByteArray &standardInput, std::chrono::milliseconds timeout)
{
    // The helper enforces the timeout; ours only covers a helper that no longer answers.
    const Result<Reply> reply = ask(RunRequest{command, standardInput, timeout.count()}, timeout + std::chrono::seconds(15));
    if (!reply)
        return reply.error();
    switch (reply->kind) {
    case Reply::Kind::Ran: {
        CommandResult r;
        r.exitCode = reply->exitCode;
        r.out = reply->out;
        r.err = reply->err;
        return r;
    }
    case Reply::Kind::Refused:
        return makeError(ErrorKind::Refused, reply->message);
    case Reply::Kind::Failed:
        return makeError(reply->errorKind, reply->message);
    case Reply::Kind::FileData:
        break;
    }
    return makeError(ErrorKind::Internal, QStringLiteral("the privileged helper answered a command with file data"));
}

Result<std::optional<QByteArray>> PrivilegedSession::readFile(const QString &path, qint64 maxBytes)
{
    const Result<Reply> reply = ask(ReadRequest{path, maxBytes}, std::chrono::seconds(60));
    if (!reply)
        return reply.error();
    switch (reply->kind) {
    case Reply::Kind::FileData:
        return reply->present ? std::optional<QByteArray>(reply->out) : std::optional<QByteArray>();
    case Reply::Kind::Refused:
        return makeError(ErrorKind::Refused, reply->message, path);
    case Reply::Kind::Failed:
        return makeError(reply->errorKind, reply->message);
    case Reply::Kind::Ran:
        break;
    }
    return makeError(ErrorKind::Internal, QStringLiteral("the privileged helper answered a read with a command's result"));
}

} // namespace smtls
