#pragma once
// Turns the measured runs into the figures the issue asks for: per tool median/min/max wall
// time and peak RSS, the ours/sed ratio (of the medians, and the median of per-round ratios,
// which is steadier when the machine's speed drifts), and the two goals: time within 2x sed,
// peak memory under 2x the file size + 30 MiB. It prints; it never fails the build.

#include "ChildProcess.h"

#include <cstdint>
#include <string>
#include <vector>

namespace smtls::bench {

struct Stats {
    double median = 0;
    double min = 0;
    double max = 0;
};
Stats statsOf(std::vector<double> values);

// One scenario's runs; ours[i] and sed[i] ran back to back in round i.
struct ScenarioRuns {
    std::string name;
    std::vector<ChildRun> ours;
    std::vector<ChildRun> sed;  // the reference command (sed -i, or what the scenario names)
    std::string referenceLabel = "sed -i";
    bool timeGoal = true;       // false: the ratio is printed for reference only
};

struct Goals {
    double timeRatio = 2.0;
    double memoryBudgetMiB = 0;  // 2 x file size + 30 MiB
};

// Prints the scenario's block; returns whether both goals were met.
bool printScenario(const ScenarioRuns &runs, const Goals &goals);

inline double mib(std::uint64_t bytes) { return double(bytes) / (1024.0 * 1024.0); }
inline double kibToMiB(long kib) { return double(kib) / 1024.0; }

} // namespace smtls::bench
