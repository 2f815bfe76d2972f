#pragma once
// What a host is: its system (for the profile), its sendmail version, whether that sendmail was
// built with STARTTLS, and whether an earlier apply was interrupted (journal left behind).

#include "apply/HostProfile.h"
#include "Problem.h"
#include "Result.h"
#include "transport/Transport.h"

namespace smtls {

struct HostDetails {
    HostFacts facts;
    HostProfile detectedProfile;
    QString sendmailVersion;    // "8.17.1.9"; empty when unknown
    bool startTlsCompiled = false;
    QString unfinishedApply;    // a sentence when a journal was left behind, else empty
};

Result<HostDetails> inspectHost(Transport &transport, const HostProfile *knownProfile = nullptr);

// What of that an administrator must hear: an interrupted apply (error), a sendmail built
// without STARTTLS (it never tries TLS, so there is nothing to switch off), a version we could
// not read.
Problems hostDetailProblems(const HostDetails &details, const HostProfile &profile);

} // namespace smtls
