#include "apply/AuditTrail.h"

#include "transport/Transport.h"

namespace smtls {
namespace {

const QString Ellipsis = QStringLiteral("...");

// Characters a reader of the log must not be shown as they are: C0/C1 controls and DEL (a
// newline forges a second line, an escape drives the terminal of whoever runs `tail`), the
// Unicode line and paragraph separators, and invisible format characters (bidi overrides make
// "applied" read as something else, zero-width ones hide text).
bool mustEscape(char32_t c)
{
    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
        return true;
    switch (QChar::category(c)) {
    case QChar::Other_Format:
    case QChar::Other_Surrogate:
    case QChar::Other_PrivateUse:
    case QChar::Other_NotAssigned:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph: return true;
    default: return false;
    }
}

QString escaped(char32_t c)
{
    if (c < 0x100)
        return QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
    return QStringLiteral("\\u{%1}").arg(uint(c), 4, 16, QLatin1Char('0'));
}

// key=value; the value in double quotes when it has a space, '=' or is empty (logfmt).
QString field(const QString &key, const QString &value, qsizetype maxChars)
{
    const QString safe = auditSafe(value, maxChars);
    const bool quote = safe.isEmpty() || safe.contains(QLatin1Char(' ')) || safe.contains(QLatin1Char('='))
        || safe.contains(QLatin1Char('"'));
    return key + QLatin1Char('=') + (quote ? QLatin1Char('"') + safe + QLatin1Char('"') : safe);
}

// At most MAXBYTES bytes of UTF-8, cut between characters, "..." at the cut.
QString boundedBytes(const QString &line, qsizetype maxBytes)
{
    if (line.toUtf8().size() <= maxBytes)
        return line;
    QString out;
    qsizetype bytes = 0;
    const qsizetype room = maxBytes - Ellipsis.size();
    for (qsizetype i = 0; i < line.size();) {
        const qsizetype units = line.at(i).isHighSurrogate() && i + 1 < line.size() ? 2 : 1;
        const qsizetype size = line.mid(i, units).toUtf8().size();
        if (bytes + size > room)
            break;
        out += line.mid(i, units);
        bytes += size;
        i += units;
    }
    return out + Ellipsis;
}

} // namespace

QString auditSafe(const QString &text, qsizetype maxChars)
{
    // Never more than needed: a description of megabytes is not decoded whole (every
    // character gives at least one, so this prefix decides whether a cut is needed).
    const QString head = text.left(2 * maxChars + 2);
    QStringList pieces;
    qsizetype length = 0;
    for (const uint c : head.toUcs4()) {
        const char32_t u = c;
        pieces << (mustEscape(u) ? escaped(u)
                   : u == U'\\'  ? QStringLiteral("\\\\")
                   : u == U'"'    ? QStringLiteral("\\\"")
                                  : QString::fromUcs4(&u, 1));
        length += pieces.last().size();
        if (length > maxChars)
            break;
    }
    if (length <= maxChars && head.size() == text.size())
        return pieces.join(QString());
    // Whole pieces only: an escape is never cut in half.
    QString out;
    for (const QString &piece : pieces) {
        if (out.size() + piece.size() + Ellipsis.size() > maxChars)
            break;
        out += piece;
    }
    return out + Ellipsis;
}

QString auditLine(const AuditEntry &e)
{
    QStringList fields{field(QStringLiteral("outcome"), e.outcome, 40)};
    if (!e.kind.isEmpty())
        fields << field(QStringLiteral("kind"), e.kind, 40);
    fields << field(QStringLiteral("user"), e.user, 64);
    if (!e.login.isEmpty())
        fields << field(QStringLiteral("login"), e.login, 64);
    fields << field(QStringLiteral("from"), e.from, 100);
    if (!e.files.isEmpty())
        fields << field(QStringLiteral("files"), e.files.join(QLatin1Char(',')), 200);
    if (!e.snapshot.isEmpty())
        fields << field(QStringLiteral("snapshot"), e.snapshot, 80);
    if (!e.hostSnapshot.isEmpty())
        fields << field(QStringLiteral("host-snapshot"), e.hostSnapshot, 160);
    fields << field(QStringLiteral("change"), e.change, 240);
    if (!e.cause.isEmpty())
        fields << field(QStringLiteral("cause"), e.cause, 300);
    return boundedBytes(fields.join(QLatin1Char(' ')), MaxAuditLineBytes);
}

QString etckeeperMessage(const AuditEntry &e)
{
    QString who = auditSafe(e.user, 64);
    if (!e.login.isEmpty())
        who += QStringLiteral(" as ") + auditSafe(e.login, 64);
    QString line = QStringLiteral("sendmail-tls: %1 (%2 by %3 from %4")
                       .arg(auditSafe(e.change, 240), auditSafe(e.kind, 40), who, auditSafe(e.from, 100));
    if (!e.snapshot.isEmpty() || !e.hostSnapshot.isEmpty())
        line += QStringLiteral(", snapshot %1").arg(auditSafe(e.snapshot.isEmpty() ? e.hostSnapshot : e.snapshot, 160));
    return boundedBytes(line + QLatin1Char(')'), MaxAuditLineBytes);
}

CommandLine auditLoggerCommand(const QString &line)
{
    return CommandLine{QStringLiteral("logger"),
                       {QStringLiteral("-t"), QStringLiteral("sendmail-tls"), QStringLiteral("-p"), QStringLiteral("mail.notice"),
                        QStringLiteral("--"), line}};
}

CommandLine etckeeperStateCommand()
{
    // What etckeeper itself looks at: its own file /etc/.etckeeper (written by `etckeeper init`
    // for every VCS) or the repository; `etckeeper unclean` is true when there is something to
    // commit. Without that check a commit with nothing in it would fail and warn for nothing.
    return CommandLine::shellScript(QStringLiteral(
        "command -v etckeeper >/dev/null 2>&1 || { echo absent; exit 0; }\n"
        "[ -e /etc/.etckeeper ] || [ -e /etc/.git ] || { echo absent; exit 0; }\n"
        "if etckeeper unclean; then echo unclean; else echo clean; fi\n"));
}

CommandLine etckeeperCommitCommand(const QString &message)
{
    return CommandLine{QStringLiteral("etckeeper"), {QStringLiteral("commit"), QStringLiteral("-m"), message}};
}

AuditWritten writeAudit(Transport &t, const AuditEntry &entry, bool commit)
{
    AuditWritten w;
    QStringList said;
    const Result<CommandResult> logged = t.run(auditLoggerCommand(auditLine(entry)), {}, 15s);
    if (!logged)
        w.warnings << QStringLiteral("warning: no audit line in the host's syslog: %1").arg(logged.error().message);
    else if (!logged->ok())
        w.warnings << QStringLiteral("warning: no audit line in the host's syslog: logger failed or is missing (exit %1): %2")
                          .arg(logged->exitCode)
                          .arg(logged->firstErrorLine());
    else
        said << QStringLiteral("one line in the host's syslog (mail.notice, tag sendmail-tls)");
    w.lineWritten = logged && logged->ok();
    if (commit) {
        const Result<CommandResult> state = t.run(etckeeperStateCommand(), {}, 30s);
        const QByteArray answer = state && state->ok() ? state->out.trimmed() : QByteArray();
        if (!state || !state->ok()) {
            w.warnings << QStringLiteral("warning: cannot tell whether the host uses etckeeper: %1")
                              .arg(state ? state->firstErrorLine() : state.error().message);
        } else if (answer == "clean") {
            said << QStringLiteral("etckeeper: nothing to commit");
        } else if (answer == "unclean") {
            const Result<CommandResult> done = t.run(etckeeperCommitCommand(etckeeperMessage(entry)), {}, 120s);
            if (done && done->ok())
                said << QStringLiteral("committed to etckeeper");
            else
                w.warnings << QStringLiteral("warning: etckeeper commit failed%1: %2")
                                  .arg(done ? QStringLiteral(" (exit %1)").arg(done->exitCode) : QString(),
                                       done ? done->firstErrorLine() : done.error().message);
        }
    }
    w.said = said.isEmpty() ? QStringLiteral("nothing written on the host") : said.join(QStringLiteral("; "));
    return w;
}

} // namespace smtls
