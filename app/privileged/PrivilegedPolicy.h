#pragma once
// What sendmail-tls-privileged (root) agrees to run for its peer, the user's program. Only the
// commands the apply pipeline and the host readers send: their programs, with the arguments
// they use, and their own constant scripts (KnownScripts) with data as parameters. Every word
// that names a path must lie in one of the mail folders. Anything else is refused with a
// reason, before anything runs.
//
// What this protects: a process of the user that gets hold of the helper (or of polkit's
// kept authorization) cannot use it as a root shell, cannot read or write files outside the
// mail folders (/etc/shadow, ~root/.ssh), cannot run other programs or other shell text, and
// cannot restart other services.
// What it does not: whoever drives the helper can write any file in /etc/mail (that is its
// job), and sendmail's configuration is powerful — a sendmail.cf can name programs that
// sendmail runs as root (a prog mailer), /etc/mail/Makefile is run by `make -C /etc/mail`.
// So authorizing the helper is authorizing an administrator, which is why the polkit action
// asks for an administrator's password (auth_admin), kept only for a few minutes in the
// active session. Symbolic links inside the mail folders are followed as root would follow
// them; only root can create them there.

#include "transport/CommandLine.h"
#include "Result.h"

#include <QStringList>

namespace smtls::privileged {

class PrivilegedPolicy {
public:
    // FOLDERS: the folders paths may name (systemFolders(), or a test's tree).
    explicit PrivilegedPolicy(QStringList folders);
    // /etc/mail, the state and snapshot folders of the built-in profiles, the queues, the pid
    // files, /usr/share/sendmail (FreeBSD's cf.m4) and the mail logs.
    static QStringList systemFolders();

    Status check(const CommandLine &command) const;
    Status checkReadPath(const QString &path) const;

private:
    Status checkPath(const QString &word) const;
    Status checkWords(const QStringList &words) const;
    Status checkProgram(const QString &program, const QString &wanted) const;
    Status checkDirect(const CommandLine &command) const;
    Status checkScript(const QString &script, const QStringList &parameters) const;
    Status checkSequence(const QString &script, const QStringList &parameters) const;
    QStringList m_folders;
};

} // namespace smtls::privileged
