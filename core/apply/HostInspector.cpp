#include "HostInspector.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace smtls {
namespace {

// One round trip for every fact; sections are separated by marker lines.
const QString FactsScript = QStringLiteral(
    "echo '@@os'; cat /etc/os-release 2>/dev/null\n"
    "echo '@@uname'; uname -s\n"
    "echo '@@systemctl'; command -v systemctl >/dev/null 2>&1 && echo yes\n"
    "echo '@@initd'; [ -x /etc/init.d/sendmail ] && echo yes\n"
    "echo '@@hostmc'; h=$(hostname 2>/dev/null); [ -e \"/etc/mail/$h.mc\" ] && echo \"$h.mc\"\n"
    "echo '@@end'\n");

QString section(const QString &text, const QString &name)
{
    const QString start = QStringLiteral("@@") + name + QLatin1Char('\n');
    const qsizetype from = text.indexOf(start);
    if (from < 0)
        return {};
    const qsizetype to = text.indexOf(QStringLiteral("@@"), from + start.size());
    return text.mid(from + start.size(), to < 0 ? -1 : to - from - start.size()).trimmed();
}

} // namespace

Result<HostDetails> inspectHost(Transport &transport, const HostProfile *knownProfile)
{
    HostDetails d;
    const Result<CommandResult> facts = transport.run(CommandLine::shellScript(FactsScript), {}, 30s);
    if (!facts)
        return facts.error();
    const QString text = QString::fromUtf8(facts->out);
    d.facts.osRelease = section(text, QStringLiteral("os"));
    d.facts.uname = section(text, QStringLiteral("uname"));
    d.facts.hasSystemctl = section(text, QStringLiteral("systemctl")) == QLatin1String("yes");
    d.facts.hasInitScript = section(text, QStringLiteral("initd")) == QLatin1String("yes");
    d.facts.freebsdMcName = section(text, QStringLiteral("hostmc"));
    d.detectedProfile = detectProfile(d.facts);
    const HostProfile &profile = knownProfile ? *knownProfile : d.detectedProfile;

    // "Version 8.17.1.9" and "Compiled with: … STARTTLS …" (verified on Debian 12).
    const Result<CommandResult> version = transport.run(
        CommandLine{profile.sendmail, {QStringLiteral("-d0.1"), QStringLiteral("-bv"), QStringLiteral("root")}}, {}, 90s);
    if (version) {
        for (const QByteArray &line : version->out.split('\n')) {
            if (line.startsWith("Version "))
                d.sendmailVersion = QString::fromLatin1(line.mid(8).trimmed());
            if (line.contains("STARTTLS") && (line.contains("Compiled with") || line.startsWith("\t\t")))
                d.startTlsCompiled = true;
        }
        d.startTlsCompiled = d.startTlsCompiled || version->out.contains(" STARTTLS");
    }

    const Result<std::optional<QByteArray>> journal = transport.readFile(profile.stateDir + QStringLiteral("/journal.json"), 1 << 20);
    if (journal && journal->has_value()) {
        const QJsonObject j = QJsonDocument::fromJson(**journal).object();
        int atBefore = 0, atAfter = 0, total = 0;
        for (const QJsonValue &v : j.value(QStringLiteral("files")).toArray()) {
            const QJsonObject f = v.toObject();
            ++total;
            const Result<std::optional<QByteArray>> now = transport.readFile(f.value(QStringLiteral("path")).toString(), 64 << 20);
            const QString hash = now && now->has_value()
                ? QString::fromLatin1(QCryptographicHash::hash(**now, QCryptographicHash::Sha256).toHex())
                : QString();
            if (hash == f.value(QStringLiteral("after")).toString())
                ++atAfter;
            else if (hash == f.value(QStringLiteral("before")).toString() || (hash.isEmpty() && f.value(QStringLiteral("before")).isNull()))
                ++atBefore;
        }
        const QString state = atAfter == total ? QStringLiteral("the NEW files are installed")
            : atBefore == total                ? QStringLiteral("the OLD files are still in place")
                                               : QStringLiteral("the files are MIXED");
        d.unfinishedApply = QStringLiteral("an apply (\"%1\", %2, by %3) was interrupted; %4. Re-run the change to finish "
                                           "it, or roll back to snapshot %5.")
                                .arg(j.value(QStringLiteral("change")).toString(), j.value(QStringLiteral("time")).toString(),
                                     j.value(QStringLiteral("user")).toString(), state, j.value(QStringLiteral("snapshot")).toString());
    }
    return d;
}

} // namespace smtls
