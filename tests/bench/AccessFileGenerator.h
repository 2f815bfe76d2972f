#pragma once
// Writes a large, realistic /etc/mail/access source: what a busy relay accumulates over years
// (Connect:/From:/To:/Spam: entries, Try_TLS exceptions, tabs or spaces as separators, a comment
// every ~50 lines). Deterministic (fixed seed), so every run measures the same bytes.
//
// It streams to disk: the benchmark process must stay small, because a child's peak RSS as the
// kernel reports it can include the parent's memory (see ChildProcess.h).

#include <cstdint>
#include <string>

namespace smtls::bench {

// One line of the file the scenarios edit, located so the expected result can be spliced.
struct PlantedLine {
    std::uint64_t offset = 0;  // first byte of the line
    std::uint64_t length = 0;  // including its "\n"
    std::string key;           // after "Try_TLS:"
    std::string separator;     // the blanks between key and value
    std::string value;
};

struct GeneratedAccessFile {
    std::uint64_t bytes = 0;
    int lines = 0;
    PlantedLine noRule;       // "Try_TLS:<key> NO" in the middle of the file
    PlantedLine yesRule;      // "Try_TLS:<key> YES" in the middle of the file
    PlantedLine lastTryTls;   // the last Try_TLS rule (a new rule goes right after it)
};

// False (with errno set) if the file cannot be written.
bool generateAccessFile(const std::string &path, int lineCount, GeneratedAccessFile *out);

} // namespace smtls::bench
