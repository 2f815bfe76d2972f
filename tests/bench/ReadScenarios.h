#pragma once
// The questions an administrator asks of a large map without changing it — what are the rules
// (status, as text and JSON), which rule decides for this server (explain), what changed between
// two versions (the diff our previews and `history show` print) — each next to the command an
// administrator would type instead, on the same file in the same run. Both write their output
// to a file that is checked afterwards, so a run that printed nothing useful is caught.

#include "AccessFileGenerator.h"

#include <string>
#include <vector>

namespace smtls::bench {

struct ReadPaths {
    std::string mc, access, diffBefore, diffAfter;
    std::string self;  // this program: `--diff A B` runs our diff in a child of its own
};

struct ReadScenario {
    std::string name;
    std::string referenceLabel;            // what the administrator would run instead
    std::vector<std::string> ours;
    std::vector<std::string> reference;    // run with sh -c when it is a pipeline
    std::string oursMustContain;           // checked in the output file
    std::string referenceMustContain;
    bool differs = false;                  // diff(1) convention: exit 1 = "the files differ", not a failure
    bool sameOutput = false;               // ours must print exactly what the reference prints
};

std::vector<ReadScenario> makeReadScenarios(const GeneratedAccessFile &file, const std::string &cli, const ReadPaths &p);

// The "after" of the far-apart diff: `original` without its first and its last Try_TLS rule
// (a million lines apart). Streams; false when a file cannot be read or written.
bool writeFarApartEdit(const std::string &original, const std::string &after);

// smtls-bench --diff BEFORE AFTER: our unified diff of two files to stdout, labelled like
// `diff -u --label before --label after`. Returns the exit code.
int runDiffChild(const std::string &before, const std::string &after);

} // namespace smtls::bench
