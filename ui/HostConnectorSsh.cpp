// The SSH half of HostConnector: built only when the smtls_ssh library is part of the build.
#include "HostConnector.h"

#include "KeychainStore.h"
#include "Prompter.h"
#include "HostInspector.h"
#include "SshTransport.h"

namespace smtls::gui {

namespace {

// Secrets: what logged in earlier in this run, then the keychain, each once per prompt (a
// stored secret that fails is asked for again), then the user. One the user asked to remember
// is stored only once the login worked, so that a mistyped password never lands in the keychain.
class SecretSource {
public:
    SecretSource(HostEntry entry, std::shared_ptr<Prompter> prompter, std::shared_ptr<RunMemory> memory)
        : m_entry(std::move(entry)), m_prompter(std::move(prompter)), m_memory(std::move(memory))
    {
    }

    std::optional<QString> ask(const QString &prompt, bool echo)
    {
        const QString key = m_entry.id + QLatin1Char('/') + prompt.trimmed();
        std::optional<QString> secret = earlierAnswer(key);
        if (!secret && m_prompter) {
            bool remember = false;
            secret = m_prompter->askSecret(m_entry.name, prompt, echo, &remember);
            m_toRemember.reset();
            if (secret && remember)
                m_toRemember = std::make_pair(key, *secret);
        }
        if (secret)
            m_answers.insert(key, *secret);
        else
            m_answers.remove(key);
        return secret;
    }

    // After a successful login: this run keeps what worked; the keychain what was asked for.
    void loggedIn(const CommandLog &log)
    {
        for (auto it = m_answers.cbegin(); it != m_answers.cend(); ++it)
            m_memory->rememberSecret(it.key(), it.value());
        rememberInKeychain(log);
    }

    // After a failed login: what this run had kept did not work.
    void loginFailed()
    {
        for (auto it = m_answers.cbegin(); it != m_answers.cend(); ++it)
            m_memory->forgetSecret(it.key());
    }

private:
    std::optional<QString> earlierAnswer(const QString &key)
    {
        if (m_tried.contains(key))
            return std::nullopt;
        m_tried.append(key);
        if (std::optional<QString> known = m_memory->secret(key))
            return known;
        return KeychainStore::read(key);
    }

    void rememberInKeychain(const CommandLog &log)
    {
        if (!m_toRemember)
            return;
        CommandLogEntry entry;
        entry.host = m_entry.name;
        entry.command = QStringLiteral("keychain: remember \"%1\"").arg(m_toRemember->first);
        const Status stored = KeychainStore::write(m_toRemember->first, m_toRemember->second);
        entry.exitCode = stored ? 1 : 0;
        if (stored)
            entry.error = QStringLiteral("not remembered: %1 (nothing was written anywhere else)").arg(stored->message);
        m_toRemember.reset();
        if (log)
            log(entry);
    }

    HostEntry m_entry;
    std::shared_ptr<Prompter> m_prompter;
    std::shared_ptr<RunMemory> m_memory;
    QStringList m_tried;
    QHash<QString, QString> m_answers;  // the last answer to each prompt
    std::optional<std::pair<QString, QString>> m_toRemember;
};

} // namespace

Result<Connection> connectSsh(const HostEntry &entry, const std::shared_ptr<Prompter> &prompter,
                              const std::shared_ptr<RunMemory> &memory, const CommandLog &log, bool wantDetails)
{
    ssh::SshTarget target;
    target.alias = entry.address.isEmpty() ? entry.name : entry.address;
    if (entry.port > 0 && entry.port != 22)
        target.port = entry.port;
    if (!entry.user.isEmpty())
        target.user = entry.user;
    if (entry.auth == AuthMethod::KeyFile && !entry.identityFile.isEmpty())
        target.identityFile = entry.identityFile;

    ssh::SshCallbacks callbacks;
    callbacks.unknownHostKey = [prompter, memory](const ssh::HostKeyInfo &key) {
        const QString hostPort = key.host + QLatin1Char(':') + QString::number(key.port);
        if (memory->hostKeyAccepted(hostPort, key.fingerprint))
            return ssh::HostKeyDecision::AcceptOnce;
        if (memory->hostKeyRefusedJustNow(hostPort, key.fingerprint))
            return ssh::HostKeyDecision::Reject;
        if (!prompter)
            return ssh::HostKeyDecision::Reject;
        switch (prompter->askHostKey({key.host, key.port, key.keyType, key.fingerprint, key.knownHostsFile})) {
        case HostKeyAnswer::AcceptOnce:
            memory->acceptHostKey(hostPort, key.fingerprint);
            return ssh::HostKeyDecision::AcceptOnce;
        case HostKeyAnswer::AcceptAlways: return ssh::HostKeyDecision::AcceptAndRemember;
        case HostKeyAnswer::Cancel: break;
        }
        memory->refuseHostKey(hostPort, key.fingerprint);
        return ssh::HostKeyDecision::Reject;
    };
    auto secrets = std::make_shared<SecretSource>(entry, prompter, memory);
    callbacks.askSecret = [secrets](const QString &prompt, bool echo) { return secrets->ask(prompt, echo); };
    ssh::SshOptions options;
    options.useAgent = entry.auth != AuthMethod::Password;

    Result<std::unique_ptr<ssh::SshTransport>> connected = ssh::SshTransport::connect(target, callbacks, options);
    if (!connected) {
        secrets->loginFailed();
        return connected.error();
    }
    secrets->loggedIn(log);
    std::unique_ptr<Transport> transport = std::move(*connected);
    // One round trip: the system (for the profile), sendmail's version and STARTTLS, and a
    // journal left by an interrupted apply. A fixed profile is used as chosen.
    const bool fixedProfile = entry.profileId != QLatin1String("auto") && !entry.profileId.isEmpty();
    const HostProfile chosen = fixedProfile ? profileById(entry.profileId) : HostProfile();
    if (fixedProfile && !wantDetails)
        return Connection{std::move(transport), chosen, std::nullopt};
    const Result<HostDetails> details = inspectHost(*transport, fixedProfile ? &chosen : nullptr);
    if (!details)
        return details.error();
    return Connection{std::move(transport), fixedProfile ? chosen : details->detectedProfile, *details};
}

} // namespace smtls::gui
