#pragma once
// Work on several hosts at once, bounded: a fixed set of threads takes the items in order, so no
// item waits on another's failure and a slow host costs its own time once, not once per host.

#include <QtGlobal>

#include <functional>

namespace smtls {

// Runs work(i) for i in 0..count-1 on at most `parallelism` threads (0: one per item) and
// returns when every one has finished. work must be safe to call from several threads at once.
void runInParallel(qsizetype count, int parallelism, const std::function<void(qsizetype)> &work);

} // namespace smtls
