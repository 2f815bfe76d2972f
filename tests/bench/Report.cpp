#include "Report.h"

#include <algorithm>
#include <cstdio>

namespace smtls::bench {

Stats statsOf(std::vector<double> values)
{
    Stats s;
    if (values.empty())
        return s;
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    s.median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
    s.min = values.front();
    s.max = values.back();
    return s;
}

namespace {

struct ToolFigures {
    Stats wall;
    Stats rssMiB;
};

ToolFigures figuresOf(const std::vector<ChildRun> &runs)
{
    std::vector<double> wall, rss;
    for (const ChildRun &r : runs) {
        wall.push_back(r.wallMs);
        rss.push_back(kibToMiB(r.maxRssKiB));
    }
    return {statsOf(wall), statsOf(rss)};
}

void printTool(const char *label, const ToolFigures &f)
{
    std::printf("    %-13s wall ms  median %8.1f  min %8.1f  max %8.1f   peak RSS MiB  median %6.1f  max %6.1f\n",
                label, f.wall.median, f.wall.min, f.wall.max, f.rssMiB.median, f.rssMiB.max);
}

} // namespace

bool printScenario(const ScenarioRuns &runs, const Goals &goals)
{
    std::printf("\n  %s  (%zu rounds)\n", runs.name.c_str(), runs.ours.size());
    if (runs.ours.empty() || runs.ours.size() != runs.sed.size()) {
        std::printf("    no valid rounds\n");
        return false;
    }
    const ToolFigures ours = figuresOf(runs.ours);
    const ToolFigures sed = figuresOf(runs.sed);
    printTool("sendmail-tls", ours);
    printTool(runs.referenceLabel.size() <= 13 ? runs.referenceLabel.c_str() : "reference", sed);
    if (runs.referenceLabel.size() > 13)
        std::printf("    (reference: %s)\n", runs.referenceLabel.c_str());

    std::vector<double> pairRatios;
    for (std::size_t i = 0; i < runs.ours.size(); ++i)
        pairRatios.push_back(runs.ours[i].wallMs / runs.sed[i].wallMs);
    const Stats pairs = statsOf(pairRatios);
    const double ratio = ours.wall.median / sed.wall.median;
    const bool timeOk = !runs.timeGoal || ratio <= goals.timeRatio;
    // The goal is about the peak: judged on the largest of the runs, not the median.
    const bool memoryOk = ours.rssMiB.max < goals.memoryBudgetMiB;
    if (runs.timeGoal)
        std::printf("    time   ours/sed: %.2fx (medians), per-round ratios median %.2fx (min %.2fx, max %.2fx)"
                    "  -> goal <= %.1fx %s\n",
                    ratio, pairs.median, pairs.min, pairs.max, goals.timeRatio, timeOk ? "MET" : "NOT MET");
    else
        std::printf("    time   ours/reference: %.2fx (medians), per-round median %.2fx (min %.2fx, max %.2fx)"
                    "  (for reference: ours answers more)\n",
                    ratio, pairs.median, pairs.min, pairs.max);
    std::printf("    memory peak %.1f MiB (max of rounds) vs budget %.1f MiB  -> %s\n", ours.rssMiB.max,
                goals.memoryBudgetMiB, memoryOk ? "UNDER budget (MET)" : "OVER budget (NOT MET)");
    return timeOk && memoryOk;
}

} // namespace smtls::bench
