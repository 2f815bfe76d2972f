// The options of sendmail-tls, and the pages' other parts (exit codes, files, environment) for
// both programs (CommandCatalog.h). parseCommandLine declares its options from this list.
#include "CommandCatalog.h"

#include "ExitCode.h"

namespace smtls::cli {

namespace {

QString s(const char *text) { return QString::fromUtf8(text); }

QStringList on(std::initializer_list<const char *> commands)
{
    QStringList list;
    for (const char *c : commands)
        list.append(s(c));
    return list;
}

QList<OptionDoc> makeOptions()
{
    using V = ValueCompletion;
    return {
        // Global: every command.
        {{s("root")}, s("DIR"), s("Work on the tree under DIR instead of /: DIR/etc/mail/sendmail.mc and the access map it "
                                  "names. Restarting is --restart-command (nothing by default) and no daemon is checked. "
                                  "Not with --host."), {}, V::Directory},
        {{s("mc")}, s("FILE"), s("The sendmail.mc to read and edit (default: etc/mail/sendmail.mc under --root)."), {}, V::File},
        {{s("access")}, s("FILE"), s("The access map source to read and edit (default: the one FEATURE(`access_db') names)."),
         {}, V::File},
        {{s("snapshot-dir")}, s("DIR"), s("Where snapshots are saved and read (default: $XDG_DATA_HOME/sendmail-tls/snapshots, "
                                          "else ~/.local/share/sendmail-tls/snapshots, shared with sendmail-tls-gui)."),
         {}, V::Directory},
        {{s("restart-command")}, s("COMMAND"), s("What restarting sendmail means for a --root tree: one command line, split "
                                                 "into words and run without a shell (default: nothing)."), {}, V::None},
        {{s("host")}, s("NAME"), s("An ssh_config alias or host name; repeat for several hosts, handled in parallel, each "
                                   "with its own result. Not with --root, --mc or --access."), {}, V::Host},
        {{s("ssh-config")}, s("FILE"), s("The ssh_config file to read instead of ~/.ssh/config."), {}, V::File},
        {{s("accept-new-host-key")}, {}, s("Record the key of a host not yet in known_hosts (a changed key is always "
                                           "refused)."), {}},
        {{s("ask-password")}, {}, s("Ask on the terminal for SSH and sudo passwords (never read from the command line). "
                                    "Without it nothing is asked, so scripts never hang on a prompt."), {}},
        {{s("parallel")}, s("N"), s("Hosts handled at once (default: all)."), {}},
        {{s("profile")}, s("ID"), s("The host profile to use instead of the detected one: debian, rhel, freebsd, or custom "
                                    "with --profile-file."), {}, V::Choices,
         on({"debian", "rhel", "freebsd", "custom"})},
        {{s("profile-file")}, s("FILE"), s("A custom host profile for --host hosts: paths and commands as JSON (see README)."),
         {}, V::File},
        {{s("h"), s("help")}, {}, s("Show the list of commands, or with a command its options and examples, and exit."), {}},
        {{s("version")}, {}, s("Show the version and exit."), {}},
        // The commands' own options.
        {{s("json")}, {}, s("Print the result as JSON (the README's \"JSON output\"); with --host, one object per host."),
         on({"status", "explain", "set", "expire", "history", "rollback", "restore", "queue", "retry", "mx", "probe"})},
        {{s("dry-run")}, {}, s("Print the diff (or, for history --prune, what would be removed) and write nothing."),
         on({"set", "expire", "history", "rollback", "restore"})},
        {{s("edit-only")}, {}, s("Write the text files only (check, snapshot, write) and print the commands that make "
                                 "sendmail use them (makemap; for a sendmail.mc change m4 and a restart)."),
         on({"set", "expire"})},
        {{s("reason")}, s("TEXT"), s("Why, in one line: written into the note above the rule and into the snapshot."),
         on({"set", "rollback", "restore"})},
        {{s("via")}, s("MECHANISM"), s("For set global off: access (the access default Try_TLS:, no restart) or "
                                       "client-options (M=S, regenerate and restart)."), on({"set"}), V::Choices,
         on({"access", "client-options"})},
        {{s("expires")}, s("DURATION"), s("The exception ends by itself after DURATION (7d, 12h; at most 365 days); "
                                          "sendmail-tls expire removes it then. Only with off or fallback."), on({"set"})},
        {{s("until")}, s("DATE"), s("The exception ends at the start of DATE (YYYY-MM-DD, at most 365 days ahead)."),
         on({"set"})},
        {{s("addr")}, s("IP"), s("The server's address (IPv4 or IPv6), so that address and prefix rules are matched too."),
         on({"explain"})},
        {{s("force")}, {}, s("Refused: rollback never discards later changes; use restore SNAPSHOT --discard-later."),
         on({"rollback"})},
        {{s("discard-later")}, {}, s("Restore even though later changes exist, discarding them (they are listed)."),
         on({"restore"})},
        {{s("prune")}, {}, s("Remove old snapshots: needs --keep and/or --older-than."), on({"history"})},
        {{s("keep")}, s("N"), s("With --prune: keep the N newest snapshots (0 or more)."), on({"history"})},
        {{s("older-than")}, s("DAYS"), s("With --prune: remove snapshots older than DAYS days (90 or 90d)."), on({"history"})},
        {{s("tls-failures")}, {}, s("Retry the messages stuck at every server with a TLS handshake failure."), on({"retry"})},
        {{s("from-here")}, {}, s("Also ask from this computer (its DNS for mx, its network and TLS library for probe), "
                                 "shown as host \"here\"."), on({"mx", "probe"})},
        {{s("nameserver")}, s("IP"), s("With --from-here: ask this name server."), on({"mx"})},
        {{s("port")}, s("N"), s("The server's SMTP port (1 to 65535, default 25)."), on({"probe"})},
        {{s("timeout")}, s("SECONDS"), s("The deadline of each lookup or probe (1 to 300, default 10)."), on({"mx", "probe"})},
    };
}

QList<ExitCodeDoc> exitCodes()
{
    return {{ExitOk, s("ok"), s("Success (also: nothing to change).")},
            {ExitInternal, s("internal error"), s("Internal error (a bug: please report it).")},
            {ExitUsage, s("usage"), s("Usage: unknown command or option, missing or extra argument.")},
            {ExitInvalidInput, s("invalid input"), s("Invalid input: a destination that could never match a server, an address, a name with "
                                 "shell metacharacters, or a --reason that is not one line of visible text.")},
            {ExitInvalidConfig, s("invalid or unsafe configuration"), s("Invalid or unsafe configuration: a file m4 would reject, binary data, a file over the size "
                                  "limit, an edit that cannot work, a configuration file that is a symbolic link; status "
                                  "also exits 4 when it found problems of severity error.")},
            {ExitFileAccess, s("file access"), s("A file cannot be read or written.")},
            {ExitConnection, s("connection"), s("A remote host cannot be reached.")},
            {ExitValidation, s("validation failed or rolled back"), s("The new configuration failed validation, or it failed after install and was rolled back.")},
            {ExitRefused, s("refused for safety"), s("Refused for safety: a file changed by someone else meanwhile, a changed host key, another apply "
                            "holding the host's lock, a rollback whose lines a later change touched, a restore that would "
                            "discard later changes without --discard-later, cancelled.")}};
}

} // namespace

const QList<OptionDoc> &optionCatalog()
{
    static const QList<OptionDoc> options = makeOptions();
    return options;
}

const OptionDoc *findOption(const QString &longName)
{
    for (const OptionDoc &o : optionCatalog())
        if (o.longName() == longName)
            return &o;
    return nullptr;
}

QList<OptionDoc> optionsOf(const CommandDoc &command)
{
    QList<OptionDoc> own;
    for (const OptionDoc &o : optionCatalog())
        if (o.commands.contains(command.name))
            own.append(o);
    return own;
}

QString optionUsage(const OptionDoc &option)
{
    QStringList names;
    for (const QString &n : option.names)
        names.append((n.size() == 1 ? QStringLiteral("-") : QStringLiteral("--")) + n);
    return names.join(QStringLiteral(", ")) + (option.valueName.isEmpty() ? QString() : QLatin1Char(' ') + option.valueName);
}

ProgramDoc cliProgram()
{
    ProgramDoc p;
    p.name = s("sendmail-tls");
    p.summary = s("read, explain and edit sendmail's outbound STARTTLS settings");
    p.description = s(
        "When a peer offers STARTTLS and the handshake fails, sendmail does not fall back to clear text: the message is "
        "deferred and stays stuck. sendmail-tls reads, explains and edits the settings that decide this (Try_TLS: rules "
        "in the access map, TLS_Clt_Features, the client modifier M=S, confTLS_FALLBACK_TO_CLEAR), byte-exactly, on this "
        "computer, on a copy of a tree (--root) or on hosts over SSH (--host).\n\n"
        "Every write is one transaction per host: validated with the real m4, makemap and sendmail before it is installed, "
        "preceded by a snapshot that rollback and restore can go back to, and rolled back when the new files fail after "
        "install. Reading commands take no lock and change nothing. Errors go to standard error as one line starting with "
        "\"sendmail-tls:\".");
    for (const OptionDoc &o : optionCatalog())
        if (o.isGlobal())
            p.options.append(o);
    p.exitCodes = exitCodes();
    p.files = {{s("/etc/mail/sendmail.mc, /etc/mail/access, /etc/mail/sendmail.cf"),
                s("What is read and edited (on a host: the paths of its profile; under --root: below DIR).")},
               {s("~/.local/share/sendmail-tls/snapshots/"),
                s("This user's snapshots, shared with sendmail-tls-gui ($XDG_DATA_HOME/sendmail-tls/snapshots when set; "
                  "--snapshot-dir).")},
               {s("~/.ssh/config, /etc/ssh/ssh_config"), s("Host aliases for --host, with the files they Include.")},
               {s("~/.ssh/known_hosts"), s("Host keys checked on connect (--accept-new-host-key adds one).")},
               {s("/var/lib/sendmail-tls/lock, /var/lib/sendmail-tls/journal.json"),
                s("On each host: one apply at a time, and the journal of an install in progress.")},
               {s("/var/backups/sendmail-tls/"), s("On each host: its snapshots.")}};
    p.environment = {{s("HOME"), s("Where ~/.ssh and ~/.local/share are looked for.")},
                     {s("XDG_DATA_HOME"), s("Where the snapshots are kept (default ~/.local/share).")},
                     {s("SENDMAIL_TLS_TRANSLATION"), s("The language or translation file, as --translation (which wins).")},
                     {s("SSH_AUTH_SOCK"), s("The ssh-agent to authenticate with, tried first.")},
                     {s("DISPLAY, WAYLAND_DISPLAY"), s("On this computer without root, writes go through pkexec when "
                                                       "either is set, else through sudo -n.")}};
    p.seeAlso = {s("sendmail-tls-gui(1)"), s("sendmail(8)"), s("makemap(8)"), s("ssh_config(5)")};
    return p;
}

ProgramDoc guiProgram()
{
    ProgramDoc p;
    p.name = s("sendmail-tls-gui");
    p.summary = s("desktop application to read, explain and change sendmail's outbound STARTTLS settings");
    p.description = s(
        "The desktop side of sendmail-tls(1): a list of hosts (this computer, the Demo host and SSH hosts), each host's "
        "global setting, destination rules and problems, an Explain box, edits that are staged, shown as a diff and "
        "applied through the same validated pipeline as the command line, the history of snapshots with rollback and "
        "restore, and the stuck mail of the queue.\n\n"
        "The Demo host is a writable copy of a bundled /etc/mail whose restart is simulated. Qt's standard options "
        "(-platform, -style, and more) are accepted too; --help-all lists them.");
    p.options = {{{s("dark")}, {}, s("Use a dark palette."), {}},
                 {{s("screenshot")}, s("DIR"), s("Save screenshots of the main views (on the Demo host) into DIR and quit."),
                  {}, ValueCompletion::Directory},
                 {{s("translation")}, s("LANGUAGE|FILE.qm"),
                  s("Show the windows in LANGUAGE (a locale name such as de) or with the translation FILE.qm instead of "
                    "the system's language."),
                  {}},
                 {{s("h"), s("help")}, {}, s("Show the options and exit."), {}},
                 {{s("help-all")}, {}, s("Show the options, Qt's standard options included, and exit."), {}},
                 {{s("v"), s("version")}, {}, s("Show the version and exit."), {}}};
    p.exitCodes = {{0, s("ok"), s("The window was closed, or --screenshot saved every view.")},
                   {1, s("screenshot failed"), s("--screenshot could not save a view.")}};
    p.files = {{s("~/.config/sendmail-tls/sendmail-tls-gui.conf"),
                s("Settings: the saved hosts (name, address, port, user, login method, profile, ssh_config and "
                  "known_hosts files) and the window's layout.")},
               {s("~/.local/share/sendmail-tls/sendmail-tls-gui/staged/"),
                s("Edits not yet applied, kept for next time when the window was closed with Keep for next time.")},
               {s("~/.local/share/sendmail-tls/sendmail-tls-gui/demo/"), s("The Demo host's writable copy of /etc/mail.")},
               {s("~/.local/share/sendmail-tls/snapshots/"), s("Snapshots, shared with sendmail-tls(1).")},
               {s("~/.ssh/config"), s("Host aliases to import (File, Add host), with the files they Include.")},
               {s("the desktop's keychain (Secret Service)"),
                s("Login and sudo passwords, only when remembering one was chosen; service name sendmail-tls-gui.")}};
    p.environment = {{s("XDG_CONFIG_HOME, XDG_DATA_HOME"), s("Where the settings and data above are kept.")},
                     {s("SENDMAIL_TLS_TRANSLATION"), s("The language or translation file, as --translation (which wins).")},
                     {s("SSH_AUTH_SOCK"), s("The ssh-agent to authenticate with, tried first.")},
                     {s("QT_QPA_PLATFORM"), s("Qt's platform plugin (offscreen for a run without a display).")}};
    p.examples = {{s("--dark"), {}}, {s("--screenshot /tmp/shots"), s("the main views as PNG files")}};
    p.seeAlso = {s("sendmail-tls(1)"), s("sendmail(8)"), s("ssh_config(5)")};
    return p;
}

} // namespace smtls::cli
