#pragma once
// The files an apply keeps on the host besides the configuration itself: staged copies next
// to their targets (so that installing is a rename on the same file system), the journal that
// says how far an interrupted apply got, and the host-side snapshots. Also the constant shell
// scripts that stage, install and check; their data always comes as parameters.

#include "apply/HostProfile.h"

#include <QByteArray>

#include <functional>

#include <QList>
#include <QString>

namespace smtls {

struct StagedFile {
    QString target;  // e.g. /etc/mail/access
    QString staged;  // e.g. /etc/mail/.sendmail-tls-<id>.access
};

class HostWorkspace {
public:
    // commandPath maps a host path to the one a command must name (see Transport::commandPath).
    HostWorkspace(const HostProfile &profile, QString applyId, std::function<QString(const QString &)> commandPath);

    const QString &id() const { return m_id; }
    QString stagedPath(const QString &target) const;
    QString journalPath() const { return m_profile.stateDir + QStringLiteral("/journal.json"); }
    QString installedMarker() const { return journalPath() + QStringLiteral(".installed"); }
    QString lockPath() const { return m_profile.stateDir + QStringLiteral("/lock"); }
    QString snapshotFolder() const { return m_profile.snapshotDir + QLatin1Char('/') + m_id; }

    // Creates stateDir and the snapshot folder (0700), then for each (path, sha256 or "-" for
    // "must not exist") checks that the file is still what we read and copies it into the
    // snapshot as N.before. Exit 9 with "changed: PATH" on stderr when someone else edited it;
    // exit 11 with "symlink: PATH -> TARGET" when a file to write is a symbolic link.
    // The manifest comes on stdin. Hashing on the host spares reading a large map back.
    CommandLine checkAndSnapshotCommand(const QList<QPair<QString, QString>> &expected) const;
    // Copies staged files into the snapshot as N.after.
    CommandLine snapshotAfterCommand(const QList<QPair<QString, int>> &stagedAndIndex) const;
    // Writes the journal (stdin), then renames every staged file over its target in one go,
    // ignoring a dropped connection (SIGHUP), then leaves the "installed" marker: the host
    // ends in the old or the new state.
    CommandLine installCommand(const QList<StagedFile> &files) const;
    // One round trip: is the daemon in pidFile alive ("@@notrunning" if not; skipped when
    // empty), does it answer on ADDRESS:PORT, and sendmail's try_tls answers (questions on
    // stdin). Output: "@@bt", the -bt output, "@@rc N", "@@banner", then the greeting — or,
    // with waitForGreeting false, "220 (accepted)" once the connection is accepted: a daemon
    // that was not restarted need not be waited for through its greet_pause.
    CommandLine healthCommand(const QString &address, const QString &port, const QString &pidFile, bool waitForGreeting,
                              const CommandLine &addressTest) const;
    // The host's apply lock (one apply at a time, whoever starts it: two admins, the window and
    // a cron job). A folder made with mkdir (atomic on every file system) holding "owner", the
    // JSON on stdin. Waits up to waitSeconds for another holder, then exits 10 with the
    // holder's owner JSON on stderr. A lock whose owner was not renewed for staleMinutes was
    // left by a dead apply: it is moved aside (atomic: one breaker wins), reported on stdout as
    // "@@broke" and its owner, and taken.
    CommandLine lockCommand(int waitSeconds, int staleMinutes) const;
    // Renews the lease (touches the owner file) while this apply holds the lock.
    CommandLine renewLockCommand() const;
    // Removes the lock if this apply holds it (never another's).
    CommandLine releaseLockCommand() const;
    // Removes staged files (and the validation leftovers next to them).
    CommandLine cleanupCommand(const QList<QString> &paths) const;

private:
    const HostProfile &m_profile;
    QString m_id;
    std::function<QString(const QString &)> m_commandPath;
};

// What healthCommand printed, taken apart.
struct HealthOutput {
    bool running = true;     // false: no live process in the pid file
    QByteArray addressTest;  // what sendmail -bt answered
    QByteArray greeting;     // the first line the daemon sent ("220 …"), empty when none
    bool greeted() const { return greeting.startsWith("220"); }
};
HealthOutput parseHealthOutput(const QByteArray &out);

// Where the daemon should greet, as (address, port): the first inet DAEMON_OPTIONS (Debian's
// MTA-v4), with a wildcard address asked on 127.0.0.1; else 127.0.0.1:25.
class SendmailMc;
QPair<QString, QString> greetingAddress(const SendmailMc &mc);

// The file makemap writes for a map type ("hash" -> base + ".db"); empty if not supported.
QString mapFileFor(const QString &mapType, const QString &base);

} // namespace smtls
