#pragma once
// File chores of the benchmark, all streaming in small chunks: this process must never hold the
// access file in memory (it would raise the measured children's peak RSS, see ChildProcess.h).

#include <cstdint>
#include <string>

namespace smtls::bench {

// A fresh copy, flushed to disk (fsync) so that the measured run does not pay for writing back
// what the set-up just wrote.
bool copyFileSynced(const std::string &from, const std::string &to);

// True when `result` holds exactly `original` with the bytes [offset, offset + length) replaced
// by `replacement`: proof that the run made the intended edit and nothing else.
bool isSplicedCopy(const std::string &result, const std::string &original, std::uint64_t offset,
                   std::uint64_t length, const std::string &replacement);

// Whether the file holds `needle` somewhere (streamed; a match may span chunks).
bool fileContains(const std::string &path, const std::string &needle);

// Whether two files hold the same bytes (streamed).
bool sameContents(const std::string &a, const std::string &b);

} // namespace smtls::bench
