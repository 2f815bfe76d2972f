#include "MailHosts.h"
#include "TestFiles.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QThread>

namespace smtls::testing {
namespace {

// Runs a local program (as root, in the test's network namespace); exit code, output merged.
int runLocal(const QString &program, const QStringList &arguments, QString *output = nullptr, int timeoutMs = 60000)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, arguments);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return -1;
    }
    if (output)
        *output = QString::fromLocal8Bit(p.readAll());
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

} // namespace

QString MailHosts::up(int count)
{
    const QString why = m_hosts.up(count);
    if (!why.isEmpty())
        return why;
    m_count = count;
    for (int i = 1; i <= count; ++i) {
        // testhosts gives each host its own /etc/mail, /run, /var/log … but not the apply's state
        // and snapshot folders (/var/lib/sendmail-tls, /var/backups/sendmail-tls): without this,
        // the hosts would share one journal with each other and with this machine.
        QString out;
        if (exec(i,
                 QStringLiteral("set -e; mkdir -p /run/smtls-state/lib /run/smtls-state/backups;"
                                " chmod 700 /run/smtls-state/lib /run/smtls-state/backups;"
                                " mkdir -p /var/lib/sendmail-tls /var/backups/sendmail-tls;"
                                " mount --bind /run/smtls-state/lib /var/lib/sendmail-tls;"
                                " mount --bind /run/smtls-state/backups /var/backups/sendmail-tls"),
                 &out) != 0)
            return QStringLiteral("host %1: private state folders: %2").arg(i).arg(out);
        QDir().mkpath(pristineDir(i));
        QStringList args{QStringLiteral("-a")};
        for (const QString &f : mailFiles())
            args << hostDir(i) + QStringLiteral("/etc-mail/") + f;
        args << pristineDir(i) + QLatin1Char('/');
        if (runLocal(QStringLiteral("cp"), args, &out) != 0)
            return QStringLiteral("host %1: copying its mail files: %2").arg(i).arg(out);
    }
    return {};
}

MailHosts::CliRun MailHosts::runCli(const QList<int> &hosts, const QString &home, const QStringList &arguments) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/share"));
    QStringList args;
    for (int host : hosts)
        args << QStringLiteral("--host") << QStringLiteral("mta%1").arg(host);
    args << QStringLiteral("--ssh-config") << sshConfig() << arguments;
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(SMTLS_BIN_DIR "/sendmail-tls"), args);
    CliRun r;
    if (!p.waitForFinished(300000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

void MailHosts::down()
{
    m_hosts.down();  // stops the world too
    m_world = false;
    m_worldDns.clear();
}

int MailHosts::exec(int host, const QString &script, QString *output) const
{
    return m_hosts.call(QStringLiteral("exec"), {QString::number(host), QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"), script},
                        output);
}

QByteArray MailHosts::file(int host, const QString &name) const
{
    return readAll(hostDir(host) + QStringLiteral("/etc-mail/") + name);
}

QFileInfo MailHosts::fileInfo(int host, const QString &name) const
{
    return QFileInfo(hostDir(host) + QStringLiteral("/etc-mail/") + name);
}

QByteArray MailHosts::pristine(int host, const QString &name) const
{
    return readAll(pristineDir(host) + QLatin1Char('/') + name);
}

QString MailHosts::ownerAndMode(int host, const QString &name) const
{
    QString out;
    runLocal(QStringLiteral("stat"), {QStringLiteral("-c"), QStringLiteral("%U:%G %a"), hostDir(host) + QStringLiteral("/etc-mail/") + name},
             &out);
    return out.trimmed();
}

QStringList MailHosts::changedFiles(int host) const
{
    QStringList changed;
    for (const QString &f : mailFiles())
        if (file(host, f) != pristine(host, f))
            changed << f;
    return changed;
}

QStringList MailHosts::stagedLeftovers(int host) const
{
    return QDir(hostDir(host) + QStringLiteral("/etc-mail")).entryList({QStringLiteral(".sendmail-tls-*")}, QDir::Files | QDir::Hidden);
}

bool MailHosts::journalLeft(int host) const
{
    return QFileInfo::exists(stateDir(host) + QStringLiteral("/lib/journal.json"));
}

QStringList MailHosts::hostSnapshots(int host) const
{
    return QDir(stateDir(host) + QStringLiteral("/backups")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
}

qint64 MailHosts::daemonPid(int host) const
{
    return readAll(hostDir(host) + QStringLiteral("/run/sendmail/mta/sendmail.pid")).split('\n').value(0).trimmed().toLongLong();
}

bool MailHosts::daemonRunning(int host) const
{
    const qint64 pid = daemonPid(host);
    return pid > 0 && readAll(QStringLiteral("/proc/%1/cmdline").arg(pid)).startsWith("sendmail: MTA: accepting");
}

QString MailHosts::banner(int host)
{
    return greeting(TestHosts::address(host), 25);
}

QString MailHosts::greeting(const QString &address, int port, int seconds)
{
    QString out;
    runLocal(QStringLiteral("timeout"),
             {QString::number(seconds), QStringLiteral("bash"), QStringLiteral("-c"), QStringLiteral("exec 2>/dev/null; exec 3<>\"/dev/tcp/$0/$1\" && head -n 1 <&3"),
              address, QString::number(port)},
             &out);
    return out.trimmed();
}

QString MailHosts::tryTls(int host, const QString &serverName, const QString &serverAddress) const
{
    QString out;
    exec(host,
         QStringLiteral("printf '.D{server_name}%1\\n.D{server_addr}%2\\ntry_tls x\\n' | sendmail -bt").arg(serverName, serverAddress),
         &out);
    static const QRegularExpression returns(QStringLiteral("try_tls\\s+returns:\\s*(.*)$"));
    for (const QString &line : out.split(QLatin1Char('\n'))) {
        const QRegularExpressionMatch m = returns.match(line);
        if (m.hasMatch())
            return m.captured(1).trimmed();
    }
    return QStringLiteral("(no try_tls answer: %1)").arg(out.trimmed());
}

QString MailHosts::accessDbDump(int host) const
{
    QString out;
    exec(host, QStringLiteral("makemap -u hash /etc/mail/access"), &out);
    return out;
}

Result<std::unique_ptr<ssh::SshTransport>> MailHosts::connect(const QString &alias) const
{
    ssh::SshCallbacks callbacks;
    callbacks.unknownHostKey = [](const ssh::HostKeyInfo &) { return ssh::HostKeyDecision::Reject; };
    callbacks.askSecret = [](const QString &, bool) -> std::optional<QString> { return std::nullopt; };
    ssh::SshOptions options;
    options.useAgent = false;
    return ssh::SshTransport::connect(ssh::SshTarget{alias, sshConfig(), {}, {}, {}, {}}, callbacks, options);
}

bool MailHosts::breakRestart(int host, const QString &mode)
{
    m_brokenRestart.insert(host);
    return call(QStringLiteral("break-restart"), {QString::number(host), mode}) == 0;
}

bool MailHosts::rekey(int host)
{
    m_rekeyed.insert(host);
    return call(QStringLiteral("rekey"), {QString::number(host)}) == 0;
}

void MailHosts::trustCurrentHostKey(int host)
{
    const QList<QByteArray> key = readAll(hostDir(host) + QStringLiteral("/etc-ssh/ssh_host_ed25519_key.pub")).split(' ');
    if (key.size() < 2)
        return;
    const QString knownHosts = dir() + QStringLiteral("/known_hosts");
    QByteArrayList lines = readAll(knownHosts).split('\n');
    const QByteArray prefix = QStringLiteral("mta%1,").arg(host).toLatin1();
    for (QByteArray &line : lines)
        if (line.startsWith(prefix))
            line = line.split(' ').value(0) + ' ' + key[0] + ' ' + key[1];
    QFile f(knownHosts);
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        f.write(lines.join('\n'));
}

QString MailHosts::route(int host, const QString &domain, int toHost)
{
    static const QRegularExpression name(QStringLiteral("^[a-z0-9.-]+$"));
    if (!name.match(domain).hasMatch())
        return QStringLiteral("route: not a domain: ") + domain;
    const QString hostsFile = hostDir(host) + QStringLiteral("/files/hosts");
    const QString mailertable = hostDir(host) + QStringLiteral("/etc-mail/mailertable");
    if (!m_routed.contains(host))
        m_routed.insert(host, {readAll(hostsFile), readAll(mailertable)});
    // /etc/hosts is a file bind-mounted into the host: written in place, never replaced.
    QFile hosts(hostsFile);
    if (!hosts.open(QIODevice::Append))
        return QStringLiteral("route: cannot append to ") + hostsFile;
    hosts.write(QStringLiteral("%1\tmta%2.test mta%2\n").arg(TestHosts::address(toHost)).arg(toHost).toLatin1());
    hosts.close();
    QString out;
    // The domain was checked above: nothing in it needs quoting.
    const QString script = QStringLiteral("set -e; printf '%1\\tsmtp:[mta%2.test]\\n' >> /etc/mail/mailertable;"
                                          " makemap hash /etc/mail/mailertable < /etc/mail/mailertable;"
                                          " printf '/parse postmaster@%1\\n' | sendmail -bt | grep -F 'mailer smtp, host [mta%2.test]'")
                               .arg(domain)
                               .arg(toHost);
    if (exec(host, script, &out) != 0)
        return QStringLiteral("route: host %1 does not send %2 to mta%3.test: %4").arg(host).arg(domain).arg(toHost).arg(out);
    return {};
}

QString MailHosts::startReceiver(int host, const QString &mode)
{
    m_receivers.insert(host);
    QString out;
    if (call(QStringLiteral("receiver"), {QString::number(host), QStringLiteral("start"), mode}, &out) != 0)
        return out.trimmed();
    return {};
}

QString MailHosts::stopReceiver(int host)
{
    m_receivers.remove(host);
    QString out;
    if (call(QStringLiteral("receiver"), {QString::number(host), QStringLiteral("stop")}, &out) != 0)
        return out.trimmed();
    return {};
}

QString MailHosts::receiverLog(int host) const
{
    return QString::fromUtf8(readAll(hostDir(host) + QStringLiteral("/run/testhosts/receiver/sessions.log")));
}

QByteArray MailHosts::receivedMessage(int host, const QString &file) const
{
    if (file.contains(QLatin1Char('/')) || file.startsWith(QLatin1Char('.')))
        return {};
    return readAll(hostDir(host) + QStringLiteral("/run/testhosts/receiver/messages/") + file);
}

QString MailHosts::mailLog(int host) const
{
    return QString::fromUtf8(readAll(hostDir(host) + QStringLiteral("/log/mail.log")));
}

QString MailHosts::restore(int host)
{
    QStringList problems;
    if (m_worldDns.contains(host))
        if (const QString why = stopUsingWorldDns(host); !why.isEmpty())
            problems << QStringLiteral("world DNS: ") + why;
    if (m_receivers.contains(host))
        if (const QString why = stopReceiver(host); !why.isEmpty())
            problems << QStringLiteral("receiver: ") + why;
    if (m_routed.contains(host)) {
        const auto [hosts, mailertable] = m_routed.take(host);
        QFile f(hostDir(host) + QStringLiteral("/files/hosts"));  // in place: it is bind-mounted
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(hosts) != hosts.size())
            problems << QStringLiteral("cannot put /etc/hosts back");
        f.close();
        QString out;
        if (!writeAll(hostDir(host) + QStringLiteral("/etc-mail/mailertable"), mailertable)
            || exec(host, QStringLiteral("makemap hash /etc/mail/mailertable < /etc/mail/mailertable"), &out) != 0)
            problems << QStringLiteral("mailertable: ") + out;
    }
    // Both queues empty: no message of one case is delivered, or counted, in the next.
    QString out;
    if (exec(host, QStringLiteral("find /var/spool/mqueue /var/spool/mqueue-client -maxdepth 1 -type f -delete"), &out) != 0)
        problems << QStringLiteral("queues: ") + out;
    if (m_brokenRestart.remove(host) && call(QStringLiteral("break-restart"), {QString::number(host), QStringLiteral("off")}) != 0)
        problems << QStringLiteral("break-restart off failed");
    if (m_rekeyed.remove(host))
        trustCurrentHostKey(host);
    const bool cfChanged = file(host, QStringLiteral("sendmail.cf")) != pristine(host, QStringLiteral("sendmail.cf"));
    QStringList args{QStringLiteral("-a")};
    for (const QString &f : mailFiles())
        args << pristineDir(host) + QLatin1Char('/') + f;
    args << hostDir(host) + QStringLiteral("/etc-mail/");
    if (runLocal(QStringLiteral("cp"), args, &out) != 0)
        problems << QStringLiteral("cp: ") + out;
    for (const QString &f : stagedLeftovers(host))
        QFile::remove(hostDir(host) + QStringLiteral("/etc-mail/") + f);
    for (const QString &sub : {QStringLiteral("/lib"), QStringLiteral("/backups")}) {
        QDir d(stateDir(host) + sub);
        for (const QFileInfo &e : d.entryInfoList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot))
            if (e.isDir())
                QDir(e.filePath()).removeRecursively();
            else
                QFile::remove(e.filePath());
    }
    if (cfChanged || !daemonRunning(host)) {
        // An interrupted restart can leave the init script's state behind: try twice.
        for (int attempt = 0; attempt < 2 && (attempt == 0 || !daemonRunning(host)); ++attempt) {
            if (exec(host, QStringLiteral("service sendmail restart >/dev/null 2>&1 || service sendmail start >/dev/null 2>&1"), &out) != 0)
                problems << QStringLiteral("restart: ") + out;
            QElapsedTimer clock;
            clock.start();
            while (!daemonRunning(host) && clock.elapsed() < 10000)
                QThread::msleep(200);
        }
    }
    if (!changedFiles(host).isEmpty())
        problems << QStringLiteral("still changed: ") + changedFiles(host).join(QLatin1Char(' '));
    if (!daemonRunning(host))
        problems << QStringLiteral("sendmail does not run");
    return problems.join(QStringLiteral("; "));
}

} // namespace smtls::testing
