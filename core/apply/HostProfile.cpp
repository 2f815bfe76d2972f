#include "apply/HostProfile.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

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
    debian.displayName = QStringLiteral(QT_TRANSLATE_NOOP("HostProfile", "Debian / Ubuntu"));
    debian.restart = CommandLine{QStringLiteral("service"), {QStringLiteral("sendmail"), QStringLiteral("restart")}};
    debian.status = CommandLine{QStringLiteral("service"), {QStringLiteral("sendmail"), QStringLiteral("status")}};
    debian.pidFile = QStringLiteral("/run/sendmail/mta/sendmail.pid");
    debian.rebuild = CommandLine{QStringLiteral("make"), {QStringLiteral("-C"), QStringLiteral("/etc/mail")}};

    HostProfile rhel;
    rhel.id = QStringLiteral("rhel");
    rhel.displayName = QStringLiteral(QT_TRANSLATE_NOOP("HostProfile", "RHEL / Rocky / Fedora"));
    rhel.restart = CommandLine{QStringLiteral("systemctl"), {QStringLiteral("restart"), QStringLiteral("sendmail")}};
    rhel.status = CommandLine{QStringLiteral("systemctl"), {QStringLiteral("is-active"), QStringLiteral("--quiet"), QStringLiteral("sendmail")}};
    rhel.pidFile = QStringLiteral("/run/sendmail.pid");
    rhel.rebuild = CommandLine{QStringLiteral("make"), {QStringLiteral("-C"), QStringLiteral("/etc/mail")}};

    HostProfile freebsd;
    freebsd.id = QStringLiteral("freebsd");
    freebsd.displayName = QStringLiteral(QT_TRANSLATE_NOOP("HostProfile", "FreeBSD"));
    freebsd.m4Arguments = {QStringLiteral("-D_CF_DIR_=/usr/share/sendmail/cf/"), QStringLiteral("/usr/share/sendmail/cf/m4/cf.m4")};
    freebsd.restart = CommandLine{QStringLiteral("service"), {QStringLiteral("sendmail"), QStringLiteral("restart")}};
    freebsd.status = CommandLine{QStringLiteral("service"), {QStringLiteral("sendmail"), QStringLiteral("status")}};
    freebsd.snapshotDir = QStringLiteral("/var/backups/sendmail-tls");
    freebsd.pidFile = QStringLiteral("/var/run/sendmail.pid");

    HostProfile tree;
    tree.id = QStringLiteral("tree");
    tree.displayName = QStringLiteral(QT_TRANSLATE_NOOP("HostProfile", "Files only (no running sendmail)"));
    tree.healthCheck = false;
    tree.status = CommandLine{};
    tree.rebuild = CommandLine{};

    HostProfile custom = debian;
    custom.id = QStringLiteral("custom");
    custom.displayName = QStringLiteral(QT_TRANSLATE_NOOP("HostProfile", "Custom"));
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

Result<HostProfile> profileFromJson(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (!doc.isObject())
        return makeError(ErrorKind::InvalidInput, QStringLiteral("the profile is not a JSON object (%1)").arg(parseError.errorString()));
    const QJsonObject o = doc.object();
    HostProfile p = profileById(o.value(QStringLiteral("base")).toString(QStringLiteral("debian")));
    p.id = QStringLiteral("custom");
    p.displayName = o.value(QStringLiteral("name")).toString(QStringLiteral("Custom"));
    const auto text = [&](const char *key, QString &field) {
        if (o.contains(QLatin1String(key)))
            field = o.value(QLatin1String(key)).toString();
    };
    const auto command = [&](const char *key, CommandLine &field) -> Status {
        if (!o.contains(QLatin1String(key)))
            return std::nullopt;
        QStringList words;
        for (const QJsonValue &v : o.value(QLatin1String(key)).toArray())
            words << v.toString();
        if (!o.value(QLatin1String(key)).isArray())
            return makeError(ErrorKind::InvalidInput, QStringLiteral("\"%1\" must be an argument list, e.g. [\"systemctl\", \"restart\", \"sendmail\"]")
                                                          .arg(QLatin1String(key)));
        field = words.isEmpty() ? CommandLine{} : CommandLine{words.first(), words.mid(1)};
        return std::nullopt;
    };
    text("mcPath", p.mcPath);
    text("cfPath", p.cfPath);
    text("accessPath", p.accessPath);
    text("m4", p.m4);
    text("makemap", p.makemap);
    text("sendmail", p.sendmail);
    text("pidFile", p.pidFile);
    text("stateDir", p.stateDir);
    text("snapshotDir", p.snapshotDir);
    if (o.contains(QStringLiteral("m4Arguments"))) {
        p.m4Arguments.clear();
        for (const QJsonValue &v : o.value(QStringLiteral("m4Arguments")).toArray())
            p.m4Arguments << v.toString();
    }
    for (const auto &[key, field] : {std::pair<const char *, CommandLine *>{"rebuild", &p.rebuild},
                                     {"restart", &p.restart}, {"status", &p.status}})
        if (Status s = command(key, *field))
            return *s;
    if (o.contains(QStringLiteral("healthCheck")))
        p.healthCheck = o.value(QStringLiteral("healthCheck")).toBool(true);
    for (const QString &path : {p.mcPath, p.cfPath, p.stateDir, p.snapshotDir})
        if (!path.startsWith(QLatin1Char('/')))
            return makeError(ErrorKind::InvalidInput, QStringLiteral("profile paths must be absolute: '%1'").arg(path));
    return p;
}

} // namespace smtls
