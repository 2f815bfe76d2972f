#pragma once
// The edits measured: each is one `sendmail-tls set destination …` an administrator would run,
// the `sed -i` script that makes the same change to the file, and the exact bytes both must
// produce (so a run that changed nothing, or too much, is caught).

#include "AccessFileGenerator.h"

#include <string>
#include <vector>

namespace smtls::bench {

struct Scenario {
    std::string name;                  // short, for the report
    std::vector<std::string> cliArgs;  // after the common --mc/--access/--snapshot-dir
    // The sed script and the expected replacement depend on the date: our tool dates its note
    // line ("# sendmail-tls: 2025-06-11 TLS off").
    std::string (*sedScript)(const GeneratedAccessFile &, const std::string &date) = nullptr;
    std::string (*replacement)(const GeneratedAccessFile &, const std::string &date) = nullptr;
    std::uint64_t spliceOffset = 0;    // where the expected change is in the original file
    std::uint64_t spliceLength = 0;
};

std::vector<Scenario> makeScenarios(const GeneratedAccessFile &file);

} // namespace smtls::bench
