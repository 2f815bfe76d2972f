#pragma once
// Where a system keeps sendmail's files and how it rebuilds and restarts: one table entry per
// system, so supporting another distribution is one entry. Detected on connect, shown to the
// user, and every field can be overridden per host ("custom").

#include "transport/CommandLine.h"
#include "Result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace smtls {

struct HostProfile {
    QString id;           // "debian", "rhel", "freebsd", "custom", "tree"
    QString displayName;
    QString mcPath = QStringLiteral("/etc/mail/sendmail.mc");
    QString cfPath = QStringLiteral("/etc/mail/sendmail.cf");
    QString accessPath;   // empty: the file FEATURE(`access_db') names
    QString m4 = QStringLiteral("m4");
    QStringList m4Arguments;  // put before the .mc (FreeBSD compiles through cf.m4)
    QString makemap = QStringLiteral("makemap");
    QString sendmail = QStringLiteral("sendmail");
    CommandLine restart;      // empty program: nothing to restart (a tree)
    // Run after installing a new sendmail.mc, before the restart: the system's own way of
    // regenerating sendmail.cf (Debian's Makefile also appends the .mc and rebuilds submit.cf
    // and the maps). Empty: our validated, m4-compiled sendmail.cf is installed instead.
    CommandLine rebuild;
    CommandLine status;       // exit 0 = the daemon runs; used when there is no pidFile
    QString pidFile;          // the daemon's pid file: a cheaper "is it running" than `service status`
    bool healthCheck = true;  // connect to the daemon's address and expect "220"
    bool restartSimulated = false;  // the restart only pretends (the Demo host runs no sendmail)
    // Put before `sendmail -bt` (e.g. a private UTS namespace with a qualified name: sendmail
    // sleeps 60 s at start on a host name without a domain).
    QStringList sendmailWrapper;
    QString stateDir = QStringLiteral("/var/lib/sendmail-tls");      // journal, work files
    QString snapshotDir = QStringLiteral("/var/backups/sendmail-tls");

    // "m4 [args] MC > OUT", run in the .mc's folder so relative includes resolve as for make.
    CommandLine compileCommand(const QString &mc, const QString &out) const;
    // "makemap TYPE BASE < TEXT"
    CommandLine buildMapCommand(const QString &mapType, const QString &text, const QString &base) const;
    // "sendmail -C CF -bt" (questions on stdin)
    CommandLine addressTestCommand(const QString &cf) const;
};

// A custom profile from JSON: {"base": "debian", "mcPath": …, "cfPath": …, "accessPath": …,
// "m4": …, "m4Arguments": […], "makemap": …, "sendmail": …, "rebuild": [argv], "restart": [argv],
// "status": [argv], "pidFile": …, "healthCheck": bool, "stateDir": …, "snapshotDir": …}. Every
// key is optional; commands are argument lists, never shell strings.
Result<HostProfile> profileFromJson(const QByteArray &json);

// The built-in profiles.
QList<HostProfile> builtInProfiles();
HostProfile profileById(const QString &id);

// What a host told us about itself (os-release, uname, files present) -> the profile to use.
struct HostFacts {
    QString osRelease;    // contents of /etc/os-release
    QString uname;        // `uname -s`
    bool hasSystemctl = false;
    bool hasInitScript = false;  // /etc/init.d/sendmail
    QString freebsdMcName;       // "<hostname>.mc" when present in /etc/mail
};
HostProfile detectProfile(const HostFacts &facts);

} // namespace smtls
