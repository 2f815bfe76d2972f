#pragma once
// Real sshd hosts for the SSH tests, from tests/hosts/testhosts. The test process first moves
// into a private network namespace (as root), so its hosts on 127.0.1.I never collide with
// hosts a teammate or another test has up on the machine.

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace smtls::testing {

class TestHosts {
public:
    // Re-executes the test binary under `unshare -n` (once; root only). Call first in main().
    static void enterPrivateNetwork(int argc, char **argv);

    // Empty when the hosts are up; otherwise why they are not (for QSKIP).
    QString up(int count);
    void down();

    QString dir() const { return m_dir ? m_dir->path() : QString(); }
    QString sshConfig() const { return dir() + QStringLiteral("/ssh_config"); }
    QString knownHosts() const { return dir() + QStringLiteral("/known_hosts"); }
    QString clientKey() const { return dir() + QStringLiteral("/keys/id_ed25519"); }
    static QString address(int host) { return QStringLiteral("127.0.1.%1").arg(host); }
    // `ssh-keygen -lf` of host I's current ed25519 key: "SHA256:…".
    QString fingerprint(int host) const;

    // testhosts SUBCOMMAND DIR ARGS… ; returns the exit code, output in *output.
    int call(const QString &subcommand, const QStringList &arguments, QString *output = nullptr) const;

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    bool m_up = false;
};

} // namespace smtls::testing
