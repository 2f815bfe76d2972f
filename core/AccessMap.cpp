#include "AccessMap.h"

#include "TlsFeatures.h"

#include <algorithm>
#include <cstring>
#include <string.h>
#include <utility>

namespace smtls {
namespace {

constexpr QByteArrayView TryTlsTag = "try_tls:";
constexpr QByteArrayView FeaturesTag = "tls_clt_features:";
constexpr int MaxMakemapLine = 1022;  // makemap's buffer is 1024 bytes with newline and NUL

// What forEachLine reports for a line.
enum LineTag : int { NoTag = 0, TryTlsLine = 1, FeaturesLine = 2 };

bool isBlank(char c) { return c == ' ' || c == '\t'; }

QByteArrayView trimmedRight(QByteArrayView v)
{
    while (!v.isEmpty() && (isBlank(v.back()) || v.back() == '\r'))
        v.chop(1);
    return v;
}

bool startsWithTag(QByteArrayView content, QByteArrayView tag)
{
    return content.size() >= tag.size() && content.first(tag.size()).compare(tag, Qt::CaseInsensitive) == 0;
}


// Cheap tests first: most lines of a large map are neither.
int tagOfLine(const char *data, qsizetype size)
{
    if (size < TryTlsTag.size() || (data[0] | 0x20) != 't')
        return NoTag;
    const char second = char(data[1] | 0x20);
    if (second == 'r' && startsWithTag(QByteArrayView(data, size), TryTlsTag))
        return TryTlsLine;
    if (second == 'l' && startsWithTag(QByteArrayView(data, size), FeaturesTag))
        return FeaturesLine;
    return NoTag;
}

} // namespace

AccessMap::AccessMap(QByteArray bytes, QString fileName)
    : m_bytes(std::move(bytes)), m_fileName(std::move(fileName))
{
    reindex();
}

QByteArray accessTagText(AccessTag tag)
{
    return tag == AccessTag::TryTls ? QByteArrayLiteral("Try_TLS:") : QByteArrayLiteral("TLS_Clt_Features:");
}

QByteArray AccessMap::featuresBlockHeader()
{
    return QByteArrayLiteral("# TLS_Clt_Features entries managed by sendmail-tls: \"Flags=C\" = fall back to clear text "
                             "when the TLS handshake with that server fails (needs FEATURE(`tls_session_features')).");
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

template <typename Visit>
void AccessMap::forEachLine(Visit &&visit) const
{
    const char *data = m_bytes.constData();
    const qsizetype size = m_bytes.size();
    for (qsizetype start = 0; start < size;) {
        const void *nl = std::memchr(data + start, '\n', size_t(size - start));
        const qsizetype end = nl ? static_cast<const char *>(nl) - data + 1 : size;
        visit(start, end, tagOfLine(data + start, end - start));
        start = end;
    }
}

void AccessMap::reindex()
{
    m_lines.reset();
    m_rules.clear();
    m_index = {};
    m_features.clear();
    m_featuresIndex = {};
    m_lineCount = 0;
    // Two passes, so the rule list is allocated once at its exact size: growing it (and
    // shrinking it after) would hold two copies of a million rules at the peak.
    size_t ruleCount = 0, featureCount = 0;
    forEachLine([&](qsizetype, qsizetype, int tag) {
        ruleCount += tag == TryTlsLine;
        featureCount += tag == FeaturesLine;
    });
    m_rules.reserve(ruleCount);
    m_features.reserve(featureCount);
    const char *data = m_bytes.constData();
    forEachLine([&](qsizetype start, qsizetype end, int tag) {
        if (tag != NoTag) {
            const qsizetype tagSize = tag == TryTlsLine ? TryTlsTag.size() : FeaturesTag.size();
            qsizetype contentEnd = end;
            if (contentEnd > start && data[contentEnd - 1] == '\n')
                --contentEnd;
            if (contentEnd > start && data[contentEnd - 1] == '\r')
                --contentEnd;
            qsizetype keyEnd = start + tagSize;
            while (keyEnd < contentEnd && !isBlank(data[keyEnd]))
                ++keyEnd;
            qsizetype valueStart = keyEnd;
            while (valueStart < contentEnd && isBlank(data[valueStart]))
                ++valueStart;
            AccessRule rule;
            rule.line = m_lineCount;
            rule.keyStart = quint32(start + tagSize);
            rule.keyLength = quint32(keyEnd - rule.keyStart);
            rule.valueStart = quint32(valueStart);
            rule.valueLength = quint32(contentEnd - valueStart);
            (tag == TryTlsLine ? m_rules : m_features).push_back(rule);
        }
        ++m_lineCount;
    });
    m_index = AccessKeyIndex(m_rules, m_bytes);
    m_featuresIndex = AccessKeyIndex(m_features, m_bytes);
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

const AccessRule *AccessMap::findCltFeatures(QByteArrayView keyAfterTag) const
{
    const qsizetype i = m_featuresIndex.answering(m_features, m_bytes, keyAfterTag);
    return i == AccessKeyIndex::None ? nullptr : &m_features[size_t(i)];
}

const AccessRule *AccessMap::findCltFeaturesLine(QByteArrayView keyAfterTag) const
{
    const qsizetype i = m_featuresIndex.firstLine(m_features, m_bytes, keyAfterTag);
    return i == AccessKeyIndex::None ? nullptr : &m_features[size_t(i)];
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
    for (const AccessRule &rule : m_features) {
        const QByteArrayView key = keyOf(rule);
        const QByteArrayView value = trimmedRight(valueOf(rule));
        const QString keyText = featuresTag(key);
        const TlsFeatures features(value.toByteArray());
        if (value.isEmpty()) {
            add(rule.line, Severity::Warning,
                QStringLiteral("%1 has no value: makemap drops the line (\"no RHS\"), so it does nothing").arg(keyText));
        } else if (value.contains('#')) {
            // makemap keeps the comment, and every letter after Flags= is a flag to sendmail: a
            // comment with a "c" in it switches the fallback off.
            const QByteArray flags = features.flags();
            add(rule.line, Severity::Warning,
                QStringLiteral("the value of %1 is \"%2\": makemap keeps the whole rest of the line, and sendmail reads "
                               "it as \"%3\"%4; put a comment on a line of its own")
                    .arg(keyText, QString::fromUtf8(value), QString::fromUtf8(features.asSendmailReadsIt()),
                         flags.contains('c') ? QStringLiteral(", whose flag c forbids the fallback to clear text") : QString()));
        } else if (const QString error = features.syntaxError(); !error.isEmpty()) {
            add(rule.line, Severity::Warning,
                QStringLiteral("sendmail cannot read the value of %1 (%2): it abandons the TLS setup of every connection "
                               "this entry covers")
                    .arg(keyText, error));
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
    for (const AccessRule &rule : m_features) {
        if (rule.valueLength == 0 || answersCltFeatures(rule))
            continue;
        add(rule.line, Severity::Warning,
            QStringLiteral("TLS_Clt_Features:%1 is a duplicate of line %2; only the first one counts")
                .arg(QString::fromLatin1(keyOf(rule)))
                .arg(findCltFeatures(keyOf(rule))->line + 1));
    }
    std::stable_sort(out.begin(), out.end(), [](const Problem &a, const Problem &b) { return a.line < b.line; });
    return out;
}

QByteArray AccessMap::separatorForNewRule() const
{
    // Follow the file's own habit (Debian's template uses tabs, many admins a space).
    for (const std::vector<AccessRule> *rules : {&m_features, &m_rules})
        for (auto it = rules->rbegin(); it != rules->rend(); ++it) {
            const qsizetype sepStart = it->keyStart + it->keyLength;
            if (it->valueStart > sepStart)
                return m_bytes.mid(sepStart, it->valueStart - sepStart);
        }
    return QByteArrayLiteral("\t");
}

QByteArray AccessMap::noteLineFor(const QString &note)
{
    if (note.isEmpty())
        return {};
    QString clean = note;
    for (QChar &c : clean)
        if (c.category() == QChar::Other_Control || c == QChar(0x2028) || c == QChar(0x2029))
            c = QLatin1Char(' ');
    return notePrefix() + ' ' + clean.simplified().toUtf8();
}

bool AccessMap::startsWithModelledTag(QByteArrayView text) const
{
    return startsWithTag(text, TryTlsTag) || startsWithTag(text, FeaturesTag);
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

void AccessMap::rewriteEntry(const AccessRule &existing, QByteArrayView value, const QByteArray &noteLine)
{
    // One replacement covering the note and the value, so that a large map is rebuilt once.
    const AccessRule rule = existing;
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
}

Status AccessMap::setTryTls(const Destination &destination, QByteArrayView value, const QString &note)
{
    if (value.isEmpty() || value.indexOf(' ') >= 0 || value.indexOf('\t') >= 0 || value.indexOf('\n') >= 0)
        return makeError(ErrorKind::InvalidInput, QStringLiteral("a Try_TLS value must be one word"));
    const QByteArray noteLine = noteLineFor(note);
    if (const TryTlsRule *existing = find(destination) ? find(destination) : findLine(destination.key)) {
        rewriteEntry(*existing, value, noteLine);
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

Status AccessMap::setCltFeatures(const Destination &destination, QByteArrayView value, const QString &note)
{
    if (trimmedRight(value).isEmpty() || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0)
        return makeError(ErrorKind::InvalidInput, QStringLiteral("a TLS_Clt_Features value must be one line of text"));
    const QByteArray noteLine = noteLineFor(note);
    const AccessRule *existing = findCltFeatures(destination.key);
    if (!existing)
        existing = findCltFeaturesLine(destination.key);
    if (existing) {
        rewriteEntry(*existing, value, noteLine);
        return std::nullopt;
    }
    QList<QByteArray> newLines;
    if (!noteLine.isEmpty())
        newLines.append(noteLine);
    newLines.append(QByteArrayLiteral("TLS_Clt_Features:") + destination.key + separatorForNewRule() + value.toByteArray());
    if (!m_features.empty()) {
        insertLinesAfter(spanOf(m_features.back()), newLines);
    } else if (!m_rules.empty()) {
        // With the Try_TLS rules: the other half of what we manage about outbound STARTTLS.
        insertLinesAfter(spanOf(m_rules.back()), newLines);
    } else {
        newLines.prepend(featuresBlockHeader());
        insertLinesAfter(m_bytes.isEmpty() ? Span{} : spanAt(m_bytes.size() - 1), newLines);
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
    return removeEntries(&AccessMap::m_rules, destination.key);
}

bool AccessMap::removeCltFeatures(const Destination &destination)
{
    return removeEntries(&AccessMap::m_features, destination.key);
}

bool AccessMap::removeEntries(std::vector<AccessRule> AccessMap::*entries, QByteArrayView key)
{
    const std::vector<HeaderLine> headersBefore = ourHeaders();
    bool removed = false;
    // Back to front: each removal re-reads the map, and the entries before it keep their index.
    for (int i = int((this->*entries).size()) - 1; i >= 0; --i) {
        const AccessRule &rule = (this->*entries)[size_t(i)];
        if (!sameKey(keyOf(rule), key))
            continue;
        removeRuleLine(rule);
        removed = true;
    }
    if (removed)
        dropHeadersLeftAlone(headersBefore);
    return removed;
}

void AccessMap::removeNoteOf(const AccessRule &rule)
{
    const Span above = previous(spanOf(rule));
    if (isOurNote(above))
        removeLine(above);
}

void AccessMap::keepHeadersStillInUse(const AccessMap &before)
{
    // The line `line` (content, without its ending) as a whole line here, or an invalid span.
    const auto findLine = [this](QByteArrayView line) {
        for (qsizetype at = m_bytes.indexOf(line); at >= 0; at = m_bytes.indexOf(line, at + 1)) {
            const Span s = spanAt(at);
            if (s.start == at && text(s) == line)
                return s;
        }
        return Span{};
    };
    for (const HeaderLine &header : before.ourHeaders()) {
        const QByteArrayView headerText = before.text(header.line);
        if (!header.followed || findLine(headerText).valid())
            continue;
        const qsizetype size = before.m_bytes.size();
        for (qsizetype at = header.line.end; at < size;) {
            const Span below = before.spanAt(at);
            if (!before.isOurNote(below) && !before.startsWithModelledTag(before.text(below)))
                break;
            if (const Span here = findLine(before.text(below)); here.valid()) {
                const QByteArrayView ending = here.terminated() ? QByteArrayView(m_bytes).sliced(here.contentEnd, here.end - here.contentEnd)
                                                                : QByteArrayView("\n");
                replaceRange(here.start, here.start, QByteArray(headerText.toByteArray() + ending.toByteArray()));
                break;
            }
            at = below.end;
        }
    }
}

std::vector<AccessMap::HeaderLine> AccessMap::ourHeaders() const
{
    std::vector<HeaderLine> out;
    for (const QByteArray &header : {blockHeader(), featuresBlockHeader()}) {
        for (qsizetype at = m_bytes.indexOf(header); at >= 0; at = m_bytes.indexOf(header, at + 1)) {
            const Span line = spanAt(at);
            if (line.start != at || text(line) != QByteArrayView(header))
                continue;
            const Span next = line.end < m_bytes.size() ? spanAt(line.end) : Span{};
            out.push_back({line, next.valid() && (isOurNote(next) || startsWithModelledTag(text(next)))});
        }
    }
    return out;
}

void AccessMap::dropHeadersLeftAlone(const std::vector<HeaderLine> &before)
{
    // A header goes once nothing of ours follows it any more, but only when this removal left
    // it alone: a header that already stood alone was not written with these rules, and
    // removing it would change a line the administrator has (found by fuzzing: "off" then
    // "inherit" lost such a line, or kept ours when a look-alike line came first). Removing
    // rule and note lines leaves header lines as they were, so the k-th header is the same line
    // before and after; removed back to front, so that earlier offsets stay valid.
    const std::vector<HeaderLine> after = ourHeaders();
    std::vector<Span> doomed;
    for (size_t k = 0; k < after.size() && k < before.size(); ++k)
        if (before[k].followed && !after[k].followed)
            doomed.push_back(after[k].line);
    std::sort(doomed.begin(), doomed.end(), [](const Span &a, const Span &b) { return a.start > b.start; });
    for (const Span &line : doomed)
        removeLine(line);
}

} // namespace smtls
