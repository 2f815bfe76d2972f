#include "ChildProcess.h"

#include <cerrno>
#include <ctime>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace smtls::bench {
namespace {

double nowMs()
{
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return double(ts.tv_sec) * 1000.0 + double(ts.tv_nsec) / 1.0e6;
}

} // namespace

ChildRun runMeasured(const std::vector<std::string> &argv, const std::string &logPath)
{
    ChildRun run;
    // Everything the child needs is prepared before fork(): after it, only async-signal-safe
    // calls are allowed in the child.
    std::vector<char *> args;
    args.reserve(argv.size() + 1);
    for (const std::string &a : argv)
        args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    const int log = ::open(logPath.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    const int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (log < 0 || null < 0) {
        if (log >= 0)
            ::close(log);
        if (null >= 0)
            ::close(null);
        return run;
    }

    const double start = nowMs();
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(null, STDIN_FILENO);
        ::dup2(log, STDOUT_FILENO);
        ::dup2(log, STDERR_FILENO);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    ::close(log);
    ::close(null);
    if (pid < 0)
        return run;
    int status = 0;
    rusage usage{};
    pid_t got;
    do
        got = ::wait4(pid, &status, 0, &usage);
    while (got < 0 && errno == EINTR);
    run.wallMs = nowMs() - start;
    if (got != pid)
        return run;
    run.started = !(WIFEXITED(status) && WEXITSTATUS(status) == 127);
    run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.maxRssKiB = usage.ru_maxrss;
    return run;
}

} // namespace smtls::bench
