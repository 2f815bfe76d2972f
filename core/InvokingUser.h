#pragma once
// Who runs the command, for snapshots and journals: the sudo caller if any, else the login.

#include <QString>

#include <pwd.h>
#include <unistd.h>

namespace smtls {

inline QString invokingUser()
{
    for (const char *variable : {"SUDO_USER", "USER", "LOGNAME"})
        if (const QString v = qEnvironmentVariable(variable); !v.isEmpty())
            return v;
    const passwd *pw = ::getpwuid(::geteuid());
    return pw ? QString::fromLocal8Bit(pw->pw_name) : QString::number(::geteuid());
}

} // namespace smtls
