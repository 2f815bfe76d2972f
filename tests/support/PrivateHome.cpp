#include "PrivateHome.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <pwd.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

namespace smtls::testing {

void PrivateHome::remove() const
{
    if (!dir.isEmpty())
        QDir(dir).removeRecursively();
}

PrivateHome enterPrivateHome(const char *name, const QString &needsRootBecause, const QByteArray &resolvConf)
{
    PrivateHome home;
    QByteArray pattern = "/tmp/smtls-" + QByteArray(name) + "-XXXXXX";
    if (!mkdtemp(pattern.data())) {
        home.problem = QStringLiteral("mkdtemp failed: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
        return home;
    }
    home.dir = QString::fromLocal8Bit(pattern);
    setenv("HOME", pattern.constData(), 1);
    for (const char *sub : {"config", "data", "cache", ".ssh"})
        QDir().mkpath(home.dir + QLatin1Char('/') + QLatin1String(sub));
    setenv("XDG_CONFIG_HOME", (home.dir + QStringLiteral("/config")).toLocal8Bit().constData(), 1);
    setenv("XDG_DATA_HOME", (home.dir + QStringLiteral("/data")).toLocal8Bit().constData(), 1);
    setenv("XDG_CACHE_HOME", (home.dir + QStringLiteral("/cache")).toLocal8Bit().constData(), 1);
    if (geteuid() != 0) {
        home.problem = needsRootBecause;
        return home;
    }
    const QString resolv = home.dir + QStringLiteral("/resolv.conf");
    if (!resolvConf.isEmpty()) {
        QFile f(resolv);
        if (!f.open(QIODevice::WriteOnly) || f.write(resolvConf) != resolvConf.size()) {
            home.problem = QStringLiteral("cannot write %1").arg(resolv);
            return home;
        }
    }
    const passwd *pw = getpwuid(getuid());
    if (!pw || !pw->pw_dir || !QFileInfo(QString::fromLocal8Bit(pw->pw_dir)).isDir()) {
        home.problem = QStringLiteral("no home directory in passwd to cover");
        return home;
    }
    if (unshare(CLONE_NEWNS) != 0 || mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0
        || mount(pattern.constData(), pw->pw_dir, nullptr, MS_BIND, nullptr) != 0
        || (!resolvConf.isEmpty() && mount(resolv.toLocal8Bit().constData(), "/etc/resolv.conf", nullptr, MS_BIND, nullptr) != 0))
        home.problem = QStringLiteral("cannot cover the home directory%1 in a private mount namespace: %2")
                           .arg(resolvConf.isEmpty() ? QString() : QStringLiteral(" and resolv.conf"), QString::fromLocal8Bit(std::strerror(errno)));
    return home;
}

} // namespace smtls::testing
