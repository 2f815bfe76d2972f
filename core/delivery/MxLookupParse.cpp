// Reading what `sendmail -bt` and the host's tools print for lookupMxOnHost. Every format here
// was captured from the real programs (tests/core/data/probe/).
#include "delivery/MxLookup.h"

#include <QRegularExpression>

namespace smtls::mxparse {
namespace {

// Our marker before the smart host's value: -bt prints a macro's value without its name.
constexpr char SmartHostMarker[] = "smtls-smart-host:";

// -bt writes its prompt "> " before each answer, sometimes several in a row ("> > getmxrr…").
QByteArray withoutPrompts(QByteArray line)
{
    while (line.startsWith("> ") || line == ">")
        line = line.mid(2);
    return line;
}

QList<QByteArray> linesOf(const QByteArray &output)
{
    QList<QByteArray> lines = output.split('\n');
    for (QByteArray &l : lines)
        if (l.endsWith('\r'))
            l.chop(1);
    return lines;
}

QString hostName(QString name)
{
    name = name.trimmed().toLower();
    if (name.endsWith(QLatin1Char('.')))
        name.chop(1);
    return name;
}

} // namespace

QStringList mailertableKeys(const QString &domain)
{
    // As ruleset Mailertable looks them up: the full name, then ".rest" with one leading label
    // stripped at a time, then "." for everything.
    QStringList keys{domain};
    QString rest = domain;
    for (qsizetype dot = rest.indexOf(QLatin1Char('.')); dot >= 0; dot = rest.indexOf(QLatin1Char('.'))) {
        rest = rest.mid(dot + 1);
        keys << QLatin1Char('.') + rest;
    }
    keys << QStringLiteral(".");
    return keys;
}

QByteArray routeQuestions(const QString &domain, const QStringList &keys)
{
    QByteArray q;
    for (const QString &key : keys)
        q += "/map mailertable " + key.toLatin1() + '\n';
    q += ".D{smtlsMark}" + QByteArray(SmartHostMarker) + "\n${smtlsMark}\n$S\n";
    // Any local part does: routing depends on the domain (a mailertable "local:" aside).
    q += "/parse sendmail-tls-mx@" + domain.toLatin1() + '\n';
    q += mxQuestions(domain);
    return q;
}

QByteArray mxQuestions(const QString &name)
{
    // -d8.1 makes getmxrr say why an MX query failed (h_errno): "no MX" and "no such domain"
    // both end in one value or none, and only this tells them apart.
    return "-d8.1\n/mx " + name.toLatin1() + '\n';
}

MapAnswers parseMapAnswers(const QByteArray &btOutput)
{
    static const QRegularExpression answer(QStringLiteral("^map_lookup: mailertable \\((.*?)\\) (?:returns (.*)|no match) \\(-?\\d+\\)$"));
    MapAnswers answers;
    for (const QByteArray &raw : linesOf(btOutput)) {
        const QByteArray line = withoutPrompts(raw);
        if (line.startsWith("Map named \"mailertable\" not")) {
            answers.mapPresent = false;
            continue;
        }
        const QRegularExpressionMatch m = answer.match(QString::fromUtf8(line));
        if (!m.hasMatch())
            continue;
        answers.values.insert(m.captured(1), m.capturedStart(2) >= 0 ? std::optional<QString>(m.captured(2)) : std::nullopt);
    }
    return answers;
}

QString parseSmartHost(const QByteArray &btOutput)
{
    const QList<QByteArray> lines = linesOf(btOutput);
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
        if (withoutPrompts(lines[i]) != SmartHostMarker)
            continue;
        const QString value = QString::fromUtf8(withoutPrompts(lines[i + 1])).trimmed();
        return value == QLatin1String("Undefined") ? QString() : value;
    }
    return {};
}

SendmailRoute parseRoute(const QByteArray &btOutput)
{
    static const QRegularExpression withHost(QStringLiteral("^mailer (\\S+), host (.*), user (.*)$"));
    static const QRegularExpression withoutHost(QStringLiteral("^mailer (\\S+), user (.*)$"));
    SendmailRoute route;
    bool inParse = false;
    for (const QByteArray &raw : linesOf(btOutput)) {
        const QByteArray line = withoutPrompts(raw);
        if (line.startsWith("Parsing envelope recipient address")) {
            inParse = true;
            continue;
        }
        if (!inParse)
            continue;
        const QString text = QString::fromUtf8(line);
        if (const QRegularExpressionMatch m = withHost.match(text); m.hasMatch()) {
            route.found = true;
            route.mailer = m.captured(1);
            route.host = m.captured(2);
            route.user = m.captured(3);
            inParse = false;
        } else if (const QRegularExpressionMatch m2 = withoutHost.match(text); m2.hasMatch()) {
            route.found = true;
            route.mailer = m2.captured(1);
            route.user = m2.captured(2);
            inParse = false;
        } else if (text.startsWith(QLatin1String("Cannot parse"))) {
            route.message = text;
            inParse = false;
        } else if (!text.contains(QLatin1String("input:")) && !text.contains(QLatin1String("returns:")) && !text.trimmed().isEmpty()) {
            // sendmail's own words about the address ("x@d... Transient parse error …",
            // "d: Name server timeout"); the ruleset trace lines are not that.
            route.message += (route.message.isEmpty() ? QString() : QStringLiteral("; ")) + text.trimmed();
        }
    }
    return route;
}

MxLines parseMxLines(const QByteArray &btOutput, const QString &name)
{
    static const QRegularExpression failed(QStringLiteral("^getmxrr: res_search\\((.*)\\) failed.*h_errno=(-?\\d+)"));
    static const QRegularExpression returns(QStringLiteral("^getmxrr\\((.*)\\) returns (-?\\d+) value\\(s\\):$"));
    MxLines mx;
    const QList<QByteArray> lines = linesOf(btOutput);
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = QString::fromUtf8(withoutPrompts(lines[i]));
        if (const QRegularExpressionMatch m = failed.match(line); m.hasMatch() && m.captured(1) == name) {
            mx.resolverError = m.captured(2).toInt();
            continue;
        }
        const QRegularExpressionMatch m = returns.match(line);
        if (!m.hasMatch() || m.captured(1) != name)
            continue;
        mx.found = true;
        mx.count = m.captured(2).toInt();
        for (qsizetype j = i + 1; j < lines.size() && mx.hosts.size() < mx.count && lines[j].startsWith('\t'); ++j)
            mx.hosts << hostName(QString::fromUtf8(lines[j]));
        break;
    }
    return mx;
}

QList<std::pair<QString, int>> parseMxPreferences(const QByteArray &output)
{
    // dig +short: "10 mx1.stuck.test."; host: "stuck.test mail is handled by 10 mx1.stuck.test.";
    // nslookup (BIND and busybox): "stuck.test\tmail exchanger = 10 mx1.stuck.test."
    static const QRegularExpression pattern(
        QStringLiteral("^(?:|.*\\bis handled by |.*\\bmail exchanger = )(\\d{1,5})\\s+([A-Za-z0-9_.-]+)\\s*$"));
    QList<std::pair<QString, int>> preferences;
    for (const QByteArray &raw : linesOf(output)) {
        const QRegularExpressionMatch m = pattern.match(QString::fromUtf8(raw).trimmed());
        if (m.hasMatch() && m.captured(1).toInt() <= 65535)
            preferences.append({hostName(m.captured(2)), m.captured(1).toInt()});
    }
    return preferences;
}

QStringList parseGetentAddresses(const QByteArray &output)
{
    // ahosts: "127.0.2.2       STREAM mx2.stuck.test" (and DGRAM, RAW lines for the same
    // address); hosts: "127.0.2.2       mx2.stuck.test".
    QStringList addresses;
    for (const QByteArray &raw : linesOf(output)) {
        const QByteArray first = raw.simplified().split(' ').value(0);
        if (first.isEmpty() || !std::all_of(first.begin(), first.end(), [](char c) {
                return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' || c == ':';
            }))
            continue;
        const QString address = QString::fromLatin1(first).toLower();
        if (!addresses.contains(address))
            addresses << address;
    }
    return addresses;
}

HostAnswers parseHostAnswers(const QByteArray &output)
{
    HostAnswers answers;
    QByteArray block;
    QString blockOf;  // "prefs" or "name NAME"
    const auto finish = [&] {
        if (blockOf == QLatin1String("prefs"))
            answers.preferences = parseMxPreferences(block);
        else if (blockOf.startsWith(QLatin1String("name ")))
            answers.addresses.insert(blockOf.mid(5), parseGetentAddresses(block));
        block.clear();
    };
    for (const QByteArray &line : linesOf(output)) {
        if (line.startsWith("@@")) {
            finish();
            const QString marker = QString::fromUtf8(line.mid(2));
            if (marker.startsWith(QLatin1String("prefs "))) {
                blockOf = QStringLiteral("prefs");
                answers.preferenceTool = marker.mid(6);
            } else if (marker.startsWith(QLatin1String("name "))) {
                blockOf = marker;
            } else if (marker == QLatin1String("getent missing")) {
                answers.getentMissing = true;
                blockOf.clear();
            } else {
                blockOf.clear();
            }
            continue;
        }
        block += line + '\n';
    }
    finish();
    if (answers.preferenceTool == QLatin1String("none"))
        answers.preferenceTool.clear();
    return answers;
}

} // namespace smtls::mxparse
