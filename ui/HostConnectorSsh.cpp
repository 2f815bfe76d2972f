// The SSH half of HostConnector: built only when the smtls_ssh library is part of the build.
#include "HostConnector.h"

#include "KeychainStore.h"
#include "Prompter.h"
#include "HostInspector.h"
#include "SshTransport.h"

namespace smtls::gui {

Result<Connection> connectSsh(const HostEntry &entry, Prompter *prompter)
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
    callbacks.unknownHostKey = [prompter](const ssh::HostKeyInfo &key) {
        if (!prompter)
            return ssh::HostKeyDecision::Reject;
        switch (prompter->askHostKey({key.host, key.port, key.keyType, key.fingerprint, key.knownHostsFile})) {
        case HostKeyAnswer::AcceptOnce: return ssh::HostKeyDecision::AcceptOnce;
        case HostKeyAnswer::AcceptAlways: return ssh::HostKeyDecision::AcceptAndRemember;
        case HostKeyAnswer::Cancel: break;
        }
        return ssh::HostKeyDecision::Reject;
    };
    // The keychain is asked once per prompt; a stored secret that fails is asked for again.
    auto tried = std::make_shared<QStringList>();
    callbacks.askSecret = [prompter, entry, tried](const QString &prompt, bool echo) -> std::optional<QString> {
        const QString key = entry.id + QLatin1Char('/') + prompt.trimmed();
        if (!tried->contains(key)) {
            tried->append(key);
            if (std::optional<QString> stored = KeychainStore::read(key))
                return stored;
        }
        if (!prompter)
            return std::nullopt;
        bool remember = false;
        std::optional<QString> secret = prompter->askSecret(entry.name, prompt, echo, &remember);
        if (secret && remember)
            KeychainStore::write(key, *secret);
        return secret;
    };
    ssh::SshOptions options;
    options.useAgent = entry.auth != AuthMethod::Password;

    Result<std::unique_ptr<ssh::SshTransport>> connected = ssh::SshTransport::connect(target, callbacks, options);
    if (!connected)
        return connected.error();
    std::unique_ptr<Transport> transport = std::move(*connected);
    if (entry.profileId != QLatin1String("auto") && !entry.profileId.isEmpty())
        return Connection{std::move(transport), profileById(entry.profileId)};
    // The same detection as the command line (one round trip).
    const Result<HostDetails> details = inspectHost(*transport);
    if (!details)
        return details.error();
    const HostProfile profile = details->detectedProfile;
    return Connection{std::move(transport), profile};
}

} // namespace smtls::gui
