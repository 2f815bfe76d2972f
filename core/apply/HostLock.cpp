#include "apply/HostLock.h"

#include <QJsonDocument>

namespace smtls {

QString describeLockOwner(const QByteArray &ownerJson)
{
    const QJsonObject o = QJsonDocument::fromJson(ownerJson.trimmed()).object();
    if (o.isEmpty())
        return QStringLiteral("an apply whose owner is unknown");
    return QStringLiteral("%1@%2 (pid %3) since %4, applying: %5")
        .arg(o.value(QStringLiteral("user")).toString(), o.value(QStringLiteral("client")).toString())
        .arg(o.value(QStringLiteral("pid")).toInteger())
        .arg(o.value(QStringLiteral("started")).toString(), o.value(QStringLiteral("change")).toString());
}

Status HostLock::take(const QJsonObject &owner, std::chrono::seconds wait, int staleMinutes, QStringList *notes)
{
    const int waitSeconds = int(wait.count());
    const Result<CommandResult> r = m_transport.run(m_workspace.lockCommand(waitSeconds, staleMinutes),
                                                    QJsonDocument(owner).toJson(QJsonDocument::Compact),
                                                    std::chrono::seconds(waitSeconds + 30));
    if (!r)
        return r.error();
    constexpr int HeldByAnother = 10;
    if (r->exitCode == HeldByAnother)
        return makeError(ErrorKind::Refused,
                         QStringLiteral("another apply holds this host's lock (%1); waited %2 s, nothing was changed: "
                                        "try again when it has finished")
                             .arg(describeLockOwner(r->err))
                             .arg(waitSeconds),
                         m_transport.hostName());
    if (!r->ok())
        return makeError(ErrorKind::FileAccess,
                         QStringLiteral("cannot take the host's apply lock %1: %2").arg(m_workspace.lockPath(), r->firstErrorLine()),
                         m_transport.hostName());
    m_held = true;
    m_sinceRenewed.start();
    const LockOutput said = parseLockOutput(r->out);
    if (notes && said.brokeStale)
        *notes << QStringLiteral("A lock left behind %1+ minutes ago by a dead apply was broken (%2).")
                      .arg(staleMinutes)
                      .arg(describeLockOwner(said.staleOwner));
    m_deadApplyCleanup = describeDeadApplyCleanup(said);
    return std::nullopt;
}

QString describeDeadApplyCleanup(const LockOutput &said)
{
    QStringList parts;
    if (!said.removedStaged.isEmpty())
        parts << QStringLiteral("removed %1 staged file(s) that an apply which did not finish had left: %2")
                     .arg(said.removedStaged.size())
                     .arg(said.removedStaged.join(QStringLiteral(", ")));
    if (!said.refusedStaged.isEmpty())
        parts << QStringLiteral("left alone %1, named in that apply's list of staged files but not a staged file's name")
                     .arg(said.refusedStaged.join(QStringLiteral(", ")));
    return parts.join(QStringLiteral("; "));
}

void HostLock::renewIfDue()
{
    // Renewed now and then, so that only a lock nobody renews counts as stale.
    constexpr qint64 RenewEveryMs = 60'000;
    if (!m_held || m_sinceRenewed.elapsed() < RenewEveryMs)
        return;
    (void)m_transport.run(m_workspace.renewLockCommand(), {}, std::chrono::seconds(30));
    m_sinceRenewed.restart();
}

void HostLock::release()
{
    if (!m_held)
        return;
    m_held = false;
    (void)m_transport.run(m_workspace.releaseLockCommand(), {}, std::chrono::seconds(30));
}

} // namespace smtls
