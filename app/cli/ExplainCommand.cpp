// sendmail-tls explain SERVER [--addr IP]: will sendmail try STARTTLS (and fall back to clear
// text when the handshake fails), and which lines decide.
#include "Commands.h"
#include "ExitCode.h"
#include "Output.h"
#include "Targets.h"

#include <QJsonArray>

namespace smtls::cli {

int runExplain(const CliOptions &options)
{
    if (options.arguments.size() != 1)
        return fail(makeError(ErrorKind::Usage, QStringLiteral("explain takes one server name")));
    QByteArray name, address;
    const QString server = options.arguments.first();
    if (Result<QByteArray> asAddress = parseServerAddress(server); asAddress && !options.address) {
        address = *asAddress;  // explain 192.0.2.9: a server known only by its address
    } else {
        const Result<Destination> d = parseDestination(server);
        if (!d)
            return fail(d.error());
        if (d->kind != DestinationKind::HostName)
            return fail(makeError(ErrorKind::InvalidInput, QStringLiteral("'%1' is not a host name").arg(server)));
        name = d->key;
    }
    if (options.address) {
        const Result<QByteArray> a = parseServerAddress(*options.address);
        if (!a)
            return fail(a.error());
        address = *a;
    }
    struct Answer {
        QString host;
        Decision decision;
    };
    QList<Answer> answers;
    int code = ExitOk;
    for (const QString &host : targetNames(options)) {
        const Result<TargetReading> target = readTarget(options, host);
        if (!target) {
            if (host.isEmpty())
                return fail(target.error());
            code = std::max(code, fail(makeError(target.error().kind, host + QStringLiteral(": ") + target.error().describe())));
            continue;
        }
        Decision decision = target->reading.state.config.policy().explain(name, address);
        if (!decision.file.isEmpty())
            decision.file = target->shown(decision.file);
        if (!decision.fallbackFile.isEmpty())
            decision.fallbackFile = target->shown(decision.fallbackFile);
        answers.append({host, decision});
    }
    QJsonArray all;
    for (auto &[host, decision] : answers) {
        decision.server = QString::fromLatin1(name);
        QJsonObject json = toJson(decision);
        if (!host.isEmpty())
            json.insert(QStringLiteral("host"), host);
        all.append(json);
        if (options.json)
            continue;
        QString who = name.isEmpty() ? QString::fromLatin1(address) : QString::fromLatin1(name);
        if (!name.isEmpty() && !address.isEmpty())
            who += QStringLiteral(" [%1]").arg(QString::fromLatin1(address));
        QString out = host.isEmpty() ? QString() : QStringLiteral("%1: ").arg(host);
        out += QStringLiteral("%1: %2\n").arg(who, !decision.tls     ? QStringLiteral("STARTTLS will NOT be tried")
                                                : decision.fallback ? QStringLiteral("STARTTLS will be tried; if the handshake "
                                                                                     "fails, sendmail retries in clear text")
                                                                    : QStringLiteral("STARTTLS will be tried"));
        out += QStringLiteral("  decided by: %1%2\n")
                   .arg(decision.decidedBy,
                        decision.file.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(location(decision.file, decision.line)));
        out += QStringLiteral("  why: %1\n").arg(decision.reason);
        if (decision.tls) {
            out += QStringLiteral("  fallback to clear text: %1%2\n")
                       .arg(decision.fallback ? QStringLiteral("yes") : QStringLiteral("no"),
                            decision.fallbackDecidedBy.isEmpty()
                                ? QString()
                                : QStringLiteral(", decided by %1%2")
                                      .arg(decision.fallbackDecidedBy,
                                           decision.fallbackFile.isEmpty()
                                               ? QString()
                                               : QStringLiteral(" (%1)").arg(location(decision.fallbackFile, decision.fallbackLine))));
            out += QStringLiteral("  why: %1\n").arg(decision.fallbackReason);
        }
        if (address.isEmpty())
            out += QStringLiteral("  note: without --addr, rules on the server's IP address were not considered\n");
        printOut(out);
    }
    if (options.json)
        printJson(options.hosts.isEmpty() ? all.first().toObject() : QJsonObject{{QStringLiteral("hosts"), all}});
    return code;
}

} // namespace smtls::cli
