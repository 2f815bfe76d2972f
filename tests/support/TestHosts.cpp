#include "TestHosts.h"

#include <QFileInfo>
#include <QProcess>

#include <cstdlib>
#include <unistd.h>
#include <vector>

namespace smtls::testing {

namespace {
const char NetnsMarker[] = "SMTLS_SSH_TEST_NETNS";

QString script() { return QStringLiteral(SMTLS_SOURCE_DIR "/tests/hosts/testhosts"); }
} // namespace

void TestHosts::enterPrivateNetwork(int argc, char **argv)
{
    if (geteuid() != 0 || std::getenv(NetnsMarker))
        return;
    setenv(NetnsMarker, "1", 1);
    std::vector<char *> args;
    static char unshare[] = "unshare", net[] = "-n", dashes[] = "--", sh[] = "sh", dashC[] = "-c";
    static char body[] = "ip link set lo up && exec \"$0\" \"$@\"";
    for (char *a : {unshare, net, dashes, sh, dashC, body})
        args.push_back(a);
    for (int i = 0; i < argc; ++i)
        args.push_back(argv[i]);
    args.push_back(nullptr);
    execvp("unshare", args.data());
    // No unshare: stay in this network; testhosts may then collide with other hosts.
}

int TestHosts::call(const QString &subcommand, const QStringList &arguments, QString *output) const
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(script(), QStringList{subcommand, dir()} + arguments);
    if (!p.waitForFinished(300000))
        return -1;
    if (output)
        *output = QString::fromLocal8Bit(p.readAll());
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

QString TestHosts::up(int count)
{
    if (geteuid() != 0)
        return QStringLiteral("needs root: the SSH tests start real sshd hosts (tests/hosts/testhosts)");
    if (!QFileInfo(script()).isExecutable())
        return QStringLiteral("tests/hosts/testhosts is missing");
    m_dir = std::make_unique<QTemporaryDir>(QStringLiteral("/tmp/smtls-ssh-XXXXXX"));
    QString output;
    const int rc = call(QStringLiteral("up"), {QString::number(count)}, &output);
    m_up = true;
    if (rc == 77)
        return QStringLiteral("testhosts cannot run here: ") + output.trimmed();
    if (rc != 0)
        return QStringLiteral("testhosts up failed (%1): %2").arg(rc).arg(output.trimmed());
    return {};
}

void TestHosts::down()
{
    if (m_up)
        call(QStringLiteral("down"), {});
    m_up = false;
}

QString TestHosts::fingerprint(int host) const
{
    QProcess p;
    p.start(QStringLiteral("ssh-keygen"),
            {QStringLiteral("-lf"), dir() + QStringLiteral("/host%1/etc-ssh/ssh_host_ed25519_key.pub").arg(host)});
    p.waitForFinished();
    return QString::fromLatin1(p.readAllStandardOutput()).section(QLatin1Char(' '), 1, 1);
}

} // namespace smtls::testing
