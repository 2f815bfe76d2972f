// sendmail-tls retry [SERVER... | --tls-failures]: after a fix, run the queue for the messages
// stuck at those servers only (by queue id), then say what became of each.
#include "Commands.h"
#include "ExitCode.h"
#include "Output.h"
#include "RemoteHosts.h"
#include "StreamedOutput.h"
#include "Targets.h"

#include "Destination.h"
#include "InParallel.h"
#include "delivery/MxLookup.h"
#include "delivery/QueueRetry.h"

#include <QJsonArray>

namespace smtls::cli {
namespace {

constexpr int MessagesShown = 50;

// The servers as the admin typed them, checked before anything runs on a host: a host name, a
// parent domain or an address, never shell text.
Result<QStringList> serversFrom(const QStringList &typed)
{
    QStringList servers;
    for (const QString &t : typed) {
        const Result<Destination> d = parseDestination(t);
        if (!d)
            return d.error();
        if (d->key.isEmpty())
            return makeError(ErrorKind::InvalidInput, QStringLiteral("retry needs a server name, not an empty one"));
        servers << QString::fromLatin1(d->key);
    }
    return servers;
}

QJsonObject outcomeJson(const RetryOutcome &o)
{
    return QJsonObject{{QStringLiteral("id"), o.id},
                       {QStringLiteral("server"), o.server},
                       {QStringLiteral("result"), o.result},
                       {QStringLiteral("status"), o.status},
                       {QStringLiteral("tlsFailure"), o.tlsFailure}};
}

QString summary(const QList<RetryOutcome> &messages)
{
    QMap<QString, int> counts;
    for (const RetryOutcome &o : messages)
        ++counts[o.result];
    QStringList parts;
    for (const char *result : {"delivered", "deferred", "bounced", "gone"})
        if (counts.value(QLatin1String(result)) > 0)
            parts << QStringLiteral("%1 %2").arg(counts.value(QLatin1String(result))).arg(QLatin1String(result));
    return QStringLiteral("%1 of %2 delivered (%3)").arg(counts.value(QStringLiteral("delivered"))).arg(messages.size()).arg(parts.join(QStringLiteral(", ")));
}

} // namespace

int runRetry(const CliOptions &options)
{
    if (options.arguments.isEmpty() && !options.tlsFailures)
        return fail(makeError(ErrorKind::Usage, QStringLiteral("retry takes the servers whose messages to run (as 'queue' names "
                                                               "them), or --tls-failures")));
    const Result<QStringList> servers = serversFrom(options.arguments);
    if (!servers)
        return fail(servers.error());

    // Every host at once (at most --parallel): each runs only its own messages. Printed in the
    // order of --host.
    struct HostRetry {
        Result<RetryReport> report = makeError(ErrorKind::Internal, QStringLiteral("not run"));
        QStringList ids;
    };
    const QStringList names = targetNames(options);
    QList<HostRetry> runs(names.size());
    runInParallel(names.size(), options.parallel, [&](qsizetype i) {
        Result<HostConnection> c = connectTarget(options, names[i]);
        if (!c) {
            runs[i].report = c.error();
            return;
        }
        Transport &t = *c->transport;
        const Result<StuckMail> before = readStuckMail(t, c->profile, mxResolverOnHost(t, c->profile));
        if (!before) {
            runs[i].report = before.error();
            return;
        }
        runs[i].ids = messagesToRetry(*before, *servers, options.tlsFailures);
        runs[i].report = runs[i].ids.isEmpty() ? Result<RetryReport>(RetryReport{}) : retryMessages(t, c->profile, *before, runs[i].ids);
    });

    int code = ExitOk;
    QJsonArray hosts;
    for (qsizetype h = 0; h < names.size(); ++h) {
        const QString &name = names[h];
        const QString host = hostLabel(options, name);
        if (!runs[h].report) {
            const Error &e = runs[h].report.error();
            code = std::max(code, exitCodeFor(e.kind));
            if (options.json)
                hosts.append(QJsonObject{{QStringLiteral("host"), host}, {QStringLiteral("error"), e.describe()}});
            else
                printError(QStringLiteral("%1: %2").arg(host, e.describe()));
            continue;
        }
        const RetryReport &report = *runs[h].report;
        const QStringList &ids = runs[h].ids;
        if (options.json) {
            QJsonArray messages;
            for (const RetryOutcome &o : report.messages)
                messages.append(outcomeJson(o));
            hosts.append(QJsonObject{{QStringLiteral("host"), host},
                                     {QStringLiteral("messages"), messages},
                                     {QStringLiteral("notes"), QJsonArray::fromStringList(report.notes)}});
            continue;
        }
        TextStream out;
        if (!name.isEmpty())
            out << QStringLiteral("== %1\n").arg(name);
        if (ids.isEmpty()) {
            out << QStringLiteral("no queued message is stuck at %1\n")
                       .arg(options.tlsFailures && servers->isEmpty() ? QStringLiteral("a server whose TLS handshake failed")
                                                                       : servers->join(QStringLiteral(", ")));
        } else {
            out << QStringLiteral("%1\n").arg(summary(report.messages));
            for (qsizetype i = 0; i < report.messages.size() && i < MessagesShown; ++i) {
                const RetryOutcome &o = report.messages[i];
                out << QStringLiteral("  %1  %2  %3  %4%5\n")
                           .arg(o.id, o.server, o.result.leftJustified(9), o.status,
                                o.tlsFailure && !o.status.contains(QLatin1String("TLS")) ? QStringLiteral(" (TLS handshake failed)") : QString());
            }
            if (report.messages.size() > MessagesShown)
                out << QStringLiteral("  … and %1 more (--json lists all)\n").arg(report.messages.size() - MessagesShown);
        }
        for (const QString &n : std::as_const(report.notes))
            out << QStringLiteral("note: %1\n").arg(n);
        if (!name.isEmpty())
            out << QStringLiteral("\n");
    }
    if (options.json)
        printJson(QJsonObject{{QStringLiteral("hosts"), hosts}});
    return code;
}

} // namespace smtls::cli
