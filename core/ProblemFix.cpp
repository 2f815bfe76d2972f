#include "ProblemFix.h"

#include "McScanner.h"
#include "TlsFeatures.h"
#include "TypographicQuotes.h"

#include <optional>

namespace smtls {
namespace {

constexpr QByteArrayView AccessDbLine = "FEATURE(`access_db')dnl";

// Features that look at access_db when m4 reads them (they test _ACCESS_TABLE_ in
// cf/feature/*.m4): FEATURE(`access_db') must come before them or they run without it.
const QList<QByteArray> &featuresNeedingAccessDb()
{
    static const QList<QByteArray> names{"bcc", "blacklist_recipients", "blocklist_recipients", "compat_check",
                                         "conncontrol", "greet_pause", "lookupdotdomain", "queuegroup",
                                         "ratecontrol", "relay_mail_from"};
    return names;
}


// The problem as `config` has it now: same kind, same subject; the one on the original line
// when several match (identical lines, a key duplicated three times), else the first.
std::optional<Problem> findAgain(const MailConfig &config, const Problem &problem)
{
    std::optional<Problem> first;
    for (const Problem &p : config.policy().problems()) {
        if (p.fix != problem.fix || p.subject != problem.subject)
            continue;
        if (p.line == problem.line)
            return p;
        if (!first)
            first = p;
    }
    return first;
}

Error alreadyFixed(const MailConfig &config, const Problem &problem)
{
    const QString key = QStringLiteral("Try_TLS:") + QString::fromLatin1(problem.subject);
    QString what;
    QString file = config.accessPath;
    switch (problem.fix) {
    case FixKind::StraightenQuotes:
        what = QStringLiteral("sendmail.mc no longer has the line \"%1\" with typographic quotes")
                   .arg(QString::fromUtf8(problem.subject));
        file = config.mc.fileName();
        break;
    case FixKind::CommentToOwnLine:
        what = QStringLiteral("the access file no longer has %1 with a comment in its value").arg(key);
        break;
    case FixKind::EnableAccessDb:
        what = QStringLiteral("sendmail.mc enables FEATURE(`access_db'), or the access file has no Try_TLS rules");
        file = config.mc.fileName();
        break;
    case FixKind::RemoveDuplicate:
        what = QStringLiteral("%1 is no longer duplicated in the access file").arg(key);
        break;
    case FixKind::CanonicalIPv6Key:
        what = QStringLiteral("the access file no longer has the key %1").arg(key);
        break;
    case FixKind::EnableTlsSessionFeatures:
        what = QStringLiteral("sendmail.mc enables FEATURE(`tls_session_features'), or the access file has no "
                              "TLS_Clt_Features entries");
        file = config.mc.fileName();
        break;
    case FixKind::RemoveMootFallback:
        what = QStringLiteral("no fallback to clear text is set while M=S switches STARTTLS off");
        break;
    case FixKind::RevertExpired:
        what = QStringLiteral("%1 has no expired exception any more").arg(QString::fromLatin1(problem.subject));
        break;
    case FixKind::None:
        break;
    }
    return makeError(ErrorKind::InvalidInput, QStringLiteral("already fixed: %1").arg(what), file);
}

// --- sendmail.mc -------------------------------------------------------------------------

bool isWordChar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// Whether every ` on the line is closed by a ' and no ' closes nothing, reading as m4 does
// (outside quotes, `#` and `dnl` end the code). A typographic apostrophe inside text
// ("`Sendmail’s server'") straightened would fail this: m4 would then end the string early,
// silently, so such a line is left for the administrator.
bool quotesBalance(QByteArrayView line)
{
    int depth = 0;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (c == '`') {
            ++depth;
        } else if (c == '\'') {
            if (depth == 0)
                return false;
            --depth;
        } else if (depth == 0 && c == '#') {
            break;
        } else if (depth == 0 && line.sliced(i).startsWith("dnl") && (i == 0 || !isWordChar(line[i - 1]))
                   && (i + 3 == line.size() || !isWordChar(line[i + 3]))) {
            break;
        }
    }
    return depth == 0;
}

// After changequote, ` and ' are not m4's quotes any more, so writing them would not help.
Status refuseAfterChangequote(const McScan &scan, const LineIndex &lines, qsizetype before, const QString &file)
{
    for (const MacroCall &call : scan.calls)
        if (call.name == "changequote" && call.start < before)
            return makeError(ErrorKind::InvalidConfig,
                             QStringLiteral("changequote on line %1 changes m4's quotes, so ` and ' may not be "
                                            "quotes here; edit the file by hand")
                                 .arg(call.line),
                             file, lines.lineOf(before) + 1);
    return std::nullopt;
}

// The terminator of this line, or the file's habit for a last line without one.
QByteArray lineEndingOf(const QByteArray &bytes, const LineIndex &lines, int line)
{
    if (lines.hasTerminator(bytes, line))
        return bytes.mid(lines.contentEnd(bytes, line), lines.end(line) - lines.contentEnd(bytes, line));
    return preferredLineEnding(bytes);
}

Result<ConfigChange> straightenQuotes(const MailConfig &config, const Problem &found)
{
    const QByteArray &bytes = config.mc.bytes();
    const LineIndex lines(bytes);
    const int line = found.line - 1;
    const QByteArrayView content = lines.content(bytes, line);
    if (Status s = refuseAfterChangequote(scanMc(bytes, lines, config.mc.fileName()), lines, lines.start(line),
                                          config.mc.fileName()))
        return *s;
    const QByteArray straight = withStraightQuotes(content);
    if (!quotesBalance(straight))
        return makeError(ErrorKind::InvalidConfig,
                         QStringLiteral("with ` and ' in place of the typographic quotes the line's quotes would not "
                                        "pair up (one of them is probably an apostrophe in text); edit the line by hand"),
                         config.mc.fileName(), found.line);
    ConfigChange change = unchangedConfig(config);
    change.mc.after.replace(lines.start(line), content.size(), straight);
    change.notes.append(QStringLiteral("Line %1 of sendmail.mc now has m4's quotes (` to open, ' to close) instead of "
                                       "typographic ones.")
                            .arg(found.line));
    return change;
}

// Where FEATURE(`access_db') goes: before the first feature that needs it, else before the
// first MAILER (cf.m4 refuses features after mailers), else at the end. -1 for the end.
Result<qsizetype> accessDbInsertionPoint(const MailConfig &config, const LineIndex &lines)
{
    const QByteArray &bytes = config.mc.bytes();
    const McScan scan = scanMc(bytes, lines, config.mc.fileName());
    for (const MacroCall &call : scan.calls) {
        const bool needsIt = call.name == "FEATURE" && !call.arguments.isEmpty()
            && featuresNeedingAccessDb().contains(
                unquotedArgument(bytes, call.arguments[0], call.quoteOpen, call.quoteClose).trimmed());
        if (needsIt || (call.name == "MAILER" && call.hasArguments)) {
            const qsizetype at = lines.start(lines.lineOf(call.start));
            if (Status s = refuseAfterChangequote(scan, lines, at, config.mc.fileName()))
                return *s;
            return at;
        }
    }
    if (Status s = refuseAfterChangequote(scan, lines, bytes.size() + 1, config.mc.fileName()))
        return *s;
    return qsizetype(-1);
}

Result<ConfigChange> enableAccessDb(const MailConfig &config)
{
    // As for the other edits of sendmail.mc: where quoting is broken, we cannot know what is
    // code and what is text.
    for (const Problem &p : config.mc.problems())
        if (p.severity == Severity::Error)
            return makeError(ErrorKind::InvalidConfig, QStringLiteral("refusing to edit: %1; fix this first").arg(p.message),
                             config.mc.fileName(), p.line);
    const QByteArray &bytes = config.mc.bytes();
    const LineIndex lines(bytes);
    const Result<qsizetype> at = accessDbInsertionPoint(config, lines);
    if (!at)
        return at.error();
    ConfigChange change = unchangedConfig(config);
    QByteArray &after = change.mc.after;
    int newLine = 0;
    if (*at >= 0) {
        const int before = lines.lineOf(*at);
        after.insert(*at, AccessDbLine.toByteArray() + lineEndingOf(bytes, lines, before));
        newLine = before + 1;
    } else if (bytes.isEmpty()) {
        after = AccessDbLine.toByteArray() + '\n';
        newLine = 1;
    } else if (bytes.endsWith('\n')) {
        after.append(AccessDbLine.toByteArray() + lineEndingOf(bytes, lines, lines.count() - 1));
        newLine = lines.count() + 1;
    } else {
        after.append(preferredLineEnding(bytes) + AccessDbLine.toByteArray());  // keep "no final newline"
        newLine = lines.count() + 1;
    }
    change.notes.append(QStringLiteral("Added FEATURE(`access_db') on line %1 of sendmail.mc: the Try_TLS rules take "
                                       "effect once sendmail.cf is regenerated, the access map is built with makemap "
                                       "and sendmail is restarted.")
                            .arg(newLine));
    return change;
}

// --- access file ---------------------------------------------------------------------------

// The rule a re-found access problem is about: on its line, with its key as written.
const TryTlsRule *ruleOf(const AccessMap &access, const Problem &found)
{
    for (const TryTlsRule &rule : access.tryTlsRules())
        if (rule.line == found.line - 1 && access.keyOf(rule) == QByteArrayView(found.subject))
            return &rule;
    return nullptr;
}

// Validation asks sendmail about the destinations a change touches (see ApplyPipeline).
void touch(ConfigChange &change, QByteArrayView key)
{
    if (key.isEmpty())
        return;  // the default rule: validation always asks about an unlisted server
    if (const Result<Destination> d = parseDestinationKey(key))
        change.touched.append(*d);
}

// What the value becomes once the rest of it is a comment.
QByteArray firstWord(QByteArrayView value)
{
    qsizetype end = 0;
    while (end < value.size() && value[end] != ' ' && value[end] != '\t')
        ++end;
    return value.first(end).toByteArray();
}

Result<ConfigChange> moveCommentToOwnLine(const MailConfig &config, const Problem &found)
{
    AccessMap access = *config.access;
    const TryTlsRule *rule = ruleOf(access, found);
    if (!rule)
        return alreadyFixed(config, found);
    const QByteArray word = firstWord(access.valueOf(*rule));
    const bool decides = access.find(found.subject) == rule;
    if (Status s = access.moveValueCommentAbove(*rule))
        return *s;
    ConfigChange change = unchangedConfig(config);
    change.access.after = access.bytes();
    const QString key = QStringLiteral("Try_TLS:") + QString::fromLatin1(found.subject);
    change.notes.append(QStringLiteral("%1 now has the value %2; the rest of its line is a comment on the line above, "
                                       "which makemap ignores.")
                            .arg(key, QString::fromUtf8(word)));
    if (decides && word.compare("NO", Qt::CaseInsensitive) == 0)
        change.notes.append(QStringLiteral("Once the map is rebuilt, sendmail stops trying STARTTLS where %1 decides.").arg(key));
    touch(change, found.subject);
    return change;
}

Result<ConfigChange> removeDuplicate(const MailConfig &config, const Problem &found)
{
    AccessMap access = *config.access;
    const TryTlsRule *rule = ruleOf(access, found);
    if (!rule)
        return alreadyFixed(config, found);
    access.removeRuleLine(*rule);
    ConfigChange change = unchangedConfig(config);
    change.access.after = access.bytes();
    const TryTlsRule *winner = access.find(found.subject);
    change.notes.append(QStringLiteral("Removed line %1, a second Try_TLS:%2 that makemap ignored; the rule on line %3 "
                                       "still decides.")
                            .arg(found.line)
                            .arg(QString::fromLatin1(found.subject))
                            .arg(winner ? winner->line + 1 : 0));
    touch(change, found.subject);
    return change;
}

Result<ConfigChange> canonicalIPv6Key(const MailConfig &config, const Problem &found)
{
    AccessMap access = *config.access;
    const TryTlsRule *rule = ruleOf(access, found);
    if (!rule)
        return alreadyFixed(config, found);
    const QByteArray canonical = canonicalIPv6(found.subject, config.mc.ipv6Form());
    // Renaming onto an existing key would make a duplicate, and possibly change which of the
    // two rules decides: the administrator has to choose.
    if (const TryTlsRule *existing = access.findLine(canonical); existing && existing != rule)
        return makeError(ErrorKind::InvalidConfig,
                         QStringLiteral("Try_TLS:%1 already exists on line %2; remove one of the two rules by hand")
                             .arg(QString::fromLatin1(canonical))
                             .arg(existing->line + 1),
                         config.accessPath, found.line);
    if (Status s = access.setKey(*rule, canonical))
        return *s;
    ConfigChange change = unchangedConfig(config);
    change.access.after = access.bytes();
    change.notes.append(QStringLiteral("Try_TLS:%1 is now Try_TLS:%2, the form in which this sendmail writes the "
                                       "address, so the rule can match.")
                            .arg(QString::fromLatin1(found.subject), QString::fromLatin1(canonical)));
    touch(change, canonical);
    return change;
}

Result<ConfigChange> enableTlsSessionFeatures(const MailConfig &config)
{
    const Result<QByteArray> mc = config.mc.withTlsSessionFeatures();
    if (!mc)
        return mc.error();
    ConfigChange change = unchangedConfig(config);
    change.mc.after = *mc;
    change.notes.append(QStringLiteral("Added FEATURE(`tls_session_features') to sendmail.mc: the TLS_Clt_Features entries "
                                       "take effect once sendmail.cf is regenerated and sendmail is restarted."));
    return change;
}

// M=S leaves no handshake to fall back from: the setting goes (the define in sendmail.mc, or
// the flag C of one entry, with the entry when nothing else is in it).
Result<ConfigChange> removeMootFallback(const MailConfig &config, const Problem &found)
{
    ConfigChange change = unchangedConfig(config);
    if (found.file == config.mc.fileName()) {
        const Result<QByteArray> mc = config.mc.withTlsFallbackToClear(false);
        if (!mc)
            return mc.error();
        change.mc.after = *mc;
        change.notes.append(QStringLiteral("TLSFallbacktoClear is off. If you turn STARTTLS back on later, 'set global "
                                           "fallback' turns it on again."));
        return change;
    }
    AccessMap access = *config.access;
    const AccessRule *rule = access.findCltFeatures(found.subject);
    if (!rule)
        return alreadyFixed(config, found);
    const std::optional<QByteArray> value = TlsFeatures(access.valueOf(*rule).toByteArray()).withoutFlag('C');
    if (!value)
        return makeError(ErrorKind::InvalidConfig, QStringLiteral("the value of TLS_Clt_Features:%1 is in double quotes; "
                                                                  "change its Flags by hand")
                                                       .arg(QString::fromLatin1(found.subject)),
                         config.accessPath, found.line);
    const Result<Destination> destination = parseDestinationKey(found.subject);
    Destination d = destination ? *destination : Destination{DestinationKind::HostName, found.subject.toLower()};
    if (value->trimmed().isEmpty()) {
        access.removeCltFeatures(d);
    } else {
        if (Status s = access.setCltFeatures(d, *value))
            return *s;
        if (const AccessRule *own = access.findCltFeatures(d.key))
            access.removeNoteOf(*own);
    }
    change.access.after = access.bytes();
    change.notes.append(QStringLiteral("TLS_Clt_Features:%1 no longer has the flag C.").arg(QString::fromLatin1(found.subject)));
    touch(change, found.subject);
    return change;
}

// An expired exception goes: a Try_TLS rule with its note, the flags C and c of a
// TLS_Clt_Features entry (the entry when nothing else is in it), or our fallback define.
Result<ConfigChange> revertExpired(const MailConfig &config, const Problem &found)
{
    ConfigChange change = unchangedConfig(config);
    const QByteArray subject = found.subject;
    if (found.file == config.mc.fileName() && subject == "TLSFallbacktoClear") {
        const Result<QByteArray> mc = config.mc.withTlsFallbackToClear(false);
        if (!mc)
            return mc.error();
        change.mc.after = *mc;
        change.notes.append(QStringLiteral("The fallback to clear text has expired and is off again: sendmail.cf must be "
                                           "regenerated and sendmail restarted."));
        return change;
    }
    const bool features = subject.startsWith("TLS_Clt_Features:");
    const QByteArray key = subject.mid(subject.indexOf(':') + 1);
    const Result<Destination> parsed = parseDestinationKey(key);
    const Destination d = key.isEmpty() ? Destination{}
        : parsed                        ? *parsed
                                        : Destination{DestinationKind::HostName, key.toLower()};
    AccessMap access = *config.access;
    if (!features) {
        access.removeTryTls(d);
    } else {
        const AccessRule *rule = access.findCltFeatures(key);
        if (!rule)
            return alreadyFixed(config, found);
        std::optional<QByteArray> value = TlsFeatures(access.valueOf(*rule).toByteArray()).withoutFlag('C');
        if (value)
            value = TlsFeatures(*value).withoutFlag('c');
        if (!value)
            return makeError(ErrorKind::InvalidConfig,
                             QStringLiteral("the value of %1 is in double quotes; change its Flags by hand").arg(QString::fromLatin1(subject)),
                             config.accessPath, found.line);
        if (value->trimmed().isEmpty()) {
            access.removeCltFeatures(d);
        } else {
            if (Status s = access.setCltFeatures(d, *value))
                return *s;
            if (const AccessRule *own = access.findCltFeatures(key))
                access.removeNoteOf(*own);
        }
    }
    change.access.after = access.bytes();
    change.notes.append(QStringLiteral("Removed the expired exception %1 (line %2).").arg(QString::fromLatin1(subject)).arg(found.line));
    touch(change, key);
    return change;
}

} // namespace

Result<ConfigChange> planExpire(const MailConfig &config)
{
    // Found once (a scan of a million-line map is not repeated per exception); each revert finds
    // its rule by key, so the lines earlier reverts removed do not matter.
    QList<Problem> expired;
    for (const Problem &p : config.policy().problems())
        if (p.fix == FixKind::RevertExpired)
            expired.append(p);
    Result<ConfigChange> total =
        planInSequence(config, expired.size(), [&expired](const MailConfig &c, qsizetype i) { return revertExpired(c, expired[i]); });
    if (total && total->notes.isEmpty())
        total->notes.append(QStringLiteral("No exception has expired; nothing to change."));
    return total;
}

QString fixLabel(const Problem &problem)
{
    switch (problem.fix) {
    case FixKind::None: return {};
    case FixKind::StraightenQuotes: return QStringLiteral("Replace the curly quotes with ` and '");
    case FixKind::CommentToOwnLine: return QStringLiteral("Move the comment to a line of its own");
    case FixKind::EnableAccessDb: return QStringLiteral("Add FEATURE(`access_db') to sendmail.mc");
    case FixKind::RemoveDuplicate: return QStringLiteral("Remove the duplicate line");
    case FixKind::CanonicalIPv6Key: return QStringLiteral("Write the address as sendmail does");
    case FixKind::EnableTlsSessionFeatures: return QStringLiteral("Add FEATURE(`tls_session_features') to sendmail.mc");
    case FixKind::RemoveMootFallback: return QStringLiteral("Remove the fallback that M=S makes moot");
    case FixKind::RevertExpired: return QStringLiteral("Remove the expired exception");
    }
    return {};
}

Result<ConfigChange> planFix(const MailConfig &config, const Problem &problem)
{
    if (problem.fix == FixKind::None)
        return makeError(ErrorKind::InvalidInput, QStringLiteral("this problem has no automatic fix"), problem.file,
                         problem.line);
    const std::optional<Problem> found = findAgain(config, problem);
    if (!found)
        return alreadyFixed(config, problem);
    switch (found->fix) {
    case FixKind::StraightenQuotes: return straightenQuotes(config, *found);
    case FixKind::EnableAccessDb: return enableAccessDb(config);
    case FixKind::CommentToOwnLine: return moveCommentToOwnLine(config, *found);
    case FixKind::RemoveDuplicate: return removeDuplicate(config, *found);
    case FixKind::CanonicalIPv6Key: return canonicalIPv6Key(config, *found);
    case FixKind::EnableTlsSessionFeatures: return enableTlsSessionFeatures(config);
    case FixKind::RemoveMootFallback: return removeMootFallback(config, *found);
    case FixKind::RevertExpired: return revertExpired(config, *found);
    case FixKind::None: break;
    }
    return makeError(ErrorKind::Internal, QStringLiteral("no fix for this kind of problem"));
}

} // namespace smtls
