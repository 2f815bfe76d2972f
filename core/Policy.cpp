#include "Policy.h"

#include "LookupKeys.h"

namespace smtls {

Policy::Policy(const SendmailMc &mc, const AccessMap *access) : m_mc(mc), m_access(access) {}

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
    if (m_access)
        for (const TryTlsRule &rule : m_access->tryTlsRules())
            n += !m_access->keyOf(rule).isEmpty() && m_access->answers(rule);
    return n;
}

void Policy::forEachDestination(const std::function<void(const DestinationRule &)> &visit) const
{
    if (!m_access)
        return;
    const GlobalState g = global();
    const bool hardOff = !g.tls && g.via.contains(Mechanism::ClientOptions);
    for (const TryTlsRule &rule : m_access->tryTlsRules()) {
        // The rule makemap keeps for its key answers; later duplicates and valueless lines never do.
        const QByteArrayView key = m_access->keyOf(rule);
        if (key.isEmpty() || !m_access->answers(rule))
            continue;
        DestinationRule d;
        const Result<Destination> parsed = parseDestinationKey(key);
        if (parsed) {
            d.destination = *parsed;
        } else {
            d.destination.kind = DestinationKind::HostName;
            d.destination.key = key.toByteArray().toLower();
        }
        d.tls = !m_access->disablesTls(rule);
        d.line = rule.line + 1;
        d.value = m_access->valueOf(rule).toByteArray();
        d.note = m_access->noteOf(rule);
        d.effective = accessMapConsulted() && !(hardOff && d.tls);
        visit(d);
    }
}

Decision Policy::explain(const QByteArray &serverName, const QByteArray &address,
                         const QByteArray *ignoredKey) const
{
    Decision d;
    d.server = QString::fromLatin1(serverName);
    d.address = QString::fromLatin1(address);
    QByteArray sendmailAddress = address;
    if (address.contains(':')) {
        const QByteArray canonical = canonicalIPv6(address, m_mc.ipv6Form());
        sendmailAddress = canonical.isEmpty() ? address : canonical;
        d.address = QString::fromLatin1(sendmailAddress);
    }

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

Problems Policy::problems() const
{
    Problems out = m_mc.problems();
    if (m_access)
        out += m_access->problems();
    if (m_access && !accessMapConsulted() && !m_access->tryTlsRules().empty()) {
        // No subject: the fix adds the FEATURE to the file as a whole.
        out.append(Problem{m_mc.fileName(), 0, Severity::Warning,
                           QStringLiteral("the access file has Try_TLS rules but sendmail.mc does not enable "
                                          "FEATURE(`access_db'), so they have no effect"),
                           FixKind::EnableAccessDb});
    }
    if (m_access) {
        // An IPv6 key must be written exactly as sendmail writes the address to ever match.
        for (const TryTlsRule &rule : m_access->tryTlsRules()) {
            const QByteArrayView key = m_access->keyOf(rule);
            if (key.size() < 5 || key.first(5).compare("IPv6:", Qt::CaseInsensitive) != 0)
                continue;
            const QByteArray canonical = canonicalIPv6(key, m_mc.ipv6Form());
            if (!canonical.isEmpty() && canonical.compare(key, Qt::CaseInsensitive) != 0)
                out.append(Problem{m_access->fileName(), rule.line + 1, Severity::Warning,
                                   QStringLiteral("Try_TLS:%1 never matches: this sendmail writes the address as "
                                                  "%2, so the key must be Try_TLS:%2")
                                       .arg(QString::fromLatin1(key), QString::fromLatin1(canonical)),
                                   FixKind::CanonicalIPv6Key, key.toByteArray()});
        }
    }
    const GlobalState g = global();
    if (g.via.contains(Mechanism::ClientOptions) && m_access) {
        forEachDestination([&](const DestinationRule &r) {
            if (r.tls)
                out.append(Problem{m_access->fileName(), r.line, Severity::Warning,
                                   QStringLiteral("Try_TLS:%1 asks for STARTTLS, but the client modifier "
                                                  "M=S in sendmail.mc switches it off for every server")
                                       .arg(QString::fromLatin1(r.destination.key))});
        });
    }
    return out;
}

} // namespace smtls
