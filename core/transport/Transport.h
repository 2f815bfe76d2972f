#pragma once
// How we reach the files and programs of one mail host: this workstation, a copied tree, or a
// server over SSH. The same calls and the same errors everywhere, so the apply pipeline does not
// care which. Every call is blocking and meant for a worker thread; cancel() may be called
// from any thread and makes the running and every later call fail with ErrorKind::Cancelled.

#include "transport/CommandLine.h"
#include "Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <chrono>
#include <functional>
#include <optional>

namespace smtls {

struct CommandResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    bool ok() const { return exitCode == 0; }
    // The first line of stderr (or stdout), for a one-sentence error.
    QString firstErrorLine() const;
};

// What reaches the Log panel and the report: every command and its outcome.
struct CommandLogEntry {
    QString host;
    QString command;  // CommandLine::display()
    int exitCode = -1;
    QString error;    // transport error, when the command could not run
    qint64 milliseconds = 0;
    // The end of what it wrote to stderr, for the report. Never stdout: that carries file
    // contents (an access map may hold AuthInfo passwords).
    QString output = {};  // "= {}": initialisers that stop before it stay warning-free
};

// The last lines of a command's stderr, at most 1000 bytes: enough to say why.
QString outputTail(const QByteArray &err);

using namespace std::chrono_literals;

class Transport {
public:
    virtual ~Transport() = default;

    // Short name for reports ("mta1", "local").
    virtual QString hostName() const = 0;
    // One line for people: "root@127.0.1.1:22 over SSH", "local tree /srv/copy".
    virtual QString describe() const = 0;

    // Runs a program as root on the host (the transport elevates with sudo when it logs in
    // as another user). A non-zero exit status is a CommandResult, not an error; an error means
    // the command could not be run or did not finish (connection lost, timeout, cancelled).
    virtual Result<CommandResult> run(const CommandLine &command, const QByteArray &standardInput = {},
                                      std::chrono::milliseconds timeout = 60s) = 0;

    // The file's bytes; std::nullopt when it does not exist. Files over maxBytes are refused.
    virtual Result<std::optional<QByteArray>> readFile(const QString &path, qint64 maxBytes);
    // Several files in one round trip (a remote host answers all at once).
    virtual Result<QList<std::optional<QByteArray>>> readFiles(const QStringList &paths, qint64 maxBytes);
    // Atomic replace on the host: temporary file in the same folder, fsync, the old file's owner
    // and mode (a new file: root, 0644), rename.
    virtual Status writeFile(const QString &path, const QByteArray &bytes);
    // Whether the file holds exactly `expected` (nullopt: whether it is absent).
    virtual Result<bool> holds(const QString &path, const std::optional<QByteArray> &expected);
    // Removes a file; missing is fine.
    virtual Status removeFile(const QString &path);

    virtual void cancel() = 0;

    // The path to put in a command's arguments for a path on the host (a local tree maps it
    // under its root; a real host uses it as it is).
    virtual QString commandPath(const QString &hostPath) const { return hostPath; }
    // How a snapshot kept on this computer names a host's file: "host:/path" for a remote host,
    // the path here for a local tree (so that two trees' snapshots never look alike).
    virtual QString snapshotPath(const QString &hostPath) const { return hostName() + QLatin1Char(':') + hostPath; }
    // Whether the files are this computer's: then a snapshot in this computer's store is the
    // only copy needed, and reading a file again costs less than hashing it twice.
    virtual bool filesAreOnThisComputer() const { return false; }
    // The account we log in as on the host before any sudo (the audit line's "login"): the SSH
    // user; on this computer, the user this program runs as. Empty when not known.
    virtual QString loginUser() const;

    void setCommandLog(std::function<void(const CommandLogEntry &)> log) { m_log = std::move(log); }
    const std::function<void(const CommandLogEntry &)> &commandLog() const { return m_log; }

protected:
    // readFile() for each path in turn: for a transport whose files are on this computer, where
    // one round trip for all of them gains nothing.
    Result<QList<std::optional<QByteArray>>> readEachFile(const QStringList &paths, qint64 maxBytes);
    void logCommand(const CommandLogEntry &entry) const
    {
        if (m_log)
            m_log(entry);
    }

private:
    std::function<void(const CommandLogEntry &)> m_log;
};

// The shell scripts readFile/writeFile use on a remote host (constant text, the path and data
// as parameters and stdin). Shared so that tests can run them locally too.
namespace remotescript {
// Shell functions (definitions only) for other host-side scripts to start with.
// same_owner_and_mode REF FILE: FILE gets REF's owner, group and mode (POSIX `ls -ln`; chown and
// chmod --reference are GNU-only, busybox and the BSDs lack them).
extern const QString SameOwnerAndMode;
extern const QString ReadFiles;  // $1 = max bytes, then paths; per file "F size\n<bytes>", "M", "T size", "N"
extern const QString WriteFile;  // $1 = path; data on stdin
extern const QString RemoveFile; // $1 = path
} // namespace remotescript

} // namespace smtls
