#include "Cli.h"

#include "CliOptions.h"
#include "CommandCatalog.h"
#include "Commands.h"
#include "ExitCode.h"
#include "HelpText.h"
#include "Output.h"
#include "SnapshotStore.h"

#include <QCoreApplication>

namespace smtls::cli {

namespace {

// `help [COMMAND]`, `--help`, `COMMAND --help`: the list of commands or that command's help.
int runHelp(const QString &topic)
{
    if (topic.isEmpty()) {
        printOut(generalHelp());
        return ExitOk;
    }
    if (const CommandDoc *command = findCommand(topic)) {
        printOut(commandHelp(*command));
        return ExitOk;
    }
    printError(unknownCommandMessage(topic) + QStringLiteral(" (see sendmail-tls --help)"));
    return ExitUsage;
}

int runHelpCommand(const CliOptions &options)
{
    if (options.arguments.size() > 1)
        return fail(makeError(ErrorKind::Usage, QStringLiteral("help takes one command")));
    return runHelp(options.arguments.value(0));
}

struct Dispatch {
    const char *name;
    int (*run)(const CliOptions &);
};

// Every command the parser accepts (the catalogue's) and the function that runs it.
constexpr Dispatch Commands[] = {
    {"status", runStatus}, {"explain", runExplain}, {"set", runSet},         {"expire", runExpire},
    {"history", runHistory}, {"show", runShow},     {"rollback", runRollback}, {"restore", runRestore},
    {"queue", runQueue},   {"retry", runRetry},     {"mx", runMx},           {"probe", runProbe},
    {"help", runHelpCommand},
};

// Where a usage error points: the command's own help when a known command was typed.
QString helpHint(const QStringList &arguments)
{
    for (const QString &word : arguments.mid(1))
        if (findCommand(word) && word != QLatin1String("help"))
            return QStringLiteral(" (see sendmail-tls %1 --help)").arg(word);
    return QStringLiteral(" (see sendmail-tls --help)");
}

} // namespace

QString snapshotDirectoryFrom(const CliOptions &options)
{
    return options.snapshotDir.isEmpty() ? SnapshotStore::defaultDirectory() : options.snapshotDir;
}

SnapshotStore snapshotStoreFrom(const CliOptions &options)
{
    return options.snapshotDir.isEmpty() ? SnapshotStore::userStore() : SnapshotStore(options.snapshotDir);
}

QStringList dispatchedCommands()
{
    QStringList names;
    for (const Dispatch &d : Commands)
        names.append(QLatin1String(d.name));
    return names;
}

int run(const QStringList &arguments)
{
    const Result<CliOptions> parsed = parseCommandLine(arguments);
    if (!parsed) {
        printError(parsed.error().message + helpHint(arguments));
        return ExitUsage;
    }
    const CliOptions &o = *parsed;
    if (o.help)
        return runHelp(o.command);
    if (o.version) {
        printOut(QStringLiteral("sendmail-tls %1\n").arg(QCoreApplication::applicationVersion()));
        return ExitOk;
    }
    for (const Dispatch &d : Commands)
        if (o.command == QLatin1String(d.name))
            return d.run(o);
    // The parser accepts only the catalogue's commands; one without a function here is a bug.
    printError(QStringLiteral("command '%1' is documented but not implemented").arg(o.command));
    return ExitInternal;
}

} // namespace smtls::cli
