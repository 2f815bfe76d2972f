#pragma once
// What sendmail will do about STARTTLS on outbound connections, given sendmail.mc and the
// access map: the global state and the mechanism behind it, the per-destination exceptions,
// and explain(server, address) following the lookup order of ruleset try_tls.

#include "AccessMap.h"
#include "SendmailMc.h"

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
};

struct DestinationRule {
    Destination destination;
    bool tls = true;       // false when the value is exactly NO
    int line = 0;          // 1-based, in the access file
    QByteArray value;
    QString note;          // our "# sendmail-tls:" comment above the rule
    bool effective = true; // false when access_db is off or the client modifier overrides it
};

struct Decision {
    QString server;
    QString address;
    bool tls = true;
    QString decidedBy;  // "Try_TLS:key", "Try_TLS:", "M=S" or "default"
    QString file;       // empty for the built-in default
    int line = 0;
    QString reason;     // one sentence for people
};

class Policy {
public:
    // `access` may be null: no access file (yet).
    Policy(const SendmailMc &mc, const AccessMap *access);

    GlobalState global() const;
    QList<DestinationRule> destinations() const;  // bare default excluded
    // The same rules one at a time, in file order, without holding them all: a million-rule
    // map as a list costs ten times the file.
    void forEachDestination(const std::function<void(const DestinationRule &)> &visit) const;
    qsizetype destinationCount() const;
    bool accessMapConsulted() const { return m_mc.accessDb().has_value(); }

    // serverName: the MX or relay host name (may be empty); address: IPv4 dotted or IPv6, with
    // or without "IPv6:" (may be empty).
    // ignoredKey: answer as if the rule with this key (after "Try_TLS:") did not exist, which
    // is what a destination inherits.
    Decision explain(const QByteArray &serverName, const QByteArray &address,
                     const QByteArray *ignoredKey = nullptr) const;

    // Problems of both files plus those that come from their combination.
    Problems problems() const;

private:
    const SendmailMc &m_mc;
    const AccessMap *m_access;
};

} // namespace smtls
