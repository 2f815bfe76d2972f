// The commands of sendmail-tls as the admin reads about them (CommandCatalog.h). The parser
// accepts exactly these names; tests check that the dispatcher in Cli.cpp runs each of them.
#include "CommandCatalog.h"

#include <algorithm>

namespace smtls::cli {

namespace {

QString s(const char *text) { return QString::fromUtf8(text); }

QList<CommandDoc> makeCatalog()
{
    QList<CommandDoc> c;
    c.append({s("status"), {s("")}, s("global state, destination rules, problems"),
              s("Shows whether sendmail tries STARTTLS with every server (on), falls back to clear text when a handshake "
                "fails (fallback) or does not try it (off), and by which line; every per-destination rule of the access map "
                "with its note and end date; the daemons and client options; and the problems found, each with its fix. "
                "With --host it also shows the host's profile, the sendmail version and whether it was built with STARTTLS.\n\n"
                "Exits 4 when a problem of severity error was found, so a monitoring script can use it."),
              {{s("status"), s("this computer's /etc/mail")},
               {s("--root /srv/copy status --json"), s("a copy of a tree, as JSON")},
               {s("--host mx1 --host mx2 status"), s("two ssh_config aliases, asked in parallel")}}});
    c.append({s("explain"), {s("SERVER [--addr IP]")},
              s("will sendmail try STARTTLS with this server, and why"),
              s("Answers as sendmail's rulesets try_tls and tls_clt_features would for SERVER, the server sendmail connects "
                "to (the MX host or relay, not the recipient's domain): TLS tried, TLS tried with fallback to clear text if "
                "the handshake fails, or TLS not tried, with every line that decides. --addr adds the server's address, "
                "which address and prefix rules match."),
              {{s("explain mx1.example.net"), {}},
               {s("explain mx1.example.net --addr 192.0.2.25 --json"), s("address rules too, as JSON")}}});
    c.append({s("set"),
              {s("global on|fallback|off [--via access|client-options]"), s("destination NAME on|fallback|off|inherit")},
              s("change the global setting or one destination's"),
              s("on: try STARTTLS; a failed handshake defers the mail. fallback (sendmail 8.16 and later): try STARTTLS "
                "and deliver in clear text at once when the handshake fails. off: do not try STARTTLS. inherit removes a "
                "destination's rule. NAME is the server's host name, a parent domain (example.com covers mx.example.com), "
                "an IPv4 or IPv6 address or prefix.\n\n"
                "set global off writes the access default Try_TLS: (no restart needed) or, with --via client-options, the "
                "client modifier M=S (sendmail.cf is regenerated and sendmail restarted). set global on clears both.\n\n"
                "Every set runs one transaction per host: lock, read, plan, check that the files are unchanged, snapshot, "
                "upload, validate with the real m4, makemap and sendmail -bt, install, restart when sendmail.cf changed, "
                "health check; a failure after install restores the previous files. --dry-run prints the diff and writes "
                "nothing; --edit-only writes the text files only and prints the commands that make sendmail use them."),
              {{s("set destination mx1.example.net off --reason \"handshake fails\""), {}},
               {s("set destination mx1.example.net fallback --expires 7d"), s("TLS, clear text if it fails, for a week")},
               {s("set destination mx1.example.net inherit"), s("remove the rule again")},
               {s("set global off --via client-options --dry-run"), s("show the change to sendmail.mc, write nothing")},
               {s("--host mx1 --host mx2 set global fallback"), {}}}});
    c.append({s("expire"), {s("")}, s("remove every exception whose time is up"),
              s("Removes each exception (set ... --expires or --until) whose end has passed, through the same pipeline as "
                "set (validated, snapshotted). Run it from a timer: the package's sendmail-tls-expire.timer runs it hourly."),
              {{s("expire"), {}}, {s("expire --dry-run"), s("what would be removed")}, {s("--host mx1 expire --json"), {}}}});
    c.append({s("history"), {s(""), s("--prune [--keep N] [--older-than DAYS]")},
              s("the snapshots taken before each write"),
              s("Lists the snapshots, newest first: id (it starts with the UTC time), host, user, change and reason; an "
                "attempt that was not applied is marked. The command line and "
                "sendmail-tls-gui share one store, so the window's changes are listed too; with --host, the host's own "
                "snapshots in /var/backups/sendmail-tls.\n\n"
                "--prune removes all but the N newest (--keep) and/or those older than DAYS (--older-than)."),
              {{s("history"), {}},
               {s("--host mx1 history --json"), {}},
               {s("history --prune --keep 50 --older-than 90d --dry-run"), s("what retention would remove")}}});
    c.append({s("show"), {s("SNAPSHOT")}, s("the diff a snapshot recorded"),
              s("Prints a snapshot's host, time, user, change and reason, then the unified diff of every file it changed."),
              {{s("show 20261202-081000-123-localhost"), {}}, {s("--host mx1 show 20261202-081000-123-mx1"), {}}}});
    c.append({s("rollback"), {s("SNAPSHOT")}, s("undo that snapshot's change alone, keeping later changes"),
              s("Undoes the change SNAPSHOT recorded on the files as they are now: its lines are put back and everything "
                "changed since stays, byte for byte. Refused (exit 8), naming the later change, when a later change touched "
                "the same lines; then restore is the other way back. Runs through the pipeline like set."),
              {{s("rollback 20261202-081000-123-localhost --dry-run"), {}},
               {s("--host mx1 rollback 20261202-081000-123-mx1 --reason \"fixed\""), {}}}});
    c.append({s("restore"), {s("SNAPSHOT [--discard-later]")}, s("put the files back as they were before that change"),
              s("Puts the files back as they were before SNAPSHOT's change, which discards every later change: they are "
                "listed, and the restore is refused (exit 8) when there are any unless --discard-later. --dry-run shows "
                "the diff and the list and writes nothing. Runs through the pipeline like set."),
              {{s("restore 20261202-081000-123-localhost --dry-run"), s("the diff and the later changes it discards")},
               {s("--host mx1 restore 20261202-081000-123-mx1 --discard-later"), {}}}});
    c.append({s("queue"), {s("")}, s("deferred mail by the server it is stuck at"),
              s("Reads both queues (the MTA's and the submission queue) and joins each message with its last delivery "
                "attempt in the mail log, so that each server lists the messages stuck there; servers with TLS handshake "
                "failures come first, each with the set command that fixes it and the retry that follows."),
              {{s("queue"), {}}, {s("--host mx1 --host mx2 queue --json"), {}}}});
    c.append({s("retry"), {s("SERVER..."), s("--tls-failures")}, s("run the queue for the messages stuck at those servers"),
              s("Runs sendmail -qI for exactly the messages stuck at SERVER (a server as queue names it, a parent domain or "
                "an address), or with --tls-failures at every server with a TLS handshake failure, then reads queue and log "
                "again and says which were delivered, deferred, bounced or gone. Not on a --root tree (no queue runner)."),
              {{s("retry mx.broken.example"), {}}, {s("--host mx1 retry --tls-failures --json"), {}}}});
    c.append({s("mx"), {s("DOMAIN|ADDRESS [--from-here [--nameserver IP]] [--timeout SECONDS]")},
              s("the servers sendmail connects to for a domain"),
              s("Answers as the host's sendmail routes the mail (sendmail -bt: mailertable, smart host, then MX in "
                "sendmail's order), with each server's addresses. A recipient address stands for its domain. --from-here "
                "adds this computer's DNS answer."),
              {{s("--host mx1 mx someone@stuck.example"), {}},
               {s("mx stuck.example --from-here --nameserver 192.0.2.53"), {}}}});
    c.append({s("probe"), {s("SERVER [--port N] [--from-here] [--timeout SECONDS]")},
              s("is STARTTLS offered, does the handshake work"),
              s("Runs openssl s_client -starttls smtp on the host (its network, its OpenSSL) and reports the outcome (ok, "
                "failed with the handshake error, not offered, no connection), protocol, cipher and certificate. "
                "--from-here probes from this computer too. A probe that ran exits 0 whatever its outcome."),
              {{s("--host mx1 probe mx.broken.example"), {}},
               {s("--host mx1 probe 192.0.2.25 --from-here --port 25 --timeout 10"), {}}}});
    c.append({s("help"), {s("[COMMAND]")}, s("the list of commands, or one command's options and examples"),
              s("Same as sendmail-tls --help, or sendmail-tls COMMAND --help."),
              {{s("help set"), {}}}});
    return c;
}

} // namespace

const QList<CommandDoc> &commandCatalog()
{
    static const QList<CommandDoc> catalog = makeCatalog();
    return catalog;
}

const CommandDoc *findCommand(const QString &name)
{
    for (const CommandDoc &c : commandCatalog())
        if (c.name == name)
            return &c;
    return nullptr;
}

QStringList commandNames()
{
    QStringList names;
    for (const CommandDoc &c : commandCatalog())
        names.append(c.name);
    return names;
}

int editDistance(const QString &a, const QString &b)
{
    // Optimal string alignment: one transposition ("stauts") counts as one edit.
    const qsizetype n = a.size(), m = b.size();
    QList<QList<int>> d(n + 1, QList<int>(m + 1, 0));
    for (qsizetype i = 0; i <= n; ++i)
        d[i][0] = int(i);
    for (qsizetype j = 0; j <= m; ++j)
        d[0][j] = int(j);
    for (qsizetype i = 1; i <= n; ++i)
        for (qsizetype j = 1; j <= m; ++j) {
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[n][m];
}

QString suggestCommand(const QString &typed)
{
    const QString word = typed.toLower();
    if (word.isEmpty())
        return {};
    QStringList prefixed;
    for (const QString &name : commandNames())
        if (name.startsWith(word))
            prefixed.append(name);
    if (prefixed.size() == 1)
        return prefixed.first();
    // Within a third of the word (at least one edit, at most two): "staus" -> status, not "set" for "sex".
    const int allowed = int(std::clamp<qsizetype>(word.size() / 3, 1, 2));
    QString best;
    int bestDistance = allowed + 1;
    for (const QString &name : commandNames()) {
        const int distance = editDistance(word, name);
        if (distance < bestDistance) {
            best = name;
            bestDistance = distance;
        }
    }
    return best;
}

} // namespace smtls::cli
