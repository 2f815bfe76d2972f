#include "ssh/SshAuthenticator.h"

#include "ssh/SshHandles.h"

#include <QFileInfo>

#include <cstdlib>

namespace smtls::ssh {

namespace {

// Overwrites a secret before its memory is released.
void wipe(QByteArray &bytes) { bytes.fill('\0'); }
void wipe(QString &text) { text.fill(QChar(u'\0')); }

constexpr int MaxPasswordTries = 3;
constexpr int MaxKbdintRounds = 8;

} // namespace

SshAuthenticator::SshAuthenticator(ssh_session session, const ResolvedHost &host, const SshCallbacks &callbacks)
    : m_session(session), m_host(host), m_callbacks(callbacks)
{
}

std::optional<QString> SshAuthenticator::ask(const QString &prompt, bool echo) const
{
    if (!m_callbacks.askSecret)
        return std::nullopt;
    return m_callbacks.askSecret(prompt, echo);
}

void SshAuthenticator::noteFailure()
{
    const QString text = QString::fromUtf8(ssh_get_error(m_session)).trimmed();
    if (!text.isEmpty())
        m_lastError = text;
}

SshAuthenticator::Outcome SshAuthenticator::authenticate(bool useAgent)
{
    const auto failed = [this](const QString &why) {
        m_error = makeError(ErrorKind::Connection,
                            QStringLiteral("authentication failed for %1: %2").arg(m_host.userAtHost(), why));
        return Outcome::Failed;
    };
    int rc = ssh_userauth_none(m_session, nullptr);
    if (rc == SSH_AUTH_SUCCESS)
        return Outcome::LoggedIn;
    if (rc == SSH_AUTH_ERROR)
        return failed(QString::fromUtf8(ssh_get_error(m_session)));
    const int methods = ssh_userauth_list(m_session, nullptr);

    if (methods & SSH_AUTH_METHOD_PUBLICKEY) {
        const QByteArray socket = qgetenv("SSH_AUTH_SOCK");
        if (useAgent && !socket.isEmpty()) {
            if (tryAgent())
                return Outcome::LoggedIn;
            if (!ssh_is_connected(m_session)) {
                m_error = makeError(ErrorKind::Connection,
                                    QStringLiteral("%1 closed the connection while ssh-agent offered its keys")
                                        .arg(m_host.userAtHost()));
                return Outcome::AgentDisconnected;
            }
        }
        for (const QString &path : m_host.identityFiles) {
            if (tryIdentityFile(path))
                return Outcome::LoggedIn;
            if (!ssh_is_connected(m_session))
                return failed(m_lastError);
        }
    }
    if (methods & SSH_AUTH_METHOD_PASSWORD) {
        if (tryPassword())
            return Outcome::LoggedIn;
    }
    if (methods & SSH_AUTH_METHOD_INTERACTIVE) {
        if (tryKeyboardInteractive())
            return Outcome::LoggedIn;
    }
    return failed(m_lastError.isEmpty() ? QStringLiteral("no key, password or answer was accepted") : m_lastError);
}

bool SshAuthenticator::tryAgent()
{
    // Not ssh_userauth_publickey_auto: with many agent keys and no timeout it can hang, and it
    // would also load the identity files without asking for their passphrase our way.
    const int rc = ssh_userauth_agent(m_session, nullptr);
    if (rc == SSH_AUTH_SUCCESS)
        return true;
    noteFailure();
    return false;
}

bool SshAuthenticator::tryIdentityFile(const QString &path)
{
    if (!QFileInfo(path).isFile())
        return false;
    const QByteArray file = path.toLocal8Bit();
    // Ask the server first with the public half (no passphrase needed) when it lies beside.
    if (QFileInfo(path + QStringLiteral(".pub")).isFile()) {
        ssh_key rawPublic = nullptr;
        const QByteArray pubFile = file + ".pub";
        if (ssh_pki_import_pubkey_file(pubFile.constData(), &rawPublic) == SSH_OK) {
            const KeyHandle publicKey(rawPublic);
            const int rc = ssh_userauth_try_publickey(m_session, nullptr, publicKey.get());
            if (rc == SSH_AUTH_DENIED || rc == SSH_AUTH_ERROR) {
                noteFailure();
                return false;
            }
        }
    }
    ssh_key rawKey = nullptr;
    if (ssh_pki_import_privkey_file(file.constData(), nullptr, nullptr, nullptr, &rawKey) != SSH_OK) {
        std::optional<QString> passphrase = ask(QStringLiteral("Passphrase for key %1: ").arg(path), false);
        if (!passphrase)
            return false;
        QByteArray bytes = passphrase->toUtf8();
        wipe(*passphrase);
        const int rc = ssh_pki_import_privkey_file(file.constData(), bytes.constData(), nullptr, nullptr, &rawKey);
        wipe(bytes);
        if (rc != SSH_OK) {
            m_lastError = QStringLiteral("cannot load key %1 (wrong passphrase?)").arg(path);
            return false;
        }
    }
    const KeyHandle key(rawKey);
    if (ssh_userauth_publickey(m_session, nullptr, key.get()) == SSH_AUTH_SUCCESS)
        return true;
    noteFailure();
    return false;
}

bool SshAuthenticator::tryPassword()
{
    for (int attempt = 0; attempt < MaxPasswordTries; ++attempt) {
        std::optional<QString> password = ask(QStringLiteral("Password for %1: ").arg(m_host.userAtHost()), false);
        if (!password)
            return false;
        QByteArray bytes = password->toUtf8();
        wipe(*password);
        const int rc = ssh_userauth_password(m_session, nullptr, bytes.constData());
        wipe(bytes);
        if (rc == SSH_AUTH_SUCCESS)
            return true;
        noteFailure();
        if (rc == SSH_AUTH_ERROR || !ssh_is_connected(m_session))
            return false;
    }
    return false;
}

bool SshAuthenticator::tryKeyboardInteractive()
{
    for (int round = 0; round < MaxKbdintRounds; ++round) {
        const int rc = ssh_userauth_kbdint(m_session, nullptr, nullptr);
        if (rc == SSH_AUTH_SUCCESS)
            return true;
        if (rc != SSH_AUTH_INFO) {
            noteFailure();
            return false;
        }
        const int prompts = ssh_userauth_kbdint_getnprompts(m_session);
        for (int i = 0; i < prompts; ++i) {
            char echo = 0;
            const char *prompt = ssh_userauth_kbdint_getprompt(m_session, unsigned(i), &echo);
            std::optional<QString> answer =
                ask(QString::fromUtf8(prompt ? prompt : "Answer: "), echo != 0);
            if (!answer)
                return false;
            QByteArray bytes = answer->toUtf8();
            wipe(*answer);
            const int set = ssh_userauth_kbdint_setanswer(m_session, unsigned(i), bytes.constData());
            wipe(bytes);
            if (set < 0)
                return false;
        }
    }
    return false;
}

} // namespace smtls::ssh
