// sendmail-tls queue: the deferred mail of both queues, by the server it is stuck at (from the
// mail log's last delivery attempts), TLS handshake failures first, with the command that
// fixes each.
#include "Commands.h"
#include "ExitCode.h"
#include "Output.h"
#include "RemoteHosts.h"
#include "StreamedOutput.h"
#include "Targets.h"

#include "InParallel.h"
#include "SendmailVersion.h"
#include "delivery/MxLookup.h"
#include "delivery/StuckMail.h"

#include <QJsonArray>

namespace smtls::cli {
namespace {

// Text output stays readable on a queue of thousands: this many ids per server, servers and
// unplaced messages per host; --json lists everything.
constexpr int IdsShown = 10;
constexpr int ServersShown = 50;
constexpr int UnplacedShown = 20;

QString isoTime(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODate) : QString();
}

// "2 h", "3 days": how long the oldest message has waited.
QString age(const QDateTime &since)
{
    if (!since.isValid())
        return QStringLiteral("?");
    const qint64 s = std::max<qint64>(0, since.secsTo(QDateTime::currentDateTimeUtc()));
    if (s < 120)
        return QStringLiteral("%1 s").arg(s);
    if (s < 2 * 3600)
        return QStringLiteral("%1 min").arg(s / 60);
    if (s < 2 * 86400)
        return QStringLiteral("%1 h").arg(s / 3600);
    return QStringLiteral("%1 days").arg(s / 86400);
}

QJsonArray strings(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QJsonValue orNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

} // namespace

// The command a host's admin types: "sendmail-tls --host mta1 " or, for a tree, "--root DIR".
QString commandPrefix(const CliOptions &options, const QString &host)
{
    QString prefix = QStringLiteral("sendmail-tls ");
    if (!host.isEmpty())
        prefix += QStringLiteral("--host %1 ").arg(host);
    else if (options.root != QLatin1String("/"))
        prefix += QStringLiteral("--root %1 ").arg(options.root);
    return prefix;
}

QJsonObject stuckMailJson(const StuckMail &s)
{
    QJsonArray servers;
    for (const StuckServer &server : s.servers)
        servers.append(QJsonObject{{QStringLiteral("server"), server.server},
                                   {QStringLiteral("address"), orNull(server.address)},
                                   {QStringLiteral("domains"), strings(server.domains)},
                                   {QStringLiteral("messages"), server.messages},
                                   {QStringLiteral("ids"), strings(server.ids)},
                                   {QStringLiteral("oldest"), orNull(isoTime(server.oldest))},
                                   {QStringLiteral("lastStatus"), server.lastStatus},
                                   {QStringLiteral("tlsFailure"), server.tlsFailure},
                                   {QStringLiteral("serverFrom"), server.serverFrom}});
    QJsonArray unknown;
    for (const UnplacedMessage &m : s.unknownServer)
        unknown.append(QJsonObject{{QStringLiteral("id"), m.id},
                                   {QStringLiteral("recipients"), strings(m.recipients)},
                                   {QStringLiteral("status"), m.status}});
    return QJsonObject{{QStringLiteral("host"), s.host},
                       {QStringLiteral("servers"), servers},
                       {QStringLiteral("unknownServer"), unknown},
                       {QStringLiteral("logSource"), orNull(s.logSource)},
                       {QStringLiteral("messages"), s.totalMessages},
                       {QStringLiteral("notes"), strings(s.notes)}};
}

namespace {

void printStuckMail(const StuckMail &s, const QString &prefix, bool fallbackKnown, TextStream &out)
{
    out << QStringLiteral("%1 message(s) waiting; mail log: %2\n")
               .arg(s.totalMessages)
               .arg(s.logSource.isEmpty() ? QStringLiteral("none read") : s.logSource);
    if (s.totalMessages == 0)
        return;
    bool tlsHeading = false, otherHeading = false;
    int shown = 0;
    for (const StuckServer &server : s.servers) {
        if (++shown > ServersShown) {
            out << QStringLiteral("\n  … and %1 more server(s) (--json lists all)\n").arg(s.servers.size() - ServersShown);
            break;
        }
        if (server.tlsFailure && !tlsHeading) {
            out << QStringLiteral("\nTLS handshake failed (sendmail defers these again and again until STARTTLS is not tried "
                                  "or falls back to clear text for the server):\n");
            tlsHeading = true;
        } else if (!server.tlsFailure && !otherHeading) {
            out << QStringLiteral("\n%1:\n").arg(tlsHeading ? QStringLiteral("Other servers") : QStringLiteral("Servers"));
            otherHeading = true;
        }
        out << QStringLiteral("  %1%2  %3 message(s), oldest %4 (%5 ago)%6\n")
                   .arg(server.server,
                        server.address.isEmpty() || server.address == server.server ? QString() : QStringLiteral(" [%1]").arg(server.address))
                   .arg(server.messages)
                   .arg(server.oldest.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")), age(server.oldest),
                        server.serverFrom == QLatin1String("mx") ? QStringLiteral("  (by MX: not in the log)") : QString());
        out << QStringLiteral("    domains: %1\n").arg(server.domains.join(QStringLiteral(", ")));
        out << QStringLiteral("    last status: %1\n").arg(server.lastStatus.isEmpty() ? QStringLiteral("(none)") : server.lastStatus);
        QString ids = server.ids.mid(0, IdsShown).join(QLatin1Char(' '));
        if (server.ids.size() > IdsShown)
            ids += QStringLiteral(" … and %1 more").arg(server.ids.size() - IdsShown);
        out << QStringLiteral("    ids: %1\n").arg(ids);
        if (server.tlsFailure)
            out << QStringLiteral("    fix: %1set destination %2 %3 --expires 7d --reason \"TLS handshake fails\"\n"
                                  "    then: %1retry %2\n")
                       .arg(prefix, server.server, fallbackKnown ? QStringLiteral("fallback") : QStringLiteral("off"));
    }
    if (!s.unknownServer.isEmpty()) {
        out << QStringLiteral("\nServer unknown (%1; not in the mail log, no MX answer):\n").arg(s.unknownServer.size());
        for (qsizetype i = 0; i < s.unknownServer.size() && i < UnplacedShown; ++i) {
            const UnplacedMessage &m = s.unknownServer[i];
            out << QStringLiteral("  %1  %2  (%3)\n").arg(m.id, m.recipients.join(QStringLiteral(", ")), m.status);
        }
        if (s.unknownServer.size() > UnplacedShown)
            out << QStringLiteral("  … and %1 more (--json lists all)\n").arg(s.unknownServer.size() - UnplacedShown);
    }
    if (!s.notes.isEmpty()) {
        out << QStringLiteral("\nNotes:\n");
        for (const QString &n : s.notes)
            out << QStringLiteral("  %1\n").arg(n);
    }
}

} // namespace

int runQueue(const CliOptions &options)
{
    if (!options.arguments.isEmpty())
        return fail(makeError(ErrorKind::Usage, QStringLiteral("queue takes no arguments")));
    // Every host is read at once (at most --parallel), then printed in the order of --host.
    struct HostQueue {
        Result<StuckMail> stuck = makeError(ErrorKind::Internal, QStringLiteral("not read"));
        QString describe;
        bool fallbackKnown = false;
    };
    const QStringList names = targetNames(options);
    QList<HostQueue> read(names.size());
    runInParallel(names.size(), options.parallel, [&](qsizetype i) {
        Result<HostConnection> c = connectTarget(options, names[i]);
        if (!c) {
            read[i].stuck = c.error();
            return;
        }
        read[i].describe = c->transport->describe();
        read[i].fallbackKnown = supportsTlsFallback(c->details.sendmailVersion);
        read[i].stuck = readStuckMail(*c->transport, c->profile, mxResolverOnHost(*c->transport, c->profile));
    });
    int code = ExitOk;
    QJsonArray hosts;
    for (qsizetype i = 0; i < names.size(); ++i) {
        const QString &name = names[i];
        Result<StuckMail> &stuck = read[i].stuck;
        if (!stuck) {
            if (name.isEmpty() && !options.json)
                return fail(stuck.error());
            code = std::max(code, exitCodeFor(stuck.error().kind));
            const QString host = hostLabel(options, name);
            if (options.json)
                hosts.append(QJsonObject{{QStringLiteral("host"), host}, {QStringLiteral("error"), stuck.error().describe()}});
            else
                printOut(QStringLiteral("== %1\nerror: %2\n\n").arg(host, stuck.error().describe()));
            continue;
        }
        if (!name.isEmpty())
            stuck->host = name;
        if (options.json) {
            hosts.append(stuckMailJson(*stuck));
            continue;
        }
        TextStream out;
        if (!name.isEmpty())
            out << QStringLiteral("== %1 (%2)\n").arg(name, read[i].describe);
        printStuckMail(*stuck, commandPrefix(options, name), read[i].fallbackKnown, out);
        if (!name.isEmpty())
            out << QStringLiteral("\n");
    }
    if (options.json)
        printJson(QJsonObject{{QStringLiteral("hosts"), hosts}});
    return code;
}

} // namespace smtls::cli
