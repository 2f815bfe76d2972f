// Policy::problems(): what is wrong with sendmail.mc and the access map, alone and together
// (rules that do nothing, fallbacks with no handshake to fall back from, exceptions that have
// expired).
#include "Expiry.h"
#include "Policy.h"
#include "TlsFeatures.h"

namespace smtls {
namespace {

// An IPv6 key must be written exactly as sendmail writes the address to ever match: the form
// it must have instead, or empty when it is fine (or not IPv6).
QByteArray ipv6KeyAsSendmailWritesIt(QByteArrayView key, IPv6Form form)
{
    if (key.size() < 5 || key.first(5).compare("IPv6:", Qt::CaseInsensitive) != 0)
        return {};
    const QByteArray canonical = canonicalIPv6(key, form);
    return canonical.compare(key, Qt::CaseInsensitive) != 0 ? canonical : QByteArray();
}

} // namespace

Problems Policy::problems() const
{
    Problems out = m_mc.problems();
    if (m_access)
        out += m_access->problems();
    if (m_access && !accessMapConsulted() && (!m_access->tryTlsRules().empty() || !m_access->cltFeaturesRules().empty())) {
        // No subject: the fix adds the FEATURE to the file as a whole.
        out.append(Problem{m_mc.fileName(), 0, Severity::Warning,
                           QStringLiteral("the access file has %1 but sendmail.mc does not enable "
                                          "FEATURE(`access_db'), so they have no effect")
                               .arg(!m_access->tryTlsRules().empty() ? QStringLiteral("Try_TLS rules")
                                                                     : QStringLiteral("TLS_Clt_Features entries")),
                           FixKind::EnableAccessDb});
    }
    if (m_access && accessMapConsulted() && !m_mc.tlsSessionFeaturesLine()) {
        // Entries that would do something, if sendmail had the ruleset that reads them.
        const AccessRule *first = nullptr;
        bool someFallback = false;
        for (const AccessRule &rule : m_access->cltFeaturesRules()) {
            if (rule.valueLength == 0 || !m_access->answersCltFeatures(rule))
                continue;
            first = first ? first : &rule;
            someFallback = someFallback || TlsFeatures(m_access->valueOf(rule).toByteArray()).hasFlag('C');
        }
        if (first)
            out.append(Problem{m_mc.fileName(), 0, Severity::Warning,
                               QStringLiteral("the access file has TLS_Clt_Features entries (the first: %1, line %2) but "
                                              "sendmail.mc does not enable FEATURE(`tls_session_features'), so sendmail "
                                              "ignores them%3")
                                   .arg(featuresTag(m_access->keyOf(*first)))
                                   .arg(first->line + 1)
                                   .arg(someFallback ? QStringLiteral(": no fallback to clear text for those servers") : QString()),
                               FixKind::EnableTlsSessionFeatures});
    }
    if (m_access) {
        for (const TryTlsRule &rule : m_access->tryTlsRules()) {
            const QByteArrayView key = m_access->keyOf(rule);
            if (const QByteArray canonical = ipv6KeyAsSendmailWritesIt(key, m_mc.ipv6Form()); !canonical.isEmpty())
                out.append(Problem{m_access->fileName(), rule.line + 1, Severity::Warning,
                                   QStringLiteral("Try_TLS:%1 never matches: this sendmail writes the address as "
                                                  "%2, so the key must be Try_TLS:%2")
                                       .arg(QString::fromLatin1(key), QString::fromLatin1(canonical)),
                                   FixKind::CanonicalIPv6Key, key.toByteArray()});
        }
        for (const AccessRule &rule : m_access->cltFeaturesRules()) {
            const QByteArrayView key = m_access->keyOf(rule);
            if (const QByteArray canonical = ipv6KeyAsSendmailWritesIt(key, m_mc.ipv6Form()); !canonical.isEmpty())
                out.append(Problem{m_access->fileName(), rule.line + 1, Severity::Warning,
                                   QStringLiteral("%1 never matches: this sendmail writes the address as %2, so the key "
                                                  "must be TLS_Clt_Features:%2")
                                       .arg(featuresTag(key), QString::fromLatin1(canonical))});
        }
    }
    const GlobalState g = global();
    if (g.via.contains(Mechanism::ClientOptions) && m_access) {
        forEachDestination([&](const DestinationRule &r) {
            if (r.tls && r.hasTryTlsRule())
                out.append(Problem{m_access->fileName(), r.line, Severity::Warning,
                                   QStringLiteral("Try_TLS:%1 asks for STARTTLS, but the client modifier "
                                                  "M=S in sendmail.mc switches it off for every server")
                                       .arg(QString::fromLatin1(r.destination.key))});
        });
    }
    if (const ClientOptionsDecl *co = m_mc.firstClientOptionsWithS()) {
        // A fallback needs a handshake to fall back from.
        if (g.fallback)
            out.append(Problem{m_mc.fileName(), g.fallbackLine, Severity::Warning,
                               QStringLiteral("TLSFallbacktoClear is on, but the client modifier M=S (line %1) switches "
                                              "STARTTLS off for every server: there is no handshake to fall back from")
                                   .arg(co->line),
                               FixKind::RemoveMootFallback, QByteArrayLiteral("TLSFallbacktoClear")});
        if (m_access)
            for (const AccessRule &rule : m_access->cltFeaturesRules())
                if (m_access->answersCltFeatures(rule) && TlsFeatures(m_access->valueOf(rule).toByteArray()).hasFlag('C'))
                    out.append(Problem{m_access->fileName(), rule.line + 1, Severity::Warning,
                                       QStringLiteral("%1 asks for a fallback to clear text, but the client modifier M=S in "
                                                      "sendmail.mc (line %2) switches STARTTLS off for every server")
                                           .arg(featuresTag(m_access->keyOf(rule)))
                                           .arg(co->line),
                                       FixKind::RemoveMootFallback, m_access->keyOf(rule).toByteArray()});
    }
    // Exceptions that were meant to end: expired ones can be reverted, unreadable expiries are
    // said (an expiry we cannot read would otherwise keep the exception for ever, silently).
    const QDateTime t = now();
    const auto checkNote = [&](const QString &note, const QString &file, int line, const QString &what, const QByteArray &subject) {
        if (note.isEmpty())
            return;
        const NoteExpiry e = expiryOfNote(note);
        if (!e.error.isEmpty())
            out.append(Problem{file, line, Severity::Warning, QStringLiteral("%1: %2").arg(what, e.error)});
        else if (e.expiry && e.expiry->passed(t))
            out.append(Problem{file, line, Severity::Warning,
                               QStringLiteral("%1 expired on %2: the exception was meant to end then").arg(what, e.expiry->iso()),
                               FixKind::RevertExpired, subject});
    };
    if (m_access) {
        for (const TryTlsRule &rule : m_access->tryTlsRules())
            if (m_access->answers(rule)) {
                const QByteArray tag = "Try_TLS:" + m_access->keyOf(rule).toByteArray();
                checkNote(m_access->noteOf(rule), m_access->fileName(), rule.line + 1,
                          QString::fromLatin1(tag) + QLatin1Char(' ') + QString::fromUtf8(m_access->valueOf(rule)).trimmed(), tag);
            }
        for (const AccessRule &rule : m_access->cltFeaturesRules())
            if (m_access->answersCltFeatures(rule)) {
                const QByteArray tag = "TLS_Clt_Features:" + m_access->keyOf(rule).toByteArray();
                checkNote(m_access->noteOf(rule), m_access->fileName(), rule.line + 1,
                          QString::fromLatin1(tag) + QLatin1Char(' ') + QString::fromUtf8(m_access->valueOf(rule)).trimmed(), tag);
            }
    }
    if (m_mc.fallbackMarkerLine())
        checkNote(m_mc.tlsFallbackNote(), m_mc.fileName(), m_mc.fallbackMarkerLine(), QStringLiteral("the fallback to clear text (TLSFallbacktoClear)"),
                  QByteArrayLiteral("TLSFallbacktoClear"));
    return out;
}

} // namespace smtls
