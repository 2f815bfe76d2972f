// sendmail-tls status: the global state and its mechanism, the destination rules, problems.
#include "Commands.h"
#include "ExitCode.h"
#include "Output.h"
#include "StreamedOutput.h"
#include "Targets.h"
#include "TlsFeatures.h"

#include <QJsonArray>

namespace smtls::cli {
namespace {

using ShownPath = std::function<QString(const QString &)>;

QString globalSentence(const GlobalState &g, const MailConfig &config, const ShownPath &shown)
{
    if (g.tls && g.fallback)
        return QStringLiteral("ON, WITH FALLBACK: sendmail tries STARTTLS with every server that offers it and, when the "
                              "handshake fails, retries the delivery in clear text right away (TLSFallbacktoClear, %1); "
                              "rules below may say otherwise")
            .arg(location(shown(config.mc.fileName()), g.fallbackLine));
    if (g.tls)
        return QStringLiteral("ON: sendmail tries STARTTLS with every server that offers it, unless a rule below says NO");
    QStringList how;
    if (g.via.contains(Mechanism::ClientOptions))
        how << QStringLiteral("the client modifier M=S (%1; hard switch, no access rule can override it)")
                   .arg(location(shown(config.mc.fileName()), g.clientOptionsLine));
    if (g.via.contains(Mechanism::AccessDefault))
        how << QStringLiteral("the access map default Try_TLS: NO (%1; destination YES rules still apply)")
                   .arg(location(shown(config.accessPath), g.accessDefaultLine));
    return QStringLiteral("OFF for all servers, via ") + how.join(QStringLiteral(" and "))
        + (g.fallback ? QStringLiteral(" (TLSFallbacktoClear is on, which is moot while STARTTLS is off)") : QString());
}

// One element of "destinations", written directly (see CompactJson); keys sorted as Qt sorts them.
QByteArray destinationJson(const DestinationRule &r)
{
    CompactJson o;
    o.add("destination", QString::fromLatin1(r.destination.key))
        .add("effective", r.effective)
        .add("expired", r.expired)
        .addOrNull("expires", r.expires)
        .add("fallback", r.fallback)
        .addOrNull("fallbackDecidedBy", r.fallbackDecidedBy);
    if (r.line > 0)
        o.add("line", r.line);
    else
        o.addNull("line");
    o.add("note", r.note).add("state", r.state()).add("tls", r.tls);
    if (r.featuresLine == 0)
        o.addNull("tlsCltFeatures");
    else
        o.add("tlsCltFeatures", CompactJson()
                                    .add("line", r.featuresLine)
                                    .add("note", r.featuresNote)
                                    .add("value", QString::fromUtf8(r.featuresValue)));
    o.add("value", QString::fromUtf8(r.value));
    return o.bytes();
}

// Everything but the destination rules, which are streamed (see printStatusJson).
QJsonObject statusJson(const MailConfig &config, const Policy &policy, const Problems &problems, const ShownPath &shown)
{
    const GlobalState g = policy.global();
    QJsonArray via;
    for (Mechanism m : g.via)
        via.append(mechanismName(m));
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
    QJsonObject global{{QStringLiteral("tls"), g.tls},
                       {QStringLiteral("fallback"), g.fallback},
                       {QStringLiteral("state"), g.state()},
                       {QStringLiteral("via"), via},
                       {QStringLiteral("tlsSessionFeatures"), g.sessionFeaturesLine > 0},
                       {QStringLiteral("expires"), g.expires.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(g.expires)},
                       {QStringLiteral("expired"), g.expired}};
    if (g.clientOptionsLine)
        global.insert(QStringLiteral("clientOptionsLine"), g.clientOptionsLine);
    if (g.accessDefaultLine)
        global.insert(QStringLiteral("accessDefaultLine"), g.accessDefaultLine);
    if (g.fallbackLine)
        global.insert(QStringLiteral("fallbackLine"), g.fallbackLine);
    if (g.sessionFeaturesLine)
        global.insert(QStringLiteral("tlsSessionFeaturesLine"), g.sessionFeaturesLine);
    return QJsonObject{{QStringLiteral("mc"), shown(config.mc.fileName())},
                       {QStringLiteral("access"), shown(config.accessPath)},
                       {QStringLiteral("accessExists"), config.access.has_value()},
                       {QStringLiteral("accessDb"), accessDb},
                       {QStringLiteral("startTlsConfigured"), config.mc.startTlsConfiguredLine() > 0},
                       {QStringLiteral("global"), global},
                       {QStringLiteral("clientOptions"), clientOptions},
                       {QStringLiteral("daemons"), daemons},
                       {QStringLiteral("problems"), toJson(problems)}};
}

} // namespace

namespace {

// One configuration's status: what both renderings need, worked out once.
struct Status {
    const MailConfig &config;
    Policy policy;
    Problems problems;
    ShownPath shown;
    int code = ExitOk;
};

Status statusOf(const MailConfig &config, Problems hostProblems, const ShownPath &shown)
{
    Status s{config, config.policy(), {}, shown};
    s.problems = s.policy.problems() + hostProblems;
    for (Problem &p : s.problems)
        if (p.file.startsWith(QLatin1Char('/')))
            p.file = shown(p.file);
    s.code = hasErrors(s.problems) ? ExitInvalidConfig : ExitOk;
    return s;
}

// The rules are written as they are found, never gathered: a million-rule map stays one file
// plus its index in memory.
void printStatusJson(const Status &s, const QJsonObject &extra, int indent)
{
    QJsonObject object = statusJson(s.config, s.policy, s.problems, s.shown);
    for (auto it = extra.begin(); it != extra.end(); ++it)
        object.insert(it.key(), it.value());
    printJsonWithStreamedArray(object, QStringLiteral("destinations"), [&s](const auto &add) {
        s.policy.forEachDestination([&add](const DestinationRule &r) { add(destinationJson(r)); });
    }, indent);
}

void printStatusText(const Status &s, TextStream &out)
{
    const MailConfig &config = s.config;
    out << QStringLiteral("sendmail.mc:  %1\n").arg(s.shown(config.mc.fileName()));
    out << QStringLiteral("access map:   %1%2\n")
               .arg(s.shown(config.accessPath),
                    !config.mc.accessDb() ? QStringLiteral(" (not consulted: FEATURE(`access_db') is not enabled)")
                    : config.access       ? QString()
                                          : QStringLiteral(" (does not exist yet)"));
    const GlobalState g = s.policy.global();
    out << QStringLiteral("\nOutbound STARTTLS: %1%2\n")
               .arg(globalSentence(g, config, s.shown),
                    g.expires.isEmpty() ? QString()
                    : g.expired        ? QStringLiteral(" (EXPIRED on %1: 'sendmail-tls expire' ends it)").arg(g.expires)
                                       : QStringLiteral(" (expires %1)").arg(g.expires));
    // The column width from the keys as written, so that the rules are parsed once, while
    // printing; only an IPv6 key is shown otherwise than written (uncompressed, so wider).
    qsizetype count = 0;
    int width = 12;
    const auto measure = [&](QByteArrayView key) {
        ++count;
        const Result<Destination> parsed = key.contains(':') ? parseDestinationKey(key) : Result<Destination>(Destination{});
        width = std::max(width, int(parsed && !parsed->key.isEmpty() ? parsed->key.size() : key.size()));
    };
    s.policy.forEachDestinationEntry([&](const AccessRule &rule, bool) { measure(config.access->keyOf(rule)); });
    out << QStringLiteral("\nDestination rules (%1):\n").arg(count);
    if (count == 0)
        out << QStringLiteral("  none\n");
    s.policy.forEachDestination([&](const DestinationRule &r) {
        const QString own = featuresTag(r.destination.key);
        QString where = r.hasTryTlsRule() ? QStringLiteral("line %1").arg(r.line) : QString();
        if (r.featuresLine)
            where += (where.isEmpty() ? QString() : QStringLiteral(", ")) + QStringLiteral("TLS_Clt_Features line %1").arg(r.featuresLine);
        QString note = r.note.isEmpty() ? r.featuresNote : r.note;
        if (!r.note.isEmpty() && !r.featuresNote.isEmpty() && r.featuresNote != r.note)
            note += QStringLiteral("; ") + r.featuresNote;
        out << QStringLiteral("  %1  TLS %2  %3%4%5%6%7\n")
                   .arg(QString::fromLatin1(r.destination.key).leftJustified(width))
                   .arg(r.state().leftJustified(8))
                   .arg(where)
                   .arg(r.expires.isEmpty() ? QString()
                        : r.expired         ? QStringLiteral("  (EXPIRED on %1)").arg(r.expires)
                                            : QStringLiteral("  (expires %1)").arg(r.expires))
                   .arg(r.fallback && r.fallbackDecidedBy != own ? QStringLiteral("  (fallback: %1)").arg(r.fallbackDecidedBy) : QString())
                   .arg(r.effective ? QString() : QStringLiteral("  (no effect)"))
                   .arg(note.isEmpty() ? QString() : QStringLiteral("  # ") + note);
    });
    out << QStringLiteral("\nProblems (%1):\n").arg(s.problems.size());
    if (s.problems.isEmpty())
        out << QStringLiteral("  none\n");
    for (const Problem &p : s.problems)
        out << QStringLiteral("  %1: %2: %3\n").arg(location(p.file, p.line), severityName(p.severity), p.message);
}

} // namespace

int runStatus(const CliOptions &options)
{
    if (!options.arguments.isEmpty())
        return fail(makeError(ErrorKind::Usage, QStringLiteral("status takes no arguments")));
    int code = ExitOk;
    bool firstHost = true;
    // With --json, {"hosts": [...]} is written host by host (each may be a million rules).
    auto startHostJson = [&] {
        printOutBytes(firstHost ? QByteArray("{\n    \"hosts\": [\n        ") : QByteArray(",\n        "));
        firstHost = false;
    };
    for (const QString &name : targetNames(options)) {
        const Result<TargetReading> target = readTarget(options, name);
        if (!target && name.isEmpty())
            return fail(target.error());
        if (!target) {
            code = std::max(code, exitCodeFor(target.error().kind));
            if (options.json) {
                startHostJson();
                printJsonObject(QJsonObject{{QStringLiteral("host"), name}, {QStringLiteral("error"), target.error().describe()}}, 8);
            } else {
                printOut(QStringLiteral("== %1\nerror: %2\n\n").arg(name, target.error().describe()));
            }
            continue;
        }
        const HostConnection &c = target->connection;
        const Status s = statusOf(target->reading.state.config, target->reading.hostProblems,
                                  [&target](const QString &path) { return target->shown(path); });
        code = std::max(code, s.code);
        if (name.isEmpty()) {
            if (options.json) {
                printStatusJson(s, {}, 0);
            } else {
                TextStream out;
                printStatusText(s, out);
            }
            return s.code;
        }
        if (options.json) {
            startHostJson();
            printStatusJson(s, QJsonObject{{QStringLiteral("host"), name},
                                           {QStringLiteral("connection"), c.transport->describe()},
                                           {QStringLiteral("profile"), c.profile.id},
                                           {QStringLiteral("sendmailVersion"), c.details.sendmailVersion},
                                           {QStringLiteral("startTlsCompiled"), c.details.startTlsCompiled}},
                            8);
            continue;
        }
        TextStream out;
        out << QStringLiteral("== %1 (%2; profile %3; sendmail %4%5)\n")
                   .arg(name, c.transport->describe(), c.profile.displayName,
                        c.details.sendmailVersion.isEmpty() ? QStringLiteral("?") : c.details.sendmailVersion,
                        c.details.startTlsCompiled ? QStringLiteral(" with STARTTLS") : QString());
        printStatusText(s, out);
        out << QStringLiteral("\n");
    }
    if (options.json)
        printOutBytes(firstHost ? QByteArray("{\n    \"hosts\": [\n    ]\n}\n") : QByteArray("\n    ]\n}\n"));
    return code;
}

} // namespace smtls::cli
