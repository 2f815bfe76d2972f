#pragma once
// The test hosts of tests/hosts/testhosts seen as mail hosts: their files (read from outside),
// what their sendmail answers, their daemon, their queues and mail log, the "world" beside them
// (DNS with MX records, receivers behind the MX names: tests/hosts/README.md), and putting each
// one back to how `up` left it between test cases (files, daemon, host key, break-restart,
// journal and snapshots, queues, name resolution).

#include "ssh/SshTransport.h"
#include "TestHosts.h"

#include <QByteArray>
#include <QFileInfo>
#include <QMap>
#include <QSet>
#include <QString>
#include <QStringList>

#include <memory>

namespace smtls::testing {

// The files an apply may touch, by name under /etc/mail.
inline const QStringList &mailFiles()
{
    static const QStringList files{QStringLiteral("sendmail.mc"), QStringLiteral("sendmail.cf"), QStringLiteral("access"),
                                   QStringLiteral("access.db")};
    return files;
}

class MailHosts {
public:
    // Starts hosts 1..count, gives each its own state and snapshot folders and keeps a copy of
    // its mail files. Empty when ready; otherwise why not (for QSKIP).
    // The built sendmail-tls with --host mtaI for each of HOSTS (this ssh_config) and ARGUMENTS,
    // HOME and XDG_DATA_HOME in HOME (snapshots of its own); code -1 when it did not finish in 5 min.
    struct CliRun {
        int code = -1;
        QByteArray out, err;
    };
    CliRun runCli(const QList<int> &hosts, const QString &home, const QStringList &arguments) const;

    QString up(int count);
    void down();

    QString dir() const { return m_hosts.dir(); }
    QString sshConfig() const { return m_hosts.sshConfig(); }
    int call(const QString &subcommand, const QStringList &arguments, QString *output = nullptr) const
    {
        return m_hosts.call(subcommand, arguments, output);
    }

    // `sh -c SCRIPT` inside host I; exit code, output (stdout + stderr) in *output.
    int exec(int host, const QString &script, QString *output = nullptr) const;

    // /etc/mail/NAME of host I now, and as `up` left it.
    QByteArray file(int host, const QString &name) const;
    QFileInfo fileInfo(int host, const QString &name) const;
    QByteArray pristine(int host, const QString &name) const;
    // "owner:group mode" of /etc/mail/NAME (e.g. "root:smmsp 640").
    QString ownerAndMode(int host, const QString &name) const;
    // Names of /etc/mail files that differ from how `up` left them.
    QStringList changedFiles(int host) const;
    // Staged or validation files an apply left in /etc/mail (.sendmail-tls-*).
    QStringList stagedLeftovers(int host) const;
    // The apply journal (stateDir/journal.json) exists.
    bool journalLeft(int host) const;
    // Folders in the host-side snapshot directory.
    QStringList hostSnapshots(int host) const;

    // The sendmail daemon's pid (0 when there is no pid file).
    qint64 daemonPid(int host) const;
    // The daemon of the pid file runs and accepts connections (cheap: no SMTP greeting).
    bool daemonRunning(int host) const;
    // What sendmail says first on 127.0.1.I:25 (empty: nothing).
    static QString banner(int host);
    // The first line a server at ADDRESS:PORT sends within SECONDS (empty: nothing, or refused).
    static QString greeting(const QString &address, int port, int seconds = 5);
    // The host's own `sendmail -bt` answer to try_tls for this server: "OK", "$# error …".
    QString tryTls(int host, const QString &serverName, const QString &serverAddress) const;
    // `makemap -u` of /etc/mail/access.db inside the host (one "key value" per line).
    QString accessDbDump(int host) const;

    // Connects as ssh_config alias ALIAS (mta1, mta1-adm); unknown host keys are rejected.
    Result<std::unique_ptr<ssh::SshTransport>> connect(const QString &alias) const;

    // Break `service sendmail restart` (once/on) until restore().
    bool breakRestart(int host, const QString &mode);
    // New sshd host key for host I (known_hosts keeps the old one) until restore().
    bool rekey(int host);

    // Delivery tests. Host I sends mail for DOMAIN to host J: its /etc/hosts learns
    // "127.0.1.J mtaJ.test mtaJ" and its mailertable "DOMAIN smtp:[mtaJ.test]" (loopback only, no
    // DNS), until restore(), which also empties host I's queue. Empty on success, else why not.
    QString route(int host, const QString &domain, int toHost);
    // Host I's sendmail daemon stops and tests/hosts/smtp-receiver answers on 127.0.1.I:25
    // instead (MODE break-tls: offers STARTTLS and breaks the handshake; plain: no STARTTLS),
    // until stopReceiver() or restore(). Empty on success, else why not.
    QString startReceiver(int host, const QString &mode);
    QString stopReceiver(int host);
    // The receiver's sessions.log on host I ("S<n> connect", "S<n> starttls broken",
    // "S<n> stored FILE from=<…> to=<…>", …) and one message it accepted (FILE from that log).
    QString receiverLog(int host) const;
    QByteArray receivedMessage(int host, const QString &file) const;
    // Host I's /var/log/mail.log (its own syslog).
    QString mailLog(int host) const;

    // Mail and queues. Host I submits a message to RECIPIENT (local@domain, nothing to quote)
    // the way a user does (`sendmail -oi -f root@mtaI.test RECIPIENT`: the MSP hands it to the
    // host's MTA, which tries it at once) and waits until the MTA has it; its MTA queue id in
    // *queueId. Empty on success, else why not.
    QString sendMail(int host, const QString &recipient, QString *queueId = nullptr);
    // Ids of the messages in host I's queues, MTA (/var/spool/mqueue) and MSP
    // (/var/spool/mqueue-client) together, sorted.
    QStringList queueIds(int host) const;
    // The last delivery attempt of message ID in host I's mail log after FROM (characters): the
    // "ID: to=…, relay=…, dsn=…, stat=…" line, or empty.
    QString deliveryLine(int host, const QString &queueId, qsizetype from = 0) const;
    // The same, waiting up to TIMEOUTMS for one to appear (empty when none did).
    QString waitForDeliveryLine(int host, const QString &queueId, int timeoutMs = 30000, qsizetype from = 0) const;
    // The MX hosts host I's sendmail finds for DOMAIN (`/mx DOMAIN` in `sendmail -bt`), in its
    // order, with the trailing dot ("mx.broken.test."); for a domain with only an A record, the
    // domain itself. Empty when sendmail gives none.
    QStringList mxHosts(int host, const QString &domain) const;

    // The world (tests/hosts/README.md): DNS on 127.0.3.53 with MX records, receivers on
    // 127.0.2.N (broken, good, dead, silent, plain). Empty on success, else why not (for QSKIP,
    // like up(): includes "cannot run here" when dnsmasq or openssl is missing).
    QString startWorld();
    QString stopWorld();
    QString worldDir() const { return dir() + QStringLiteral("/world"); }
    static QString worldDnsAddress() { return QStringLiteral("127.0.3.53"); }
    // A receiver's address ("broken" → 127.0.2.1); empty for an unknown name.
    static QString worldAddress(const QString &receiver);
    // Host I resolves through the world's DNS (resolv.conf, nsswitch, service.switch; sendmail
    // restarted) until stopUsingWorldDns() or restore(). Nothing to do when it already does.
    QString useWorldDns(int host);
    QString stopUsingWorldDns(int host);
    // Receiver NAME now runs in MODE: break-tls, good-tls, plain, silent or off (nothing
    // listens: connection refused), until restoreWorld(). Its log and messages go on.
    QString setWorldReceiverMode(const QString &receiver, const QString &mode);
    // One more record in the world's DNS (names under .test, address in 127/8), until restoreWorld().
    QString addWorldMx(const QString &domain, const QString &target, int preference);
    QString addWorldHost(const QString &name, const QString &address);
    // Receiver NAME's sessions.log ("S<n> connect", "S<n> starttls ok TLSv1.3 …",
    // "S<n> starttls broken", "S<n> silent", "S<n> stored FILE from=<…> to=<…>", …) and one
    // message it stored (FILE from that log; headed by "X-Receiver: … tls=TLSv1.3|none").
    QString worldReceiverLog(const QString &receiver) const;
    QByteArray worldReceivedMessage(const QString &receiver, const QString &file) const;
    // Every query the world's DNS answered ("query[MX] stuck.test from 127.0.0.1", …).
    QString worldDnsLog() const;
    // The world as startWorld() left it: added records gone, receivers in their first mode,
    // their logs and messages emptied. Hosts using its DNS keep using it.
    QString restoreWorld();

    // Back to how `up` left host I (both queues emptied, name resolution from /etc/hosts again).
    // Empty on success, else what could not be restored.
    QString restore(int host);

private:
    QString hostDir(int host) const { return dir() + QStringLiteral("/host%1").arg(host); }
    QString pristineDir(int host) const { return dir() + QStringLiteral("/pristine%1").arg(host); }
    QString stateDir(int host) const { return hostDir(host) + QStringLiteral("/run/smtls-state"); }
    void trustCurrentHostKey(int host);

    TestHosts m_hosts;
    int m_count = 0;
    QSet<int> m_brokenRestart;
    QSet<int> m_rekeyed;
    QSet<int> m_receivers;
    QSet<int> m_worldDns;  // hosts resolving through the world's DNS
    bool m_world = false;
    int m_mailSerial = 0;
    QMap<int, QPair<QByteArray, QByteArray>> m_routed;  // host → its /etc/hosts and mailertable before route()
};

} // namespace smtls::testing
