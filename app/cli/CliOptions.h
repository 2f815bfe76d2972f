#pragma once
// The command line of sendmail-tls, parsed into one value. Which options a command accepts is
// checked here too, so a misspelt or misplaced option is a usage error (exit 2), not ignored;
// both the options and which command takes which come from the catalogue (CommandCatalog.h).

#include "Result.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace smtls::cli {

struct CliOptions {
    QString command;          // a command of the catalogue (CommandCatalog.h); with --help, maybe empty
    QStringList arguments;    // the command's own positional arguments
    QString root = QStringLiteral("/");
    QString mc;
    QString access;
    QString snapshotDir;
    bool json = false;
    bool dryRun = false;
    bool editOnly = false;
    bool force = false;              // refused on rollback, pointing to restore --discard-later
    bool discardLater = false;       // restore: discard the changes made after the snapshot
    bool prune = false;              // history --prune [--keep N] [--older-than DAYS]
    bool tlsFailures = false;        // retry --tls-failures
    std::optional<int> keep;
    std::optional<int> olderThanDays;
    std::optional<QString> address;  // explain --addr
    std::optional<QString> via;      // set global off --via
    QString reason;                  // set --reason
    std::optional<QString> expires;  // set --expires 7d|12h
    std::optional<QString> until;    // set --until YYYY-MM-DD
    // mx and probe (issue 12)
    bool fromHere = false;           // from this computer (Qt Network) instead of a mail host
    QString nameserver;              // mx --from-here --nameserver ADDR
    QString port = QStringLiteral("25");  // probe --port; checked by the command (bad input: exit 3)
    int timeoutSeconds = 10;         // mx/probe --timeout S
    // Remote hosts (ssh_config aliases) and how to reach them.
    QStringList hosts;
    QString sshConfig;
    bool acceptNewHostKey = false;
    bool askPassword = false;        // prompt on the terminal for SSH / sudo passwords
    int parallel = 0;                // 0 = all hosts at once
    QString profile;                 // override the detected host profile
    QString profileFile;             // a custom profile (JSON: paths and commands)
    QString restartCommand;          // --root trees: what "restart" means (default: nothing)
    bool help = false;
    bool version = false;
};

Result<CliOptions> parseCommandLine(const QStringList &arguments);

} // namespace smtls::cli
