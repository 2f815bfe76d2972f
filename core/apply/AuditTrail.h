#pragma once
// What an apply leaves on the host itself, beside our snapshots: ONE line in the host's syslog
// (`logger -t sendmail-tls -p mail.notice`, so it lands beside sendmail's own lines in the mail
// log) saying who, from where, which change, which snapshot and the outcome; and, when the host
// keeps /etc in etckeeper, one commit with the change as its message after a change that took
// effect. An admin on the host who never saw this program finds both where they look first.
//
// The line is data, never shell text: logger and etckeeper get it as one argument. Text that
// comes from people (a change's description, a cause quoting a command's output) is made one
// printable line of bounded length: a newline in it would forge a second log line.
//
// Neither is a reason to fail an apply: the change has happened (or not) by then. A host without
// logger, or with an etckeeper that fails, gets a warning in the report.

#include "Result.h"
#include "transport/CommandLine.h"

#include <QString>
#include <QStringList>

namespace smtls {

class Transport;

struct AuditEntry {
    QString outcome;       // outcomeName(): "applied", "rolled back", "refused", "failed" …
    QString cause;         // why it was refused, failed or rolled back; empty when applied
    QString change;        // Change::description()
    QString kind;          // changeKindName(): "destination", "undo", "restore", "expire" …
    QStringList files;     // the host's files the change writes
    QString snapshot;      // this computer's snapshot id, when one is kept
    QString hostSnapshot;  // the snapshot folder on the host, when one is kept
    QString user;          // who ran sendmail-tls on the workstation (invokingUser())
    QString login;         // the account it logged in as on the host (empty: not known)
    QString from;          // the workstation's host name
};

// Longest syslog line we send: logger's default message limit is 1 KiB, and a line that is cut
// there loses its end without saying so. Ours says "..." and keeps the first fields.
constexpr qsizetype MaxAuditLineBytes = 900;

// TEXT as one printable line of at most MAXCHARS characters: control characters (newlines, tabs,
// escape), Unicode line/paragraph separators and invisible format characters (bidi overrides)
// written as \xNN or \u{XXXX}, a backslash and a double quote escaped so that a quoted value
// cannot end early; cut with "..." when longer.
QString auditSafe(const QString &text, qsizetype maxChars);

// The syslog line, as key=value pairs (logfmt) with the short, fixed fields first and the long
// ones last, so that a cut keeps who, what and the outcome:
//   outcome=applied kind=destination user=alice login=root from=ws1 files=/etc/mail/access
//   snapshot=… host-snapshot=/var/lib/sendmail-tls/snapshots/… change="set destination … off"
// plus cause="…" when not applied. At most MaxAuditLineBytes bytes of UTF-8.
QString auditLine(const AuditEntry &entry);

// The etckeeper commit message: "sendmail-tls: CHANGE (KIND by USER as LOGIN from FROM, snapshot ID)".
QString etckeeperMessage(const AuditEntry &entry);

// logger -t sendmail-tls -p mail.notice -- LINE
CommandLine auditLoggerCommand(const QString &line);
// Prints "absent" (no etckeeper on PATH, or /etc not under it: neither /etc/.etckeeper nor
// /etc/.git), "clean" (nothing to commit) or "unclean". A constant script, no data.
CommandLine etckeeperStateCommand();
// etckeeper commit -m MESSAGE (etckeeper strips the "-m" itself: see its commit.d/50vcs-commit).
CommandLine etckeeperCommitCommand(const QString &message);

// Runs logger, then (when COMMIT) etckeeper if the host uses it. What the report's step says in
// one sentence, and warnings for the report's notes (never an error: see above).
struct AuditWritten {
    bool lineWritten = false;
    QString said;
    QStringList warnings;
};
AuditWritten writeAudit(Transport &transport, const AuditEntry &entry, bool commit);

} // namespace smtls
