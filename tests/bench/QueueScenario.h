#pragma once
// "Which server is my stuck mail stuck at?" on a queue of thousands: `sendmail-tls queue` on a
// tree holding N queued messages and a mail log with their delivery attempts, next to what an
// administrator types instead — for each message in the queue, grep the log for its id and keep
// the last attempt. Same tree, same run.

#include "ReadScenarios.h"

#include <string>

namespace smtls::bench {

struct QueueTree {
    std::string root;      // the tree: ROOT/etc/mail, ROOT/var/spool/mqueue, ROOT/var/log/mail.log
    int messages = 0;      // qf files written
    unsigned long long logBytes = 0;
};

// Builds the tree from the captured queue and log in DATA (tests/core/data/queue): MESSAGES copies
// of its stuck messages (four in five at a TLS failure, the rest refused), each tried
// ATTEMPTS times in the log, between lines of other mail. False when a file cannot be written.
bool writeQueueTree(const std::string &data, const std::string &root, int messages, int attempts, QueueTree *tree);

ReadScenario makeQueueScenario(const QueueTree &tree, const std::string &cli);

} // namespace smtls::bench
