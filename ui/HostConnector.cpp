#include "HostConnector.h"

#include "transport/ElevatedTransport.h"
#include "transport/LocalTransport.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QSysInfo>

#include <unistd.h>
#include <QCoreApplication>

namespace smtls::gui {

QString HostConnector::demoRoot()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/demo");
}

HostProfile HostConnector::demoProfile()
{
    HostProfile p = profileById(QStringLiteral("tree"));
    p.displayName = QCoreApplication::translate("HostConnector", "Demo tree (restart simulated)");
    p.restart = CommandLine{QStringLiteral("echo"), {QStringLiteral("simulated restart")}};
    p.restartSimulated = true;
    const bool qualified = QSysInfo::machineHostName().contains(QLatin1Char('.'));
    if (!qualified && !QStandardPaths::findExecutable(QStringLiteral("unshare")).isEmpty()) {
        p.sendmailWrapper = {QStringLiteral("unshare")};
        if (::geteuid() != 0)
            p.sendmailWrapper << QStringLiteral("--map-root-user");  // unprivileged user namespace
        p.sendmailWrapper << QStringLiteral("--uts") << QStringLiteral("sh") << QStringLiteral("-c")
                          << QStringLiteral("hostname mta.sendmail-tls.test && exec \"$@\"") << QStringLiteral("sh");
    }
    return p;
}

Result<Connection> HostConnector::connect(const HostEntry &entry, const CommandLog &log, Details details) const
{
    // One connection attempt per host at a time: see RunMemory.
    const QMutexLocker oneAtATime(&m_memory->hostLock(entry.id));
    switch (entry.kind) {
    case HostKind::Local: return connectLocal(entry);
    case HostKind::Demo: return connectDemo(entry);
    case HostKind::Ssh:
#ifdef SMTLS_HAVE_SSH
        return connectSsh(entry, m_prompter, m_memory, log, details == Details::Wanted);
#else
        Q_UNUSED(log);
        Q_UNUSED(details);
        return makeError(ErrorKind::Connection, QCoreApplication::translate("HostConnector", "this build has no SSH support"));
#endif
    }
    return makeError(ErrorKind::Internal, QCoreApplication::translate("HostConnector", "unknown host kind"));
}

Result<Connection> HostConnector::connectLocal(const HostEntry &entry) const
{
    HostFacts facts;
    QFile osRelease(QStringLiteral("/etc/os-release"));
    if (osRelease.open(QIODevice::ReadOnly))
        facts.osRelease = QString::fromUtf8(osRelease.readAll());
    facts.uname = QSysInfo::kernelType() == QLatin1String("freebsd") ? QStringLiteral("FreeBSD") : QStringLiteral("Linux");
    facts.hasSystemctl = QFile::exists(QStringLiteral("/run/systemd/system"));
    facts.hasInitScript = QFile::exists(QStringLiteral("/etc/init.d/sendmail"));
    const HostProfile profile = entry.profileId == QLatin1String("auto") || entry.profileId.isEmpty()
        ? detectProfile(facts) : profileById(entry.profileId);
    std::unique_ptr<Transport> t;
    if (::geteuid() == 0)
        t = std::make_unique<LocalTransport>(QStringLiteral("/"), entry.name);
    else
        t = std::make_unique<ElevatedTransport>(entry.name);
    return Connection{std::move(t), profile, std::nullopt};
}

Result<Connection> HostConnector::connectDemo(const HostEntry &entry) const
{
    const QString root = demoRoot();
    const QString mail = root + QStringLiteral("/etc/mail");
    auto t = std::make_unique<LocalTransport>(root, entry.name);
    const HostProfile profile = demoProfile();
    if (!QFile::exists(mail + QStringLiteral("/sendmail.mc"))) {
        // First use: a writable copy of the bundled tree, and its sendmail.cf so that the
        // pipeline's try_tls check has something to ask.
        if (!QDir().mkpath(mail))
            return makeError(ErrorKind::FileAccess, QCoreApplication::translate("HostConnector", "cannot create %1").arg(mail));
        for (const QString &name : {QStringLiteral("sendmail.mc"), QStringLiteral("access")}) {
            const QString target = mail + QLatin1Char('/') + name;
            QFile::remove(target);
            if (!QFile::copy(QStringLiteral(":/demo/etc/mail/") + name, target))
                return makeError(ErrorKind::FileAccess, QCoreApplication::translate("HostConnector", "cannot copy the demo tree to %1").arg(mail));
            QFile::setPermissions(target, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
        }
        // Built as on a real host: sendmail.cf from the .mc, access.db from the access file.
        if (!QStandardPaths::findExecutable(profile.m4).isEmpty())
            (void)t->run(profile.compileCommand(t->mapPath(profile.mcPath), t->mapPath(profile.cfPath)));
        const QString access = t->mapPath(QStringLiteral("/etc/mail/access"));
        if (!QStandardPaths::findExecutable(profile.makemap, {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin")}).isEmpty())
            (void)t->run(profile.buildMapCommand(QStringLiteral("hash"), access, access));
    }
    return Connection{std::move(t), profile, std::nullopt};
}

} // namespace smtls::gui
