#include "HostProfile.h"

namespace smtls {

CommandLine HostProfile::compileCommand(const QString &mc, const QString &out) const
{
    // $1 = .mc, $2 = output, $3 = m4, then m4's own arguments.
    QStringList params{mc, out, m4};
    params += m4Arguments;
    return CommandLine::shellScript(QStringLiteral("mc=$1 out=$2 m4=$3; shift 3\n"
                                                   "cd \"$(dirname -- \"$mc\")\" && exec \"$m4\" \"$@\" \"$mc\" > \"$out\""),
                                    params);
}

CommandLine HostProfile::buildMapCommand(const QString &mapType, const QString &text, const QString &base) const
{
    return CommandLine::shellScript(QStringLiteral("exec \"$1\" \"$2\" \"$3\" < \"$4\""), {makemap, mapType, base, text});
}

CommandLine HostProfile::addressTestCommand(const QString &cf) const
{
    if (!sendmailWrapper.isEmpty())
        return CommandLine{sendmailWrapper.first(), sendmailWrapper.mid(1) + QStringList{sendmail, QStringLiteral("-C"), cf, QStringLiteral("-bt")}};
    return CommandLine{sendmail, {QStringLiteral("-C"), cf, QStringLiteral("-bt")}};
}

QList<HostProfile> builtInProfiles()
{
    HostProfile debian;
    debian.id = QStringLiteral("debian");
    debian.displayName = QStringLiteral("Debian / Ubuntu");
    debian.restart = CommandLine{QStringLiteral("service"), {QStringLiteral("sendmail"), QStringLiteral("restart")}};
    debian.status = CommandLine{QStringLiteral("service"), {QStringLiteral("sendmail"), QStringLiteral("status")}};
    debian.pidFile = QStringLiteral("/run/sendmail/mta/sendmail.pid");

    HostProfile rhel;
    rhel.id = QStringLiteral("rhel");
    rhel.displayName = QStringLiteral("RHEL / Rocky / Fedora");
    rhel.restart = CommandLine{QStringLiteral("systemctl"), {QStringLiteral("restart"), QStringLiteral("sendmail")}};
    rhel.status = CommandLine{QStringLiteral("systemctl"), {QStringLiteral("is-active"), QStringLiteral("--quiet"), QStringLiteral("sendmail")}};
    rhel.pidFile = QStringLiteral("/run/sendmail.pid");

    HostProfile freebsd;
    freebsd.id = QStringLiteral("freebsd");
    freebsd.displayName = QStringLiteral("FreeBSD");
    freebsd.m4Arguments = {QStringLiteral("-D_CF_DIR_=/usr/share/sendmail/cf/"), QStringLiteral("/usr/share/sendmail/cf/m4/cf.m4")};
    freebsd.restart = CommandLine{QStringLiteral("service"), {QStringLiteral("sendmail"), QStringLiteral("restart")}};
    freebsd.status = CommandLine{QStringLiteral("service"), {QStringLiteral("sendmail"), QStringLiteral("status")}};
    freebsd.snapshotDir = QStringLiteral("/var/backups/sendmail-tls");
    freebsd.pidFile = QStringLiteral("/var/run/sendmail.pid");

    HostProfile tree;
    tree.id = QStringLiteral("tree");
    tree.displayName = QStringLiteral("Files only (no running sendmail)");
    tree.healthCheck = false;
    tree.status = CommandLine{};

    HostProfile custom = debian;
    custom.id = QStringLiteral("custom");
    custom.displayName = QStringLiteral("Custom");
    return {debian, rhel, freebsd, tree, custom};
}

HostProfile profileById(const QString &id)
{
    for (const HostProfile &p : builtInProfiles())
        if (p.id == id)
            return p;
    return builtInProfiles().first();
}

HostProfile detectProfile(const HostFacts &facts)
{
    const QString os = facts.osRelease.toLower();
    if (facts.uname.trimmed() == QLatin1String("FreeBSD")) {
        HostProfile p = profileById(QStringLiteral("freebsd"));
        if (!facts.freebsdMcName.isEmpty())
            p.mcPath = QStringLiteral("/etc/mail/") + facts.freebsdMcName;
        return p;
    }
    const auto idLike = [&](const char *word) {
        return os.contains(QStringLiteral("id=%1").arg(QLatin1String(word)))
            || os.contains(QStringLiteral("id=\"%1").arg(QLatin1String(word)))
            || (os.contains(QStringLiteral("id_like=")) && os.contains(QLatin1String(word)));
    };
    if (idLike("rhel") || idLike("fedora") || idLike("centos") || idLike("rocky"))
        return profileById(QStringLiteral("rhel"));
    HostProfile p = profileById(QStringLiteral("debian"));
    if (!facts.hasInitScript && facts.hasSystemctl)
        p.restart = CommandLine{QStringLiteral("systemctl"), {QStringLiteral("restart"), QStringLiteral("sendmail")}};
    return p;
}

} // namespace smtls
