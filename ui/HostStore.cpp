#include "HostStore.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSettings>
#include <QUuid>

namespace smtls::gui {

QString authMethodName(AuthMethod method)
{
    switch (method) {
    case AuthMethod::Agent: return QStringLiteral("SSH agent / default keys");
    case AuthMethod::KeyFile: return QStringLiteral("Key file");
    case AuthMethod::Password: return QStringLiteral("Password");
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
    demo.address = QStringLiteral("bundled demo tree");
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
    }
    settings.endArray();
}

QList<HostEntry> HostStore::importSshConfig(const QString &file)
{
    QFile f(file.isEmpty() ? QDir::homePath() + QStringLiteral("/.ssh/config") : file);
    QList<HostEntry> out;
    if (!f.open(QIODevice::ReadOnly))
        return out;
    QList<HostEntry> current;  // one "Host a b" line opens several entries
    const auto flush = [&] { out += current; current.clear(); };
    while (!f.atEnd()) {
        const QString line = QString::fromUtf8(f.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const qsizetype sep = line.indexOf(QRegularExpression(QStringLiteral("[\\s=]")));
        const QString key = line.left(sep).toLower();
        const QString value = sep < 0 ? QString() : line.mid(sep + 1).trimmed().remove(QLatin1Char('=')).trimmed();
        if (key == QLatin1String("host") || key == QLatin1String("match")) {
            flush();
            if (key == QLatin1String("match"))
                continue;
            for (const QString &alias : value.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
                if (alias.contains(QLatin1Char('*')) || alias.contains(QLatin1Char('?')) || alias.startsWith(QLatin1Char('!')))
                    continue;
                HostEntry e;
                e.id = newId();
                e.name = alias;
                e.address = alias;  // the SSH transport resolves the alias with ssh_config itself
                e.group = QStringLiteral("Imported");
                current.append(e);
            }
        } else {
            for (HostEntry &e : current) {
                if (key == QLatin1String("port"))
                    e.port = value.toInt();
                else if (key == QLatin1String("user"))
                    e.user = value;
                else if (key == QLatin1String("identityfile")) {
                    e.identityFile = value;
                    e.auth = AuthMethod::KeyFile;
                }
            }
        }
    }
    flush();
    return out;
}

QString HostStore::newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

} // namespace smtls::gui
