#include "RemoteHosts.h"

#include "transport/LocalTransport.h"
#include "Commands.h"
#include "Output.h"
#include "ssh/HostConnection.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>

#include <cstdio>
#include <mutex>
#include <termios.h>
#include <unistd.h>

namespace smtls::cli {
namespace {

// Secrets come from the terminal, never from argv or the environment. Several hosts may ask at
// once: one question at a time.
std::optional<QString> askOnTerminal(const QString &prompt, bool echo)
{
    static std::mutex terminal;
    std::lock_guard<std::mutex> lock(terminal);
    FILE *tty = std::fopen("/dev/tty", "r+");
    if (!tty)
        return std::nullopt;
    std::fputs(prompt.toUtf8().constData(), tty);
    std::fflush(tty);
    termios saved{};
    const bool isTty = ::tcgetattr(fileno(tty), &saved) == 0;
    if (isTty && !echo) {
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
    }
    char buffer[1024] = {};
    const bool got = std::fgets(buffer, sizeof buffer, tty) != nullptr;
    if (isTty && !echo) {
        ::tcsetattr(fileno(tty), TCSAFLUSH, &saved);
        std::fputs("\n", tty);
    }
    std::fclose(tty);
    if (!got)
        return std::nullopt;
    QString answer = QString::fromUtf8(buffer);
    while (answer.endsWith(QLatin1Char('\n')) || answer.endsWith(QLatin1Char('\r')))
        answer.chop(1);
    return answer;
}

bool hostNameQualified()
{
    char name[256] = {};
    ::gethostname(name, sizeof name - 1);
    return QByteArray(name).contains('.');
}

} // namespace

// The terminal's side of ssh::connectToHost: nothing is asked without --ask-password, an unknown
// host key only with --accept-new-host-key, and the sudo password once.
Result<HostConnection> connectHost(const CliOptions &options, const QString &name)
{
    ssh::SshTarget target;
    target.alias = name;
    target.configFile = options.sshConfig;
    ssh::HostConnectCallbacks callbacks;
    const bool acceptNew = options.acceptNewHostKey;
    callbacks.unknownHostKey = [acceptNew](const ssh::HostKeyInfo &key) {
        if (acceptNew)
            return ssh::HostKeyDecision::AcceptAndRemember;
        printError(QStringLiteral("%1 (%2 port %3) is not in known_hosts; its key is %4 %5. Check it, then re-run with "
                                  "--accept-new-host-key")
                       .arg(key.host, key.host)
                       .arg(key.port)
                       .arg(key.keyType, key.fingerprint));
        return ssh::HostKeyDecision::Reject;
    };
    ssh::HostConnectOptions connectOptions;
    // Scripts never hang on a prompt: --ask-password opts in.
    if (options.askPassword) {
        callbacks.loginSecret = [](const QString &prompt, bool echo) { return askOnTerminal(prompt, echo); };
        callbacks.sudoPassword = [](const QString &prompt, int attempt) -> std::optional<QString> {
            if (attempt > 0)
                return std::nullopt;  // a refused sudo password is an error, not a second question
            return askOnTerminal(prompt, false);
        };
    }
    connectOptions.noSudoPasswordAdvice = QStringLiteral("re-run with --ask-password, or give %1 password-less sudo");
    if (!options.profileFile.isEmpty()) {
        QFile file(options.profileFile);
        if (!file.open(QIODevice::ReadOnly))
            return makeError(ErrorKind::FileAccess, QStringLiteral("cannot read the profile"), options.profileFile);
        Result<HostProfile> custom = profileFromJson(file.read(1 << 20));
        if (!custom)
            return makeError(custom.error().kind, custom.error().message, options.profileFile);
        connectOptions.profile = *custom;
    } else if (!options.profile.isEmpty()) {
        connectOptions.profile = profileById(options.profile);
    }
    Result<ssh::HostConnection> connected = ssh::connectToHost(target, callbacks, connectOptions);
    if (!connected)
        return connected.error();
    HostConnection c;
    c.transport = std::move(connected->transport);
    c.profile = connected->profile;
    c.details = connected->details.value_or(HostDetails{});  // always read: wantDetails stays true
    return c;
}

HostConnection localTreeHost(const CliOptions &options)
{
    HostConnection c;
    auto local = std::make_unique<LocalTransport>(options.root, options.root == QLatin1String("/") ? QStringLiteral("localhost")
                                                                                                 : QStringLiteral("local"));
    c.profile = profileById(QStringLiteral("tree"));
    if (!options.mc.isEmpty())
        c.profile.mcPath = options.mc;
    if (!options.access.isEmpty())
        c.profile.accessPath = options.access;
    if (!options.mc.isEmpty() || options.root != QLatin1String("/"))
        c.profile.cfPath = QFileInfo(options.mc.isEmpty() ? c.profile.mcPath : options.mc).dir().filePath(QStringLiteral("sendmail.cf"));
    if (!options.mc.isEmpty() || !options.access.isEmpty()) {
        // Files named one by one live anywhere: keep the journal and the "host" snapshots
        // with this user's data rather than in the system's /var.
        local = std::make_unique<LocalTransport>(QStringLiteral("/"), QStringLiteral("local"));
        const QString data = QFileInfo(snapshotDirectoryFrom(options)).absolutePath();
        c.profile.stateDir = data + QStringLiteral("/state");
        c.profile.snapshotDir = data + QStringLiteral("/host-snapshots");
    }
    // State and snapshots of a --root tree stay inside it.
    if (!options.restartCommand.isEmpty()) {
        const QStringList words = QProcess::splitCommand(options.restartCommand);
        if (!words.isEmpty())
            c.profile.restart = CommandLine{words.first(), words.mid(1)};
    }
    // sendmail -bt sleeps 60 s when the host name has no domain; as root, a private UTS
    // namespace with a qualified name avoids that.
    if (!hostNameQualified() && ::geteuid() == 0)
        c.profile.sendmailWrapper = {QStringLiteral("unshare"), QStringLiteral("--uts"), QStringLiteral("sh"), QStringLiteral("-c"),
                                     QStringLiteral("hostname sendmail-tls.invalid && exec \"$@\""), QStringLiteral("sh")};
    c.transport = std::move(local);
    return c;
}

QList<HostJob> hostJobs(const CliOptions &options, std::function<Status(const HostDetails &)> admit)
{
    QList<HostJob> jobs;
    for (const QString &name : options.hosts) {
        jobs.append(HostJob{name, [options, name, admit]() -> Result<std::pair<std::unique_ptr<Transport>, HostProfile>> {
                                Result<HostConnection> c = connectHost(options, name);
                                if (!c)
                                    return c.error();
                                if (admit)
                                    if (Status refused = admit(c->details))
                                        return *refused;
                                if (!c->details.unfinishedApply.isEmpty())
                                    printError(name + QStringLiteral(": ") + c->details.unfinishedApply);
                                return std::make_pair(std::move(c->transport), c->profile);
                            }});
    }
    return jobs;
}

} // namespace smtls::cli
