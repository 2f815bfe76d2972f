#include "ReadScenarios.h"

#include "UnifiedDiff.h"

#include <QFile>

#include <cstdio>
#include <fstream>

namespace smtls::bench {
namespace {

bool isTryTls(const std::string &line)
{
    static const std::string tag = "try_tls:";
    if (line.size() < tag.size())
        return false;
    for (std::size_t i = 0; i < tag.size(); ++i)
        if (char(std::tolower(static_cast<unsigned char>(line[i]))) != tag[i])
            return false;
    return true;
}

} // namespace

std::vector<ReadScenario> makeReadScenarios(const GeneratedAccessFile &f, const std::string &cli, const ReadPaths &p)
{
    const std::vector<std::string> common{cli, "--mc", p.mc, "--access", p.access};
    auto ours = [&common](std::vector<std::string> args) {
        std::vector<std::string> argv = common;
        argv.insert(argv.end(), args.begin(), args.end());
        return argv;
    };
    auto sh = [](const std::string &script) { return std::vector<std::string>{"sh", "-c", script}; };
    // The planted NO rule is in the middle of the file: a scan finds it only halfway through.
    const std::string stuck = f.noRule.key;
    return {
        ReadScenario{"status (every rule listed)", "grep -i '^Try_TLS:' | sort",
                     ours({"status"}), sh("grep -i '^Try_TLS:' '" + p.access + "' | sort"),
                     stuck + " ", "Try_TLS:" + stuck},
        ReadScenario{"status --json", "grep -i '^Try_TLS:' | sort",
                     ours({"status", "--json"}), sh("grep -i '^Try_TLS:' '" + p.access + "' | sort"),
                     "\"destination\":\"" + stuck + "\"", "Try_TLS:" + stuck},
        ReadScenario{"explain one server", "grep -i '^Try_TLS:NAME[[:blank:]]'",
                     ours({"explain", stuck}), sh("grep -i '^Try_TLS:" + stuck + "[[:blank:]]' '" + p.access + "'"),
                     "decided by: Try_TLS:" + stuck, "Try_TLS:" + stuck},
        ReadScenario{"diff, first and last rule removed", "diff -u",
                     {p.self, "--diff", p.diffBefore, p.diffAfter},
                     {"diff", "-u", "--label", "before", "--label", "after", p.diffBefore, p.diffAfter},
                     "@@ -", "@@ -", true, true},
    };
}

bool writeFarApartEdit(const std::string &original, const std::string &after)
{
    std::ifstream in(original, std::ios::binary);
    if (!in)
        return false;
    // First pass: where the last Try_TLS rule is.
    long long lineNo = 0, first = -1, last = -1;
    std::string line;
    while (std::getline(in, line)) {
        if (isTryTls(line)) {
            if (first < 0)
                first = lineNo;
            last = lineNo;
        }
        ++lineNo;
    }
    if (first < 0 || first == last)
        return false;
    in.clear();
    in.seekg(0);
    std::ofstream out(after, std::ios::binary | std::ios::trunc);
    lineNo = 0;
    while (std::getline(in, line)) {
        if (lineNo != first && lineNo != last) {
            out << line;
            if (!in.eof())
                out << '\n';
        }
        ++lineNo;
    }
    return bool(out.flush());
}

int runDiffChild(const std::string &before, const std::string &after)
{
    QFile a(QString::fromStdString(before)), b(QString::fromStdString(after));
    if (!a.open(QIODevice::ReadOnly) || !b.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "smtls-bench --diff: cannot read the files\n");
        return 2;
    }
    const QByteArray diff = unifiedDiff(a.readAll(), b.readAll(), QStringLiteral("before"), QStringLiteral("after"));
    std::fwrite(diff.constData(), 1, size_t(diff.size()), stdout);
    return diff.isEmpty() ? 0 : 1;  // as diff(1): 1 when the files differ
}

} // namespace smtls::bench
