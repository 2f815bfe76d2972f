#include "ssh/HostKeyCheck.h"

#include "ssh/SshHandles.h"

namespace smtls::ssh {

Result<HostKeyInfo> serverHostKey(ssh_session session, const ResolvedHost &host)
{
    ssh_key rawKey = nullptr;
    if (ssh_get_server_publickey(session, &rawKey) != SSH_OK || !rawKey)
        return makeError(ErrorKind::Connection, QStringLiteral("%1 sent no host key: %2")
                                                    .arg(host.alias, QString::fromUtf8(ssh_get_error(session))));
    const KeyHandle key(rawKey);
    unsigned char *rawHash = nullptr;
    size_t hashLength = 0;
    if (ssh_get_publickey_hash(key.get(), SSH_PUBLICKEY_HASH_SHA256, &rawHash, &hashLength) != 0)
        return makeError(ErrorKind::Connection,
                         QStringLiteral("cannot compute the fingerprint of the host key of %1").arg(host.alias));
    const PublicKeyHash hash(rawHash);
    const CString fingerprint(ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash.get(), hashLength));

    HostKeyInfo info;
    info.host = host.address;
    info.port = host.port;
    info.keyType = QString::fromUtf8(ssh_key_type_to_char(ssh_key_type(key.get())));
    info.fingerprint = fingerprint ? QString::fromUtf8(fingerprint.get()) : QString();
    info.knownHostsFile = host.knownHostsFile;
    return info;
}

Status verifyHostKey(ssh_session session, const ResolvedHost &host,
                     const std::function<HostKeyDecision(const HostKeyInfo &)> &askUnknown,
                     QString *acceptedFingerprint)
{
    const Result<HostKeyInfo> key = serverHostKey(session, host);
    if (!key)
        return key.error();
    const QString where = QStringLiteral("%1 (%2 port %3)").arg(host.alias, host.address).arg(host.port);
    const QString shown = key->keyType + QLatin1Char(' ') + key->fingerprint;

    switch (ssh_session_is_known_server(session)) {
    case SSH_KNOWN_HOSTS_OK:
        return std::nullopt;
    case SSH_KNOWN_HOSTS_CHANGED:
        return makeError(ErrorKind::Refused,
                         QStringLiteral("the host key of %1 has changed (it is now %2); this can be a "
                                        "man-in-the-middle attack, so nothing was read or written. If the "
                                        "change is expected, remove the old entry from %3 and connect again")
                             .arg(where, shown, host.knownHostsFile));
    case SSH_KNOWN_HOSTS_OTHER:
        return makeError(ErrorKind::Refused,
                         QStringLiteral("the host key of %1 is of another type than the one recorded in %3 (it "
                                        "is now %2); this can be a man-in-the-middle attack, so nothing was read "
                                        "or written")
                             .arg(where, shown, host.knownHostsFile));
    case SSH_KNOWN_HOSTS_NOT_FOUND: // no known_hosts file
    case SSH_KNOWN_HOSTS_UNKNOWN:   // a file without this host
        break;
    case SSH_KNOWN_HOSTS_ERROR:
        return makeError(ErrorKind::Connection, QStringLiteral("cannot check the host key of %1: %2")
                                                    .arg(where, QString::fromUtf8(ssh_get_error(session))));
    }

    if (acceptedFingerprint && !acceptedFingerprint->isEmpty() && *acceptedFingerprint == key->fingerprint)
        return std::nullopt;
    if (!askUnknown)
        return makeError(ErrorKind::Refused,
                         QStringLiteral("the host key of %1 (%2) is not in %3 and nobody could be asked to "
                                        "confirm it; nothing was read or written")
                             .arg(where, shown, host.knownHostsFile));
    switch (askUnknown(*key)) {
    case HostKeyDecision::Reject:
        return makeError(ErrorKind::Refused, QStringLiteral("the host key of %1 (%2) was not accepted; nothing "
                                                            "was read or written")
                                                 .arg(where, shown));
    case HostKeyDecision::AcceptAndRemember:
        if (ssh_session_update_known_hosts(session) != SSH_OK)
            return makeError(ErrorKind::FileAccess,
                             QStringLiteral("cannot record the host key of %1: %2")
                                 .arg(where, QString::fromUtf8(ssh_get_error(session))),
                             host.knownHostsFile);
        break;
    case HostKeyDecision::AcceptOnce:
        break;
    }
    if (acceptedFingerprint)
        *acceptedFingerprint = key->fingerprint;
    return std::nullopt;
}

} // namespace smtls::ssh
