#include "Change.h"

#include "ProblemFix.h"

#include <QDir>
#include <QJsonArray>

namespace smtls {
namespace {

QString settingWord(TlsSetting s)
{
    switch (s) {
    case TlsSetting::On: return QStringLiteral("on");
    case TlsSetting::Off: return QStringLiteral("off");
    case TlsSetting::Inherit: return QStringLiteral("inherit");
    case TlsSetting::Fallback: return QStringLiteral("fallback");
    }
    return {};
}

// A destination's note ("# sendmail-tls: …" above its rule) is the administrator's record of
// why: an edit that rewrites or drops it says so, quoting what it said, so that a note is
// never replaced unnoticed (in the command line's text and JSON, and in the window's preview).
void tellReplacedNote(const MailConfig &config, const QByteArray &key, ConfigChange &change)
{
    if (!config.access || !change.access.changed())
        return;
    const TryTlsRule *rule = config.access->find(QByteArrayView(key));
    const QString note = rule ? config.access->noteOf(*rule) : QString();
    if (note.isEmpty())
        return;
    const QByteArray &after = change.access.after;
    const QByteArray noteLine = AccessMap::notePrefix() + ' ' + note.toUtf8();
    for (qsizetype at = after.indexOf(noteLine); at >= 0; at = after.indexOf(noteLine, at + 1)) {
        const qsizetype end = at + noteLine.size();
        if (end == after.size() || after[end] == '\n' || after[end] == '\r')
            return;  // still there, as it was
    }
    const QByteArray tag = "Try_TLS:" + key;
    bool ruleLeft = false;
    for (qsizetype at = after.indexOf(tag); at >= 0 && !ruleLeft; at = after.indexOf(tag, at + 1))
        ruleLeft = (at == 0 || after[at - 1] == '\n') && at + tag.size() < after.size()
            && (after[at + tag.size()] == '\t' || after[at + tag.size()] == ' ');
    const QString name = QString::fromLatin1(key);
    change.notes.append(ruleLeft
                            ? QStringLiteral("The note above the rule for %1 is replaced; it said: \"%2\".").arg(name, note)
                            : QStringLiteral("The note above the rule for %1 goes with the rule; it said: \"%2\".").arg(name, note));
}

} // namespace

QString changeKindName(ChangeKind kind)
{
    switch (kind) {
    case ChangeKind::Global: return QStringLiteral("global");
    case ChangeKind::Destination: return QStringLiteral("destination");
    case ChangeKind::ProblemFix: return QStringLiteral("fix");
    case ChangeKind::Restore: return QStringLiteral("restore");
    case ChangeKind::Batch: return QStringLiteral("batch");
    case ChangeKind::Expire: return QStringLiteral("expire");
    case ChangeKind::Custom: return QStringLiteral("custom");
    case ChangeKind::Undo: return QStringLiteral("undo");
    }
    return {};
}

bool sameFileByName(const QString &snapshotPath, const QString &configPath)
{
    return snapshotPath == configPath || snapshotPath.endsWith(QLatin1Char(':') + configPath);
}

PathMatcher sameFileUnder(const QString &root)
{
    return [root](const QString &snapshotPath, const QString &configPath) {
        if (sameFileByName(snapshotPath, configPath))
            return true;
        return !root.isEmpty() && root != QLatin1String("/") && snapshotPath == QDir::cleanPath(root + QLatin1Char('/') + configPath);
    };
}

Change Change::global(bool tlsOn, std::optional<Mechanism> via, const QString &reason)
{
    return global(tlsOn ? GlobalSetting::On : GlobalSetting::Off, via, reason);
}

Change Change::global(GlobalSetting setting, std::optional<Mechanism> via, const QString &reason,
                      const std::optional<Expiry> &expires)
{
    Change c;
    c.m_kind = ChangeKind::Global;
    c.m_global = setting;
    c.m_via = setting == GlobalSetting::Off ? via : std::nullopt;
    c.m_reason = reason;
    c.m_expires = expires;
    return c;
}

Change Change::expireAll(const QDateTime &now)
{
    Change c;
    c.m_kind = ChangeKind::Expire;
    c.m_now = now;
    return c;
}

bool Change::asksForFallback() const
{
    switch (m_kind) {
    case ChangeKind::Global: return m_global == GlobalSetting::Fallback;
    case ChangeKind::Destination: return m_setting == TlsSetting::Fallback;
    case ChangeKind::Batch:
        for (const Change &part : m_parts)
            if (part.asksForFallback())
                return true;
        return false;
    case ChangeKind::ProblemFix:
    case ChangeKind::Restore:
    case ChangeKind::Expire:
    case ChangeKind::Undo:
    case ChangeKind::Custom: break;
    }
    return false;
}

Change Change::destination(const Destination &destination, TlsSetting setting, const QString &reason,
                           const std::optional<Expiry> &expires)
{
    Change c;
    c.m_kind = ChangeKind::Destination;
    c.m_destination = destination;
    c.m_setting = setting;
    c.m_reason = reason;
    c.m_expires = expires;
    return c;
}

Change Change::problemFix(const Problem &problem)
{
    Change c;
    c.m_kind = ChangeKind::ProblemFix;
    c.m_problem = problem;
    return c;
}

Change Change::restore(const Snapshot &snapshot, PathMatcher samePath, bool force)
{
    Change c;
    c.m_kind = ChangeKind::Restore;
    c.m_snapshotId = snapshot.id;
    c.m_snapshotChange = snapshot.change;
    c.m_snapshotFiles = snapshot.files;
    c.m_samePath = samePath ? std::move(samePath) : PathMatcher(sameFileByName);
    c.m_force = force;
    return c;
}

Change Change::undo(const Snapshot &snapshot, ChangePlanner planner)
{
    Change c;
    c.m_kind = ChangeKind::Undo;
    c.m_snapshotId = snapshot.id;
    c.m_snapshotChange = snapshot.change;
    c.m_planner = std::move(planner);
    return c;
}

Change Change::batch(const QList<Change> &parts, const QString &reason)
{
    if (parts.size() == 1 && reason.isEmpty())
        return parts.first();  // one staged edit is that edit, in every wording
    Change c;
    c.m_kind = ChangeKind::Batch;
    c.m_parts = parts;
    c.m_reason = reason;
    return c;
}

Change Change::custom(const QString &description, ChangePlanner planner, const QString &reason)
{
    Change c;
    c.m_kind = ChangeKind::Custom;
    c.m_customDescription = description;
    c.m_planner = std::move(planner);
    c.m_reason = reason;
    return c;
}

QString Change::target() const
{
    switch (m_kind) {
    case ChangeKind::Destination: return QString::fromLatin1(m_destination.key);
    case ChangeKind::ProblemFix:
        return m_problem.line > 0 ? m_problem.file + QLatin1Char(':') + QString::number(m_problem.line) : m_problem.file;
    case ChangeKind::Restore:
    case ChangeKind::Undo: return m_snapshotId;
    case ChangeKind::Global:
    case ChangeKind::Batch:
    case ChangeKind::Expire:
    case ChangeKind::Custom: break;
    }
    return {};
}

QString Change::setting() const
{
    switch (m_kind) {
    case ChangeKind::Global:
        if (m_global == GlobalSetting::On)
            return QStringLiteral("on");
        if (m_global == GlobalSetting::Fallback)
            return QStringLiteral("fallback");
        return m_via ? QStringLiteral("off via %1").arg(mechanismName(*m_via)) : QStringLiteral("off");
    case ChangeKind::Destination: return settingWord(m_setting);
    case ChangeKind::ProblemFix: return fixLabel(m_problem);
    case ChangeKind::Restore: return QStringLiteral("before");
    case ChangeKind::Undo:
    case ChangeKind::Batch:
    case ChangeKind::Expire:
    case ChangeKind::Custom: break;
    }
    return {};
}

QString Change::reason() const
{
    if (!m_reason.isEmpty() || m_kind != ChangeKind::Batch)
        return m_reason;
    QStringList reasons;
    for (const Change &part : m_parts)
        if (const QString r = part.reason(); !r.isEmpty() && !reasons.contains(r))
            reasons << r;
    return reasons.join(QStringLiteral("; "));
}

QString Change::description() const
{
    switch (m_kind) {
    case ChangeKind::Global: return QStringLiteral("set global %1").arg(setting()) + expiryNoteText(m_expires);
    case ChangeKind::Destination:
        return QStringLiteral("set destination %1 %2")
                   .arg(m_destination.isDefault() ? QStringLiteral("(default)") : target(), setting())
            + expiryNoteText(m_expires);
    case ChangeKind::Expire: return QStringLiteral("remove the expired exceptions");
    case ChangeKind::ProblemFix: return QStringLiteral("fix: %1").arg(setting());
    case ChangeKind::Restore:
        return m_snapshotChange.isEmpty() ? QStringLiteral("roll back to before snapshot %1").arg(m_snapshotId)
                                          : QStringLiteral("roll back to before snapshot %1 (%2)").arg(m_snapshotId, m_snapshotChange);
    case ChangeKind::Undo:
        return m_snapshotChange.isEmpty() ? QStringLiteral("undo snapshot %1").arg(m_snapshotId)
                                          : QStringLiteral("undo snapshot %1 (%2)").arg(m_snapshotId, m_snapshotChange);
    case ChangeKind::Batch: {
        QStringList words;
        for (const Change &part : m_parts)
            words << part.description();
        return words.join(QStringLiteral("; "));
    }
    case ChangeKind::Custom: return m_customDescription;
    }
    return {};
}

Result<ConfigChange> Change::plan(const MailConfig &config) const
{
    switch (m_kind) {
    case ChangeKind::Global: return planGlobal(config, m_global, m_via, m_expires);
    case ChangeKind::Destination: {
        Result<ConfigChange> planned = planDestination(config, m_destination, m_setting, m_reason, QDate::currentDate(), m_expires);
        if (planned)
            tellReplacedNote(config, m_destination.key, *planned);
        return planned;
    }
    case ChangeKind::Expire: {
        MailConfig judged = config;
        if (m_now.isValid())
            judged.now = m_now;
        return planExpire(judged);
    }
    case ChangeKind::ProblemFix: return planFix(config, m_problem);
    case ChangeKind::Restore: {
        Result<ConfigChange> planned = planRestore(config, m_snapshotFiles, m_samePath, m_force);
        if (!planned)
            return makeError(planned.error().kind, QStringLiteral("snapshot %1: %2").arg(m_snapshotId, planned.error().message),
                             planned.error().file, planned.error().line);
        return planned;
    }
    case ChangeKind::Batch:
        return planInSequence(config, m_parts.size(), [this](const MailConfig &c, qsizetype i) { return m_parts[i].plan(c); });
    case ChangeKind::Undo:
    case ChangeKind::Custom:
        if (!m_planner)
            return makeError(ErrorKind::Internal, QStringLiteral("a change without a plan"));
        return m_planner(config);
    }
    return makeError(ErrorKind::Internal, QStringLiteral("unknown kind of change"));
}

QJsonObject Change::toJson() const
{
    QJsonObject o{{QStringLiteral("kind"), changeKindName(m_kind)}, {QStringLiteral("description"), description()}};
    if (const QString t = target(); !t.isEmpty() || m_kind == ChangeKind::Destination)
        o.insert(QStringLiteral("target"), t);
    if (const QString s = setting(); !s.isEmpty())
        o.insert(QStringLiteral("setting"), s);
    if (const QString r = reason(); !r.isEmpty())
        o.insert(QStringLiteral("reason"), r);
    if (m_expires)
        o.insert(QStringLiteral("expires"), m_expires->iso());
    if (m_kind == ChangeKind::Batch) {
        QJsonArray parts;
        for (const Change &part : m_parts)
            parts.append(part.toJson());
        o.insert(QStringLiteral("parts"), parts);
    }
    return o;
}

bool sameChangeRecord(const QJsonObject &a, const QJsonObject &b)
{
    // Only what identifies the change: a reason typed once is the same on both copies, but the
    // description of a restore quotes another snapshot's words.
    static const QStringList keys{QStringLiteral("kind"), QStringLiteral("target"), QStringLiteral("setting"),
                                  QStringLiteral("parts"), QStringLiteral("description")};
    for (const QString &k : keys)
        if (a.value(k) != b.value(k))
            return false;
    return true;
}

} // namespace smtls
