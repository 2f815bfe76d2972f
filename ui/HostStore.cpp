#include "HostStore.h"

#ifdef SMTLS_HAVE_SSH
#include "ssh/SshConfig.h"
#endif

#include <QSettings>
#include <QUuid>
#include <QCoreApplication>

namespace smtls::gui {

QString authMethodName(AuthMethod method)
{
    switch (method) {
    case AuthMethod::Agent: return QCoreApplication::translate("HostStore", "SSH agent / default keys");
    case AuthMethod::KeyFile: return QCoreApplication::translate("HostStore", "Key file");
    case AuthMethod::Password: return QCoreApplication::translate("HostStore", "Password");
    }
    return {};
}

QList<HostEntry> HostStore::builtIns()
{
    HostEntry local;
    local.id = QStringLiteral("local");
    local.name = QStringLiteral("This computer");
    local.group = QStringLiteral("Built-in");
    local.kind = HostKind::Local;
    local.address = QStringLiteral("/etc/mail");
    local.profileId = QStringLiteral("debian");

    HostEntry demo;
    demo.id = QStringLiteral("demo");
    demo.name = QStringLiteral("Demo");
    demo.group = QStringLiteral("Built-in");
    demo.kind = HostKind::Demo;
    demo.address = QCoreApplication::translate("HostStore", "bundled demo tree");
    demo.profileId = QStringLiteral("tree");
    return {local, demo};
}

QList<HostEntry> HostStore::load()
{
    QList<HostEntry> hosts = builtIns();
    QSettings settings;
    const int n = settings.beginReadArray(QStringLiteral("hosts"));
    for (int i = 0; i < n; ++i) {
        settings.setArrayIndex(i);
        HostEntry e;
        e.id = settings.value(QStringLiteral("id")).toString();
        e.name = settings.value(QStringLiteral("name")).toString();
        e.group = settings.value(QStringLiteral("group")).toString();
        e.address = settings.value(QStringLiteral("address")).toString();
        e.port = settings.value(QStringLiteral("port"), 22).toInt();
        e.user = settings.value(QStringLiteral("user")).toString();
        e.auth = AuthMethod(settings.value(QStringLiteral("auth"), 0).toInt());
        e.identityFile = settings.value(QStringLiteral("identityFile")).toString();
        e.profileId = settings.value(QStringLiteral("profile"), QStringLiteral("auto")).toString();
        e.sshConfigFile = settings.value(QStringLiteral("sshConfig")).toString();
        e.knownHostsFile = settings.value(QStringLiteral("knownHosts")).toString();
        if (!e.id.isEmpty() && !e.name.isEmpty())
            hosts.append(e);
    }
    settings.endArray();
    return hosts;
}

void HostStore::save(const QList<HostEntry> &hosts)
{
    QSettings settings;
    settings.remove(QStringLiteral("hosts"));
    settings.beginWriteArray(QStringLiteral("hosts"));
    int i = 0;
    for (const HostEntry &e : hosts) {
        if (e.isBuiltIn())
            continue;
        settings.setArrayIndex(i++);
        settings.setValue(QStringLiteral("id"), e.id);
        settings.setValue(QStringLiteral("name"), e.name);
        settings.setValue(QStringLiteral("group"), e.group);
        settings.setValue(QStringLiteral("address"), e.address);
        settings.setValue(QStringLiteral("port"), e.port);
        settings.setValue(QStringLiteral("user"), e.user);
        settings.setValue(QStringLiteral("auth"), int(e.auth));
        settings.setValue(QStringLiteral("identityFile"), e.identityFile);
        settings.setValue(QStringLiteral("profile"), e.profileId);
        settings.setValue(QStringLiteral("sshConfig"), e.sshConfigFile);
        settings.setValue(QStringLiteral("knownHosts"), e.knownHostsFile);
    }
    settings.endArray();
}

// The aliases come from the same reader the connection uses (ssh/SshConfig): Include followed,
// and ~/.ssh/config taken from the same home directory.
QList<HostEntry> HostStore::importSshConfig(const QString &file, QString *error)
{
#ifndef SMTLS_HAVE_SSH
    Q_UNUSED(file);
    if (error)
        *error = QCoreApplication::translate("HostStore", "this build has no SSH support");
    return {};
#else
    const Result<QList<ssh::SshConfigAlias>> aliases = ssh::configuredAliases(ssh::userConfigSource(file));
    if (!aliases) {
        if (error)
            *error = aliases.error().describe();
        return {};
    }
    QList<HostEntry> out;
    for (const ssh::SshConfigAlias &alias : *aliases) {
        HostEntry e;
        e.id = newId();
        e.name = alias.name;
        e.address = alias.name;  // the SSH transport resolves the alias with ssh_config itself
        e.group = QStringLiteral("Imported");
        e.sshConfigFile = file;  // a chosen file stays the one this alias is resolved with
        e.port = alias.port.value_or(e.port);
        e.user = alias.user;
        if (!alias.identityFile.isEmpty()) {
            e.identityFile = alias.identityFile;
            e.auth = AuthMethod::KeyFile;
        }
        out.append(e);
    }
    return out;
#endif
}

QString HostStore::newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

} // namespace smtls::gui
