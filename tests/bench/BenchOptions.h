#pragma once
// Command line of smtls-bench. Defaults are what `ninja bench` runs; the options exist so that
// a smaller file or more rounds can be tried by hand without rebuilding.

#include <optional>
#include <string>

namespace smtls::bench {

struct BenchOptions {
    std::string cli;                          // path of sendmail-tls (required)
    std::string sed = "sed";                  // looked up in PATH like a shell would
    std::string workDir = SMTLS_BENCH_WORK_DIR;
    std::string demoMc = SMTLS_BENCH_DEMO_MC;
    int rounds = 7;
    int lines = 1000000;
    std::string queueData = SMTLS_BENCH_QUEUE_DATA;  // captured qf files and log (tests/core/data/queue)
    int queueMessages = 2000;                 // the queue scenario's stuck messages
    bool keep = false;                        // leave the work dir for inspection
};

// Empty with a message on stderr when the arguments are unusable.
std::optional<BenchOptions> parseBenchOptions(int argc, char **argv);

} // namespace smtls::bench
