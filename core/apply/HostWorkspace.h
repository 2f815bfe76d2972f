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
    // What each target held right after this apply wrote it ("SHA256 PATH" lines, by the install
    // and by the system's rebuild it ran): a rollback restores only targets that still hold it.
    QString installedSumsPath() const { return journalPath() + QStringLiteral(".sums"); }
    // Every staged name this apply may use, one per line, written before the first staged file
    // (by checkAndSnapshotCommand): an apply that dies leaves its staged files behind, and the
    // next one removes them (see lockCommand).
    QString stagedListPath() const { return journalPath() + QStringLiteral(".staged"); }
    QString lockPath() const { return m_profile.stateDir + QStringLiteral("/lock"); }
    QString snapshotFolder() const { return m_profile.snapshotDir + QLatin1Char('/') + m_id; }

    // Creates stateDir and the snapshot folder (0700), then for each (path, sha256 or "-" for
    // "must not exist") checks that the file is still what we read and copies it into the
    // snapshot as N.before. Exit 9 with "changed: PATH" on stderr when someone else edited it;
    // exit 11 with "symlink: PATH -> TARGET" when a file to write is a symbolic link.
    // The manifest comes on stdin. Hashing on the host spares reading a large map back.
    // First of all it writes stagedListPath() (STAGED_NAMES, before any of them exists; in this
    // round trip rather than one more before the upload).
    // Exit 11 with "symlink: PATH -> TARGET" on stderr when one of the paths is a symbolic link.
    CommandLine symlinkCheckCommand(const QStringList &paths) const;
    CommandLine checkAndSnapshotCommand(const QList<QPair<QString, QString>> &expected, const QStringList &stagedNames) const;
    // Copies staged files into the snapshot as N.after.
    CommandLine snapshotAfterCommand(const QList<QPair<QString, int>> &stagedAndIndex) const;
    // Writes the journal (stdin), then renames every staged file over its target in one go,
    // ignoring a dropped connection (SIGHUP), then leaves the "installed" marker: the host
    // ends in the old or the new state. Notes each target's sha256 in installedSumsPath().
    CommandLine installCommand(const QList<StagedFile> &files) const;
    // The system's rebuild and restart (COMMANDS, one after the other), ignoring a dropped
    // connection: never "stopped, not started". Then notes again what each of BUILT_FILES holds
    // in installedSumsPath() (the rebuild rewrites sendmail.cf, and maybe a map, that this apply
    // installed): what our own rebuild wrote is ours.
    CommandLine activateCommand(const QList<CommandLine> &commands, const QStringList &builtFiles) const;
    // A rollback's restore, decided file by file in one script: a target that still holds what
    // installedSumsPath() says this apply put there gets its staged previous bytes (or, with an
    // empty `staged`, is removed: it did not exist before); any other is left as it is, its staged
    // copy removed, and named on stdout ("@@changed PATH": someone else wrote it since; "@@notinstalled
    // PATH": this apply never replaced it). See parseRestoreOutput.
    CommandLine restoreCommand(const QList<StagedFile> &files) const;
    // One round trip: is the daemon in pidFile alive ("@@notrunning" if not; skipped when
    // empty), does it answer on ADDRESS:PORT, and sendmail's try_tls answers (questions on
    // stdin). Output: "@@bt", the -bt output, "@@rc N", "@@banner", then the greeting — or,
    // with waitForGreeting false, "220 (accepted)" once the connection is accepted: a daemon
    // that was not restarted need not be waited for through its greet_pause. It connects with
    // bash's /dev/tcp, or with nc on a host without bash.
    CommandLine healthCommand(const QString &address, const QString &port, const QString &pidFile, bool waitForGreeting,
                              const CommandLine &addressTest) const;
    // The host's apply lock (one apply at a time, whoever starts it: two admins, the window and
    // a cron job). A folder made with mkdir (atomic on every file system) holding "owner", the
    // JSON on stdin. Waits up to waitSeconds for another holder, then exits 10 with the
    // holder's owner JSON on stderr. A lock whose owner was not renewed for staleMinutes was
    // left by a dead apply: it is moved aside (atomic: one breaker wins), reported on stdout as
    // "@@broke" and its owner, and taken. Once the lock is ours, the staged files a dead apply
    // left (its stagedListPath()) are removed: only names of our staged form, "@@removed PATH";
    // any other name is left alone, "@@refused PATH". See parseLockOutput.
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

// What restoreCommand printed (host command paths).
struct RestoreOutput {
    QStringList changed;       // written by someone else since the install: left as it is
    QStringList notInstalled;  // never replaced by this apply (its install stopped early): left
};
RestoreOutput parseRestoreOutput(const QByteArray &out);

// What lockCommand printed.
struct LockOutput {
    bool brokeStale = false;
    QByteArray staleOwner;       // the broken lock's owner JSON
    QStringList removedStaged;   // a dead apply's staged files, removed
    QStringList refusedStaged;   // names in its list that are not staged names: left alone
};
LockOutput parseLockOutput(const QByteArray &out);

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
