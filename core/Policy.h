#pragma once
// What sendmail will do about STARTTLS on outbound connections, given sendmail.mc and the
// access map: the global state and the mechanism behind it, the per-destination exceptions,
// and explain(server, address) following the lookup order of ruleset try_tls — and, where
// STARTTLS is tried, whether a failed handshake falls back to clear text (TLSFallbacktoClear,
// or the flag C of a TLS_Clt_Features entry found as ruleset tls_clt_features finds it).

#include "AccessMap.h"
#include "SendmailMc.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <functional>

namespace smtls {

enum class Mechanism { ClientOptions, AccessDefault };

inline QString mechanismName(Mechanism m)
{
    return m == Mechanism::ClientOptions ? QStringLiteral("client-options") : QStringLiteral("access");
}

struct GlobalState {
    bool tls = true;             // STARTTLS tried by default (IPv4 connections)
    QList<Mechanism> via;        // what switches it off (empty when on)
    int clientOptionsLine = 0;   // in sendmail.mc, when M=S is set
    int accessDefaultLine = 0;   // in the access file, when "Try_TLS:" exists
    bool accessDefaultDisables = false;
    bool fallback = false;       // TLSFallbacktoClear is on (moot while tls is false)
    int fallbackLine = 0;        // in sendmail.mc, the define that decides it (on or off)
    int sessionFeaturesLine = 0; // FEATURE(`tls_session_features'); 0 = TLS_Clt_Features ignored
    // When the global exception ends by itself: the note above "Try_TLS: NO" when that is what
    // switches TLS off, else our marker above the fallback define; empty = never.
    QString expires;
    bool expired = false;
    // "on", "fallback" (tried, falls back to clear text) or "off".
    QString state() const
    {
        return !tls ? QStringLiteral("off") : fallback ? QStringLiteral("fallback") : QStringLiteral("on");
    }
};

struct DestinationRule {
    Destination destination;
    bool tls = true;       // false when the value is exactly NO (inherited without a Try_TLS rule)
    int line = 0;          // 1-based, the Try_TLS rule in the access file; 0 = TLS_Clt_Features only
    QByteArray value;
    QString note;          // our "# sendmail-tls:" comment above the rule
    bool effective = true; // false when access_db is off or the client modifier overrides it
    // A failed TLS handshake with this server falls back to clear text (false when TLS is not
    // tried), and what says so: "TLS_Clt_Features:key" (its own entry or a parent domain's /
    // shorter prefix's), "TLSFallbacktoClear", or empty.
    bool fallback = false;
    QString fallbackDecidedBy;
    int featuresLine = 0;  // its own TLS_Clt_Features entry (1-based), 0 = none
    QByteArray featuresValue;
    QString featuresNote;
    // When the exception ends by itself (ISO-8601, from the Try_TLS rule's note, else the
    // TLS_Clt_Features entry's); empty = never.
    QString expires;
    bool expired = false;
    bool hasTryTlsRule() const { return line > 0; }
    QString state() const
    {
        return !tls ? QStringLiteral("off") : fallback ? QStringLiteral("fallback") : QStringLiteral("on");
    }
};

struct Decision {
    QString server;
    QString address;
    bool tls = true;
    QString decidedBy;  // "Try_TLS:key", "Try_TLS:", "M=S" or "default"
    QString file;       // empty for the built-in default
    int line = 0;
    QString reason;     // one sentence for people
    // Only when tls: a failed handshake makes sendmail retry the delivery in clear text at once.
    bool fallback = false;
    QString fallbackDecidedBy;  // "TLS_Clt_Features:key", "TLSFallbacktoClear" or empty
    QString fallbackFile;
    int fallbackLine = 0;
    QString fallbackReason;
    // What ruleset tls_clt_features returns for this server ("TLS_Clt_Features:key" and the
    // entry's value), whether TLS is tried or not; empty when nothing (or the ruleset is not
    // there: no FEATURE(`tls_session_features') or no access_db).
    QString featuresKey;
    QByteArray featuresValue;
    int featuresLine = 0;
};

// "TLS tried", "TLS tried, falls back to clear text if the handshake fails" or "TLS not tried".
QString tlsAnswer(const Decision &decision);

// How a destination (a key, not a connection) stands on the fallback: its own entry when it
// has the flag C or c, else the nearest parent domain's (or shorter prefix's) entry that has
// one, else TLSFallbacktoClear.
struct FallbackSource {
    bool fallback = false;
    QString decidedBy;              // "TLS_Clt_Features:key", "TLSFallbacktoClear" or empty
    const AccessRule *entry = nullptr;  // the deciding entry, if any
};

class Policy {
public:
    // `access` may be null: no access file (yet). `now` judges expiries (invalid: the current time).
    Policy(const SendmailMc &mc, const AccessMap *access, const QDateTime &now = {});

    GlobalState global() const;
    QList<DestinationRule> destinations() const;  // bare default excluded
    // The same rules one at a time, in file order, without holding them all: a million-rule
    // map as a list costs ten times the file.
    void forEachDestination(const std::function<void(const DestinationRule &)> &visit) const;
    // The access entries those destinations come from, in the same order, without working out
    // their rules: a Try_TLS rule makemap keeps, or a TLS_Clt_Features entry of a key that has
    // no Try_TLS rule (onlyFeatures). Cheap enough to measure a million of them.
    void forEachDestinationEntry(const std::function<void(const AccessRule &, bool onlyFeatures)> &visit) const;
    qsizetype destinationCount() const;
    bool accessMapConsulted() const { return m_mc.accessDb().has_value(); }
    // sendmail has ruleset tls_clt_features with access lookups: FEATURE(`tls_session_features')
    // and FEATURE(`access_db').
    bool cltFeaturesConsulted() const { return accessMapConsulted() && m_mc.tlsSessionFeaturesLine() > 0; }

    // serverName: the MX or relay host name (may be empty); address: IPv4 dotted or IPv6, with
    // or without "IPv6:" (may be empty).
    // ignoredKey: answer as if the rule with this key (after "Try_TLS:") did not exist, which
    // is what a destination inherits.
    Decision explain(const QByteArray &serverName, const QByteArray &address,
                     const QByteArray *ignoredKey = nullptr) const;

    // The fallback of a destination key, ignoring its own TLS_Clt_Features entry when asked
    // (what it inherits). Says nothing about whether TLS is tried.
    FallbackSource destinationFallback(const Destination &destination, bool ignoreOwnEntry = false) const;

    // Problems of both files plus those that come from their combination.
    Problems problems() const;

private:
    Decision explainTls(const QByteArray &serverName, const QByteArray &sendmailAddress, const QByteArray *ignoredKey) const;
    void explainFallback(Decision &d, const QByteArray &serverName, const QByteArray &sendmailAddress,
                         const QByteArray *ignoredKey) const;
    // The first TLS_Clt_Features entry for these keys, in order, skipping `ignoredKey`.
    const AccessRule *firstCltFeatures(const QList<QByteArray> &keys, const QByteArray *ignoredKey, QByteArray *matched) const;
    void fillFeatures(DestinationRule &d, const GlobalState &g, bool hardOff) const;

    QDateTime now() const { return m_now.isValid() ? m_now : QDateTime::currentDateTimeUtc(); }

    const SendmailMc &m_mc;
    const AccessMap *m_access;
    QDateTime m_now;
};

} // namespace smtls
