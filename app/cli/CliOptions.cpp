#include "CliOptions.h"

#include <QDir>
#include <QFileInfo>

#include "CommandCatalog.h"
#include "Destination.h"
#include "HelpText.h"

#include <QCommandLineParser>

namespace smtls::cli {

Result<CliOptions> parseCommandLine(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
    // The options and which command takes which come from the catalogue (CommandCatalog.h), which
    // --help, the man page and the completion are printed from: they cannot disagree.
    for (const OptionDoc &doc : optionCatalog())
        parser.addOption(QCommandLineOption(doc.names, doc.description, doc.valueName));
    // The names the code below reads (one the catalogue lacks would make Qt warn "option not
    // defined" and read as never set: tst_clihelp checks).
    const QString root = QStringLiteral("root");
    const QString mc = QStringLiteral("mc");
    const QString access = QStringLiteral("access");
    const QString snapshotDir = QStringLiteral("snapshot-dir");
    const QString json = QStringLiteral("json");
    const QString dryRun = QStringLiteral("dry-run");
    const QString editOnly = QStringLiteral("edit-only");
    const QString addr = QStringLiteral("addr");
    const QString via = QStringLiteral("via");
    const QString reason = QStringLiteral("reason");
    const QString expires = QStringLiteral("expires");
    const QString until = QStringLiteral("until");
    const QString host = QStringLiteral("host");
    const QString sshConfig = QStringLiteral("ssh-config");
    const QString acceptNew = QStringLiteral("accept-new-host-key");
    const QString askPassword = QStringLiteral("ask-password");
    const QString parallel = QStringLiteral("parallel");
    const QString profile = QStringLiteral("profile");
    const QString profileFile = QStringLiteral("profile-file");
    const QString force = QStringLiteral("force");
    const QString discardLater = QStringLiteral("discard-later");
    const QString prune = QStringLiteral("prune");
    const QString tlsFailures = QStringLiteral("tls-failures");
    const QString keep = QStringLiteral("keep");
    const QString olderThan = QStringLiteral("older-than");
    const QString restartCommand = QStringLiteral("restart-command");
    const QString fromHere = QStringLiteral("from-here");
    const QString nameserver = QStringLiteral("nameserver");
    const QString port = QStringLiteral("port");
    const QString timeout = QStringLiteral("timeout");
    const QString help = QStringLiteral("help");
    const QString version = QStringLiteral("version");

    if (!parser.parse(arguments))
        return makeError(ErrorKind::Usage, parser.errorText());

    CliOptions o;
    o.help = parser.isSet(help);
    o.version = parser.isSet(version);
    QStringList positional = parser.positionalArguments();
    if (o.help || o.version) {
        o.command = positional.value(0);  // COMMAND --help: that command's help
        return o;
    }
    if (positional.isEmpty())
        return makeError(ErrorKind::Usage, QStringLiteral("no command given (%1)").arg(commandNames().join(QStringLiteral(", "))));
    o.command = positional.takeFirst();
    o.arguments = positional;
    // Absolute from here on: every path below is built from these, and commands run elsewhere.
    const auto absolute = [](const QString &path) { return path.isEmpty() ? path : QFileInfo(path).absoluteFilePath(); };
    if (parser.isSet(root))
        o.root = QDir::cleanPath(absolute(parser.value(root)));
    o.mc = absolute(parser.value(mc));
    o.access = absolute(parser.value(access));
    o.snapshotDir = parser.value(snapshotDir);
    o.json = parser.isSet(json);
    o.dryRun = parser.isSet(dryRun);
    o.editOnly = parser.isSet(editOnly);
    o.force = parser.isSet(force);
    o.discardLater = parser.isSet(discardLater);
    o.prune = parser.isSet(prune);
    o.tlsFailures = parser.isSet(tlsFailures);
    if (parser.isSet(keep)) {
        bool ok = false;
        const int n = parser.value(keep).toInt(&ok);
        if (!ok || n < 0)
            return makeError(ErrorKind::Usage, QStringLiteral("--keep takes a number of snapshots (0 or more)"));
        o.keep = n;
    }
    if (parser.isSet(olderThan)) {
        QString text = parser.value(olderThan);
        if (text.endsWith(QLatin1Char('d')))
            text.chop(1);
        bool ok = false;
        const int days = text.toInt(&ok);
        if (!ok || days < 1)
            return makeError(ErrorKind::Usage, QStringLiteral("--older-than takes a number of days (e.g. 90 or 90d)"));
        o.olderThanDays = days;
    }
    if (o.prune && !o.keep && !o.olderThanDays)
        return makeError(ErrorKind::Usage, QStringLiteral("--prune needs --keep N and/or --older-than DAYS"));
    if (!o.prune && (o.keep || o.olderThanDays))
        return makeError(ErrorKind::Usage, QStringLiteral("--keep and --older-than go with --prune"));
    if (parser.isSet(addr))
        o.address = parser.value(addr);
    if (parser.isSet(via))
        o.via = parser.value(via);
    o.reason = parser.value(reason);
    if (parser.isSet(expires))
        o.expires = parser.value(expires);
    if (parser.isSet(until))
        o.until = parser.value(until);
    if (o.expires && o.until)
        return makeError(ErrorKind::Usage, QStringLiteral("--expires and --until do not go together: give one end"));
    o.fromHere = parser.isSet(fromHere);
    o.nameserver = parser.value(nameserver);
    if (parser.isSet(port))
        o.port = parser.value(port);
    if (parser.isSet(timeout)) {
        bool ok = false;
        o.timeoutSeconds = parser.value(timeout).toInt(&ok);
        if (!ok || o.timeoutSeconds < 1 || o.timeoutSeconds > 300)
            return makeError(ErrorKind::Usage, QStringLiteral("--timeout takes a number of seconds (1 to 300)"));
    }
    if (o.fromHere == false && parser.isSet(nameserver))
        return makeError(ErrorKind::Usage, QStringLiteral("--nameserver goes with --from-here (the host's sendmail uses the host's resolver)"));
    o.hosts = parser.values(host);
    o.sshConfig = parser.value(sshConfig);
    o.acceptNewHostKey = parser.isSet(acceptNew);
    o.askPassword = parser.isSet(askPassword);
    o.profile = parser.value(profile);
    o.profileFile = parser.value(profileFile);
    if (!o.profile.isEmpty() && o.profile != QLatin1String("debian") && o.profile != QLatin1String("rhel")
        && o.profile != QLatin1String("freebsd") && o.profile != QLatin1String("custom"))
        return makeError(ErrorKind::Usage, QStringLiteral("--profile takes debian, rhel, freebsd or custom (with --profile-file)"));
    o.restartCommand = parser.value(restartCommand);
    if (parser.isSet(parallel)) {
        bool ok = false;
        o.parallel = parser.value(parallel).toInt(&ok);
        if (!ok || o.parallel < 1)
            return makeError(ErrorKind::Usage, QStringLiteral("--parallel takes a number of hosts (1 or more)"));
    }
    if (!o.profileFile.isEmpty() && o.hosts.isEmpty())
        return makeError(ErrorKind::Usage, QStringLiteral("--profile-file applies to --host hosts (a local tree uses --root, --mc, --access)"));
    if (!o.hosts.isEmpty() && (parser.isSet(root) || parser.isSet(mc) || parser.isSet(access)))
        return makeError(ErrorKind::Usage, QStringLiteral("--host and --root/--mc/--access do not go together"));
    for (const QString &h : o.hosts)
        if (h.isEmpty() || h.startsWith(QLatin1Char('-')) || h.contains(QLatin1Char(' ')) || h.contains(QLatin1Char('\n')))
            return makeError(ErrorKind::Usage, QStringLiteral("'%1' is not a host name or ssh_config alias").arg(printableInput(h)));

    if (!findCommand(o.command))
        return makeError(ErrorKind::Usage, unknownCommandMessage(o.command));
    for (const OptionDoc &doc : optionCatalog())
        if (!doc.isGlobal() && parser.isSet(doc.longName()) && !doc.commands.contains(o.command))
            return makeError(ErrorKind::Usage, QStringLiteral("--%1 does not apply to '%2'").arg(doc.longName(), o.command));
    return o;
}

} // namespace smtls::cli
