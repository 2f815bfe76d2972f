#pragma once
// What the policy panel shows of one host: its configuration with the staged edits applied and
// what follows from it (global state, destination rules, problems). Worked out on a worker
// (workOutPolicyView): on a million-line access map that takes seconds, and the list of rules
// is then a million rows, so the result is shared, never copied, on the UI thread.

#include "Change.h"
#include "apply/HostReading.h"

#include <QList>

#include <memory>
#include <optional>

namespace smtls::gui {

struct PolicyView {
    // The staged configuration; null when the staged edits cannot be planned (then `error`).
    std::shared_ptr<const MailConfig> config;
    QString error;
    GlobalState global;
    std::shared_ptr<const QList<DestinationRule>> destinations = std::make_shared<const QList<DestinationRule>>();
    Problems problems;  // the staged files' problems, then the host's (built files older than their text)
};

// STAGED: the staged edits as one change, or none. Blocking: call it from a worker.
std::shared_ptr<const PolicyView> workOutPolicyView(const std::shared_ptr<const HostState> &state,
                                                    const std::optional<Change> &staged, const Problems &hostProblems);

} // namespace smtls::gui
