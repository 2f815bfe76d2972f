#include "CliOptions.h"

#include <QDir>
#include <QFileInfo>

#include "Destination.h"

#include <QCommandLineParser>

namespace smtls::cli {

QString usageText()
{
    return QStringLiteral(
        "Usage: sendmail-tls [--root DIR] [--mc FILE] [--access FILE] COMMAND ...\n"
        "\n"
        "Read, explain and edit sendmail's outbound STARTTLS settings.\n"
        "\n"
        "Commands:\n"
        "  status [--json]                      global state, destination rules, problems\n"
        "  explain SERVER [--addr IP] [--json]  will sendmail try STARTTLS with this server (and fall\n"
        "                                       back to clear text if the handshake fails), and why\n"
        "  set global on|fallback|off [--via access|client-options]\n"
        "  set destination NAME on|fallback|off|inherit\n"
        "                                       NAME: the server's host name, a parent domain,\n"
        "                                       an IPv4/IPv6 address or prefix\n"
        "                                       fallback: try STARTTLS, and if the handshake fails\n"
        "                                       retry in clear text at once (sendmail 8.16+)\n"
        "      set options: [--dry-run] [--edit-only] [--reason TEXT] [--json]\n"
        "                   [--expires 7d|12h | --until YYYY-MM-DD]  the exception ends by itself\n"
        "                   (at most 365 days; 'sendmail-tls expire' removes it once it has ended)\n"
        "  expire [--dry-run] [--edit-only] [--json]\n"
        "                                       remove every exception that has expired (validated,\n"
        "                                       snapshotted; run it from a timer)\n"
        "  history [--json]                     snapshots taken before each write\n"
        "  history --prune [--keep N] [--older-than DAYS] [--dry-run]\n"
        "                                       remove all but the N newest / those older than DAYS\n"
        "  show SNAPSHOT                        the diff a snapshot recorded\n"
        "  mx DOMAIN|ADDRESS [--from-here [--nameserver IP]] [--timeout S] [--json]\n"
        "                                       the servers sendmail connects to for that domain, as\n"
        "                                       the host's sendmail resolves them (mailertable, MX)\n"
        "  probe SERVER [--port N] [--from-here] [--timeout S] [--json]\n"
        "                                       is STARTTLS offered, does the handshake work (from the\n"
        "                                       host with openssl s_client; --from-here: from here)\n"
        "  rollback SNAPSHOT [--dry-run]        undo that snapshot's change alone, keeping every later\n"
        "                                       change (validated like a set); refused, naming the later\n"
        "                                       change, when one touched the same lines\n"
        "  restore SNAPSHOT [--discard-later] [--dry-run]\n"
        "                                       put the files back as they were before that change;\n"
        "                                       lists the later changes this discards, and is refused\n"
        "                                       when there are any unless --discard-later\n"
        "  queue [--json]                       the deferred mail of both queues, by the server it is\n"
        "                                       stuck at (from the mail log), TLS handshake failures first\n"
        "  retry SERVER... | --tls-failures [--json]\n"
        "                                       run the queue for the messages stuck at those servers\n"
        "                                       only, then say which were delivered\n"
        "\n"
        "Files:\n"
        "  --root DIR          use DIR/etc/mail/sendmail.mc and the access map under DIR (default /)\n"
        "  --mc FILE           sendmail.mc to use\n"
        "  --access FILE       access map source to use (default: the one FEATURE(`access_db') names)\n"
        "  --snapshot-dir DIR  where snapshots go (default: ~/.local/share/sendmail-tls/snapshots)\n"
        "  --restart-command C what restarting means for a --root tree (default: nothing)\n"
        "\n"
        "Remote hosts (SSH):\n"
        "  --host NAME         an ssh_config alias or host name; repeat for several hosts\n"
        "  --ssh-config FILE   instead of ~/.ssh/config\n"
        "  --accept-new-host-key  record the key of a host not yet in known_hosts (a CHANGED key is\n"
        "                      always refused)\n"
        "  --ask-password      ask on the terminal for SSH and sudo passwords\n"
        "  --parallel N        hosts at once (default: all)\n"
        "  --profile ID        debian, rhel, freebsd or custom instead of the detected one\n"
        "  --profile-file FILE a custom profile: paths and commands as JSON (see README)\n"
        "\n"
        "Exit codes: 0 ok, 2 usage, 3 invalid input, 4 invalid or unsafe configuration,\n"
        "5 file access, 6 connection, 7 validation failed or rolled back, 8 refused for safety,\n"
        "1 internal error. See README.md.\n");
}

Result<CliOptions> parseCommandLine(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
    const QCommandLineOption root(QStringLiteral("root"), {}, QStringLiteral("DIR"));
    const QCommandLineOption mc(QStringLiteral("mc"), {}, QStringLiteral("FILE"));
    const QCommandLineOption access(QStringLiteral("access"), {}, QStringLiteral("FILE"));
    const QCommandLineOption snapshotDir(QStringLiteral("snapshot-dir"), {}, QStringLiteral("DIR"));
    const QCommandLineOption json(QStringLiteral("json"));
    const QCommandLineOption dryRun(QStringLiteral("dry-run"));
    const QCommandLineOption editOnly(QStringLiteral("edit-only"));
    const QCommandLineOption addr(QStringLiteral("addr"), {}, QStringLiteral("IP"));
    const QCommandLineOption via(QStringLiteral("via"), {}, QStringLiteral("MECHANISM"));
    const QCommandLineOption reason(QStringLiteral("reason"), {}, QStringLiteral("TEXT"));
    const QCommandLineOption expires(QStringLiteral("expires"), {}, QStringLiteral("DURATION"));
    const QCommandLineOption until(QStringLiteral("until"), {}, QStringLiteral("DATE"));
    const QCommandLineOption host(QStringLiteral("host"), {}, QStringLiteral("NAME"));
    const QCommandLineOption sshConfig(QStringLiteral("ssh-config"), {}, QStringLiteral("FILE"));
    const QCommandLineOption acceptNew(QStringLiteral("accept-new-host-key"));
    const QCommandLineOption askPassword(QStringLiteral("ask-password"));
    const QCommandLineOption parallel(QStringLiteral("parallel"), {}, QStringLiteral("N"));
    const QCommandLineOption profile(QStringLiteral("profile"), {}, QStringLiteral("ID"));
    const QCommandLineOption profileFile(QStringLiteral("profile-file"), {}, QStringLiteral("FILE"));
    const QCommandLineOption force(QStringLiteral("force"));
    const QCommandLineOption discardLater(QStringLiteral("discard-later"));
    const QCommandLineOption prune(QStringLiteral("prune"));
    const QCommandLineOption tlsFailures(QStringLiteral("tls-failures"));
    const QCommandLineOption keep(QStringLiteral("keep"), {}, QStringLiteral("N"));
    const QCommandLineOption olderThan(QStringLiteral("older-than"), {}, QStringLiteral("DAYS"));
    const QCommandLineOption restartCommand(QStringLiteral("restart-command"), {}, QStringLiteral("COMMAND"));
    const QCommandLineOption fromHere(QStringLiteral("from-here"));
    const QCommandLineOption nameserver(QStringLiteral("nameserver"), {}, QStringLiteral("IP"));
    const QCommandLineOption port(QStringLiteral("port"), {}, QStringLiteral("N"));
    const QCommandLineOption timeout(QStringLiteral("timeout"), {}, QStringLiteral("SECONDS"));
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")});
    const QCommandLineOption version(QStringLiteral("version"));
    parser.addOptions({root, mc, access, snapshotDir, json, dryRun, editOnly, addr, via, reason, expires, until, host, sshConfig, acceptNew,
                       askPassword, parallel, profile, profileFile, force, prune, tlsFailures, keep, olderThan, restartCommand, help, version});
    parser.addOptions({fromHere, nameserver, port, timeout, discardLater});

    if (!parser.parse(arguments))
        return makeError(ErrorKind::Usage, parser.errorText());

    CliOptions o;
    o.help = parser.isSet(help);
    o.version = parser.isSet(version);
    if (o.help || o.version)
        return o;
    QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return makeError(ErrorKind::Usage, QStringLiteral("no command given (status, explain, set, history, show, queue, retry)"));
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

    const auto onlyFor = [&](const QCommandLineOption &opt, const QStringList &commands) -> Status {
        if (parser.isSet(opt) && !commands.contains(o.command))
            return makeError(ErrorKind::Usage, QStringLiteral("--%1 does not apply to '%2'")
                                                   .arg(opt.names().constLast(), o.command));
        return std::nullopt;
    };
    const QStringList known{QStringLiteral("status"), QStringLiteral("explain"), QStringLiteral("set"), QStringLiteral("expire"),
                            QStringLiteral("history"), QStringLiteral("show"), QStringLiteral("rollback"),
                            QStringLiteral("restore"), QStringLiteral("queue"), QStringLiteral("retry"), QStringLiteral("mx"), QStringLiteral("probe")};
    if (!known.contains(o.command))
        return makeError(ErrorKind::Usage, QStringLiteral("unknown command '%1' (status, explain, set, expire, history, show, rollback, restore, queue, retry, mx, probe)")
                                               .arg(printableInput(o.command)));
    for (const Status &s : {onlyFor(addr, {QStringLiteral("explain")}),
                            onlyFor(via, {QStringLiteral("set")}),
                            onlyFor(reason, {QStringLiteral("set"), QStringLiteral("rollback"), QStringLiteral("restore")}),
                            onlyFor(expires, {QStringLiteral("set")}),
                            onlyFor(until, {QStringLiteral("set")}),
                            onlyFor(dryRun, {QStringLiteral("set"), QStringLiteral("rollback"), QStringLiteral("restore"), QStringLiteral("history"), QStringLiteral("expire")}),
                            onlyFor(editOnly, {QStringLiteral("set"), QStringLiteral("expire")}),
                            onlyFor(force, {QStringLiteral("rollback")}),
                            onlyFor(discardLater, {QStringLiteral("restore")}),
                            onlyFor(prune, {QStringLiteral("history")}),
                            onlyFor(tlsFailures, {QStringLiteral("retry")}),
                            onlyFor(fromHere, {QStringLiteral("mx"), QStringLiteral("probe")}),
                            onlyFor(nameserver, {QStringLiteral("mx")}),
                            onlyFor(port, {QStringLiteral("probe")}),
                            onlyFor(timeout, {QStringLiteral("mx"), QStringLiteral("probe")}),
                            onlyFor(json, {QStringLiteral("status"), QStringLiteral("explain"), QStringLiteral("set"),
                                           QStringLiteral("history"), QStringLiteral("rollback"), QStringLiteral("restore"), QStringLiteral("expire"),
                                           QStringLiteral("queue"), QStringLiteral("retry"), QStringLiteral("mx"),
                                           QStringLiteral("probe")})})
        if (s)
            return *s;
    return o;
}

} // namespace smtls::cli
