#include "CommandRunner.h"

#include <QElapsedTimer>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace smtls::privileged {

namespace {

volatile std::sig_atomic_t g_stop = 0;

void closeFd(int &fd)
{
    if (fd >= 0)
        ::close(fd);
    fd = -1;
}

// Reads what is there; false at EOF or on an error.
bool drain(int fd, QByteArray &into)
{
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n > 0) {
            into.append(buffer, n);
            continue;
        }
        if (n < 0 && (errno == EINTR))
            continue;
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
}

void stopGroup(pid_t pid)
{
    ::kill(-pid, SIGKILL);
    ::kill(pid, SIGKILL);
}

} // namespace

void requestStop() { g_stop = 1; }
bool stopRequested() { return g_stop != 0; }

RunOutcome runCommand(const CommandLine &command, const QByteArray &standardInput, qint64 timeoutMs, int peerFd,
                      QByteArray &pending, qint64 maxOutput)
{
    RunOutcome outcome;
    int in[2], out[2], err[2], status[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0 || ::pipe2(status, O_CLOEXEC) != 0) {
        outcome.error = QStringLiteral("cannot create pipes: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
        return outcome;
    }
    // Everything exec needs is made before fork: the child only calls async-signal-safe functions.
    const QByteArray program = command.program.toUtf8();
    QList<QByteArray> words{program};
    for (const QString &a : command.arguments)
        words << a.toUtf8();
    std::vector<char *> argv;
    for (QByteArray &w : words)
        argv.push_back(w.data());
    argv.push_back(nullptr);

    const pid_t pid = ::fork();
    if (pid < 0) {
        outcome.error = QStringLiteral("cannot fork: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
        for (int *p : {in, out, err, status})
            ::close(p[0]), ::close(p[1]);
        return outcome;
    }
    if (pid == 0) {
        ::setpgid(0, 0);
        // The helper killed outright (SIGKILL) takes the command with it.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() == 1)
            ::_exit(127);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        ::signal(SIGPIPE, SIG_DFL);
        ::dup2(in[0], 0);
        ::dup2(out[1], 1);
        ::dup2(err[1], 2);
        ::execvp(argv[0], argv.data());
        const int e = errno;
        (void)!::write(status[1], &e, sizeof e);
        ::_exit(127);
    }
    ::setpgid(pid, pid);  // also here: whichever of the two runs first
    ::close(in[0]);
    ::close(out[1]);
    ::close(err[1]);
    ::close(status[1]);
    int startError = 0;
    if (::read(status[0], &startError, sizeof startError) == ssize_t(sizeof startError)) {
        ::close(status[0]);
        ::close(in[1]);
        ::close(out[0]);
        ::close(err[0]);
        ::waitpid(pid, nullptr, 0);
        outcome.error = QStringLiteral("cannot start %1: %2").arg(command.program, QString::fromLocal8Bit(std::strerror(startError)));
        return outcome;
    }
    ::close(status[0]);

    int inFd = in[1], outFd = out[0], errFd = err[0];
    for (int fd : {inFd, outFd, errFd})
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    qsizetype written = 0;
    if (standardInput.isEmpty())
        closeFd(inFd);
    QElapsedTimer clock;
    clock.start();
    bool exited = false;
    int waitStatus = 0;
    qint64 exitedAt = 0;
    const auto finish = [&](RunOutcome::End end) {
        if (!exited) {
            stopGroup(pid);
            ::waitpid(pid, &waitStatus, 0);
        }
        for (int *fd : {&inFd, &outFd, &errFd})
            closeFd(*fd);
        outcome.end = end;
        return outcome;
    };
    for (;;) {
        if (!exited) {
            const pid_t w = ::waitpid(pid, &waitStatus, WNOHANG);
            if (w == pid) {
                exited = true;
                exitedAt = clock.elapsed();
            }
        }
        // Done: exited and its output read to the end (or a daemon it started keeps a pipe
        // open: half a second after the exit is enough for what was written before it).
        if (exited && ((outFd < 0 && errFd < 0) || clock.elapsed() - exitedAt > 500))
            break;
        if (stopRequested())
            return finish(RunOutcome::End::PeerGone);
        if (clock.elapsed() > timeoutMs)
            return finish(RunOutcome::End::TimedOut);
        pollfd fds[4];
        nfds_t n = 0;
        const auto watch = [&](int fd, short events) {
            if (fd >= 0)
                fds[n++] = pollfd{fd, events, 0};
        };
        watch(peerFd, POLLIN);
        watch(inFd, POLLOUT);
        watch(outFd, POLLIN);
        watch(errFd, POLLIN);
        const int ready = ::poll(fds, n, 50);
        if (ready < 0 && errno != EINTR)
            return finish(RunOutcome::End::PeerGone);
        for (nfds_t i = 0; ready > 0 && i < n; ++i) {
            if (!fds[i].revents)
                continue;
            const int fd = fds[i].fd;
            if (fd == peerFd) {
                if (!drain(peerFd, pending))
                    return finish(RunOutcome::End::PeerGone);
            } else if (fd == inFd) {
                const ssize_t k = ::write(inFd, standardInput.constData() + written, size_t(standardInput.size() - written));
                if (k > 0)
                    written += k;
                if ((k < 0 && errno != EAGAIN && errno != EINTR) || written == standardInput.size())
                    closeFd(inFd);  // done, or the command does not read its input (EPIPE)
            } else if (fd == outFd || fd == errFd) {
                QByteArray &into = fd == outFd ? outcome.out : outcome.err;
                if (!drain(fd, into))
                    closeFd(fd == outFd ? outFd : errFd);
                if (outcome.out.size() + outcome.err.size() > maxOutput)
                    return finish(RunOutcome::End::TooMuchOutput);
            }
        }
    }
    for (int *fd : {&inFd, &outFd, &errFd})
        closeFd(*fd);
    outcome.end = RunOutcome::End::Exited;
    outcome.exitCode = WIFEXITED(waitStatus) ? WEXITSTATUS(waitStatus) : -1;
    return outcome;
}

} // namespace smtls::privileged
