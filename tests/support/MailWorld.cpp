// MailHosts: mail through the hosts' queues and logs, and the world beside the hosts (DNS with
// MX records, receivers behind the MX names; tests/hosts/testhosts-world).
#include "MailHosts.h"
#include "TestFiles.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QThread>

namespace smtls::testing {
namespace {

// What the world's tools accept: a plain address and a plain name, nothing a shell would read.
bool isPlainAddress(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*$"));
    return re.match(s).hasMatch();
}
bool isPlainName(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*$"));
    return re.match(s).hasMatch();
}

QString failure(int rc, const QString &what, const QString &output)
{
    if (rc == 77)
        return QStringLiteral("testhosts cannot run here: ") + output.trimmed();
    return QStringLiteral("%1 failed (%2): %3").arg(what).arg(rc).arg(output.trimmed());
}

} // namespace

QString MailHosts::sendMail(int host, const QString &recipient, QString *queueId)
{
    if (!isPlainAddress(recipient))
        return QStringLiteral("sendMail: not a plain address: ") + recipient;
    // A Message-ID of our own finds the MTA's "ID: from=…, msgid=<…>" line for this message.
    const QString messageId = QStringLiteral("smtls-test-%1-%2@mta%3.test").arg(QCoreApplication::applicationPid()).arg(++m_mailSerial).arg(host);
    const qsizetype from = mailLog(host).size();
    QString out;
    const int rc = call(QStringLiteral("exec"),
                        {QString::number(host), QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"),
                         QStringLiteral("h=$(hostname); printf 'From: root@%s\\nTo: %s\\nSubject: test %s\\nMessage-ID: <%s>\\n\\n"
                                        "A test message.\\n' \"$h\" \"$1\" \"$2\" \"$2\" | sendmail -oi -f \"root@$h\" -- \"$1\""),
                         QStringLiteral("sh"), recipient, messageId},
                        &out);
    if (rc != 0)
        return QStringLiteral("sendMail: sendmail on host %1 exited %2: %3").arg(host).arg(rc).arg(out.trimmed());
    static const QRegularExpression mtaLine(QStringLiteral(" sm-mta\\[\\d+\\]: (\\w+): from=.*msgid=<([^>]*)>"));
    QElapsedTimer clock;
    clock.start();
    do {
        for (const QString &line : mailLog(host).mid(from).split(QLatin1Char('\n'))) {
            const QRegularExpressionMatch m = mtaLine.match(line);
            if (m.hasMatch() && m.captured(2) == messageId) {
                if (queueId)
                    *queueId = m.captured(1);
                return {};
            }
        }
        QThread::msleep(100);
    } while (clock.elapsed() < 30000);
    return QStringLiteral("sendMail: host %1's MTA did not take %2 within 30 s; its log:\n%3").arg(host).arg(recipient, mailLog(host).mid(from));
}

QStringList MailHosts::queueIds(int host) const
{
    QStringList ids;
    for (const QString &queue : {QStringLiteral("/spool-mqueue"), QStringLiteral("/spool-mqueue-client")})
        for (const QString &f : QDir(hostDir(host) + queue).entryList({QStringLiteral("qf*")}, QDir::Files))
            ids << f.mid(2);
    ids.sort();
    return ids;
}

QString MailHosts::deliveryLine(int host, const QString &queueId, qsizetype from) const
{
    if (queueId.isEmpty())
        return {};
    const QString tag = QStringLiteral(": ") + queueId + QStringLiteral(": to=");
    QString found;
    for (const QString &line : mailLog(host).mid(from).split(QLatin1Char('\n')))
        if (line.contains(tag) && line.contains(QLatin1String(" stat=")))
            found = line;
    return found;
}

QString MailHosts::waitForDeliveryLine(int host, const QString &queueId, int timeoutMs, qsizetype from) const
{
    QElapsedTimer clock;
    clock.start();
    for (;;) {
        const QString line = deliveryLine(host, queueId, from);
        if (!line.isEmpty() || clock.elapsed() > timeoutMs)
            return line;
        QThread::msleep(100);
    }
}

QStringList MailHosts::mxHosts(int host, const QString &domain) const
{
    if (!isPlainName(domain))
        return {};
    QString out;
    call(QStringLiteral("exec"),
         {QString::number(host), QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"),
          QStringLiteral("printf '/mx %s\\n' \"$1\" | timeout 30 sendmail -bt"), QStringLiteral("sh"), domain},
         &out);
    // "> getmxrr(stuck.test) returns 1 value(s):" then one tab-indented name per line
    QStringList hosts;
    bool in = false;
    for (const QString &line : out.split(QLatin1Char('\n'))) {
        if (line.contains(QStringLiteral("getmxrr(%1) returns").arg(domain)))
            in = true;
        else if (in && line.startsWith(QLatin1Char('\t')))
            hosts << line.trimmed();
        else
            in = false;
    }
    return hosts;
}

QString MailHosts::startWorld()
{
    QString out;
    const int rc = call(QStringLiteral("world"), {QStringLiteral("start")}, &out);
    m_world = true;
    return rc == 0 ? QString() : failure(rc, QStringLiteral("testhosts world start"), out);
}

QString MailHosts::stopWorld()
{
    if (!m_world)
        return {};
    QString out;
    const int rc = call(QStringLiteral("world"), {QStringLiteral("stop")}, &out);
    m_world = false;
    return rc == 0 ? QString() : failure(rc, QStringLiteral("testhosts world stop"), out);
}

QString MailHosts::worldAddress(const QString &receiver)
{
    static const QStringList names{QStringLiteral("broken"), QStringLiteral("good"), QStringLiteral("dead"), QStringLiteral("silent"),
                                   QStringLiteral("plain")};
    const qsizetype i = names.indexOf(receiver);
    return i < 0 ? QString() : QStringLiteral("127.0.2.%1").arg(i + 1);
}

QString MailHosts::useWorldDns(int host)
{
    if (m_worldDns.contains(host))
        return {};
    QString out;
    const int rc = call(QStringLiteral("world"), {QStringLiteral("use"), QString::number(host)}, &out);
    if (rc != 0)
        return failure(rc, QStringLiteral("testhosts world use %1").arg(host), out);
    m_worldDns.insert(host);
    return {};
}

QString MailHosts::stopUsingWorldDns(int host)
{
    QString out;
    const int rc = call(QStringLiteral("world"), {QStringLiteral("unuse"), QString::number(host)}, &out);
    if (rc != 0)
        return failure(rc, QStringLiteral("testhosts world unuse %1").arg(host), out);
    m_worldDns.remove(host);
    return {};
}

QString MailHosts::setWorldReceiverMode(const QString &receiver, const QString &mode)
{
    QString out;
    const int rc = call(QStringLiteral("world"), {QStringLiteral("receiver"), receiver, mode}, &out);
    return rc == 0 ? QString() : failure(rc, QStringLiteral("testhosts world receiver %1 %2").arg(receiver, mode), out);
}

QString MailHosts::addWorldMx(const QString &domain, const QString &target, int preference)
{
    QString out;
    const int rc = call(QStringLiteral("world"), {QStringLiteral("add-mx"), domain, target, QString::number(preference)}, &out);
    return rc == 0 ? QString() : failure(rc, QStringLiteral("testhosts world add-mx"), out);
}

QString MailHosts::addWorldHost(const QString &name, const QString &address)
{
    QString out;
    const int rc = call(QStringLiteral("world"), {QStringLiteral("add-host"), name, address}, &out);
    return rc == 0 ? QString() : failure(rc, QStringLiteral("testhosts world add-host"), out);
}

QString MailHosts::worldReceiverLog(const QString &receiver) const
{
    if (worldAddress(receiver).isEmpty())
        return {};
    return QString::fromUtf8(readAll(worldDir() + QLatin1Char('/') + receiver + QStringLiteral("/sessions.log")));
}

QByteArray MailHosts::worldReceivedMessage(const QString &receiver, const QString &file) const
{
    if (worldAddress(receiver).isEmpty() || file.contains(QLatin1Char('/')) || file.startsWith(QLatin1Char('.')))
        return {};
    return readAll(worldDir() + QLatin1Char('/') + receiver + QStringLiteral("/messages/") + file);
}

QString MailHosts::worldDnsLog() const
{
    return QString::fromUtf8(readAll(worldDir() + QStringLiteral("/dns/dnsmasq.log")));
}

QString MailHosts::restoreWorld()
{
    if (!m_world)
        return {};
    QString out;
    const int rc = call(QStringLiteral("world"), {QStringLiteral("reset")}, &out);
    return rc == 0 ? QString() : failure(rc, QStringLiteral("testhosts world reset"), out);
}

} // namespace smtls::testing
