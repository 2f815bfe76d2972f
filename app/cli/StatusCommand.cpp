// sendmail-tls status: the global state and its mechanism, the destination rules, problems.
#include "Commands.h"
#include "ExitCode.h"
#include "Output.h"
#include "Targets.h"

#include <QJsonArray>

namespace smtls::cli {
namespace {

using ShownPath = std::function<QString(const QString &)>;

QString globalSentence(const GlobalState &g, const MailConfig &config, const ShownPath &shown)
{
    if (g.tls)
        return QStringLiteral("ON: sendmail tries STARTTLS with every server that offers it, unless a rule below says NO");
    QStringList how;
    if (g.via.contains(Mechanism::ClientOptions))
        how << QStringLiteral("the client modifier M=S (%1; hard switch, no access rule can override it)")
                   .arg(location(shown(config.mc.fileName()), g.clientOptionsLine));
    if (g.via.contains(Mechanism::AccessDefault))
        how << QStringLiteral("the access map default Try_TLS: NO (%1; destination YES rules still apply)")
                   .arg(location(shown(config.accessPath), g.accessDefaultLine));
    return QStringLiteral("OFF for all servers, via ") + how.join(QStringLiteral(" and "));
}

QJsonObject statusJson(const MailConfig &config, const Policy &policy, const QList<DestinationRule> &rules, const Problems &problems,
                       const ShownPath &shown)
{
    const GlobalState g = policy.global();
    QJsonArray via;
    for (Mechanism m : g.via)
        via.append(mechanismName(m));
    QJsonArray destinations;
    for (const DestinationRule &r : rules)
        destinations.append(QJsonObject{{QStringLiteral("destination"), QString::fromLatin1(r.destination.key)},
                                        {QStringLiteral("tls"), r.tls},
                                        {QStringLiteral("line"), r.line},
                                        {QStringLiteral("value"), QString::fromUtf8(r.value)},
                                        {QStringLiteral("note"), r.note},
                                        {QStringLiteral("effective"), r.effective}});
    QJsonArray clientOptions;
    for (const ClientOptionsDecl &c : config.mc.clientOptions())
        clientOptions.append(QJsonObject{{QStringLiteral("line"), c.line},
                                         {QStringLiteral("family"), QString::fromLatin1(c.family())},
                                         {QStringLiteral("modifiers"), QString::fromLatin1(c.options.modifiers())},
                                         {QStringLiteral("options"), QString::fromUtf8(c.options.text())}});
    QJsonArray daemons;
    for (const DaemonOptionsDecl &d : config.mc.daemonOptions())
        daemons.append(QJsonObject{{QStringLiteral("line"), d.line},
                                   {QStringLiteral("name"), QString::fromUtf8(d.name())},
                                   {QStringLiteral("family"), QString::fromLatin1(d.family())},
                                   {QStringLiteral("address"), QString::fromUtf8(d.address())},
                                   {QStringLiteral("port"), QString::fromUtf8(d.port())}});
    QJsonObject accessDb{{QStringLiteral("enabled"), config.mc.accessDb().has_value()}};
    if (config.mc.accessDb()) {
        accessDb.insert(QStringLiteral("line"), config.mc.accessDb()->line);
        accessDb.insert(QStringLiteral("mapType"), QString::fromLatin1(config.mc.accessDb()->mapType));
        accessDb.insert(QStringLiteral("source"), shown(config.mc.accessDb()->sourcePath));
    }
    QJsonObject global{{QStringLiteral("tls"), g.tls}, {QStringLiteral("via"), via}};
    if (g.clientOptionsLine)
        global.insert(QStringLiteral("clientOptionsLine"), g.clientOptionsLine);
    if (g.accessDefaultLine)
        global.insert(QStringLiteral("accessDefaultLine"), g.accessDefaultLine);
    return QJsonObject{{QStringLiteral("mc"), shown(config.mc.fileName())},
                       {QStringLiteral("access"), shown(config.accessPath)},
                       {QStringLiteral("accessExists"), config.access.has_value()},
                       {QStringLiteral("accessDb"), accessDb},
                       {QStringLiteral("startTlsConfigured"), config.mc.startTlsConfiguredLine() > 0},
                       {QStringLiteral("global"), global},
                       {QStringLiteral("clientOptions"), clientOptions},
                       {QStringLiteral("daemons"), daemons},
                       {QStringLiteral("destinations"), destinations},
                       {QStringLiteral("problems"), toJson(problems)}};
}

} // namespace

namespace {

// The status of one configuration, as text and as JSON, and its exit code.
struct StatusOutput {
    QString text;
    QJsonObject json;
    int code = ExitOk;
};

// The one rendering asked for (a million-rule map is not worth rendering twice).
StatusOutput statusOf(const MailConfig &config, Problems problems, const ShownPath &shown, bool asJson)
{
    const Policy policy = config.policy();
    problems = policy.problems() + problems;
    for (Problem &p : problems)
        if (p.file.startsWith(QLatin1Char('/')))
            p.file = shown(p.file);
    StatusOutput result;
    result.code = hasErrors(problems) ? ExitInvalidConfig : ExitOk;
    const QList<DestinationRule> rules = policy.destinations();
    if (asJson) {
        result.json = statusJson(config, policy, rules, problems, shown);
        return result;
    }
    QString out;
    out += QStringLiteral("sendmail.mc:  %1\n").arg(shown(config.mc.fileName()));
    out += QStringLiteral("access map:   %1%2\n")
               .arg(shown(config.accessPath),
                    !config.mc.accessDb() ? QStringLiteral(" (not consulted: FEATURE(`access_db') is not enabled)")
                    : config.access       ? QString()
                                          : QStringLiteral(" (does not exist yet)"));
    out += QStringLiteral("\nOutbound STARTTLS: %1\n").arg(globalSentence(policy.global(), config, shown));
    out += QStringLiteral("\nDestination rules (%1):\n").arg(rules.size());
    if (rules.isEmpty())
        out += QStringLiteral("  none\n");
    int width = 12;
    for (const DestinationRule &r : rules)
        width = std::max(width, int(r.destination.key.size()));
    for (const DestinationRule &r : rules) {
        out += QStringLiteral("  %1  TLS %2  line %3%4%5\n")
                   .arg(QString::fromLatin1(r.destination.key).leftJustified(width))
                   .arg(r.tls ? QStringLiteral("on ") : QStringLiteral("off"))
                   .arg(r.line)
                   .arg(r.effective ? QString() : QStringLiteral("  (no effect)"))
                   .arg(r.note.isEmpty() ? QString() : QStringLiteral("  # ") + r.note);
    }
    out += QStringLiteral("\nProblems (%1):\n").arg(problems.size());
    if (problems.isEmpty())
        out += QStringLiteral("  none\n");
    for (const Problem &p : problems)
        out += QStringLiteral("  %1: %2: %3\n").arg(location(p.file, p.line), severityName(p.severity), p.message);
    result.text = out;
    return result;
}

} // namespace

int runStatus(const CliOptions &options)
{
    if (!options.arguments.isEmpty())
        return fail(makeError(ErrorKind::Usage, QStringLiteral("status takes no arguments")));
    int code = ExitOk;
    QJsonArray hosts;
    for (const QString &name : targetNames(options)) {
        const Result<TargetReading> target = readTarget(options, name);
        if (!target && name.isEmpty())
            return fail(target.error());
        if (!target) {
            code = std::max(code, exitCodeFor(target.error().kind));
            hosts.append(QJsonObject{{QStringLiteral("host"), name}, {QStringLiteral("error"), target.error().describe()}});
            if (!options.json)
                printOut(QStringLiteral("== %1\nerror: %2\n\n").arg(name, target.error().describe()));
            continue;
        }
        const HostConnection &c = target->connection;
        StatusOutput s = statusOf(target->reading.state.config, target->reading.hostProblems,
                                  [&target](const QString &path) { return target->shown(path); }, options.json);
        code = std::max(code, s.code);
        if (name.isEmpty()) {
            options.json ? printJson(s.json) : printOut(s.text);
            return s.code;
        }
        s.json.insert(QStringLiteral("host"), name);
        s.json.insert(QStringLiteral("connection"), c.transport->describe());
        s.json.insert(QStringLiteral("profile"), c.profile.id);
        s.json.insert(QStringLiteral("sendmailVersion"), c.details.sendmailVersion);
        s.json.insert(QStringLiteral("startTlsCompiled"), c.details.startTlsCompiled);
        hosts.append(s.json);
        if (!options.json)
            printOut(QStringLiteral("== %1 (%2; profile %3; sendmail %4%5)\n%6\n")
                         .arg(name, c.transport->describe(), c.profile.displayName,
                              c.details.sendmailVersion.isEmpty() ? QStringLiteral("?") : c.details.sendmailVersion,
                              c.details.startTlsCompiled ? QStringLiteral(" with STARTTLS") : QString(), s.text));
    }
    if (options.json)
        printJson(QJsonObject{{QStringLiteral("hosts"), hosts}});
    return code;
}

} // namespace smtls::cli
