#include "Cli.h"

#include "CliOptions.h"
#include "Commands.h"
#include "ExitCode.h"
#include "Output.h"
#include "SnapshotStore.h"

#include <QCoreApplication>

namespace smtls::cli {

QString snapshotDirectoryFrom(const CliOptions &options)
{
    return options.snapshotDir.isEmpty() ? SnapshotStore::defaultDirectory() : options.snapshotDir;
}

SnapshotStore snapshotStoreFrom(const CliOptions &options)
{
    return options.snapshotDir.isEmpty() ? SnapshotStore::userStore() : SnapshotStore(options.snapshotDir);
}

int run(const QStringList &arguments)
{
    const Result<CliOptions> parsed = parseCommandLine(arguments);
    if (!parsed) {
        printError(parsed.error().message + QStringLiteral(" (see sendmail-tls --help)"));
        return ExitUsage;
    }
    const CliOptions &o = *parsed;
    if (o.help) {
        printOut(usageText());
        return ExitOk;
    }
    if (o.version) {
        printOut(QStringLiteral("sendmail-tls %1\n").arg(QCoreApplication::applicationVersion()));
        return ExitOk;
    }
    if (o.command == QLatin1String("status"))
        return runStatus(o);
    if (o.command == QLatin1String("explain"))
        return runExplain(o);
    if (o.command == QLatin1String("set"))
        return runSet(o);
    if (o.command == QLatin1String("expire"))
        return runExpire(o);
    if (o.command == QLatin1String("history"))
        return runHistory(o);
    if (o.command == QLatin1String("rollback"))
        return runRollback(o);
    if (o.command == QLatin1String("restore"))
        return runRestore(o);
    if (o.command == QLatin1String("queue"))
        return runQueue(o);
    if (o.command == QLatin1String("retry"))
        return runRetry(o);
    if (o.command == QLatin1String("mx"))
        return runMx(o);
    if (o.command == QLatin1String("probe"))
        return runProbe(o);
    return runShow(o);
}

} // namespace smtls::cli
