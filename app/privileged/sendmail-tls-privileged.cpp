// sendmail-tls-privileged: the one root process of an apply on "This computer". Started once
// per apply by ElevatedTransport through pkexec (one password), it answers requests on its
// stdin with replies on its stdout (transport/PrivilegedProtocol.h) and runs only what
// PrivilegedPolicy allows. It ends when its peer closes stdin, after 10 minutes without a
// request, or on a stream it cannot trust (an oversized or cut frame).
//
// For tests only: SMTLS_PRIVILEGED_TEST_FOLDERS (colon-separated) replaces the mail folders
// and keeps the caller's PATH, but never when pkexec started us (pkexec sets PKEXEC_UID and
// drops such variables anyway) — a user cannot widen what the real helper allows.

#include "CommandRunner.h"
#include "PrivilegedPolicy.h"
#include "transport/LocalTransport.h"
#include "transport/PrivilegedProtocol.h"

#include <QCoreApplication>
#include <QDir>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>

#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace smtls;
using namespace smtls::privileged;

namespace {

constexpr int IdleSeconds = 600;        // no request for this long: the apply is over
constexpr int PartialFrameSeconds = 30; // a frame begun and not finished: the peer is stuck
constexpr qint64 MaxTimeoutMs = 30 * 60 * 1000;

bool writeAll(int fd, const QByteArray &bytes)
{
    qsizetype done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.constData() + done, size_t(bytes.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += n;
    }
    return true;
}

bool send(const Reply &reply) { return writeAll(1, frame(encodeReply(reply))); }

Reply failed(ErrorKind kind, const QString &message)
{
    Reply r;
    r.kind = Reply::Kind::Failed;
    r.errorKind = kind;
    r.message = message;
    return r;
}

Reply answerRun(const PrivilegedPolicy &policy, const RunRequest &run, QByteArray &pending)
{
    if (Status s = policy.check(run.command)) {
        Reply r;
        r.kind = Reply::Kind::Refused;
        r.message = s->message;
        return r;
    }
    const qint64 timeout = run.timeoutMs <= 0 ? 60000 : qMin(run.timeoutMs, MaxTimeoutMs);
    const RunOutcome o = runCommand(run.command, run.standardInput, timeout, 0, pending, MaxFrameBytes - 4096);
    switch (o.end) {
    case RunOutcome::End::Exited: {
        Reply r;
        r.kind = Reply::Kind::Ran;
        r.exitCode = o.exitCode;
        r.out = o.out;
        r.err = o.err;
        return r;
    }
    case RunOutcome::End::TimedOut:
        return failed(ErrorKind::Connection, QStringLiteral("%1 timed out after %2 s").arg(run.command.program).arg(timeout / 1000));
    case RunOutcome::End::PeerGone:
        return failed(ErrorKind::Cancelled, QStringLiteral("cancelled"));
    case RunOutcome::End::TooMuchOutput:
        return failed(ErrorKind::Refused, QStringLiteral("%1 wrote more than %2 MB; stopped").arg(run.command.program).arg(MaxFrameBytes / (1024 * 1024)));
    case RunOutcome::End::CannotStart:
        break;
    }
    return failed(ErrorKind::Connection, o.error);
}

Reply answerRead(const PrivilegedPolicy &policy, const ReadRequest &read)
{
    if (Status s = policy.checkReadPath(read.path)) {
        Reply r;
        r.kind = Reply::Kind::Refused;
        r.message = s->message;
        return r;
    }
    LocalTransport local;
    const Result<std::optional<QByteArray>> bytes = local.readFile(read.path, qMin<qint64>(read.maxBytes, MaxFrameBytes - 4096));
    if (!bytes)
        return failed(bytes.error().kind, bytes.error().describe());
    Reply r;
    r.kind = Reply::Kind::FileData;
    r.present = bytes->has_value();
    r.out = bytes->value_or(QByteArray());
    return r;
}

// Waits for a complete frame on stdin. nullopt with *why empty: the peer closed stdin.
std::optional<QByteArray> nextFrame(QByteArray &buffer, QString *why)
{
    qint64 waited = 0;
    qint64 partial = 0;
    for (;;) {
        Result<std::optional<QByteArray>> f = takeFrame(buffer);
        if (!f) {
            *why = f.error().message;
            return std::nullopt;
        }
        if (*f)
            return **f;
        if (stopRequested())
            return std::nullopt;
        pollfd p{0, POLLIN, 0};
        const int ready = ::poll(&p, 1, 1000);
        if (ready == 0) {
            ++waited;
            partial = buffer.isEmpty() ? 0 : partial + 1;
            if (partial > PartialFrameSeconds) {
                *why = QStringLiteral("a frame was begun and not finished within %1 s").arg(PartialFrameSeconds);
                return std::nullopt;
            }
            if (waited > IdleSeconds)
                return std::nullopt;
            continue;
        }
        if (ready < 0 && errno == EINTR)
            continue;
        char chunk[65536];
        const ssize_t n = ::read(0, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (!buffer.isEmpty())
                *why = QStringLiteral("the stream ended inside a frame");
            return std::nullopt;
        }
        buffer.append(chunk, n);
        waited = 0;
        partial = 0;
    }
}

void onSignal(int) { requestStop(); }

} // namespace

int main(int argc, char *argv[])
{
    const bool underPkexec = qEnvironmentVariableIsSet("PKEXEC_UID");
    const QByteArray testFolders = underPkexec ? QByteArray() : qgetenv("SMTLS_PRIVILEGED_TEST_FOLDERS");
    if (testFolders.isEmpty()) {
        // A known environment for root's commands: nothing of the caller's reaches them.
        ::clearenv();
        ::setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 1);
        ::setenv("LANG", "C", 1);
    }
    QCoreApplication app(argc, argv);  // for QString's locale and QDir; no event loop runs
    if (argc > 1) {
        std::fprintf(stderr, "sendmail-tls-privileged takes no arguments: ElevatedTransport starts it through pkexec and "
                             "talks to it on stdin and stdout\n");
        return 2;
    }
    const QStringList folders = testFolders.isEmpty() ? PrivilegedPolicy::systemFolders()
                                                      : QString::fromLocal8Bit(testFolders).split(QLatin1Char(':'), Qt::SkipEmptyParts);
    const PrivilegedPolicy policy(folders);

    // Words without a slash name files in the current folder: make it an empty one of ours.
    ::umask(022);
    QByteArray cwd = QDir::tempPath().toLocal8Bit() + "/sendmail-tls-privileged.XXXXXX";
    if (!::mkdtemp(cwd.data()) || ::chdir(cwd.constData()) != 0) {
        std::perror("sendmail-tls-privileged: cannot make its working folder");
        return 1;
    }
    struct sigaction action {};
    action.sa_handler = onSignal;
    for (int s : {SIGTERM, SIGHUP, SIGINT})
        ::sigaction(s, &action, nullptr);
    ::signal(SIGPIPE, SIG_IGN);

    int status = 0;
    if (!writeAll(1, frame(QByteArray(Hello))))
        status = 1;
    QByteArray buffer;
    while (status == 0) {
        QString why;
        const std::optional<QByteArray> payload = nextFrame(buffer, &why);
        if (!payload) {
            if (!why.isEmpty()) {
                (void)send(failed(ErrorKind::Refused, QStringLiteral("malformed input, the helper stops: %1").arg(why)));
                std::fprintf(stderr, "sendmail-tls-privileged: %s\n", qPrintable(why));
                status = 3;
            }
            break;
        }
        const Result<Request> request = decodeRequest(*payload);
        Reply reply;
        if (!request) {
            reply.kind = Reply::Kind::Refused;
            reply.message = request.error().message;
        } else if (const auto *run = std::get_if<RunRequest>(&*request)) {
            reply = answerRun(policy, *run, buffer);
        } else {
            reply = answerRead(policy, std::get<ReadRequest>(*request));
        }
        if (!send(reply) || stopRequested())
            break;
    }
    ::chdir("/");
    ::rmdir(cwd.constData());
    return status;
}
