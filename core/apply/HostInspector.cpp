#include "apply/HostInspector.h"

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
    "echo '@@hostmc'; h=$(hostname 2>/dev/null); [ -e \"/etc/mail/$h.mc\" ] && printf '%s\\n' \"$h.mc\"\n"
    "echo '@@version'; \"$1\" -d0.1 -bv root 2>&1 | grep -E '^Version |STARTTLS'\n"
    "echo '@@journal'; cat -- \"$2\" 2>/dev/null\n"
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
    // sendmail's own path and the journal's are the profile's; the default profile's when it
    // is yet to be detected (they agree on every system we know).
    const HostProfile guess = knownProfile ? *knownProfile : profileById(QStringLiteral("debian"));
    const Result<CommandResult> facts = transport.run(
        CommandLine::shellScript(FactsScript, {guess.sendmail, transport.commandPath(guess.stateDir + QStringLiteral("/journal.json"))}),
        {}, 90s);
    if (!facts)
        return facts.error();
    const QString text = QString::fromUtf8(facts->out);
    d.facts.osRelease = section(text, QStringLiteral("os"));
    d.facts.uname = section(text, QStringLiteral("uname"));
    d.facts.hasSystemctl = section(text, QStringLiteral("systemctl")) == QLatin1String("yes");
    d.facts.hasInitScript = section(text, QStringLiteral("initd")) == QLatin1String("yes");
    d.facts.freebsdMcName = section(text, QStringLiteral("hostmc"));
    d.detectedProfile = detectProfile(d.facts);

    // "Version 8.17.1.9" and "Compiled with: … STARTTLS …" (verified on Debian 12).
    for (const QString &line : section(text, QStringLiteral("version")).split(QLatin1Char('\n'))) {
        if (line.startsWith(QLatin1String("Version ")))
            d.sendmailVersion = line.mid(8).trimmed();
        if (line.contains(QLatin1String("STARTTLS")))
            d.startTlsCompiled = true;
    }
    const QByteArray journalText = section(text, QStringLiteral("journal")).toUtf8();
    const std::optional<QByteArray> journalBytes = journalText.isEmpty() ? std::nullopt : std::optional<QByteArray>(journalText);
    const Result<std::optional<QByteArray>> journal(journalBytes);
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

Problems hostDetailProblems(const HostDetails &details, const HostProfile &profile)
{
    Problems out;
    if (!details.unfinishedApply.isEmpty())
        out.append(Problem{profile.stateDir + QStringLiteral("/journal.json"), 0, Severity::Error, details.unfinishedApply});
    if (details.sendmailVersion.isEmpty())
        out.append(Problem{profile.sendmail, 0, Severity::Info,
                           QStringLiteral("the version of sendmail could not be read (%1 -d0.1 -bv): is it installed there?")
                               .arg(profile.sendmail)});
    else if (!details.startTlsCompiled)
        out.append(Problem{profile.sendmail, 0, Severity::Info,
                           QStringLiteral("sendmail %1 on this host was built without STARTTLS: it never tries TLS with "
                                          "any server, so no handshake can fail and nothing here needs switching off")
                               .arg(details.sendmailVersion)});
    return out;
}

} // namespace smtls
