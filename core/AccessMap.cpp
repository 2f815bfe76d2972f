#include "AccessMap.h"

#include <algorithm>
#include <numeric>

namespace smtls {
namespace {

constexpr QByteArrayView TryTlsTag = "try_tls:";

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

int compareKeys(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive);
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

void AccessMap::reindex()
{
    m_lines = LineIndex(m_bytes);
    m_rules.clear();
    const QByteArrayView all(m_bytes);
    for (int i = 0; i < m_lines.count(); ++i) {
        const qsizetype start = m_lines.start(i);
        // Cheap test first: most lines of a large map are not Try_TLS rules.
        if (m_bytes.size() - start < TryTlsTag.size() || (all[start] | 0x20) != 't')
            continue;
        const QByteArrayView content = m_lines.content(all, i);
        if (!startsWithTryTlsTag(content))
            continue;
        qsizetype keyEnd = TryTlsTag.size();
        while (keyEnd < content.size() && !isBlank(content[keyEnd]))
            ++keyEnd;
        qsizetype valueStart = keyEnd;
        while (valueStart < content.size() && isBlank(content[valueStart]))
            ++valueStart;
        TryTlsRule rule;
        rule.line = i;
        rule.keyStart = quint32(start + TryTlsTag.size());
        rule.keyLength = quint32(keyEnd - TryTlsTag.size());
        rule.valueStart = quint32(start + valueStart);
        rule.valueLength = quint32(content.size() - valueStart);
        m_rules.push_back(rule);
    }
}

AccessLineKind AccessMap::lineKind(int line) const
{
    const QByteArrayView content = m_lines.content(m_bytes, line);
    if (trimmedRight(content).isEmpty())
        return AccessLineKind::Blank;
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

bool AccessMap::isOurNote(int line) const
{
    return line >= 0 && line < m_lines.count()
        && m_lines.content(m_bytes, line).startsWith(notePrefix());
}

QString AccessMap::noteOf(const TryTlsRule &rule) const
{
    if (!isOurNote(rule.line - 1))
        return {};
    const QByteArrayView content = m_lines.content(m_bytes, rule.line - 1);
    return QString::fromUtf8(content.sliced(notePrefix().size())).trimmed();
}

const TryTlsRule *AccessMap::find(QByteArrayView keyAfterTag) const
{
    for (const TryTlsRule &rule : m_rules)
        if (keyOf(rule).size() == keyAfterTag.size() && compareKeys(keyOf(rule), keyAfterTag) == 0)
            return &rule;
    return nullptr;
}

Problems AccessMap::problems() const
{
    Problems out;
    auto add = [&](int line, Severity severity, const QString &message) {
        out.append(Problem{m_fileName, line + 1, severity, message});
    };
    for (int i = 0; i < m_lines.count(); ++i) {
        if (lineKind(i) == AccessLineKind::Unparsed)
            add(i, Severity::Warning,
                QStringLiteral("line starts with a blank: makemap reads it as an entry with an empty "
                               "key, not as part of the line above; it is kept as is"));
    }
    for (const TryTlsRule &rule : m_rules) {
        const QByteArrayView key = keyOf(rule);
        const QByteArrayView value = trimmedRight(valueOf(rule));
        const QString keyText = QStringLiteral("Try_TLS:") + QString::fromLatin1(key);
        if (value.isEmpty()) {
            add(rule.line, Severity::Warning,
                QStringLiteral("%1 has no value, so it does not disable STARTTLS").arg(keyText));
        } else if (value.indexOf(' ') >= 0 || value.indexOf('\t') >= 0) {
            add(rule.line, Severity::Warning,
                QStringLiteral("the value of %1 is \"%2\", not exactly NO: sendmail still tries "
                               "STARTTLS with this server (makemap keeps the whole rest of the line; "
                               "put a comment on a line of its own)")
                    .arg(keyText, QString::fromUtf8(value)));
        }
        if (!key.isEmpty()) {
            const Result<Destination> parsed = parseDestinationKey(key);
            if (!parsed)
                add(rule.line, Severity::Warning, parsed.error().message);
        }
    }
    // Duplicates: makemap keeps the first and complains about the rest.
    std::vector<size_t> order(m_rules.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return compareKeys(keyOf(m_rules[a]), keyOf(m_rules[b])) < 0;
    });
    for (size_t i = 1; i < order.size(); ++i) {
        const TryTlsRule &first = m_rules[order[i - 1]];
        const TryTlsRule &dup = m_rules[order[i]];
        if (compareKeys(keyOf(first), keyOf(dup)) == 0) {
            const TryTlsRule &winner = *find(keyOf(dup));
            add(dup.line, Severity::Warning,
                QStringLiteral("Try_TLS:%1 is a duplicate of line %2; only the first one counts")
                    .arg(QString::fromLatin1(keyOf(dup)))
                    .arg(winner.line + 1));
        }
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
    // Build the new buffer in one exact allocation: a million-line map must not be copied
    // twice or grown geometrically.
    QByteArray out;
    out.reserve(m_bytes.size() - (to - from) + with.size());
    out.append(QByteArrayView(m_bytes).first(from));
    out.append(with);
    out.append(QByteArrayView(m_bytes).sliced(to));
    m_bytes = std::move(out);
    reindex();
}

void AccessMap::insertLinesAfter(int line, const QList<QByteArray> &lines)
{
    const QByteArray eol = preferredLineEnding(m_bytes);
    const QByteArray joined = lines.join(eol);
    if (m_bytes.isEmpty() || line < 0) {
        replaceRange(0, 0, joined + eol);
    } else if (m_lines.hasTerminator(m_bytes, line)) {
        replaceRange(m_lines.end(line), m_lines.end(line), joined + eol);
    } else {
        // The file ends without a newline: keep it that way, so that removing these lines
        // again gives back the original bytes.
        replaceRange(m_lines.end(line), m_lines.end(line), eol + joined);
    }
}

void AccessMap::removeLine(int line)
{
    if (m_lines.hasTerminator(m_bytes, line) || line == 0)
        replaceRange(m_lines.start(line), m_lines.end(line), {});
    else
        replaceRange(m_lines.contentEnd(m_bytes, line - 1), m_lines.end(line), {});
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
    if (const TryTlsRule *existing = find(destination)) {
        const int line = existing->line;
        if (valueOf(*existing) != value)
            replaceRange(existing->valueStart, existing->valueStart + existing->valueLength, value);
        if (!noteLine.isEmpty()) {
            if (isOurNote(line - 1))
                replaceRange(m_lines.start(line - 1), m_lines.contentEnd(m_bytes, line - 1), noteLine);
            else
                insertLinesAfter(line - 1, {noteLine});
        }
        return std::nullopt;
    }
    QList<QByteArray> lines;
    if (!noteLine.isEmpty())
        lines.append(noteLine);
    lines.append(QByteArrayLiteral("Try_TLS:") + destination.key + separatorForNewRule() + value.toByteArray());
    if (!m_rules.empty()) {
        // Next to the other Try_TLS rules, where an administrator will look for it.
        int last = 0;
        for (const TryTlsRule &rule : m_rules)
            last = std::max(last, rule.line);
        insertLinesAfter(last, lines);
    } else {
        lines.prepend(blockHeader());
        insertLinesAfter(m_lines.count() - 1, lines);
    }
    return std::nullopt;
}

bool AccessMap::removeTryTls(const Destination &destination)
{
    bool removed = false;
    for (int i = int(m_rules.size()) - 1; i >= 0; --i) {
        const TryTlsRule &rule = m_rules[size_t(i)];
        if (compareKeys(keyOf(rule), destination.key) != 0 || keyOf(rule).size() != destination.key.size())
            continue;
        const int line = rule.line;
        removeLine(line);  // invalidates `rule`
        if (isOurNote(line - 1))
            removeLine(line - 1);
        removed = true;
        i = std::min(i, int(m_rules.size()));
    }
    if (!removed)
        return false;
    // Drop our block header once no rule or note of ours follows it.
    for (int i = 0; i < m_lines.count(); ++i) {
        if (m_lines.content(m_bytes, i) != QByteArrayView(blockHeader()))
            continue;
        const bool followed = i + 1 < m_lines.count()
            && (isOurNote(i + 1) || startsWithTryTlsTag(m_lines.content(m_bytes, i + 1)));
        if (!followed)
            removeLine(i);
        break;
    }
    return true;
}

} // namespace smtls
