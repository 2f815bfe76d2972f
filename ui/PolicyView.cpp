#include "PolicyView.h"

#include "WorkerPool.h"

namespace smtls::gui {

std::shared_ptr<const PolicyView> workOutPolicyView(const std::shared_ptr<const HostState> &state,
                                                    const std::optional<Change> &staged, const Problems &hostProblems)
{
    // Built here, then shared read-only; freed on a worker too (see makeLargeShared).
    auto *view = new PolicyView;
    std::shared_ptr<const PolicyView> shared(view, [](const PolicyView *v) { freeOffUiThread([v] { delete v; }); });
    if (!staged) {
        // Nothing staged: the configuration as read, shared with the state rather than copied
        // (a copy of a million-rule map is tens of megabytes).
        view->config = std::shared_ptr<const MailConfig>(state, &state->config);
    } else {
        const Result<ConfigChange> change = staged->plan(state->config);
        if (!change) {
            view->error = change.error().message;
            return shared;
        }
        view->config = makeLargeShared<MailConfig>(configAfter(state->config, *change));
    }
    // AccessMap builds its line index on first use, in a const method: built here, before the
    // configuration is shared, later readers on other threads (explain, preview) only read it.
    if (view->config->access)
        (void)view->config->access->lineCount();
    const Policy policy = view->config->policy();
    view->global = policy.global();
    view->destinations = makeLargeShared<QList<DestinationRule>>(policy.destinations());
    // With staged edits the files' problems are those of the staged text; the host's (built
    // files older than their text) are about what is on the host now.
    view->problems = policy.problems() + hostProblems;
    return shared;
}

} // namespace smtls::gui
