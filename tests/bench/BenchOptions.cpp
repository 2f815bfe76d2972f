#include "BenchOptions.h"

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace smtls::bench {
namespace {

void usage()
{
    std::fputs("usage: smtls-bench --cli PATH [--sed PATH] [--rounds N] [--lines N] [--work-dir DIR]\n"
               "                   [--mc sendmail.mc] [--queue-messages N] [--keep]\n",
               stderr);
}

// Strict: "7x" or an out-of-range count is an error, not silently 7.
std::optional<int> parseCount(std::string_view text, int min, int max)
{
    char *end = nullptr;
    const std::string copy(text);
    const long v = std::strtol(copy.c_str(), &end, 10);
    if (copy.empty() || *end != '\0' || v < min || v > max)
        return std::nullopt;
    return int(v);
}

} // namespace

std::optional<BenchOptions> parseBenchOptions(int argc, char **argv)
{
    BenchOptions o;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const auto value = [&]() -> std::optional<std::string_view> {
            if (i + 1 >= argc)
                return std::nullopt;
            return std::string_view(argv[++i]);
        };
        std::optional<std::string_view> v;
        if (arg == "--keep") {
            o.keep = true;
            continue;
        }
        if (arg == "-h" || arg == "--help") {
            usage();
            std::exit(0);
        }
        if (!(v = value())) {
            std::fprintf(stderr, "smtls-bench: %.*s needs a value\n", int(arg.size()), arg.data());
            usage();
            return std::nullopt;
        }
        if (arg == "--cli") {
            o.cli = *v;
        } else if (arg == "--sed") {
            o.sed = *v;
        } else if (arg == "--work-dir") {
            o.workDir = *v;
        } else if (arg == "--mc") {
            o.demoMc = *v;
        } else if (arg == "--queue-messages") {
            const std::optional<int> n = parseCount(*v, 10, 100000);
            if (!n) {
                std::fprintf(stderr, "smtls-bench: bad value for --queue-messages\n");
                return std::nullopt;
            }
            o.queueMessages = *n;
        } else if (arg == "--rounds" || arg == "--lines") {
            const std::optional<int> n = arg == "--rounds" ? parseCount(*v, 1, 100) : parseCount(*v, 1000, 1500000);
            if (!n) {
                std::fprintf(stderr, "smtls-bench: bad value for %.*s\n", int(arg.size()), arg.data());
                return std::nullopt;
            }
            (arg == "--rounds" ? o.rounds : o.lines) = *n;
        } else {
            std::fprintf(stderr, "smtls-bench: unknown option %.*s\n", int(arg.size()), arg.data());
            usage();
            return std::nullopt;
        }
    }
    if (o.cli.empty()) {
        std::fputs("smtls-bench: --cli is required\n", stderr);
        usage();
        return std::nullopt;
    }
    return o;
}

} // namespace smtls::bench
