#include "Scenarios.h"

namespace smtls::bench {
namespace {

// The new destination of the third scenario: not in the file, so the tool adds it.
const std::string NewHost = "mx.newpeer.bench-target.example";

// A key as a basic regular expression (keys are letters, digits, '-' and '.').
std::string regexOf(const std::string &key)
{
    std::string out;
    for (char c : key) {
        if (c == '.')
            out += '\\';
        out += c;
    }
    return out;
}

std::string noteLine(const std::string &date) { return "# sendmail-tls: " + date + " TLS off"; }

// 1. An existing NO rule turned back on: with nothing above it saying otherwise, the rule is
//    simply removed (the destination inherits "TLS on"). sed's equivalent is a delete.
std::string removeNoSed(const GeneratedAccessFile &f, const std::string &)
{
    return "/^Try_TLS:" + regexOf(f.noRule.key) + "[ \t]/d";
}
std::string removeNoExpected(const GeneratedAccessFile &, const std::string &) { return {}; }

// 2. An existing YES rule switched off: the value becomes NO and a dated note goes on its own
//    line above the rule (the separator is kept).
std::string yesToNoSed(const GeneratedAccessFile &f, const std::string &date)
{
    return "s/^Try_TLS:" + regexOf(f.yesRule.key) + "\\([ \t][ \t]*\\)YES$/" + noteLine(date) + "\\nTry_TLS:"
        + f.yesRule.key + "\\1NO/";
}
std::string yesToNoExpected(const GeneratedAccessFile &f, const std::string &date)
{
    return noteLine(date) + "\nTry_TLS:" + f.yesRule.key + f.yesRule.separator + "NO\n";
}

// 3. A new destination switched off: note + rule go right after the last Try_TLS rule, with
//    that rule's separator.
std::string newHostSed(const GeneratedAccessFile &f, const std::string &date)
{
    return "s/^Try_TLS:" + regexOf(f.lastTryTls.key) + "[ \t].*$/&\\n" + noteLine(date) + "\\nTry_TLS:" + NewHost
        + f.lastTryTls.separator + "NO/";
}
std::string newHostExpected(const GeneratedAccessFile &f, const std::string &date)
{
    return noteLine(date) + "\nTry_TLS:" + NewHost + f.lastTryTls.separator + "NO\n";
}

} // namespace

std::vector<Scenario> makeScenarios(const GeneratedAccessFile &f)
{
    return {
        Scenario{"NO rule -> on (line removed)",
                 {"set", "destination", f.noRule.key, "on", "--edit-only"},
                 &removeNoSed, &removeNoExpected, f.noRule.offset, f.noRule.length},
        Scenario{"YES rule -> off (value + note)",
                 {"set", "destination", f.yesRule.key, "off", "--edit-only"},
                 &yesToNoSed, &yesToNoExpected, f.yesRule.offset, f.yesRule.length},
        Scenario{"new host -> off (2 lines added)",
                 {"set", "destination", NewHost, "off", "--edit-only"},
                 &newHostSed, &newHostExpected, f.lastTryTls.offset + f.lastTryTls.length, 0},
    };
}

} // namespace smtls::bench
