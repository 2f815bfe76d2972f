// The SSH half of HostConnector: built only when the smtls_ssh library is part of the build.
#include "HostConnector.h"

#include "KeychainStore.h"
#include "Prompter.h"
#include "ssh/HostConnection.h"

#include <QSet>
#include <QCoreApplication>

namespace smtls::gui {

namespace {

// Secrets (login and sudo alike): what worked earlier in this run, then the keychain, each once
// per prompt (a stored secret that fails is asked for again), then the user. One the user asked
// to remember is stored only once the host accepted it, so that a mistyped password never lands
// in the keychain.
class SecretSource {
public:
    SecretSource(HostEntry entry, std::shared_ptr<Prompter> prompter, std::shared_ptr<RunMemory> memory)
        : m_entry(std::move(entry)), m_prompter(std::move(prompter)), m_memory(std::move(memory))
    {
    }

    std::optional<QString> ask(const QString &prompt, bool echo, SecretPurpose purpose = SecretPurpose::Login)
    {
        const QString key = m_entry.id + QLatin1Char('/') + prompt.trimmed();
        std::optional<QString> secret = earlierAnswer(key);
        if (!secret && m_prompter) {
            bool remember = false;
            secret = m_prompter->askSecret(m_entry.name, prompt, echo, &remember, purpose);
            m_toRemember.reset();
            if (secret && remember)
                m_toRemember = std::make_pair(key, *secret);
        }
        if (secret) {
            m_answers.insert(key, *secret);
            m_unchecked.insert(key);
        } else {
            m_answers.remove(key);
        }
        return secret;
    }

    // The host took (or refused) what was handed out since the last verdict: this run keeps
    // what worked, the keychain what the user asked it to keep; what failed is forgotten.
    void checked(bool accepted, const CommandLog &log)
    {
        for (const QString &key : std::as_const(m_unchecked)) {
            if (accepted && m_answers.contains(key))
                m_memory->rememberSecret(key, m_answers.value(key));
            else if (!accepted)
                m_memory->forgetSecret(key);
        }
        m_unchecked.clear();
        if (accepted)
            rememberInKeychain(log);
        m_toRemember.reset();
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
            entry.error = QCoreApplication::translate("HostConnectorSsh", "not remembered: %1 (nothing was written anywhere else)").arg(stored->message);
        m_toRemember.reset();
        if (log)
            log(entry);
    }

    HostEntry m_entry;
    std::shared_ptr<Prompter> m_prompter;
    std::shared_ptr<RunMemory> m_memory;
    QStringList m_tried;
    QHash<QString, QString> m_answers;  // the last answer to each prompt
    QSet<QString> m_unchecked;          // prompts answered since the last verdict
    std::optional<std::pair<QString, QString>> m_toRemember;
};

} // namespace

// The desktop's side of ssh::connectToHost: questions through the Prompter (dialogs on the UI
// thread), answers kept in RunMemory and, when asked for, the keychain.
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
    target.configFile = entry.sshConfigFile;
    if (!entry.knownHostsFile.isEmpty())
        target.knownHostsFile = entry.knownHostsFile;

    ssh::HostConnectCallbacks callbacks;
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
    callbacks.loginSecret = [secrets](const QString &prompt, bool echo) { return secrets->ask(prompt, echo); };
    // The same dialog as the login password; a later attempt means sudo refused the last answer,
    // which SecretSource then asks the user for (it tries a stored one only once).
    callbacks.sudoPassword = [secrets](const QString &prompt, int) { return secrets->ask(prompt, false, SecretPurpose::Sudo); };
    callbacks.secretChecked = [secrets, log](ssh::SecretUse, bool accepted) { secrets->checked(accepted, log); };

    ssh::HostConnectOptions options;
    options.hostName = entry.name;
    options.ssh.useAgent = entry.auth != AuthMethod::Password;
    if (entry.profileId != QLatin1String("auto") && !entry.profileId.isEmpty())
        options.profile = profileById(entry.profileId);
    options.wantDetails = wantDetails;
    Result<ssh::HostConnection> connected = ssh::connectToHost(target, callbacks, options);
    if (!connected)
        return connected.error();
    return Connection{std::move(connected->transport), connected->profile, std::move(connected->details)};
}

} // namespace smtls::gui
