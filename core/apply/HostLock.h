#pragma once
// One apply at a time per host: the lock folder in the host's state directory (see
// HostWorkspace::lockCommand for the host side), taken before an apply reads the files and held
// to its end. A second apply waits a bounded time, then is refused naming the holder; a lock
// nobody renews for a while was left by a dead apply and is broken.

#include "Result.h"
#include "apply/HostWorkspace.h"
#include "transport/Transport.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QStringList>

#include <chrono>

namespace smtls {

class HostLock {
public:
    HostLock(Transport &transport, const HostWorkspace &workspace) : m_transport(transport), m_workspace(workspace) {}
    ~HostLock() { release(); }
    HostLock(const HostLock &) = delete;
    HostLock &operator=(const HostLock &) = delete;

    // `owner` is what a waiting apply is told ({"id", "user", "client", "pid", "change",
    // "started"}). A broken stale lock is reported in `notes`.
    Status take(const QJsonObject &owner, std::chrono::seconds wait, int staleMinutes, QStringList *notes);
    // Once taken: what a dead apply had left (its staged files, removed as the lock was taken),
    // as one sentence; empty when it left nothing.
    const QString &deadApplyCleanup() const { return m_deadApplyCleanup; }
    // Renews the lease when a minute has passed since the last renewal (cheap to call often).
    void renewIfDue();
    // Gives the lock up (never another apply's); a dead connection leaves it to go stale.
    void release();
    bool held() const { return m_held; }

private:
    Transport &m_transport;
    const HostWorkspace &m_workspace;
    bool m_held = false;
    QString m_deadApplyCleanup;
    QElapsedTimer m_sinceRenewed;
};

// "alice@ws9 (pid 77) since 2026-12-02T10:00:00Z, applying: set global off"
QString describeLockOwner(const QByteArray &ownerJson);
// "removed 2 staged file(s) that an apply which did not finish had left: …"; empty for nothing.
QString describeDeadApplyCleanup(const LockOutput &said);

} // namespace smtls
