#include "PolicyEditor.h"

#include "SnapshotStore.h"

namespace smtls {
namespace {

AccessMap editableAccess(const MailConfig &config)
{
    return config.access ? *config.access : AccessMap(QByteArray(), config.accessPath);
}

Status requireAccessDb(const MailConfig &config, const QString &what)
{
    if (config.mc.accessDb())
        return std::nullopt;
    return makeError(ErrorKind::InvalidConfig,
                     QStringLiteral("sendmail.mc does not enable FEATURE(`access_db'), so %1 would have no "
                                    "effect; enable it, or use the client modifier (set global off --via "
                                    "client-options)")
                         .arg(what),
                     config.mc.fileName());
}

// One note per destination rule that matters, the first few by name: turning the global switch
// on a map with half a million NO rules must not make half a million notes.
void noteRules(const Policy &policy, bool tls, const std::function<QString(const DestinationRule &)> &sentence,
               QStringList &notes)
{
    constexpr int Named = 10;
    int count = 0;
    policy.forEachDestination([&](const DestinationRule &r) {
        if (r.tls != tls)
            return;
        if (count++ < Named)
            notes.append(sentence(r));
    });
    if (count > Named)
        notes.append(QStringLiteral("… and %1 more rules like these.").arg(count - Named));
}

} // namespace

ConfigChange unchangedConfig(const MailConfig &config)
{
    ConfigChange c;
    c.mc.path = config.mc.fileName();
    c.mc.before = c.mc.after = config.mc.bytes();
    c.access.path = config.accessPath;
    c.access.existedBefore = config.access.has_value();
    if (config.access)
        c.access.before = c.access.after = config.access->bytes();
    return c;
}

MailConfig configAfter(const MailConfig &config, const ConfigChange &change)
{
    MailConfig next = config;
    if (!change.mc.path.isEmpty())
        next.mc = SendmailMc(change.mc.after, change.mc.path);
    if (!change.access.path.isEmpty()) {
        next.accessPath = change.access.path;
        if (!change.access.existedBefore && change.access.after.isEmpty())
            next.access.reset();
        else
            next.access = AccessMap(change.access.after, change.access.path);
    }
    return next;
}

Result<ConfigChange> planGlobal(const MailConfig &config, bool tlsOn, std::optional<Mechanism> via)
{
    ConfigChange change = unchangedConfig(config);
    const Policy policy = config.policy();
    if (tlsOn) {
        const Result<QByteArray> mc = config.mc.withClientStartTlsEnabled();
        if (!mc)
            return mc.error();
        change.mc.after = *mc;
        if (config.access) {
            AccessMap access = *config.access;
            if (const TryTlsRule *def = access.find(QByteArrayView("")); def && access.disablesTls(*def))
                access.removeTryTls(Destination{});
            change.access.after = access.bytes();
        }
        noteRules(policy, false, [](const DestinationRule &r) {
            return QStringLiteral("%1 still has its own rule (TLS off, line %2).")
                .arg(QString::fromLatin1(r.destination.key))
                .arg(r.line);
        }, change.notes);
        return change;
    }

    Mechanism mechanism = Mechanism::AccessDefault;
    if (via) {
        mechanism = *via;
    } else if (config.mc.accessDb()) {
        change.notes.append(QStringLiteral(
            "Switched off with the access map default (Try_TLS: NO): it takes effect once the map is "
            "rebuilt, without a restart, and per-destination YES rules still work. For a hard switch "
            "that nothing can override, use --via client-options."));
    } else {
        mechanism = Mechanism::ClientOptions;
        change.notes.append(QStringLiteral(
            "access_db is not enabled, so the client modifier M=S is used: sendmail.cf must be "
            "regenerated and sendmail restarted."));
    }
    if (mechanism == Mechanism::AccessDefault) {
        if (Status s = requireAccessDb(config, QStringLiteral("a Try_TLS: default")))
            return *s;
        AccessMap access = editableAccess(config);
        if (Status s = access.setTryTls(Destination{}, "NO"))
            return *s;
        change.access.after = access.bytes();
    } else {
        const Result<QByteArray> mc = config.mc.withClientStartTlsDisabled();
        if (!mc)
            return mc.error();
        change.mc.after = *mc;
        noteRules(policy, true, [](const DestinationRule &r) {
            return QStringLiteral("The rule for %1 (line %2) asks for STARTTLS but no longer has an "
                                  "effect: M=S overrides the access map.")
                .arg(QString::fromLatin1(r.destination.key))
                .arg(r.line);
        }, change.notes);
    }
    return change;
}

Result<ConfigChange> planDestination(const MailConfig &config, const Destination &typed,
                                     TlsSetting setting, const QString &reason, const QDate &today)
{
    const auto noteFor = [&](const char *word) {
        return today.toString(Qt::ISODate) + QStringLiteral(" TLS ") + QLatin1String(word)
            + (reason.isEmpty() ? QString() : QStringLiteral(": ") + reason);
    };
    // A complete IPv6 address is keyed the way this sendmail writes it.
    Destination destination = typed;
    if (destination.kind == DestinationKind::IPv6)
        if (const QByteArray k = canonicalIPv6(destination.key, config.mc.ipv6Form()); !k.isEmpty())
            destination.key = k;
    if (destination.isDefault())
        return makeError(ErrorKind::InvalidInput, QStringLiteral("use 'set global' for the default rule"));
    ConfigChange change = unchangedConfig(config);
    change.touched.append(destination);
    AccessMap access = editableAccess(config);
    const QString name = QString::fromLatin1(destination.key);

    if (setting == TlsSetting::Inherit) {
        if (!access.removeTryTls(destination))
            change.notes.append(QStringLiteral("%1 has no rule of its own; nothing to remove.").arg(name));
        change.access.after = access.bytes();
        return change;
    }
    if (Status s = requireAccessDb(config, QStringLiteral("a Try_TLS rule for %1").arg(name)))
        return *s;

    if (setting == TlsSetting::Off) {
        if (const TryTlsRule *own = access.find(destination); own && access.disablesTls(*own) && reason.isEmpty()) {
            change.notes.append(QStringLiteral("%1 already has TLS off (line %2); nothing to change.").arg(name).arg(own->line + 1));
            return change;
        }
        if (Status s = access.setTryTls(destination, "NO", noteFor("off")))
            return *s;
        change.access.after = access.bytes();
        return change;
    }

    // On: an access rule cannot undo the client modifier.
    if (const ClientOptionsDecl *co = config.mc.firstClientOptionsWithS())
        return makeError(ErrorKind::InvalidConfig,
                         QStringLiteral("the client modifier M=S switches STARTTLS off for every server, "
                                        "and no access rule can turn it back on for %1; run 'set global on' "
                                        "first")
                             .arg(name),
                         config.mc.fileName(), co->line);
    // What would this destination get without a rule of its own?
    const Policy policy = config.policy();
    const Decision inherited = destination.isAddress()
        ? policy.explain({}, destination.key, &destination.key)
        : policy.explain(destination.key, {}, &destination.key);
    const TryTlsRule *own = access.find(destination);
    if (inherited.tls) {
        if (own && access.disablesTls(*own))
            access.removeTryTls(destination);
        else if (!own)
            change.notes.append(QStringLiteral("%1 already gets STARTTLS (%2); nothing to change.")
                                    .arg(name, inherited.decidedBy));
    } else {
        // Under a global (or parent-domain) off, only an explicit YES brings TLS back.
        if (own && !access.disablesTls(*own) && reason.isEmpty()) {
            change.notes.append(QStringLiteral("%1 already has TLS on (line %2); nothing to change.").arg(name).arg(own->line + 1));
            return change;
        }
        if (Status s = access.setTryTls(destination, "YES", noteFor("on")))
            return *s;
        change.notes.append(QStringLiteral("Wrote an explicit YES: without it %1 would follow %2 (TLS off).")
                                .arg(name, inherited.decidedBy));
    }
    change.access.after = access.bytes();
    return change;
}

Result<ConfigChange> planRestore(const MailConfig &config, const QList<SnapshotFile> &files,
                                 const std::function<bool(const QString &, const QString &)> &samePath,
                                 bool overwriteLaterChanges)
{
    ConfigChange change = unchangedConfig(config);
    bool matched = false;
    const auto laterChange = [&](const FileChange &now, const SnapshotFile &f) -> Status {
        const bool same = now.existedBefore ? now.before == f.after : f.after.isEmpty();
        if (same || overwriteLaterChanges)
            return std::nullopt;
        return makeError(ErrorKind::Refused,
                         QStringLiteral("the file changed after this snapshot (a later change or a hand edit): rolling back "
                                        "would undo that too. Roll back the later change first, or use --force to put these "
                                        "bytes back anyway; nothing was changed"),
                         now.path);
    };
    for (const SnapshotFile &f : files) {
        if (samePath(f.path, config.mc.fileName())) {
            if (Status later = laterChange(change.mc, f))
                return *later;
            change.mc.after = f.before;
            matched = true;
        } else if (samePath(f.path, config.accessPath)) {
            if (Status later = laterChange(change.access, f))
                return *later;
            // A file the change created is emptied (kept, so that makemap and sendmail find it).
            change.access.after = f.existedBefore ? f.before : QByteArray();
            matched = true;
        }
    }
    if (!matched)
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("the snapshot holds none of this host's files (%1, %2)").arg(config.mc.fileName(), config.accessPath));
    change.notes.append(QStringLiteral("Restoring the files as they were before the snapshot's change."));
    return change;
}

} // namespace smtls
