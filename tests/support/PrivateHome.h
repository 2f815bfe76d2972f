#pragma once
// A test's own home: a temporary directory as $HOME and the XDG folders, and (as root) over the
// passwd home directory in a private mount namespace — libssh and the ssh_config import read
// ~/.ssh from the passwd entry, not from $HOME, and the real user's files must never be read or
// written. Optionally /etc/resolv.conf is covered too (the test world's name server). Call it in
// main() before any thread exists: unshare(CLONE_NEWNS) refuses a threaded process.

#include <QByteArray>
#include <QString>

namespace smtls::testing {

struct PrivateHome {
    QString dir;      // the temporary home ($HOME), empty when even that failed
    QString problem;  // why the test must skip (not root, no namespace), empty when all is set

    // Removes the temporary home (the mount namespace ends with the process).
    void remove() const;
};

// `name` goes into the directory's name (/tmp/smtls-NAME-XXXXXX); `needsRootBecause` is the skip
// message when not root; a non-empty `resolvConf` is mounted over /etc/resolv.conf.
PrivateHome enterPrivateHome(const char *name, const QString &needsRootBecause, const QByteArray &resolvConf = {});

} // namespace smtls::testing
