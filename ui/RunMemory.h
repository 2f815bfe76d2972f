#pragma once
// What the program keeps for the length of its run, in memory only (never on disk): host keys
// the user accepted "once", secrets that logged in (so that reading, applying and listing the
// history of a password host ask once, not every time), and one lock per host, so that two
// workers connecting to the same host at the same moment (its state and its history) ask the
// user one question instead of two, and a first-use setup runs once.

#include <QDeadlineTimer>
#include <QHash>
#include <QMutex>
#include <QString>

#include <map>
#include <memory>
#include <optional>

namespace smtls::gui {

class RunMemory {
public:
    bool hostKeyAccepted(const QString &hostPort, const QString &fingerprint) const;
    void acceptHostKey(const QString &hostPort, const QString &fingerprint);
    // A refusal holds for a few seconds: the other reads of that moment (state, history) take
    // the same answer, and a later retry asks again.
    bool hostKeyRefusedJustNow(const QString &hostPort, const QString &fingerprint) const;
    void refuseHostKey(const QString &hostPort, const QString &fingerprint);

    std::optional<QString> secret(const QString &key) const;
    void rememberSecret(const QString &key, const QString &secret);
    void forgetSecret(const QString &key);

    // Held for the whole of a connection attempt to that host.
    QMutex &hostLock(const QString &hostId);

private:
    mutable QMutex m_mutex;
    QHash<QString, QString> m_hostKeys;  // host:port -> fingerprint
    QHash<QString, std::pair<QString, QDeadlineTimer>> m_refusedKeys;
    QHash<QString, QString> m_secrets;   // host id/prompt -> secret
    std::map<QString, std::unique_ptr<QMutex>> m_hostLocks;
};

} // namespace smtls::gui
