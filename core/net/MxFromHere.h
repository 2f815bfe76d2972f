#pragma once
// The MX answer from this computer's DNS (QDnsLookup), for comparison with the host's: MX
// records sorted by preference, else the domain's own address ("a"), then the A and AAAA
// records of each server. No mailertable here: that is the MTA's, see lookupMxOnHost().
//
// How to call: from a worker thread — it blocks, running a private QEventLoop for the lookups
// (QDnsLookup is asynchronous), so the calling thread needs no event loop of its own. Never on
// the GUI thread. Every lookup shares one deadline TIMEOUT.
// How to cancel: request_stop() on the std::stop_source behind CANCEL, from any thread; the
// lookup notices within ~100 ms and returns ErrorKind::Cancelled.

#include "delivery/MxLookup.h"
#include "Result.h"

#include <QString>

#include <chrono>
#include <stop_token>

namespace smtls {

// DOMAIN is validated with recipientDomain() (InvalidInput). NAMESERVER: an IP address to ask
// instead of the system's resolver (port 53); empty = the system's. Preferences are the DNS
// values (preferencesFromDns = true). A domain that does not exist is an answer without
// servers and a note; an Error for bad input, an unreachable name server or cancel.
Result<MxAnswer> lookupMxFromHere(const QString &domain, const QString &nameserver = {},
                                  std::chrono::milliseconds timeout = std::chrono::seconds(10),
                                  std::stop_token cancel = {});

} // namespace smtls
