#include "AccessFileGenerator.h"

#include <array>
#include <cstdio>
#include <memory>

namespace smtls::bench {
namespace {

// splitmix64: tiny, fast, and the same sequence on every platform (std:: distributions are not).
class Rng {
public:
    explicit Rng(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next()
    {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    unsigned below(unsigned n) { return unsigned(next() % n); }

private:
    std::uint64_t m_state;
};

// Separators seen in real maps: Debian's template uses a tab, many admins one or more spaces.
constexpr std::array<const char *, 5> Separators{"\t", "\t\t", " ", "  ", "\t"};
constexpr std::array<const char *, 6> Tlds{"example", "example.com", "example.net", "example.org", "test", "invalid"};

std::string domain(Rng &rng, unsigned salt)
{
    static constexpr std::array<const char *, 8> Words{"mail", "corp", "isp", "relay", "shop", "news", "bulk", "host"};
    return std::string(Words[rng.below(Words.size())]) + std::to_string(salt) + '.' + Tlds[rng.below(Tlds.size())];
}

std::string separator(Rng &rng) { return Separators[rng.below(Separators.size())]; }

// A regular line of the map; never the planted ones and never a note (those are placed apart).
std::string entryLine(Rng &rng, int index, bool *isTryTls, PlantedLine *tryTls)
{
    const unsigned n = unsigned(index);
    const unsigned pick = rng.below(100);
    *isTryTls = false;
    if (pick < 34) {
        if (rng.below(2) == 0)
            return "Connect:" + std::to_string(rng.below(223) + 1) + '.' + std::to_string(rng.below(256)) + '.'
                + std::to_string(rng.below(256)) + (rng.below(3) ? "." + std::to_string(rng.below(256)) : "")
                + separator(rng) + (rng.below(4) ? "REJECT" : "RELAY");
        return "Connect:dyn-" + std::to_string(n) + ".pool." + domain(rng, n % 9973) + separator(rng)
            + (rng.below(5) ? "REJECT" : "DISCARD");
    }
    if (pick < 58)
        return "From:user" + std::to_string(rng.below(100000)) + '@' + domain(rng, n) + separator(rng)
            + (rng.below(3) ? "REJECT" : "ERROR:550 Access denied");
    if (pick < 72)
        return "To:" + domain(rng, n) + separator(rng) + (rng.below(2) ? "RELAY" : "OK");
    if (pick < 84)
        return "Spam:postmaster@" + domain(rng, n) + separator(rng) + "FRIEND";
    // Try_TLS: unique keys (the line number is in them), three labels so that no rule is the
    // parent domain of another and the planted targets inherit "TLS on".
    *isTryTls = true;
    tryTls->key = (rng.below(8) == 0 ? "smtp" : "mx") + std::to_string(n) + '.' + domain(rng, n % 50021);
    tryTls->separator = separator(rng);
    tryTls->value = rng.below(6) ? "NO" : "YES";
    return "Try_TLS:" + tryTls->key + tryTls->separator + tryTls->value;
}

std::string commentLine(Rng &rng, int index)
{
    static constexpr std::array<const char *, 5> Topics{
        "# blocked after abuse report ", "# customer relays, ticket ", "# spam trap hits, batch ",
        "# peers with broken STARTTLS, see ticket ", "# imported from the old relay, list "};
    if (rng.below(10) == 0)
        // A note in our own format, as earlier `sendmail-tls set` runs leave them.
        return "# sendmail-tls: 2024-0" + std::to_string(rng.below(9) + 1) + "-1" + std::to_string(rng.below(10))
            + " TLS off: peer certificate expired";
    return Topics[rng.below(Topics.size())] + std::to_string(index * 7 + 1000);
}

} // namespace

bool generateAccessFile(const std::string &path, int lineCount, GeneratedAccessFile *out)
{
    std::unique_ptr<std::FILE, int (*)(std::FILE *)> file(std::fopen(path.c_str(), "wb"), &std::fclose);
    if (!file)
        return false;
    Rng rng(20240611);
    *out = GeneratedAccessFile{};
    // Planted in the middle, on lines that follow an ordinary entry (not a comment or a note,
    // which the tool would treat as the rule's own note).
    const int middle = lineCount / 2;
    const int noLine = middle + 7;
    const int yesLine = middle + 31;
    std::uint64_t offset = 0;
    for (int i = 0; i < lineCount; ++i) {
        std::string line;
        PlantedLine rule;
        bool isTryTls = false;
        if (i == noLine || i == yesLine) {
            rule.key = (i == noLine ? "mx-stuck-" : "mx-fixed-") + std::to_string(i) + ".bench-target.example";
            rule.separator = i == noLine ? "\t" : "  ";
            rule.value = i == noLine ? "NO" : "YES";
            line = "Try_TLS:" + rule.key + rule.separator + rule.value;
            isTryTls = true;
        } else if (i % 50 == 0) {
            line = commentLine(rng, i);
        } else if (i % 997 == 500) {
            line.clear();  // blank lines separating sections
        } else {
            line = entryLine(rng, i, &isTryTls, &rule);
        }
        line += '\n';
        if (isTryTls) {
            rule.offset = offset;
            rule.length = line.size();
            if (i == noLine)
                out->noRule = rule;
            else if (i == yesLine)
                out->yesRule = rule;
            out->lastTryTls = rule;
        }
        if (std::fwrite(line.data(), 1, line.size(), file.get()) != line.size())
            return false;
        offset += line.size();
    }
    out->bytes = offset;
    out->lines = lineCount;
    return std::fflush(file.get()) == 0;
}

} // namespace smtls::bench
