#include "SendmailMc.h"

#include <tuple>

namespace smtls {
namespace {

bool isBlank(char c) { return c == ' ' || c == '\t'; }

// The text file behind a map specification such as "hash -T<TMPF> -o /etc/mail/access.db":
// the last word that is not a flag; sendmail adds ".db" to hash and btree maps itself, so a
// written ".db" is dropped.
AccessDbFeature parseAccessDb(const QByteArray &spec, int line)
{
    AccessDbFeature f;
    f.line = line;
    f.mapSpec = spec;
    const QByteArray lower = spec.trimmed().toLower();
    if (lower.isEmpty() || lower == "skip" || lower == "lookupdotdomain" || lower == "relaytofulladdress")
        return f;
    const QList<QByteArray> words = spec.simplified().split(' ');
    f.mapType = words.first().toLower();
    for (qsizetype k = words.size() - 1; k >= 1; --k) {
        if (!words[k].startsWith('-')) {
            QByteArray path = words[k];
            if ((f.mapType == "hash" || f.mapType == "btree") && path.endsWith(".db"))
                path.chop(3);
            f.sourcePath = QString::fromUtf8(path);
            break;
        }
    }
    return f;
}

// The bytes of an argument's text: blanks and newlines around it dropped, and one level of
// quotes when it is quoted as a whole.
std::pair<qsizetype, qsizetype> argumentText(const QByteArray &bytes, const MacroArgument &a, const QByteArray &qo,
                                             const QByteArray &qc)
{
    qsizetype s = a.start, e = a.end;
    const auto space = [&](qsizetype k) { return isBlank(bytes[k]) || bytes[k] == '\n' || bytes[k] == '\r'; };
    while (s < e && space(s))
        ++s;
    while (e > s && space(e - 1))
        --e;
    const QByteArrayView text = QByteArrayView(bytes).sliced(s, e - s);
    if (text.size() >= qo.size() + qc.size() && text.startsWith(qo) && text.endsWith(qc)) {
        s += qo.size();
        e -= qc.size();
    }
    return {s, e};
}

} // namespace

bool FallbackDefine::on() const
{
    const QByteArray v = value.trimmed();
    return v.isEmpty() || v.front() == 't' || v.front() == 'T' || v.front() == 'y' || v.front() == 'Y';
}

QByteArray SendmailMc::fallbackMarker()
{
    return QByteArrayLiteral("dnl # sendmail-tls: when the TLS handshake with a server fails, retry the delivery in "
                             "clear text right away (sendmail 8.16+).");
}

QByteArray SendmailMc::fallbackLine()
{
    return QByteArrayLiteral("define(`confTLS_FALLBACK_TO_CLEAR', `true')dnl");
}

QByteArray SendmailMc::sessionFeaturesLine()
{
    return QByteArrayLiteral("FEATURE(`tls_session_features')dnl");
}

QByteArray SendmailMc::insertedMarker()
{
    return QByteArrayLiteral("dnl # sendmail-tls: no STARTTLS on outbound connections (M=S). "
                             "Meant to be temporary.");
}

QByteArray SendmailMc::insertedLine()
{
    return QByteArrayLiteral("CLIENT_OPTIONS(`Family=inet, M=S')dnl");
}

SendmailMc::SendmailMc(QByteArray bytes, QString fileName)
    : m_bytes(std::move(bytes)), m_fileName(std::move(fileName)), m_lines(m_bytes)
{
    m_scan = scanMc(m_bytes, m_lines, m_fileName);
    for (const MacroCall &call : m_scan.calls) {
        const QByteArray &qo = call.quoteOpen;
        const QByteArray &qc = call.quoteClose;
        const auto arg = [&](int k) {
            return k < call.arguments.size() ? unquotedArgument(m_bytes, call.arguments[k], qo, qc) : QByteArray();
        };
        if (call.name == "CLIENT_OPTIONS" && call.hasArguments && !call.arguments.isEmpty()) {
            ClientOptionsDecl d;
            d.line = call.line;
            d.call = call;
            // Locate the option text itself (inside one level of quotes, if quoted).
            const MacroArgument &a = call.arguments[0];
            qsizetype s = a.start, e = a.end;
            while (s < e && (isBlank(m_bytes[s]) || m_bytes[s] == '\n' || m_bytes[s] == '\r'))
                ++s;
            qsizetype te = e;
            while (te > s && (isBlank(m_bytes[te - 1]) || m_bytes[te - 1] == '\n' || m_bytes[te - 1] == '\r'))
                --te;
            if (m_bytes.sliced(s, te - s).startsWith(qo) && m_bytes.sliced(s, te - s).endsWith(qc)
                && te - s >= qo.size() + qc.size()) {
                s += qo.size();
                te -= qc.size();
            }
            d.optionsStart = s;
            d.optionsEnd = te;
            d.options = OptionList(m_bytes.mid(s, te - s));
            m_clientOptions.append(d);
        } else if (call.name == "DAEMON_OPTIONS" && call.hasArguments) {
            DaemonOptionsDecl d;
            d.line = call.line;
            d.options = OptionList(arg(0));
            m_daemonOptions.append(d);
        } else if (call.name == "FEATURE" && arg(0).trimmed() == "access_db") {
            m_accessDb = parseAccessDb(arg(1), call.line);  // a repeated FEATURE overrides
            m_accessDbLineAfter = m_lines.lineOf(call.end > call.start ? call.end - 1 : call.start) + 1;
            ++m_accessDbCount;
        } else if (call.name == "FEATURE" && arg(0).trimmed() == "tls_session_features") {
            if (!m_sessionFeaturesLine)
                m_sessionFeaturesLine = call.line;
        } else if (call.name == "include" && arg(0).contains("starttls.m4")) {
            if (!m_startTlsLine)
                m_startTlsLine = call.line;
        } else if (call.name == "define") {
            const QByteArray name = arg(0).trimmed();
            if (name == "confTLS_FALLBACK_TO_CLEAR") {
                FallbackDefine f;  // the last one counts: m4 replaces the definition
                f.line = call.line;
                f.call = call;
                f.hasValue = call.arguments.size() >= 2;
                if (f.hasValue) {
                    f.value = arg(1);
                    std::tie(f.valueStart, f.valueEnd) = argumentText(m_bytes, call.arguments[1], qo, qc);
                } else {
                    f.valueStart = f.valueEnd = call.end - 1;  // at the ')'
                }
                m_fallback = f;
            }
            if (name == "confUSE_COMPRESSED_IPV6_ADDRESSES") {
                const QByteArray value = arg(1).trimmed().toLower();
                m_compressedIPv6 = value == "true" || value == "yes" || value == "t" || value == "y";
            }
            if (name == "confCACERT" || name == "confCACERT_PATH" || name == "confSERVER_CERT"
                || name == "confCLIENT_CERT") {
                if (!m_startTlsLine)
                    m_startTlsLine = call.line;
            }
        } else if ((call.name == "MAILER_DEFINITIONS" || call.name == "MAILER") && m_mailerSectionStart < 0) {
            m_mailerSectionStart = m_lines.start(m_lines.lineOf(call.start));
        }
    }
}

Problems SendmailMc::problems() const
{
    Problems out = m_scan.problems;
    for (const ClientOptionsDecl &d : m_clientOptions) {
        if (d.options.fieldsByLetter('M').size() > 1)
            out.append(Problem{m_fileName, d.line, Severity::Warning,
                               QStringLiteral("CLIENT_OPTIONS has more than one M= field; sendmail "
                                              "uses only the last, so write all letters in one")});
    }
    if (m_clientOptions.isEmpty()) {
        for (int line : m_scan.commentedClientOptions)
            out.append(Problem{m_fileName, line, Severity::Info,
                               QStringLiteral("CLIENT_OPTIONS here is inside a comment (dnl or #) and has "
                                              "no effect")});
    }
    if (m_accessDbCount > 1)
        out.append(Problem{m_fileName, m_accessDb->line, Severity::Warning,
                           QStringLiteral("FEATURE(`access_db') appears %1 times; the last one counts")
                               .arg(m_accessDbCount)});
    // Families with and without S: on sendmail 8.17 one S switches all of them off, which is
    // worth saying since the file suggests otherwise.
    bool someS = false, someNot = false;
    for (const ClientOptionsDecl &d : m_clientOptions)
        (d.skipsStartTls() ? someS : someNot) = true;
    if (someS && someNot)
        out.append(Problem{m_fileName, firstClientOptionsWithS()->line, Severity::Info,
                           QStringLiteral("only some CLIENT_OPTIONS carry M=S, yet sendmail 8.17 then skips "
                                          "STARTTLS on outbound connections of every family")});
    std::stable_sort(out.begin(), out.end(), [](const Problem &a, const Problem &b) { return a.line < b.line; });
    return out;
}

bool SendmailMc::clientStartTlsDisabled() const
{
    return firstClientOptionsWithS() != nullptr;
}

const ClientOptionsDecl *SendmailMc::firstClientOptionsWithS() const
{
    for (const ClientOptionsDecl &d : m_clientOptions)
        if (d.skipsStartTls())
            return &d;
    return nullptr;
}

const ClientOptionsDecl *SendmailMc::clientOptionsFor(const QByteArray &family) const
{
    const ClientOptionsDecl *found = nullptr;
    for (const ClientOptionsDecl &d : m_clientOptions)
        if (d.family() == family)
            found = &d;
    return found;
}

Status SendmailMc::refuseIfUnsafe() const
{
    for (const Problem &p : m_scan.problems)
        if (p.severity == Severity::Error)
            return makeError(ErrorKind::InvalidConfig,
                             QStringLiteral("refusing to edit: %1; fix this first").arg(p.message),
                             m_fileName, p.line);
    return std::nullopt;
}

Status SendmailMc::refuseIfQuotesChanged() const
{
    if (m_scan.quoteOpen == "`" && m_scan.quoteClose == "'")
        return std::nullopt;
    return makeError(ErrorKind::InvalidConfig,
                     QStringLiteral("refusing to edit: changequote sets other quotes than ` and ', so what we would write "
                                    "may not be quoted for m4; edit the file by hand"),
                     m_fileName);
}

bool SendmailMc::isOurPair(int line, const QByteArray &marker, const QByteArray &text) const
{
    // The marker may carry an expiry after its fixed text.
    const int k = line - 1;
    return k > 0 && m_lines.content(m_bytes, k) == QByteArrayView(text) && m_lines.content(m_bytes, k - 1).startsWith(marker);
}

int SendmailMc::fallbackMarkerLine() const
{
    if (!m_fallback || !isOurPair(m_fallback->line, fallbackMarker(), fallbackLine()))
        return 0;
    return m_fallback->line - 1;
}

QString SendmailMc::tlsFallbackNote() const
{
    const int marker = fallbackMarkerLine();
    if (!marker)
        return {};
    static const QByteArray prefix = "dnl # sendmail-tls:";
    return QString::fromUtf8(m_lines.content(m_bytes, marker - 1).sliced(prefix.size())).trimmed();
}

QByteArray SendmailMc::withoutLinePair(int line) const
{
    // If they were the file's last lines and it had no final newline, take the newline before
    // them instead (the inverse of how they were added).
    QByteArray out = m_bytes;
    qsizetype from = m_lines.start(line - 1), to = m_lines.end(line);
    if (!m_lines.hasTerminator(m_bytes, line) && line - 1 > 0)
        from = m_lines.contentEnd(m_bytes, line - 2);
    out.remove(from, to - from);
    return out;
}

QByteArray SendmailMc::withLinesBeforeMailers(const QList<QByteArray> &lines) const
{
    QByteArray out = m_bytes;
    const QByteArray eol = preferredLineEnding(m_bytes);
    if (m_mailerSectionStart >= 0)
        out.insert(m_mailerSectionStart, lines.join(eol) + eol);
    else if (out.isEmpty() || out.endsWith('\n'))
        out.append(lines.join(eol) + eol);
    else
        out.append(eol + lines.join(eol));  // keep "no final newline"
    return out;
}

Result<QByteArray> SendmailMc::withTlsFallbackToClear(bool on, const std::optional<Expiry> &expires) const
{
    const QByteArray marker = fallbackMarker() + expiryNoteText(expires).toUtf8();
    if (on && expires && (!tlsFallbackToClear() ? m_fallback.has_value() : !fallbackMarkerLine()))
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("cannot give the fallback an expiry: the define of confTLS_FALLBACK_TO_CLEAR on line %1 "
                                        "is not one sendmail-tls wrote, so there is no note of ours to hold it")
                             .arg(m_fallback->line),
                         m_fileName, m_fallback->line);
    if (on && expires && tlsFallbackToClear()) {
        // Ours already: the marker line gets the new expiry.
        if (Status refused = refuseIfUnsafe())
            return *refused;
        const int k = fallbackMarkerLine() - 1;
        QByteArray out = m_bytes;
        out.replace(m_lines.start(k), m_lines.contentEnd(m_bytes, k) - m_lines.start(k), marker);
        return out;
    }
    if (tlsFallbackToClear() == on)
        return m_bytes;
    if (Status refused = refuseIfUnsafe())
        return *refused;
    const auto withValue = [](const SendmailMc &mc, const QByteArray &word) -> Result<QByteArray> {
        const FallbackDefine &f = *mc.m_fallback;
        QByteArray out = mc.m_bytes;
        if (f.hasValue) {
            out.replace(f.valueStart, f.valueEnd - f.valueStart, word);
        } else {
            if (Status refused = mc.refuseIfQuotesChanged())
                return *refused;
            out.insert(f.valueStart, QByteArrayLiteral(", `") + word + '\'');
        }
        return out;
    };
    QByteArray out;
    if (on) {
        if (m_fallback) {
            Result<QByteArray> edited = withValue(*this, "true");
            if (!edited)
                return edited.error();
            out = *edited;
        } else {
            if (Status refused = refuseIfQuotesChanged())
                return *refused;
            out = withLinesBeforeMailers({marker, fallbackLine()});
        }
    } else {
        // The last define decides; once it is gone an earlier one may decide: repeat.
        SendmailMc current = *this;
        for (int guard = 0; current.tlsFallbackToClear() && guard < 64; ++guard) {
            const FallbackDefine &f = *current.m_fallback;
            if (current.isOurPair(f.line, fallbackMarker(), fallbackLine())) {
                out = current.withoutLinePair(f.line - 1);
            } else {
                Result<QByteArray> edited = withValue(current, "false");
                if (!edited)
                    return edited.error();
                out = *edited;
            }
            current = SendmailMc(out, m_fileName);
        }
    }
    if (SendmailMc(out, m_fileName).tlsFallbackToClear() != on)
        return makeError(ErrorKind::InvalidConfig,
                         QStringLiteral("refusing to edit: the define of confTLS_FALLBACK_TO_CLEAR is not written so that "
                                        "we can change it safely; write it as define(`confTLS_FALLBACK_TO_CLEAR', `true')dnl"),
                         m_fileName, m_fallback ? m_fallback->line : 0);
    return out;
}

Result<QByteArray> SendmailMc::withTlsSessionFeatures() const
{
    if (m_sessionFeaturesLine)
        return m_bytes;
    if (Status refused = refuseIfUnsafe())
        return *refused;
    if (Status refused = refuseIfQuotesChanged())
        return *refused;
    QByteArray out;
    if (m_accessDb && m_accessDbLineAfter > 0) {
        // Next to FEATURE(`access_db'), which it needs.
        const int k = m_accessDbLineAfter - 1;
        out = m_bytes;
        if (m_lines.hasTerminator(m_bytes, k))
            out.insert(m_lines.end(k), sessionFeaturesLine() + m_bytes.mid(m_lines.contentEnd(m_bytes, k), m_lines.end(k) - m_lines.contentEnd(m_bytes, k)));
        else
            out.insert(m_lines.end(k), preferredLineEnding(m_bytes) + sessionFeaturesLine());
    } else {
        out = withLinesBeforeMailers({sessionFeaturesLine()});
    }
    if (!SendmailMc(out, m_fileName).tlsSessionFeaturesLine())
        return makeError(ErrorKind::InvalidConfig, QStringLiteral("refusing to edit: FEATURE(`tls_session_features') would not be "
                                                                  "read by m4 where it would go; add it by hand"),
                         m_fileName);
    return out;
}

Result<QByteArray> SendmailMc::withClientStartTlsDisabled() const
{
    if (Status refused = refuseIfUnsafe())
        return *refused;
    QByteArray out = m_bytes;
    if (m_clientOptions.isEmpty()) {
        const QByteArray eol = preferredLineEnding(m_bytes);
        const QByteArray lines = insertedMarker() + eol + insertedLine() + eol;
        if (m_mailerSectionStart >= 0) {
            out.insert(m_mailerSectionStart, lines);
        } else if (out.isEmpty() || out.endsWith('\n')) {
            out.append(lines);
        } else {
            // Keep "no final newline". A lone '\r' ending the file would pair with "\n" into a
            // CRLF terminator that removing our lines takes along: "\r\n" keeps it content.
            out.append((out.endsWith('\r') ? QByteArrayLiteral("\r\n") : eol) + insertedMarker() + eol + insertedLine());
        }
        // Checked like the other edits: after a changequote our `…' line is not what m4 reads.
        return verifiedEdit(out, true);
    }
    for (qsizetype k = m_clientOptions.size() - 1; k >= 0; --k) {
        const ClientOptionsDecl &d = m_clientOptions[k];
        if (d.skipsStartTls())
            continue;
        out.replace(d.optionsStart, d.optionsEnd - d.optionsStart, d.options.withModifier('S'));
    }
    return verifiedEdit(out, true);
}

Result<QByteArray> SendmailMc::verifiedEdit(const QByteArray &edited, bool wantDisabled) const
{
    // Read the result back as m4 would: an option list that is not one quoted string (an
    // apostrophe inside it closes the quote early, or it is quoted in pieces) puts the edit
    // outside what m4 passes on, and sendmail.cf would not say what we claim.
    const SendmailMc after(edited, m_fileName);
    const bool same = after.clientOptions().size() == std::max<qsizetype>(m_clientOptions.size(), 1)
        || (!wantDisabled && after.clientOptions().size() <= m_clientOptions.size());
    bool exact = same && after.clientStartTlsDisabled() == wantDisabled;
    for (const ClientOptionsDecl &d : after.clientOptions())
        exact = exact && d.skipsStartTls() == wantDisabled;
    if (exact)
        return edited;
    const int line = m_clientOptions.isEmpty() ? 0 : m_clientOptions.first().line;
    return makeError(ErrorKind::InvalidConfig,
                     QStringLiteral("refusing to edit: the options of CLIENT_OPTIONS are not one m4-quoted string (a quote "
                                    "inside them, or quoted in pieces), so %1 cannot be placed where m4 reads it; write them as "
                                    "one quoted list, e.g. CLIENT_OPTIONS(`Family=inet, M=S')dnl")
                         .arg(wantDisabled ? QStringLiteral("M=S") : QStringLiteral("removing S")),
                     m_fileName, line);
}

Result<QByteArray> SendmailMc::withClientStartTlsEnabled() const
{
    if (Status refused = refuseIfUnsafe())
        return *refused;
    QByteArray out = m_bytes;
    for (qsizetype k = m_clientOptions.size() - 1; k >= 0; --k) {
        const ClientOptionsDecl &d = m_clientOptions[k];
        if (!d.skipsStartTls())
            continue;
        const int line = m_lines.lineOf(d.call.start);
        const bool ours = line > 0 && m_lines.content(m_bytes, line) == QByteArrayView(insertedLine())
            && m_lines.content(m_bytes, line - 1) == QByteArrayView(insertedMarker());
        if (ours) {
            // Remove both lines; if they were the file's last and it had no final newline,
            // take the newline before them instead (the inverse of how they were added).
            qsizetype from = m_lines.start(line - 1), to = m_lines.end(line);
            if (!m_lines.hasTerminator(m_bytes, line) && line - 1 > 0)
                from = m_lines.contentEnd(m_bytes, line - 2);
            out.remove(from, to - from);
            continue;
        }
        out.replace(d.optionsStart, d.optionsEnd - d.optionsStart, d.options.withoutModifier('S'));
    }
    return verifiedEdit(out, false);
}

} // namespace smtls
