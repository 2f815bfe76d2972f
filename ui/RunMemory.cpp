#include "RunMemory.h"

namespace smtls::gui {

bool RunMemory::hostKeyAccepted(const QString &hostPort, const QString &fingerprint) const
{
    const QMutexLocker lock(&m_mutex);
    return !fingerprint.isEmpty() && m_hostKeys.value(hostPort) == fingerprint;
}

void RunMemory::acceptHostKey(const QString &hostPort, const QString &fingerprint)
{
    const QMutexLocker lock(&m_mutex);
    m_hostKeys.insert(hostPort, fingerprint);
}

bool RunMemory::hostKeyRefusedJustNow(const QString &hostPort, const QString &fingerprint) const
{
    const QMutexLocker lock(&m_mutex);
    const auto it = m_refusedKeys.constFind(hostPort);
    return it != m_refusedKeys.constEnd() && it->first == fingerprint && !it->second.hasExpired();
}

void RunMemory::refuseHostKey(const QString &hostPort, const QString &fingerprint)
{
    constexpr int HoldMs = 10000;
    const QMutexLocker lock(&m_mutex);
    m_refusedKeys.insert(hostPort, {fingerprint, QDeadlineTimer(HoldMs)});
}

std::optional<QString> RunMemory::secret(const QString &key) const
{
    const QMutexLocker lock(&m_mutex);
    const auto it = m_secrets.constFind(key);
    if (it == m_secrets.constEnd())
        return std::nullopt;
    return *it;
}

void RunMemory::rememberSecret(const QString &key, const QString &secret)
{
    const QMutexLocker lock(&m_mutex);
    m_secrets.insert(key, secret);
}

void RunMemory::forgetSecret(const QString &key)
{
    const QMutexLocker lock(&m_mutex);
    m_secrets.remove(key);
}

QMutex &RunMemory::hostLock(const QString &hostId)
{
    const QMutexLocker lock(&m_mutex);
    std::unique_ptr<QMutex> &slot = m_hostLocks[hostId];
    if (!slot)
        slot = std::make_unique<QMutex>();
    return *slot;
}

} // namespace smtls::gui
