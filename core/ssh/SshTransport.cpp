#include "ssh/SshTransport.h"

#include "ssh/ChannelExec.h"
#include "ssh/HostKeyCheck.h"
#include "ssh/SshAuthenticator.h"

#include <QElapsedTimer>

#include <mutex>

namespace smtls::ssh {

namespace {

// libssh initialises itself on load; one explicit ssh_init is harmless and keeps older
// builds (with the crypto set up lazily) safe when the first sessions start in parallel.
void initLibsshOnce()
{
    static std::once_flag once;
    std::call_once(once, [] { ssh_init(); });
}

QString seconds(std::chrono::milliseconds ms)
{
    return QString::number(double(ms.count()) / 1000.0, 'g', 3);
}

Result<SessionHandle> openSession(const SshTarget &target, const SshCallbacks &callbacks, const SshOptions &options,
                                  bool useAgent, ResolvedHost &host, QString &acceptedFingerprint, bool &agentHungUp)
{
    SessionHandle session(ssh_new());
    if (!session)
        return makeError(ErrorKind::Internal, QStringLiteral("libssh could not create a session"));
    Result<ResolvedHost> resolved = configureSession(session.get(), target);
    if (!resolved)
        return resolved.error();
    host = *resolved;
    // Bounds ssh_connect and every later blocking libssh call (channel open, exit status).
    const long timeoutSeconds = long(std::max<std::chrono::milliseconds::rep>(1, (options.connectTimeout.count() + 999) / 1000));
    ssh_options_set(session.get(), SSH_OPTIONS_TIMEOUT, &timeoutSeconds);

    if (ssh_connect(session.get()) != SSH_OK)
        return makeError(ErrorKind::Connection, QStringLiteral("cannot connect to %1 (%2 port %3): %4")
                                                    .arg(host.alias, host.address)
                                                    .arg(host.port)
                                                    .arg(QString::fromUtf8(ssh_get_error(session.get()))));
    if (Status refused = verifyHostKey(session.get(), host, callbacks.unknownHostKey, &acceptedFingerprint))
        return *refused;
    SshAuthenticator authenticator(session.get(), host, callbacks);
    switch (authenticator.authenticate(useAgent)) {
    case SshAuthenticator::Outcome::LoggedIn:
        return session;
    case SshAuthenticator::Outcome::AgentDisconnected:
        agentHungUp = true;
        return authenticator.error();
    case SshAuthenticator::Outcome::Failed:
        break;
    }
    return authenticator.error();
}

} // namespace

SshTransport::SshTransport(SessionHandle session, ResolvedHost host, SshOptions options)
    : m_session(std::move(session)), m_host(std::move(host)), m_options(std::move(options))
{
}

SshTransport::~SshTransport()
{
    if (m_options.sudoPassword)
        m_options.sudoPassword->fill(QChar(u'\0'));
}

Result<std::unique_ptr<SshTransport>> SshTransport::connect(const SshTarget &target, SshCallbacks callbacks,
                                                            SshOptions options)
{
    initLibsshOnce();
    ResolvedHost host;
    QString acceptedFingerprint;
    bool agentHungUp = false;
    Result<SessionHandle> session =
        openSession(target, callbacks, options, options.useAgent, host, acceptedFingerprint, agentHungUp);
    if (!session && agentHungUp) // too many agent keys: once more, without the agent
        session = openSession(target, callbacks, options, false, host, acceptedFingerprint, agentHungUp);
    if (!session)
        return session.error();
    std::unique_ptr<SshTransport> transport(new SshTransport(std::move(*session), std::move(host), std::move(options)));
    transport->m_elevation = transport->chooseElevation();
    return transport;
}

Elevation SshTransport::chooseElevation()
{
    if (m_host.user == QLatin1String("root"))
        return Elevation::None;
    if (!m_options.sudoPassword)
        return Elevation::SudoNoPassword;
    // With NOPASSWD sudo would not read the password and the command would get it as input.
    const std::atomic_bool never{false};
    const ChannelExecResult probe = execOnChannel(
        m_session.get(), CommandLine{QStringLiteral("sudo"), {QStringLiteral("-n"), QStringLiteral("true")}}.toShellCommand(),
        {}, m_options.connectTimeout, never);
    return probe.end == ChannelExecResult::End::Finished && probe.exitStatus == 0 ? Elevation::SudoNoPassword
                                                                                 : Elevation::SudoWithPassword;
}

QString SshTransport::hostName() const { return m_host.alias; }

QString SshTransport::describe() const
{
    return QStringLiteral("%1:%2 over SSH").arg(m_host.userAtHost()).arg(m_host.port);
}

void SshTransport::cancel() { m_cancelled.store(true); }

QByteArray SshTransport::sudoInput() const
{
    if (m_elevation != Elevation::SudoWithPassword || !m_options.sudoPassword)
        return {};
    return m_options.sudoPassword->toUtf8() + '\n';
}

void SshTransport::killRemote(qint64 pid)
{
    const std::atomic_bool never{false};
    QByteArray input = sudoInput();
    execOnChannel(m_session.get(), announcingPid(elevated(killProcessGroup(pid), m_elevation)).toShellCommand(), input,
                  m_options.connectTimeout, never);
    input.fill('\0');
}

Result<CommandResult> SshTransport::run(const CommandLine &command, const QByteArray &standardInput,
                                        std::chrono::milliseconds timeout)
{
    CommandLogEntry entry{m_host.alias, command.display(), -1, {}, 0, {}};
    const auto failed = [&](Error error) {
        entry.error = error.message;
        logCommand(entry);
        return error;
    };
    if (m_cancelled.load())
        return failed(makeError(ErrorKind::Cancelled, QStringLiteral("cancelled")));
    if (m_lost)
        return failed(*m_lost);
    if (timeout.count() <= 0)
        timeout = m_options.commandTimeout;

    QElapsedTimer clock;
    clock.start();
    QByteArray input = sudoInput() + standardInput;
    const QByteArray text = announcingPid(elevated(command, m_elevation)).toShellCommand();
    ChannelExecResult r = execOnChannel(m_session.get(), text, input, timeout, m_cancelled);
    input.fill('\0');
    const std::optional<qint64> pid = takeAnnouncedPid(r.err);
    entry.milliseconds = clock.elapsed();

    switch (r.end) {
    case ChannelExecResult::End::Finished:
        entry.exitCode = r.exitStatus;
        entry.output = outputTail(r.err);
        logCommand(entry);
        return CommandResult{r.exitStatus, std::move(r.out), std::move(r.err)};
    case ChannelExecResult::End::TimedOut:
        if (pid)
            killRemote(*pid);
        return failed(makeError(ErrorKind::Connection, QStringLiteral("%1 on %2 timed out after %3 s")
                                                           .arg(command.program, m_host.alias, seconds(timeout))));
    case ChannelExecResult::End::Cancelled:
        if (pid)
            killRemote(*pid);
        return failed(makeError(ErrorKind::Cancelled, QStringLiteral("cancelled")));
    case ChannelExecResult::End::Failed:
        return failed(makeError(ErrorKind::Connection,
                                QStringLiteral("cannot run %1 on %2: %3").arg(command.program, m_host.alias, r.error)));
    case ChannelExecResult::End::Lost:
        break;
    }
    m_lost = makeError(ErrorKind::Connection, QStringLiteral("connection to %1 (%2) lost: %3")
                                                  .arg(m_host.alias, m_host.address,
                                                       r.error.isEmpty() ? QStringLiteral("disconnected") : r.error));
    return failed(*m_lost);
}

} // namespace smtls::ssh
