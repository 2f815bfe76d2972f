#pragma once
// Runs one command as a child and measures it the way an administrator experiences it: wall
// time from before fork() to after the child is reaped (start-up included), and the child's own
// peak RSS from wait4()'s rusage (getrusage(RUSAGE_CHILDREN) would mix all children together).
//
// Caveat: Linux folds the memory the child had before exec() into its ru_maxrss. With fork()
// that is the parent's anonymous memory at the time of the fork, so this process keeps itself
// small (no file is ever held in memory here) and main() prints the floor measured on /bin/true.

#include <string>
#include <vector>

namespace smtls::bench {

struct ChildRun {
    bool started = false;
    int exitCode = -1;     // -1 when killed by a signal or not started
    double wallMs = 0;
    long maxRssKiB = 0;    // ru_maxrss (KiB on Linux)
};

// argv[0] is looked up in PATH when it has no '/'. stdout and stderr go to logPath (appended),
// stdin is /dev/null.
ChildRun runMeasured(const std::vector<std::string> &argv, const std::string &logPath);

} // namespace smtls::bench
