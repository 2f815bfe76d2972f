#include "InParallel.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace smtls {

void runInParallel(qsizetype count, int parallelism, const std::function<void(qsizetype)> &work)
{
    if (count <= 0)
        return;
    const qsizetype workers = std::min<qsizetype>(count, parallelism > 0 ? parallelism : count);
    std::atomic<qsizetype> next{0};
    std::vector<std::thread> threads;
    threads.reserve(size_t(workers));
    for (qsizetype w = 0; w < workers; ++w)
        threads.emplace_back([&] {
            for (qsizetype i = next++; i < count; i = next++)
                work(i);
        });
    for (std::thread &t : threads)
        t.join();
}

} // namespace smtls
