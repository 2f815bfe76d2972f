#pragma once
// Decides whether we may talk to the server we reached: its key against known_hosts.
// A changed key (or a key of another type than the one recorded) is a hard stop, before any
// channel is opened; an unknown key is shown to the user, who may accept it.

#include "Result.h"
#include "ssh/SshConfig.h"
#include "ssh/SshTypes.h"

#include <libssh/libssh.h>

namespace smtls::ssh {

// The server's key as the user sees it; an error when the session has none.
Result<HostKeyInfo> serverHostKey(ssh_session session, const ResolvedHost &host);

// alreadyAccepted: a fingerprint the user accepted earlier in this connect() (retry after an
// agent failure), so the question is not asked twice.
Status verifyHostKey(ssh_session session, const ResolvedHost &host,
                     const std::function<HostKeyDecision(const HostKeyInfo &)> &askUnknown,
                     QString *acceptedFingerprint);

} // namespace smtls::ssh
