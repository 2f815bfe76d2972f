#include "apply/MultiHostApply.h"

#include "InParallel.h"

#include <vector>

namespace smtls {

QList<ApplyReport> applyToHosts(const QList<HostJob> &jobs, const ApplyRequest &request, const MultiHostOptions &options)
{
    std::vector<ApplyReport> reports(size_t(jobs.size()));  // one slot per worker-owned index
    // A fixed set of workers takes hosts in order: no host waits on another's failure.
    runInParallel(jobs.size(), options.parallelism, [&](qsizetype i) {
        ApplyReport &report = reports[size_t(i)];
        report.host = jobs[i].name;
        report.change = request.change.description();
        if (options.cancel && options.cancel->load()) {
            report.outcome = ApplyOutcome::Refused;
            report.error = makeError(ErrorKind::Cancelled, QStringLiteral("cancelled before it started"));
            report.summary = QStringLiteral("Cancelled before it started; nothing was changed.");
            return;
        }
        auto connected = jobs[i].connect();
        if (!connected) {
            report = connectFailedReport(jobs[i].name, report.change, connected.error());
            report.summary = asSentence(connected.error().message);
            return;
        }
        auto &[transport, profile] = *connected;
        ApplyOptions perHost;
        perHost.localSnapshots = options.localSnapshots;
        perHost.progress = options.progress;
        if (options.cancel)
            perHost.cancelled = [flag = options.cancel]() { return flag->load(); };
        report = applyChange(*transport, profile, request, perHost);
        report.host = jobs[i].name;
    });
    return QList<ApplyReport>(reports.begin(), reports.end());
}

} // namespace smtls
