#include "StagedEditsStore.h"

#include "Destination.h"
#include "Expiry.h"

#include "PolicyView.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStandardPaths>
#include <QCoreApplication>

namespace smtls::gui {
namespace {

constexpr int FormatVersion = 1;

QString str(const QJsonObject &o, const char *key) { return o.value(QLatin1String(key)).toString(); }

QJsonObject problemJson(const Problem &p)
{
    return {{QStringLiteral("file"), p.file},
            {QStringLiteral("line"), p.line},
            {QStringLiteral("severity"), int(p.severity)},
            {QStringLiteral("message"), p.message},
            {QStringLiteral("fix"), int(p.fix)},
            {QStringLiteral("subject"), QString::fromLatin1(p.subject.toBase64())}};
}

Problem problemFrom(const QJsonObject &o)
{
    Problem p;
    p.file = str(o, "file");
    p.line = o.value(QStringLiteral("line")).toInt();
    p.severity = Severity(o.value(QStringLiteral("severity")).toInt());
    p.message = str(o, "message");
    p.fix = FixKind(o.value(QStringLiteral("fix")).toInt());
    p.subject = QByteArray::fromBase64(str(o, "subject").toLatin1());
    return p;
}

// What a destination rule says, in the words compared and shown: "off (note: …)", "none".
QJsonObject ruleJson(const DestinationRule *rule)
{
    if (!rule)
        return {{QStringLiteral("rule"), QStringLiteral("none")}};
    return {{QStringLiteral("rule"), rule->state()},
            {QStringLiteral("value"), QString::fromLatin1(rule->value)},
            {QStringLiteral("features"), QString::fromLatin1(rule->featuresValue)},
            {QStringLiteral("note"), rule->note.isEmpty() ? rule->featuresNote : rule->note}};
}

QString globalWords(const GlobalState &g)
{
    if (!g.tls) {
        QStringList via;
        for (Mechanism m : g.via)
            via << mechanismName(m);
        return QStringLiteral("off via %1").arg(via.join(QStringLiteral(" and ")));
    }
    return g.fallback ? QStringLiteral("fallback") : QStringLiteral("on");
}

QString subjectWords(const QJsonObject &s)
{
    if (s.contains(QStringLiteral("rule"))) {
        const QString rule = str(s, "rule");
        if (rule == QLatin1String("none"))
            return QStringLiteral("no rule");
        const QString note = str(s, "note");
        return note.isEmpty() ? QStringLiteral("TLS %1").arg(rule) : QStringLiteral("TLS %1 (note: %2)").arg(rule, note);
    }
    if (s.contains(QStringLiteral("global")))
        return QStringLiteral("TLS %1 for all servers").arg(str(s, "global"));
    if (s.contains(QStringLiteral("found")))
        return s.value(QStringLiteral("found")).toBool() ? QStringLiteral("the problem is there") : QStringLiteral("the problem is gone");
    return {};
}

QString folder() { return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/staged"); }

// A host id names a file: only its safe characters (ids are generated, but the file is data).
QString safeName(const QString &hostId)
{
    QString out;
    for (QChar c : hostId)
        out += (c.isLetterOrNumber() && c.unicode() < 128) || c == QLatin1Char('-') || c == QLatin1Char('_') ? c : QLatin1Char('_');
    return out.isEmpty() ? QStringLiteral("_") : out;
}

} // namespace

QJsonObject subjectOf(const Change &change, const PolicyView &asRead)
{
    switch (change.kind()) {
    case ChangeKind::Destination: {
        const QByteArray key = change.target().toLatin1();
        for (const DestinationRule &r : *asRead.destinations)
            if (r.destination.key == key)
                return ruleJson(&r);
        return ruleJson(nullptr);
    }
    case ChangeKind::Global: return {{QStringLiteral("global"), globalWords(asRead.global)}};
    case ChangeKind::ProblemFix: {
        const Problem &p = change.problem();
        const bool found = std::any_of(asRead.problems.cbegin(), asRead.problems.cend(),
                                       [&p](const Problem &q) { return q.fix == p.fix && q.subject == p.subject; });
        return {{QStringLiteral("found"), found}};
    }
    case ChangeKind::Expire:
    case ChangeKind::Restore:
    case ChangeKind::Undo:
    case ChangeKind::Batch:
    case ChangeKind::Custom: break;
    }
    return {};
}

QString conflictText(const Change &change, const QJsonObject &before, const QJsonObject &now)
{
    return QCoreApplication::translate("StagedEditsStore", "Not staged again: \"%1\" was kept when the files said %2; they now say %3.")
        .arg(change.description(), subjectWords(before), subjectWords(now));
}

std::optional<Change> changeFromJson(const QJsonObject &o)
{
    const QString kind = str(o, "kind");
    const QString setting = str(o, "setting");
    const QString reason = str(o, "reason");
    std::optional<Expiry> expires;
    if (o.contains(QStringLiteral("expires"))) {
        expires = Expiry::fromIso(str(o, "expires"));
        if (!expires)
            return std::nullopt;
    }
    if (kind == changeKindName(ChangeKind::Global)) {
        if (setting == QLatin1String("on"))
            return Change::global(GlobalSetting::On, std::nullopt, reason, expires);
        if (setting == QLatin1String("fallback"))
            return Change::global(GlobalSetting::Fallback, std::nullopt, reason, expires);
        if (setting == QLatin1String("off"))
            return Change::global(GlobalSetting::Off, std::nullopt, reason, expires);
        for (Mechanism m : {Mechanism::AccessDefault, Mechanism::ClientOptions})
            if (setting == QStringLiteral("off via %1").arg(mechanismName(m)))
                return Change::global(GlobalSetting::Off, m, reason, expires);
        return std::nullopt;
    }
    if (kind == changeKindName(ChangeKind::Destination)) {
        const Result<Destination> d = parseDestinationKey(str(o, "target").toLatin1());
        if (!d)
            return std::nullopt;
        static const std::pair<const char *, TlsSetting> words[] = {
            {"on", TlsSetting::On}, {"off", TlsSetting::Off}, {"fallback", TlsSetting::Fallback}, {"inherit", TlsSetting::Inherit}};
        for (const auto &[word, s] : words)
            if (setting == QLatin1String(word))
                return Change::destination(*d, s, reason, expires);
        return std::nullopt;
    }
    if (kind == changeKindName(ChangeKind::ProblemFix) && o.value(QStringLiteral("problem")).isObject())
        return Change::problemFix(problemFrom(o.value(QStringLiteral("problem")).toObject()));
    if (kind == changeKindName(ChangeKind::Expire))
        return Change::expireAll();
    return std::nullopt;
}

namespace StagedEditsStore {

QString fileOf(const QString &hostId) { return folder() + QLatin1Char('/') + safeName(hostId) + QStringLiteral(".json"); }

Status save(const QString &hostId, const QList<KeptEdit> &edits)
{
    if (edits.isEmpty()) {
        remove(hostId);
        return std::nullopt;
    }
    QJsonArray list;
    for (const KeptEdit &e : edits) {
        QJsonObject o = e.change.toJson();
        if (e.change.kind() == ChangeKind::ProblemFix)
            o.insert(QStringLiteral("problem"), problemJson(e.change.problem()));
        o.insert(QStringLiteral("before"), e.before);
        list.append(o);
    }
    if (!QDir().mkpath(folder()))
        return makeError(ErrorKind::FileAccess, QCoreApplication::translate("StagedEditsStore", "Cannot create %1").arg(folder()));
    QSaveFile file(fileOf(hostId));
    if (!file.open(QIODevice::WriteOnly))
        return makeError(ErrorKind::FileAccess, QCoreApplication::translate("StagedEditsStore", "Cannot write %1: %2").arg(file.fileName(), file.errorString()));
    file.write(QJsonDocument(QJsonObject{{QStringLiteral("version"), FormatVersion}, {QStringLiteral("host"), hostId},
                                         {QStringLiteral("edits"), list}})
                   .toJson());
    if (!file.commit())
        return makeError(ErrorKind::FileAccess, QCoreApplication::translate("StagedEditsStore", "Cannot write %1: %2").arg(file.fileName(), file.errorString()));
    return std::nullopt;
}

QList<KeptEdit> load(const QString &hostId, QStringList *unreadable)
{
    QFile file(fileOf(hostId));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QJsonObject doc = QJsonDocument::fromJson(file.readAll()).object();
    QList<KeptEdit> out;
    for (const QJsonValue &v : doc.value(QStringLiteral("edits")).toArray()) {
        const QJsonObject o = v.toObject();
        if (const std::optional<Change> c = changeFromJson(o))
            out.append({*c, o.value(QStringLiteral("before")).toObject()});
        else if (unreadable)
            *unreadable << QCoreApplication::translate("StagedEditsStore", "Could not read a kept edit (\"%1\"): it is not staged again.").arg(str(o, "description"));
    }
    return out;
}

bool has(const QString &hostId) { return QFile::exists(fileOf(hostId)); }

void remove(const QString &hostId) { QFile::remove(fileOf(hostId)); }

} // namespace StagedEditsStore
} // namespace smtls::gui
