#include "Policy.h"

#include "Expiry.h"
#include "LookupKeys.h"
#include "TlsFeatures.h"

namespace smtls {
namespace {

// The keys a destination's parents are found by: parent domains of a name, shorter prefixes
// of an address (the bare key is only looked up for a server without a name, which a real
// connection always has).
QList<QByteArray> parentKeys(const Destination &d)
{
    QList<QByteArray> keys = d.isAddress() ? addressLookupKeys(d.key) : nameLookupKeys(d.key);
    if (!keys.isEmpty())
        keys.removeFirst();
    keys.removeAll(QByteArray());
    return keys;
}

// The destination a key in the file names; a key that never matches (reported as a problem)
// is still listed, as the host name it reads as.
Destination destinationOfKey(QByteArrayView key)
{
    if (const Result<Destination> parsed = parseDestinationKey(key))
        return *parsed;
    Destination d;
    d.kind = DestinationKind::HostName;
    d.key = key.toByteArray().toLower();
    return d;
}

} // namespace

QString tlsAnswer(const Decision &decision)
{
    if (!decision.tls)
        return QStringLiteral("TLS not tried");
    return decision.fallback ? QStringLiteral("TLS tried, falls back to clear text if the handshake fails")
                             : QStringLiteral("TLS tried");
}

Policy::Policy(const SendmailMc &mc, const AccessMap *access, const QDateTime &now) : m_mc(mc), m_access(access), m_now(now) {}

GlobalState Policy::global() const
{
    GlobalState g;
    if (const ClientOptionsDecl *withS = m_mc.firstClientOptionsWithS()) {
        g.tls = false;
        g.via.append(Mechanism::ClientOptions);
        g.clientOptionsLine = withS->line;
    }
    if (m_access) {
        if (const TryTlsRule *def = m_access->find(QByteArrayView("")); def) {
            g.accessDefaultLine = def->line + 1;
            g.accessDefaultDisables = m_access->disablesTls(*def);
            if (g.accessDefaultDisables && accessMapConsulted()) {
                g.tls = false;
                g.via.append(Mechanism::AccessDefault);
            }
        }
    }
    g.fallback = m_mc.tlsFallbackToClear();
    g.fallbackLine = m_mc.tlsFallbackDefine() ? m_mc.tlsFallbackDefine()->line : 0;
    g.sessionFeaturesLine = m_mc.tlsSessionFeaturesLine();
    // The exception's expiry: on the note above the default rule that switches TLS off, or on
    // our marker above the fallback define.
    QString note;
    if (g.via.contains(Mechanism::AccessDefault))
        note = m_access->noteOf(*m_access->find(QByteArrayView("")));
    else if (g.tls && g.fallback)
        note = m_mc.tlsFallbackNote();
    if (const std::optional<Expiry> e = expiryOfNote(note).expiry) {
        g.expires = e->iso();
        g.expired = e->passed(now());
    }
    return g;
}

QList<DestinationRule> Policy::destinations() const
{
    QList<DestinationRule> out;
    forEachDestination([&out](const DestinationRule &d) { out.append(d); });
    return out;
}

qsizetype Policy::destinationCount() const
{
    qsizetype n = 0;
    forEachDestinationEntry([&n](const AccessRule &, bool) { ++n; });
    return n;
}

void Policy::forEachDestinationEntry(const std::function<void(const AccessRule &, bool onlyFeatures)> &visit) const
{
    if (!m_access)
        return;
    // The rule makemap keeps for its key answers; later duplicates and valueless lines never do.
    for (const TryTlsRule &rule : m_access->tryTlsRules())
        if (!m_access->keyOf(rule).isEmpty() && m_access->answers(rule))
            visit(rule, false);
    // Then the destinations that have only a TLS_Clt_Features entry.
    for (const AccessRule &rule : m_access->cltFeaturesRules()) {
        const QByteArrayView key = m_access->keyOf(rule);
        if (!key.isEmpty() && m_access->answersCltFeatures(rule) && !m_access->find(key))
            visit(rule, true);
    }
}

const AccessRule *Policy::firstCltFeatures(const QList<QByteArray> &keys, const QByteArray *ignoredKey, QByteArray *matched) const
{
    if (!m_access || m_access->cltFeaturesRules().empty())
        return nullptr;
    for (const QByteArray &key : keys) {
        if (ignoredKey && key.compare(*ignoredKey, Qt::CaseInsensitive) == 0)
            continue;
        if (const AccessRule *rule = m_access->findCltFeatures(key)) {
            if (matched)
                *matched = m_access->keyOf(*rule).toByteArray();  // as written: what the admin finds in the file
            return rule;
        }
    }
    return nullptr;
}

FallbackSource Policy::destinationFallback(const Destination &destination, bool ignoreOwnEntry) const
{
    FallbackSource out;
    if (cltFeaturesConsulted() && m_access && !m_access->cltFeaturesRules().empty()) {
        QList<QByteArray> keys = parentKeys(destination);
        if (!ignoreOwnEntry)
            keys.prepend(destination.key);
        // The nearest entry decides (sendmail stops at the first match), but only its flags
        // say anything about the fallback; without C or c the global option decides.
        QByteArray key;
        if (const AccessRule *rule = firstCltFeatures(keys, nullptr, &key)) {
            if (const std::optional<bool> own = TlsFeatures(m_access->valueOf(*rule).toByteArray()).fallback()) {
                out.fallback = *own;
                out.decidedBy = featuresTag(key);
                out.entry = rule;
                return out;
            }
        }
    }
    if (m_mc.tlsFallbackToClear()) {
        out.fallback = true;
        out.decidedBy = QStringLiteral("TLSFallbacktoClear");
    }
    return out;
}

void Policy::fillFeatures(DestinationRule &d, const GlobalState &g, bool hardOff) const
{
    if (const AccessRule *own = m_access->findCltFeatures(d.destination.key)) {
        d.featuresLine = own->line + 1;
        d.featuresValue = m_access->valueOf(*own).toByteArray();
        d.featuresNote = m_access->noteOf(*own);
    }
    for (const QString *note : {&d.note, &d.featuresNote}) {
        if (note->isEmpty())
            continue;
        if (const std::optional<Expiry> e = expiryOfNote(*note).expiry) {
            d.expires = e->iso();
            d.expired = e->passed(now());
            break;
        }
    }
    if (!d.tls || hardOff)
        return;
    if (m_access->cltFeaturesRules().empty()) {
        // The common case, and the one a million-rule map is: no lookups per rule.
        d.fallback = g.fallback;
        d.fallbackDecidedBy = g.fallback ? QStringLiteral("TLSFallbacktoClear") : QString();
        return;
    }
    const FallbackSource source = destinationFallback(d.destination);
    d.fallback = source.fallback;
    d.fallbackDecidedBy = source.decidedBy;
}

void Policy::forEachDestination(const std::function<void(const DestinationRule &)> &visit) const
{
    if (!m_access)
        return;
    const GlobalState g = global();
    const bool hardOff = !g.tls && g.via.contains(Mechanism::ClientOptions);
    forEachDestinationEntry([&](const AccessRule &rule, bool onlyFeatures) {
        DestinationRule d;
        d.destination = destinationOfKey(m_access->keyOf(rule));
        if (onlyFeatures) {
            // TLS as the destination inherits it.
            const Decision inherited = d.destination.isAddress() ? explainTls({}, d.destination.key, nullptr)
                                                                 : explainTls(d.destination.key, {}, nullptr);
            d.tls = inherited.tls;
            d.effective = cltFeaturesConsulted() && !hardOff;
        } else {
            d.tls = !m_access->disablesTls(rule);
            d.line = rule.line + 1;
            d.value = m_access->valueOf(rule).toByteArray();
            d.note = m_access->noteOf(rule);
            d.effective = accessMapConsulted() && !(hardOff && d.tls);
        }
        fillFeatures(d, g, hardOff);
        visit(d);
    });
}

Decision Policy::explain(const QByteArray &serverName, const QByteArray &address,
                         const QByteArray *ignoredKey) const
{
    QByteArray sendmailAddress = address;
    if (address.contains(':')) {
        const QByteArray canonical = canonicalIPv6(address, m_mc.ipv6Form());
        sendmailAddress = canonical.isEmpty() ? address : canonical;
    }
    Decision d = explainTls(serverName, sendmailAddress, ignoredKey);
    explainFallback(d, serverName, sendmailAddress, ignoredKey);
    return d;
}

void Policy::explainFallback(Decision &d, const QByteArray &serverName, const QByteArray &sendmailAddress,
                             const QByteArray *ignoredKey) const
{
    // Ruleset tls_clt_feat_acc (proto.m4): the server's name and parent domains, then its
    // address and shorter prefixes; unlike try_tls no bare "TLS_Clt_Features:" at the end
    // (only an empty name looks it up, first). Checked with sendmail -bt (tests/realtools).
    QList<QByteArray> keys = nameLookupKeys(serverName);
    keys += addressLookupKeys(sendmailAddress);
    QByteArray key;
    const AccessRule *entry = firstCltFeatures(keys, ignoredKey, &key);
    QString ignoredEntry;
    if (entry && !cltFeaturesConsulted()) {
        ignoredEntry = QStringLiteral(" (%1 on line %2 would apply, but without %3 sendmail ignores TLS_Clt_Features entries)")
                           .arg(featuresTag(key))
                           .arg(entry->line + 1)
                           .arg(accessMapConsulted() ? QStringLiteral("FEATURE(`tls_session_features')")
                                                     : QStringLiteral("FEATURE(`access_db')"));
        entry = nullptr;
    }
    std::optional<bool> own;
    QString unreadable;
    if (entry) {
        d.featuresKey = featuresTag(key);
        d.featuresValue = m_access->valueOf(*entry).toByteArray();
        d.featuresLine = entry->line + 1;
        const TlsFeatures features(d.featuresValue);
        own = features.fallback();
        if (const QString error = features.syntaxError(); !error.isEmpty())
            unreadable = QStringLiteral(" Note: sendmail cannot read the value of %1 (%2) and abandons the TLS setup.")
                             .arg(d.featuresKey, error);
    }
    if (!d.tls) {
        d.fallback = false;
        d.fallbackReason = QStringLiteral("STARTTLS is not tried, so there is no handshake to fall back from");
        return;
    }
    if (own) {
        d.fallback = *own;
        d.fallbackDecidedBy = d.featuresKey;
        d.fallbackFile = m_access->fileName();
        d.fallbackLine = d.featuresLine;
        d.fallbackReason = *own
            ? QStringLiteral("%1 has the flag C: if the TLS handshake fails, sendmail retries the delivery in clear text "
                             "right away").arg(d.featuresKey)
            : QStringLiteral("%1 has the flag c: no fallback to clear text with this server%2")
                  .arg(d.featuresKey, m_mc.tlsFallbackToClear() ? QStringLiteral(", although TLSFallbacktoClear is on")
                                                                : QString());
        d.fallbackReason += unreadable;
        return;
    }
    if (m_mc.tlsFallbackToClear()) {
        d.fallback = true;
        d.fallbackDecidedBy = QStringLiteral("TLSFallbacktoClear");
        d.fallbackFile = m_mc.fileName();
        d.fallbackLine = m_mc.tlsFallbackDefine()->line;
        d.fallbackReason = QStringLiteral("TLSFallbacktoClear is on in sendmail.mc: if the TLS handshake fails, sendmail "
                                          "retries the delivery in clear text right away");
    } else {
        d.fallback = false;
        d.fallbackReason = QStringLiteral("neither TLSFallbacktoClear nor a TLS_Clt_Features entry with the flag C "
                                          "applies: a failed TLS handshake leaves the mail in the queue");
    }
    d.fallbackReason += ignoredEntry + unreadable;
}

Decision Policy::explainTls(const QByteArray &serverName, const QByteArray &sendmailAddress, const QByteArray *ignoredKey) const
{
    Decision d;
    d.server = QString::fromLatin1(serverName);
    d.address = QString::fromLatin1(sendmailAddress);

    // 1. The client modifier S: sendmail never issues STARTTLS, whatever the access map says
    //    (one S covers every family on 8.17, see SendmailMc::clientStartTlsDisabled).
    if (const ClientOptionsDecl *co = m_mc.firstClientOptionsWithS()) {
        d.tls = false;
        d.decidedBy = QStringLiteral("M=S");
        d.file = m_mc.fileName();
        d.line = co->line;
        d.reason = QStringLiteral("CLIENT_OPTIONS has the client modifier S: sendmail never issues "
                                  "STARTTLS on outbound connections");
        return d;
    }
    // 2. Without FEATURE(`access_db') ruleset try_tls has no access lookups.
    if (!accessMapConsulted() || !m_access) {
        d.tls = true;
        d.decidedBy = QStringLiteral("default");
        d.reason = accessMapConsulted()
            ? QStringLiteral("no access file, so no Try_TLS rule: sendmail tries STARTTLS")
            : QStringLiteral("FEATURE(`access_db') is not enabled, so Try_TLS rules are not consulted: "
                             "sendmail tries STARTTLS");
        return d;
    }
    // 3. Host name and parent domains, then address and its prefixes, then the bare default.
    QList<QByteArray> keys = nameLookupKeys(serverName);
    keys += addressLookupKeys(sendmailAddress);
    keys.append(QByteArray());
    for (const QByteArray &key : keys) {
        if (ignoredKey && key.compare(*ignoredKey, Qt::CaseInsensitive) == 0)
            continue;
        const TryTlsRule *rule = m_access->find(key);
        if (!rule)
            continue;
        d.tls = !m_access->disablesTls(*rule);
        d.decidedBy = QStringLiteral("Try_TLS:") + QString::fromLatin1(key);
        d.file = m_access->fileName();
        d.line = rule->line + 1;
        const QString value = QString::fromUtf8(m_access->valueOf(*rule));
        if (d.tls)
            d.reason = QStringLiteral("the first matching rule is %1 with value \"%2\"; only NO skips "
                                      "STARTTLS, so sendmail tries it")
                           .arg(d.decidedBy, value);
        else
            d.reason = QStringLiteral("the first matching rule is %1 NO: sendmail does not try STARTTLS")
                           .arg(d.decidedBy);
        return d;
    }
    d.tls = true;
    d.decidedBy = QStringLiteral("default");
    d.reason = QStringLiteral("no Try_TLS rule matches: sendmail tries STARTTLS");
    return d;
}

} // namespace smtls
