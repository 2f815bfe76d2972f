#include "PerHost.h"

#include <atomic>
#include <thread>
#include <vector>

namespace smtls::cli {

QStringList hostsToAsk(const CliOptions &options)
{
    return options.hosts.isEmpty() ? QStringList{QString()} : options.hosts;
}

void runInParallel(qsizetype count, int parallel, const std::function<void(qsizetype)> &work)
{
    if (count <= 0)
        return;
    const qsizetype workers = std::min<qsizetype>(count, parallel > 0 ? parallel : count);
    std::atomic<qsizetype> next{0};
    std::vector<std::thread> threads;
    for (qsizetype w = 0; w < workers; ++w)
        threads.emplace_back([&] {
            for (qsizetype i = next++; i < count; i = next++)
                work(i);
        });
    for (std::thread &t : threads)
        t.join();
}

Result<HostConnection> connectToAsk(const CliOptions &options, const QString &name)
{
    if (name.isEmpty())
        return localTreeHost(options);
    return connectHost(options, name);
}

QString shownHost(const QString &name)
{
    return name.isEmpty() ? QStringLiteral("localhost") : name;
}

} // namespace smtls::cli
