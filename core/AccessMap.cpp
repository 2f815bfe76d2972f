#include "AccessMap.h"

#include <algorithm>
#include <cstring>
#include <string.h>
#include <utility>

namespace smtls {
namespace {

constexpr QByteArrayView TryTlsTag = "try_tls:";
constexpr int MaxMakemapLine = 1022;  // makemap's buffer is 1024 bytes with newline and NUL

bool isBlank(char c) { return c == ' ' || c == '\t'; }

QByteArrayView trimmedRight(QByteArrayView v)
{
    while (!v.isEmpty() && (isBlank(v.back()) || v.back() == '\r'))
        v.chop(1);
    return v;
}

bool startsWithTryTlsTag(QByteArrayView content)
{
    return content.size() >= TryTlsTag.size()
        && content.first(TryTlsTag.size()).compare(TryTlsTag, Qt::CaseInsensitive) == 0;
}

} // namespace

AccessMap::AccessMap(QByteArray bytes, QString fileName)
    : m_bytes(std::move(bytes)), m_fileName(std::move(fileName))
{
    reindex();
}

QByteArray AccessMap::blockHeader()
{
    return QByteArrayLiteral("# Try_TLS rules managed by sendmail-tls: \"NO\" = do not try STARTTLS "
                             "with that server. Meant to be temporary: remove a rule once the peer is fixed.");
}

const LineIndex &AccessMap::lines() const
{
    if (!m_lines)
        m_lines.emplace(m_bytes);
    return *m_lines;
}

AccessMap::Span AccessMap::spanAt(qsizetype offset) const
{
    Span s;
    const char *data = m_bytes.constData();
    const void *nl = offset > 0 ? ::memrchr(data, '\n', size_t(offset)) : nullptr;
    s.start = nl ? static_cast<const char *>(nl) - data + 1 : 0;
    const void *next = std::memchr(data + s.start, '\n', size_t(m_bytes.size() - s.start));
    s.end = next ? static_cast<const char *>(next) - data + 1 : m_bytes.size();
    s.contentEnd = s.end;
    if (s.contentEnd > s.start && data[s.contentEnd - 1] == '\n') {
        --s.contentEnd;
        if (s.contentEnd > s.start && data[s.contentEnd - 1] == '\r')
            --s.contentEnd;
    }
    return s;
}

AccessMap::Span AccessMap::previous(const Span &span) const
{
    return span.start > 0 ? spanAt(span.start - 1) : Span{};
}

AccessMap::Span AccessMap::spanOf(const TryTlsRule &rule) const
{
    return spanAt(qsizetype(rule.keyStart) - TryTlsTag.size());
}

template <typename Visit>
void AccessMap::forEachLine(Visit &&visit) const
{
    const char *data = m_bytes.constData();
    const qsizetype size = m_bytes.size();
    for (qsizetype start = 0; start < size;) {
        const void *nl = std::memchr(data + start, '\n', size_t(size - start));
        const qsizetype end = nl ? static_cast<const char *>(nl) - data + 1 : size;
        // Cheap test first: most lines of a large map are not Try_TLS rules.
        const bool isRule = end - start >= TryTlsTag.size() && (data[start] | 0x20) == 't'
            && startsWithTryTlsTag(QByteArrayView(data + start, TryTlsTag.size()));
        visit(start, end, isRule);
        start = end;
    }
}

void AccessMap::reindex()
{
    m_lines.reset();
    m_rules.clear();
    m_index = {};
    m_lineCount = 0;
    // Two passes, so the rule list is allocated once at its exact size: growing it (and
    // shrinking it after) would hold two copies of a million rules at the peak.
    size_t ruleCount = 0;
    forEachLine([&](qsizetype, qsizetype, bool isRule) { ruleCount += isRule; });
    m_rules.reserve(ruleCount);
    const char *data = m_bytes.constData();
    forEachLine([&](qsizetype start, qsizetype end, bool isRule) {
        if (isRule) {
            qsizetype contentEnd = end;
            if (contentEnd > start && data[contentEnd - 1] == '\n')
                --contentEnd;
            if (contentEnd > start && data[contentEnd - 1] == '\r')
                --contentEnd;
            qsizetype keyEnd = start + TryTlsTag.size();
            while (keyEnd < contentEnd && !isBlank(data[keyEnd]))
                ++keyEnd;
            qsizetype valueStart = keyEnd;
            while (valueStart < contentEnd && isBlank(data[valueStart]))
                ++valueStart;
            TryTlsRule rule;
            rule.line = m_lineCount;
            rule.keyStart = quint32(start + TryTlsTag.size());
            rule.keyLength = quint32(keyEnd - rule.keyStart);
            rule.valueStart = quint32(valueStart);
            rule.valueLength = quint32(contentEnd - valueStart);
            m_rules.push_back(rule);
        }
        ++m_lineCount;
    });
    m_index = AccessKeyIndex(m_rules, m_bytes);
}

AccessLineKind AccessMap::lineKind(int line) const
{
    const QByteArrayView content = lines().content(m_bytes, line);
    if (content.isEmpty())
        return AccessLineKind::Blank;  // a whitespace-only line is a makemap syntax error
    if (content.front() == '#')
        return AccessLineKind::Comment;
    if (isBlank(content.front()))
        return AccessLineKind::Unparsed;
    return AccessLineKind::Entry;
}

bool AccessMap::disablesTls(const TryTlsRule &rule) const
{
    return trimmedRight(valueOf(rule)).compare("NO", Qt::CaseInsensitive) == 0;
}

QString AccessMap::noteOf(const TryTlsRule &rule) const
{
    const Span above = previous(spanOf(rule));
    if (!isOurNote(above))
        return {};
    return QString::fromUtf8(text(above).sliced(notePrefix().size())).trimmed();
}

const TryTlsRule *AccessMap::find(QByteArrayView keyAfterTag) const
{
    // makemap drops a key without a value ("no RHS for LHS"), so such a line never answers.
    const qsizetype i = m_index.answering(m_rules, m_bytes, keyAfterTag);
    return i == AccessKeyIndex::None ? nullptr : &m_rules[size_t(i)];
}

const TryTlsRule *AccessMap::findLine(QByteArrayView keyAfterTag) const
{
    const qsizetype i = m_index.firstLine(m_rules, m_bytes, keyAfterTag);
    return i == AccessKeyIndex::None ? nullptr : &m_rules[size_t(i)];
}

Problems AccessMap::problems() const
{
    Problems out;
    auto add = [&](int line, Severity severity, const QString &message, FixKind fix = FixKind::None,
                   QByteArrayView key = {}) {
        out.append(Problem{m_fileName, line + 1, severity, message, fix, key.toByteArray()});
    };
    for (int i = 0; i < lineCount(); ++i) {
        if (lineKind(i) == AccessLineKind::Unparsed)
            add(i, Severity::Warning,
                QStringLiteral("line starts with a blank: makemap rejects it (\"syntax error (leading "
                               "space)\") and skips it; it is not a continuation of the line above"));
        if (lines().content(m_bytes, i).size() > MaxMakemapLine)
            add(i, Severity::Warning,
                QStringLiteral("line is longer than %1 bytes: makemap rejects it (\"line too long\") and "
                               "reads the rest as another line").arg(MaxMakemapLine));
    }
    for (const TryTlsRule &rule : m_rules) {
        const QByteArrayView key = keyOf(rule);
        const QByteArrayView value = trimmedRight(valueOf(rule));
        const QString keyText = QStringLiteral("Try_TLS:") + QString::fromLatin1(key);
        if (value.isEmpty()) {
            add(rule.line, Severity::Warning,
                QStringLiteral("%1 has no value: makemap drops the line (\"no RHS\"), so it does nothing").arg(keyText));
        } else if (value.indexOf(' ') >= 0 || value.indexOf('\t') >= 0) {
            add(rule.line, Severity::Warning,
                QStringLiteral("the value of %1 is \"%2\", not exactly NO: sendmail still tries "
                               "STARTTLS with this server (makemap keeps the whole rest of the line; "
                               "put a comment on a line of its own)")
                    .arg(keyText, QString::fromUtf8(value)),
                FixKind::CommentToOwnLine, key);
        }
        if (!key.isEmpty()) {
            const Result<Destination> parsed = parseDestinationKey(key);
            if (!parsed)
                add(rule.line, Severity::Warning, parsed.error().message);
        }
    }
    // Duplicates: makemap keeps the first line of a key that has a value and complains about
    // the later ones (a line without a value in between is dropped and changes nothing).
    for (const TryTlsRule &rule : m_rules) {
        if (rule.valueLength == 0 || answers(rule))
            continue;
        add(rule.line, Severity::Warning,
            QStringLiteral("Try_TLS:%1 is a duplicate of line %2; only the first one counts")
                .arg(QString::fromLatin1(keyOf(rule)))
                .arg(find(keyOf(rule))->line + 1),
            FixKind::RemoveDuplicate, keyOf(rule));
    }
    std::stable_sort(out.begin(), out.end(), [](const Problem &a, const Problem &b) { return a.line < b.line; });
    return out;
}

QByteArray AccessMap::separatorForNewRule() const
{
    // Follow the file's own habit (Debian's template uses tabs, many admins a space).
    for (auto it = m_rules.rbegin(); it != m_rules.rend(); ++it) {
        const qsizetype sepStart = it->keyStart + it->keyLength;
        if (it->valueStart > sepStart)
            return m_bytes.mid(sepStart, it->valueStart - sepStart);
    }
    return QByteArrayLiteral("\t");
}

void AccessMap::replaceRange(qsizetype from, qsizetype to, QByteArrayView with)
{
    // Build the new buffer in one exact allocation, after dropping the old rule list: a
    // million-line map must not be held twice plus its indexes, nor grown geometrically.
    m_lines.reset();
    m_rules.clear();
    m_rules.shrink_to_fit();
    m_index = {};
    QByteArray out;
    out.reserve(m_bytes.size() - (to - from) + with.size());
    out.append(QByteArrayView(m_bytes).first(from));
    out.append(with);
    out.append(QByteArrayView(m_bytes).sliced(to));
    m_bytes = std::move(out);
    reindex();
}

void AccessMap::insertLinesAfter(const Span &after, const QList<QByteArray> &newLines)
{
    const QByteArray eol = preferredLineEnding(m_bytes);
    const QByteArray joined = newLines.join(eol);
    if (m_bytes.isEmpty() || !after.valid())
        replaceRange(0, 0, joined + eol);
    else if (after.terminated())
        replaceRange(after.end, after.end, joined + eol);
    else
        // The file ends without a newline: keep it that way, so that removing these lines
        // again gives back the original bytes. A lone '\r' ending it would pair with "\n" into
        // a CRLF terminator, which removing the lines takes along: "\r\n" keeps it content.
        replaceRange(after.end, after.end, (m_bytes.endsWith('\r') ? QByteArrayLiteral("\r\n") : eol) + joined);
}

void AccessMap::removeLine(const Span &line)
{
    removeLines(line, line);
}

void AccessMap::removeLines(const Span &first, const Span &last)
{
    const Span above = previous(first);
    if (last.terminated() || !above.valid())
        replaceRange(first.start, last.end, {});
    else
        replaceRange(above.contentEnd, last.end, {});  // the inverse of insertLinesAfter
}

Status AccessMap::setTryTls(const Destination &destination, QByteArrayView value, const QString &note)
{
    if (value.isEmpty() || value.indexOf(' ') >= 0 || value.indexOf('\t') >= 0 || value.indexOf('\n') >= 0)
        return makeError(ErrorKind::InvalidInput, QStringLiteral("a Try_TLS value must be one word"));
    QByteArray noteLine;
    if (!note.isEmpty()) {
        QString clean = note;
        for (QChar &c : clean)
            if (c.category() == QChar::Other_Control || c == QChar(0x2028) || c == QChar(0x2029))
                c = QLatin1Char(' ');
        noteLine = notePrefix() + ' ' + clean.simplified().toUtf8();
    }
    if (const TryTlsRule *existing = find(destination) ? find(destination) : findLine(destination.key)) {
        // One replacement covering the note and the value, so that a large map is rebuilt once.
        const TryTlsRule rule = *existing;
        const Span line = spanAt(rule.keyStart);
        qsizetype from = rule.valueStart;
        const qsizetype to = rule.valueStart + rule.valueLength;
        QByteArray with = rule.valueStart == rule.keyStart + rule.keyLength  // a key alone on its line
            ? separatorForNewRule() + value.toByteArray()
            : value.toByteArray();
        if (!noteLine.isEmpty()) {
            const QByteArray head = m_bytes.mid(line.start, rule.valueStart - line.start);
            const Span above = previous(line);
            if (isOurNote(above)) {
                from = above.start;
                with = noteLine + m_bytes.mid(above.contentEnd, line.start - above.contentEnd) + head + with;
            } else {
                from = line.start;
                with = noteLine + preferredLineEnding(m_bytes) + head + with;
            }
        }
        if (QByteArrayView(m_bytes).sliced(from, to - from) != QByteArrayView(with))
            replaceRange(from, to, with);
        return std::nullopt;
    }
    QList<QByteArray> newLines;
    if (!noteLine.isEmpty())
        newLines.append(noteLine);
    newLines.append(QByteArrayLiteral("Try_TLS:") + destination.key + separatorForNewRule() + value.toByteArray());
    if (!m_rules.empty()) {
        // Next to the other Try_TLS rules, where an administrator will look for it.
        insertLinesAfter(spanOf(m_rules.back()), newLines);
    } else {
        newLines.prepend(blockHeader());
        insertLinesAfter(m_bytes.isEmpty() ? Span{} : spanAt(m_bytes.size() - 1), newLines);  // the last line
    }
    return std::nullopt;
}

void AccessMap::removeRuleLine(const TryTlsRule &rule)
{
    const Span line = spanOf(rule);  // `rule` is invalid after the first edit
    const Span above = previous(line);
    // The note went in with its rule, it goes with it: in one edit, so that a large map is
    // rebuilt once (each rebuild holds the old and the new bytes).
    removeLines(isOurNote(above) ? above : line, line);
}

Status AccessMap::moveValueCommentAbove(const TryTlsRule &rule)
{
    const QByteArrayView value = trimmedRight(valueOf(rule));
    qsizetype wordEnd = 0;
    while (wordEnd < value.size() && !isBlank(value[wordEnd]))
        ++wordEnd;
    qsizetype restStart = wordEnd;
    while (restStart < value.size() && isBlank(value[restStart]))
        ++restStart;
    if (wordEnd == 0 || restStart == value.size())
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("the value of Try_TLS:%1 is a single word; there is nothing to move")
                             .arg(QString::fromLatin1(keyOf(rule))),
                         m_fileName, rule.line + 1);
    QByteArray comment = value.sliced(restStart).toByteArray();
    if (!comment.startsWith('#'))
        comment.prepend("# ");
    const Span line = spanOf(rule);
    // The terminator this line already has; a last line without one borrows the file's habit.
    const QByteArray eol = line.terminated() ? m_bytes.mid(line.contentEnd, line.end - line.contentEnd)
                                             : preferredLineEnding(m_bytes);
    // Our note stays directly above its rule (that is how noteOf and removeTryTls find it), so
    // the moved comment goes above the note.
    const Span above = previous(line);
    const qsizetype from = isOurNote(above) ? above.start : line.start;
    const qsizetype keep = rule.valueStart + wordEnd;  // up to the end of the value's first word
    replaceRange(from, rule.valueStart + rule.valueLength, comment + eol + m_bytes.mid(from, keep - from));
    return std::nullopt;
}

Status AccessMap::setKey(const TryTlsRule &rule, QByteArrayView keyAfterTag)
{
    for (char c : keyAfterTag)
        if (isBlank(c) || c == '\n' || c == '\r')
            return makeError(ErrorKind::InvalidInput, QStringLiteral("a Try_TLS key cannot contain blanks or line breaks"));
    if (keyOf(rule) != keyAfterTag)
        replaceRange(rule.keyStart, rule.keyStart + rule.keyLength, keyAfterTag);
    return std::nullopt;
}

bool AccessMap::removeTryTls(const Destination &destination)
{
    // Our block header lines (normally one), each with whether a rule or note of ours follows
    // it. A header goes once nothing of ours follows it any more, but only when this removal
    // left it alone: a header that already stood alone was not written with these rules, and
    // removing it would change a line the administrator has (found by fuzzing: "off" then
    // "inherit" lost such a line, or kept ours when a look-alike line came first).
    const auto ourHeaders = [this] {
        std::vector<std::pair<Span, bool>> out;
        for (qsizetype at = m_bytes.indexOf(blockHeader()); at >= 0; at = m_bytes.indexOf(blockHeader(), at + 1)) {
            const Span header = spanAt(at);
            if (header.start != at || text(header) != QByteArrayView(blockHeader()))
                continue;
            const Span next = header.end < m_bytes.size() ? spanAt(header.end) : Span{};
            out.emplace_back(header, next.valid() && (isOurNote(next) || startsWithTryTlsTag(text(next))));
        }
        return out;
    };
    const std::vector<std::pair<Span, bool>> headersBefore = ourHeaders();
    bool removed = false;
    for (int i = int(m_rules.size()) - 1; i >= 0; --i) {
        const TryTlsRule &rule = m_rules[size_t(i)];
        if (!sameKey(keyOf(rule), destination.key))
            continue;
        removeRuleLine(rule);
        removed = true;
    }
    if (!removed)
        return false;
    // Removing rule and note lines leaves header lines as they were, so the k-th header is the
    // same line before and after; back to front, so that earlier offsets stay valid.
    const std::vector<std::pair<Span, bool>> headersAfter = ourHeaders();
    for (size_t k = headersAfter.size(); k-- > 0;)
        if (k < headersBefore.size() && headersBefore[k].second && !headersAfter[k].second)
            removeLine(headersAfter[k].first);
    return true;
}

} // namespace smtls
