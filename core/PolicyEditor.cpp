#include "PolicyEditor.h"

#include "SnapshotStore.h"
#include "TlsFeatures.h"

namespace smtls {
namespace {

AccessMap editableAccess(const MailConfig &config)
{
    return config.access ? *config.access : AccessMap(QByteArray(), config.accessPath);
}

Status requireAccessDb(const MailConfig &config, const QString &what,
                       const QString &instead = QStringLiteral("use the client modifier (set global off --via client-options)"))
{
    if (config.mc.accessDb())
        return std::nullopt;
    return makeError(ErrorKind::InvalidConfig,
                     QStringLiteral("sendmail.mc does not enable FEATURE(`access_db'), so %1 would have no "
                                    "effect; enable it, or %2")
                         .arg(what, instead),
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

Result<ConfigChange> planInSequence(const MailConfig &config, qsizetype count,
                                    const std::function<Result<ConfigChange>(const MailConfig &, qsizetype)> &step)
{
    ConfigChange total = unchangedConfig(config);
    MailConfig current = config;
    for (qsizetype i = 0; i < count; ++i) {
        const Result<ConfigChange> planned = step(current, i);
        if (!planned)
            return planned.error();
        total.notes += planned->notes;
        for (const Destination &d : planned->touched)
            if (!total.touched.contains(d))
                total.touched.append(d);
        current = configAfter(current, *planned);
    }
    total.mc.after = current.mc.bytes();
    total.access.after = current.access ? current.access->bytes() : QByteArray();
    return total;
}

Result<ConfigChange> planGlobal(const MailConfig &config, GlobalSetting setting, std::optional<Mechanism> via,
                                const std::optional<Expiry> &expires, const QDate &today)
{
    ConfigChange change = unchangedConfig(config);
    const Policy policy = config.policy();
    if (setting == GlobalSetting::On && expires)
        return makeError(ErrorKind::InvalidInput, QStringLiteral("'set global on' is no exception, so it cannot expire"));
    if (setting != GlobalSetting::Off) {
        const Result<QByteArray> enabled = config.mc.withClientStartTlsEnabled();
        if (!enabled)
            return enabled.error();
        const bool fallback = setting == GlobalSetting::Fallback;
        const Result<QByteArray> mc = SendmailMc(*enabled, config.mc.fileName()).withTlsFallbackToClear(fallback, expires);
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
        if (fallback != config.mc.tlsFallbackToClear())
            change.notes.append(fallback
                ? QStringLiteral("TLSFallbacktoClear is on: when the TLS handshake with a server fails, sendmail retries the "
                                 "delivery in clear text right away. sendmail.cf must be regenerated and sendmail restarted.")
                : QStringLiteral("TLSFallbacktoClear is off again: a failed TLS handshake leaves the mail in the queue (except "
                                 "with servers whose TLS_Clt_Features entry has the flag C). sendmail.cf must be regenerated "
                                 "and sendmail restarted."));
        if (fallback && config.access) {
            int named = 0;
            for (const AccessRule &rule : config.access->cltFeaturesRules())
                if (config.access->answersCltFeatures(rule)
                    && TlsFeatures(config.access->valueOf(rule).toByteArray()).fallback() == false && named++ < 10)
                    change.notes.append(QStringLiteral("TLS_Clt_Features:%1 (line %2) has the flag c: no fallback with that server.")
                                            .arg(QString::fromLatin1(config.access->keyOf(rule)))
                                            .arg(rule.line + 1));
        }
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
        // A note only for an expiry: a plain global off stays one line, as it always was.
        const QString note = expires ? today.toString(Qt::ISODate) + QStringLiteral(" TLS off for every server") + expiryNoteText(expires)
                                     : QString();
        if (Status s = access.setTryTls(Destination{}, "NO", note))
            return *s;
        change.access.after = access.bytes();
    } else {
        if (expires)
            return makeError(ErrorKind::InvalidInput,
                             QStringLiteral("M=S in sendmail.mc has no note of sendmail-tls to hold an expiry; use --via access "
                                            "for a global off that ends by itself"));
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

namespace {

// The TLS_Clt_Features side of a destination edit: the value of its own entry becomes `value`
// (the entry goes when empty), with our note when asked. Removing the flag we added also
// removes the note we wrote with it, so that the entry is as it was before.
Status writeFeatures(AccessMap &access, const Destination &destination, const std::optional<QByteArray> &value,
                     const QString &note)
{
    if (!value)
        return makeError(ErrorKind::InvalidConfig,
                         QStringLiteral("the value of TLS_Clt_Features:%1 is in double quotes; change its Flags by hand")
                             .arg(QString::fromLatin1(destination.key)),
                         access.fileName());
    if (value->trimmed().isEmpty()) {
        access.removeCltFeatures(destination);
        return std::nullopt;
    }
    if (Status s = access.setCltFeatures(destination, *value, note))
        return s;
    if (note.isEmpty())
        if (const AccessRule *own = access.findCltFeatures(destination.key))
            access.removeNoteOf(*own);
    return std::nullopt;
}

// Adds FEATURE(`tls_session_features') when the access map now has entries that need it.
Status requireSessionFeatures(const MailConfig &config, const AccessMap &access, ConfigChange &change)
{
    if (config.mc.tlsSessionFeaturesLine() || access.cltFeaturesRules().empty())
        return std::nullopt;
    const Result<QByteArray> mc = SendmailMc(change.mc.after, config.mc.fileName()).withTlsSessionFeatures();
    if (!mc)
        return mc.error();
    change.mc.after = *mc;
    change.notes.append(QStringLiteral("Added FEATURE(`tls_session_features') to sendmail.mc: without it sendmail ignores "
                                       "TLS_Clt_Features entries. sendmail.cf must be regenerated and sendmail restarted."));
    return std::nullopt;
}

} // namespace

Result<ConfigChange> planDestination(const MailConfig &config, const Destination &typed,
                                     TlsSetting setting, const QString &reason, const QDate &today,
                                     const std::optional<Expiry> &expires)
{
    const auto noteFor = [&](const QString &what) {
        return today.toString(Qt::ISODate) + QStringLiteral(" TLS ") + what + expiryNoteText(expires)
            + (reason.isEmpty() ? QString() : QStringLiteral(": ") + reason);
    };
    // A new reason or expiry rewrites the note of a rule that already says what is asked.
    const bool newNote = !reason.isEmpty() || expires.has_value();
    if (setting == TlsSetting::Inherit && expires)
        return makeError(ErrorKind::InvalidInput, QStringLiteral("'inherit' removes the exception, so it cannot expire"));
    // A complete IPv6 address is keyed the way this sendmail writes it.
    Destination destination = typed;
    if (destination.kind == DestinationKind::IPv6)
        if (const QByteArray k = canonicalIPv6(destination.key, config.mc.ipv6Form()); !k.isEmpty())
            destination.key = k;
    if (destination.isDefault())
        return makeError(ErrorKind::InvalidInput,
                         setting == TlsSetting::Fallback
                             ? QStringLiteral("use 'set global fallback' for every server: sendmail looks up a bare "
                                              "TLS_Clt_Features: key only for a server without a name, so it is no default")
                             : QStringLiteral("use 'set global' for the default rule"));
    ConfigChange change = unchangedConfig(config);
    change.touched.append(destination);
    AccessMap access = editableAccess(config);
    const QString name = QString::fromLatin1(destination.key);
    const auto ownFeatures = [&]() -> std::optional<TlsFeatures> {
        if (const AccessRule *own = access.findCltFeatures(destination.key))
            return TlsFeatures(access.valueOf(*own).toByteArray());
        return std::nullopt;
    };

    if (setting == TlsSetting::Inherit) {
        bool removed = access.removeTryTls(destination);
        if (const std::optional<TlsFeatures> own = ownFeatures(); own && (own->hasFlag('C') || own->hasFlag('c'))) {
            std::optional<QByteArray> value = own->withoutFlag('C');
            if (value)
                value = TlsFeatures(*value).withoutFlag('c');
            if (Status s = writeFeatures(access, destination, value, {}))
                return *s;
            removed = true;
        }
        if (!removed)
            change.notes.append(QStringLiteral("%1 has no rule of its own; nothing to remove.").arg(name));
        change.access.after = access.bytes();
        return change;
    }
    const Status noAccessDb = setting == TlsSetting::Fallback
        ? requireAccessDb(config, QStringLiteral("a TLS_Clt_Features entry for %1").arg(name),
                          QStringLiteral("use 'set global fallback', which needs no access map"))
        : requireAccessDb(config, QStringLiteral("a Try_TLS rule for %1").arg(name));
    if (noAccessDb)
        return *noAccessDb;

    if (setting == TlsSetting::Off) {
        if (const TryTlsRule *own = access.find(destination); own && access.disablesTls(*own) && !newNote) {
            change.notes.append(QStringLiteral("%1 already has TLS off (line %2); nothing to change.").arg(name).arg(own->line + 1));
            return change;
        }
        if (Status s = access.setTryTls(destination, "NO", noteFor(QStringLiteral("off"))))
            return *s;
        change.access.after = access.bytes();
        return change;
    }

    // On and Fallback: an access rule cannot undo the client modifier.
    if (const ClientOptionsDecl *co = config.mc.firstClientOptionsWithS())
        return makeError(ErrorKind::InvalidConfig,
                         setting == TlsSetting::Fallback
                             ? QStringLiteral("the client modifier M=S switches STARTTLS off for every server, so %1 has no "
                                              "handshake to fall back from; run 'set global on' first")
                                   .arg(name)
                             : QStringLiteral("the client modifier M=S switches STARTTLS off for every server, "
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
    const bool hadOwnRule = own != nullptr;  // `own` does not survive an edit of `access`
    const QString word = setting == TlsSetting::Fallback ? QStringLiteral("fallback") : QStringLiteral("on");
    if (inherited.tls) {
        if (own && access.disablesTls(*own))
            access.removeTryTls(destination);
    } else if (own && !access.disablesTls(*own)) {
        if (setting == TlsSetting::On && newNote)
            if (Status s = access.setTryTls(destination, "YES", noteFor(word)))
                return *s;
    } else {
        // Under a global (or parent-domain) off, only an explicit YES brings TLS back.
        if (Status s = access.setTryTls(destination, "YES", noteFor(word)))
            return *s;
        change.notes.append(QStringLiteral("Wrote an explicit YES: without it %1 would follow %2 (TLS off).")
                                .arg(name, inherited.decidedBy));
    }

    // The fallback: the flag C (fall back) or c (never) of the destination's own entry.
    SendmailMc mcWithFeatures = config.mc;
    if (!config.mc.tlsSessionFeaturesLine()) {
        const Result<QByteArray> withFeature = config.mc.withTlsSessionFeatures();
        if (withFeature)
            mcWithFeatures = SendmailMc(*withFeature, config.mc.fileName());
    }
    const FallbackSource inheritedFallback = Policy(mcWithFeatures, &access).destinationFallback(destination, true);
    const std::optional<TlsFeatures> features = ownFeatures();
    const std::optional<bool> ownFallback = features ? features->fallback() : std::nullopt;
    if (setting == TlsSetting::Fallback) {
        if (ownFallback == true) {
            if (newNote)
                if (Status s = writeFeatures(access, destination, features->value(), noteFor(word)))
                    return *s;
        } else if (inheritedFallback.fallback) {
            if (features && ownFallback == false)
                if (Status s = writeFeatures(access, destination, features->withoutFlag('c'), {}))
                    return *s;
        } else {
            const TlsFeatures current = features ? *features : TlsFeatures();
            if (Status s = writeFeatures(access, destination, current.withFlag('C'), noteFor(word)))
                return *s;
        }
    } else if (ownFallback == true || (inheritedFallback.fallback && ownFallback != false)) {
        // On: no fallback. Our C goes; an inherited fallback needs a c to be undone.
        std::optional<QByteArray> value = features ? features->withoutFlag('C') : std::optional<QByteArray>(QByteArray());
        if (value && inheritedFallback.fallback) {
            value = TlsFeatures(*value).withFlag('c');
            change.notes.append(QStringLiteral("Wrote the flag c: without it %1 would fall back to clear text (%2).")
                                    .arg(name, inheritedFallback.decidedBy));
        }
        if (Status s = writeFeatures(access, destination, value, inheritedFallback.fallback ? noteFor(QStringLiteral("on, no fallback")) : QString()))
            return *s;
    }
    if (setting == TlsSetting::Fallback || access.findCltFeatures(destination.key)) {
        // Whatever entry decides the fallback needs the ruleset that reads it.
        const FallbackSource now = Policy(mcWithFeatures, &access).destinationFallback(destination);
        if (now.entry)
            if (Status s = requireSessionFeatures(config, access, change))
                return *s;
    }
    change.access.after = access.bytes();
    if (expires && !change.access.after.contains(expires->iso().toUtf8()))
        change.notes.append(QStringLiteral("%1 needs no rule of its own for this, so nothing holds the expiry: there is "
                                           "nothing to end.").arg(name));
    if (!change.changed()) {
        const FallbackSource now = Policy(config.mc, &access).destinationFallback(destination);
        change.notes.append(setting == TlsSetting::Fallback
                                ? QStringLiteral("%1 already falls back to clear text (%2); nothing to change.").arg(name, now.decidedBy)
                                : QStringLiteral("%1 already gets STARTTLS without a fallback (%2); nothing to change.")
                                      .arg(name, hadOwnRule ? QStringLiteral("Try_TLS:") + name : inherited.decidedBy));
    }
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
                                        "would discard that too. Undo this change alone (rollback), or restore with --discard-later "
                                        "to put these bytes back anyway; nothing was changed"),
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
