#pragma once
// A Demo-style tree (etc/mail/sendmail.mc and etc/mail/access) whose access map has a million
// lines: what a busy relay accumulates. The GUI's big-map test and its benchmark
// (tests/bench/gui) load it as the Demo host, the local tree the window knows. Deterministic,
// so every run shows the same rows.

#include <QString>

#include <optional>

namespace smtls::gui::testing {

enum class BigMapKind {
    Mixed,      // mostly Connect:/From:/To: entries and comments; every 10th line a Try_TLS rule
    AllTryTls,  // nothing but Try_TLS rules
};

struct BigMapTree {
    int lines = 0;
    int rules = 0;           // destination rules: Try_TLS lines with a value, each key once
    QString uniqueFilter;    // typed into the rule filter, it matches exactly one rule
    QString uniqueKey;       // that rule's destination (its value is NO)
};

// Writes ROOT/etc/mail/sendmail.mc (a copy of the Demo's, from the compiled-in resources, so
// initGuiResources() must have run) and ROOT/etc/mail/access with LINES lines; nothing when
// a file cannot be written.
std::optional<BigMapTree> writeBigMapTree(const QString &root, BigMapKind kind, int lines = 1'000'000);

QString bigMapKindName(BigMapKind kind);

} // namespace smtls::gui::testing
