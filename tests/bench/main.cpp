// smtls-bench: is editing a 1,000,000-line access map with sendmail-tls in the same league as
// `sed -i`? Run by `ninja bench`; see CMakeLists.txt. Prints figures; exits non-zero only when
// the benchmark itself could not be set up or a run did not make the expected edit (then the
// figures would be meaningless).

#include "AccessFileGenerator.h"
#include "BenchOptions.h"
#include "ChildProcess.h"
#include "FileTools.h"
#include "QueueScenario.h"
#include "ReadScenarios.h"
#include "Report.h"
#include "Scenarios.h"

#include <QDate>

#include <cstdio>
#include <filesystem>
#include <system_error>

#include <sys/resource.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace smtls::bench;

namespace {

// This program's path, for running it again as a child (`--diff`).
std::string selfPath(const char *argv0)
{
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string(argv0) : exe.string();
}

// The date our tool writes into its note line, as it computes it (local date).
std::string today() { return QDate::currentDate().toString(Qt::ISODate).toStdString(); }

struct Paths {
    std::string work, original, mc, copy, snapshots, logs;
};

int setupFailure(const std::string &what)
{
    std::fprintf(stderr, "smtls-bench: setup failed: %s\n", what.c_str());
    return 1;
}

// Fresh copy of the map and an empty snapshot folder for the next run; then sync, so that
// write-back of earlier runs does not land inside the next measurement.
bool prepareRun(const Paths &p)
{
    std::error_code ec;
    fs::remove_all(p.snapshots, ec);
    fs::remove(p.copy, ec);
    if (!copyFileSynced(p.original, p.copy))
        return false;
    ::sync();
    return true;
}

// One measured run and its check. `ok` false: it failed or the file is not what it must be.
ChildRun runOnce(const Paths &p, const GeneratedAccessFile &file, const Scenario &s, bool ours,
                 const std::string &cli, const std::string &sed, bool *ok)
{
    *ok = false;
    if (!prepareRun(p))
        return {};
    const std::string dateBefore = today();
    std::vector<std::string> argv;
    if (ours) {
        argv = {cli, "--mc", p.mc, "--access", p.copy, "--snapshot-dir", p.snapshots};
        argv.insert(argv.end(), s.cliArgs.begin(), s.cliArgs.end());
    } else {
        argv = {sed, "-i", s.sedScript(file, dateBefore), p.copy};
    }
    const std::string log = p.logs + (ours ? "/sendmail-tls.log" : "/sed.log");
    const ChildRun run = runMeasured(argv, log);
    if (!run.started || run.exitCode != 0) {
        std::printf("    FAILED: %s exited with %d (output in %s)\n", argv[0].c_str(), run.exitCode, log.c_str());
        return run;
    }
    // Across midnight the note may carry either date.
    for (const std::string &date : {dateBefore, today()}) {
        if (isSplicedCopy(p.copy, p.original, s.spliceOffset, s.spliceLength, s.replacement(file, date))) {
            *ok = true;
            return run;
        }
    }
    std::printf("    FAILED: %s did not make exactly the expected edit (%s)\n", ours ? "sendmail-tls" : "sed",
                s.name.c_str());
    return run;
}

// One measured run of a read-only scenario; its output goes to `out`, which is checked.
ChildRun runRead(const std::vector<std::string> &argv, const std::string &out, const std::string &mustContain,
                 bool differs, bool *ok)
{
    std::error_code ec;
    fs::remove(out, ec);
    const ChildRun run = runMeasured(argv, out);
    *ok = run.started && (run.exitCode == 0 || (differs && run.exitCode == 1)) && fileContains(out, mustContain);
    if (!*ok)
        std::printf("    FAILED: %s exited with %d or printed no \"%s\" (output in %s)\n", argv[0].c_str(), run.exitCode,
                    mustContain.c_str(), out.c_str());
    return run;
}

bool runReadScenarios(const Paths &p, const GeneratedAccessFile &file, const BenchOptions &o, const std::string &self,
                      const Goals &goals, int *failures)
{
    const ReadPaths rp{p.mc, p.original, p.original, p.work + "/access.far-apart-edit", self};
    if (!writeFarApartEdit(rp.diffBefore, rp.diffAfter)) {
        std::printf("  FAILED: cannot write %s\n", rp.diffAfter.c_str());
        ++*failures;
        return false;
    }
    std::printf("\nRead-only questions on the same file, each next to what an administrator would type instead\n");
    std::printf("  (output to a file, checked after each run; the diff: ours must print exactly what diff -u prints)\n");
    std::vector<ReadScenario> scenarios = makeReadScenarios(file, o.cli, rp);
    QueueTree queue;
    if (!writeQueueTree(o.queueData, p.work + "/queue-tree", o.queueMessages, 4, &queue)) {
        std::printf("  FAILED: cannot build the queue tree from %s\n", o.queueData.c_str());
        ++*failures;
        return false;
    }
    scenarios.push_back(makeQueueScenario(queue, o.cli));
    bool allMet = true;
    for (const ReadScenario &s : scenarios) {
        ScenarioRuns runs{s.name, {}, {}, s.referenceLabel, false};
        const std::string oursOut = p.logs + "/ours.out", refOut = p.logs + "/reference.out";
        for (int round = -1; round < o.rounds; ++round) {
            bool oursOk = false, refOk = false;
            const ChildRun ours = runRead(s.ours, oursOut, s.oursMustContain, s.differs, &oursOk);
            const ChildRun ref = runRead(s.reference, refOut, s.referenceMustContain, s.differs, &refOk);
            if (oursOk && refOk && s.sameOutput && !sameContents(oursOut, refOut)) {
                std::printf("    FAILED: our output differs from the reference's (kept: %s, %s)\n", oursOut.c_str(), refOut.c_str());
                oursOk = false;
            }
            if (!oursOk || !refOk) {
                ++*failures;
                break;  // the outputs are kept for a look
            }
            if (round >= 0) {
                runs.ours.push_back(ours);
                runs.sed.push_back(ref);
            }
        }
        allMet = printScenario(runs, goals) && allMet;
        std::fflush(stdout);
    }
    return allMet;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc == 4 && std::string_view(argv[1]) == "--diff")
        return runDiffChild(argv[2], argv[3]);
    const std::optional<BenchOptions> options = parseBenchOptions(argc, argv);
    if (!options)
        return 2;
    const BenchOptions &o = *options;

    Paths p;
    p.work = o.workDir;
    p.original = p.work + "/access.original";
    p.mc = p.work + "/sendmail.mc";
    p.copy = p.work + "/access";
    p.snapshots = p.work + "/snapshots";
    p.logs = p.work + "/logs";
    std::error_code ec;
    fs::remove_all(p.work, ec);
    if (!fs::create_directories(p.logs, ec))
        return setupFailure("cannot create " + p.logs + ": " + ec.message());
    if (!fs::copy_file(o.demoMc, p.mc, ec))
        return setupFailure("cannot copy " + o.demoMc + ": " + ec.message());
    GeneratedAccessFile file;
    if (!generateAccessFile(p.original, o.lines, &file))
        return setupFailure("cannot write " + p.original);
    const std::vector<Scenario> scenarios = makeScenarios(file);

    // What a child's peak RSS cannot go below when started from this process (ChildProcess.h).
    std::vector<double> floorRss;
    for (int i = 0; i < 3; ++i) {
        const ChildRun t = runMeasured({"true"}, p.logs + "/true.log");
        if (!t.started)
            return setupFailure("cannot run 'true'");
        floorRss.push_back(kibToMiB(t.maxRssKiB));
    }

    std::printf("Access map edit benchmark: sendmail-tls vs sed -i\n");
    std::printf("  file: %d lines, %.1f MiB (%llu bytes); sendmail.mc: %s\n", file.lines, mib(file.bytes),
                static_cast<unsigned long long>(file.bytes), o.demoMc.c_str());
    std::printf("  sendmail-tls: %s --mc MC --access COPY --snapshot-dir DIR set destination ... --edit-only\n",
                o.cli.c_str());
    std::printf("  (load + one edit + snapshot + atomic write with fsync; each run on a fresh synced copy)\n");
    std::printf("  rounds: %d per scenario (+1 warm-up), sendmail-tls then sed in each round\n", o.rounds);
    std::printf("  peak RSS floor of a child of this harness (/bin/true): %.1f MiB\n", statsOf(floorRss).median);
    std::fflush(stdout);

    Goals goals;
    goals.memoryBudgetMiB = 2.0 * mib(file.bytes) + 30.0;
    int failures = 0;
    bool allMet = true;
    for (const Scenario &s : scenarios) {
        ScenarioRuns runs{s.name, {}, {}};
        for (int round = -1; round < o.rounds; ++round) {  // round -1: warm-up, not counted
            bool oursOk = false, sedOk = false;
            const ChildRun ours = runOnce(p, file, s, true, o.cli, o.sed, &oursOk);
            const ChildRun sed = runOnce(p, file, s, false, o.cli, o.sed, &sedOk);
            if (!oursOk || !sedOk) {
                ++failures;
                continue;
            }
            if (round >= 0) {
                runs.ours.push_back(ours);
                runs.sed.push_back(sed);
            }
        }
        allMet = printScenario(runs, goals) && allMet;
        std::fflush(stdout);
    }

    allMet = runReadScenarios(p, file, o, selfPath(argv[0]), goals, &failures) && allMet;

    rusage self{};
    ::getrusage(RUSAGE_SELF, &self);
    std::printf("\n  goals (time <= 2x sed, peak < 2 x %.1f + 30 = %.1f MiB): %s in every scenario\n",
                mib(file.bytes), goals.memoryBudgetMiB, allMet ? "MET" : "NOT all met");
    std::printf("  harness peak RSS: %.1f MiB\n", kibToMiB(self.ru_maxrss));
    if (!o.keep)
        fs::remove_all(p.work, ec);
    else
        std::printf("  work dir kept: %s\n", p.work.c_str());
    if (failures) {
        std::printf("  %d round(s) FAILED (see above): figures are incomplete\n", failures);
        return 1;
    }
    return 0;
}
