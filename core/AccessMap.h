#pragma once
// The access map's text source (/etc/mail/access), line-preserving. Every line is kept as the
// bytes it was: entries ("Tag:key value"), comments, blank lines and lines we do not
// understand. Only Try_TLS and TLS_Clt_Features entries are modelled and edited, and an edit
// touches only the lines it must.
//
// Parsing follows makemap (checked against Debian 12's 8.17.1.9, see
// docs/sendmail-tls.md): a line starting with '#' is a comment, an empty line is skipped,
// the key runs to the first space or tab, the value starts after the following blanks, keys
// are folded to lower case (so tags match case-insensitively), and the whole rest of the line
// is the value: "NO # note" is the value "NO # note", not NO.

#include "AccessKeyIndex.h"
#include "Destination.h"
#include "LineIndex.h"
#include "Problem.h"
#include "Result.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <vector>

namespace smtls {

enum class AccessLineKind { Blank, Comment, Entry, Unparsed };

// The tags we model. Try_TLS: decides whether STARTTLS is tried (ruleset try_tls);
// TLS_Clt_Features: holds per-server TLS options such as Flags=C, "fall back to clear text"
// (ruleset tls_clt_features, only with FEATURE(`tls_session_features')).
enum class AccessTag { TryTls, TlsCltFeatures };

// "Try_TLS:" or "TLS_Clt_Features:", as we write it.
QByteArray accessTagText(AccessTag tag);

class AccessMap {
public:
    AccessMap() = default;
    AccessMap(QByteArray bytes, QString fileName);

    const QByteArray &bytes() const { return m_bytes; }
    const QString &fileName() const { return m_fileName; }
    int lineCount() const { return lines().count(); }
    AccessLineKind lineKind(int line) const;

    const std::vector<TryTlsRule> &tryTlsRules() const { return m_rules; }
    QByteArrayView keyOf(const TryTlsRule &rule) const
    {
        return QByteArrayView(m_bytes).sliced(rule.keyStart, rule.keyLength);
    }
    QByteArrayView valueOf(const TryTlsRule &rule) const
    {
        return QByteArrayView(m_bytes).sliced(rule.valueStart, rule.valueLength);
    }
    // sendmail skips STARTTLS only for the value NO (one token, any case, trailing blanks
    // ignored by its tokenizer).
    bool disablesTls(const TryTlsRule &rule) const;
    // The note we keep on the "# sendmail-tls:" line just above a rule, if any.
    QString noteOf(const TryTlsRule &rule) const;

    // The rule makemap would keep for this key: the first one with a value (later duplicates
    // are refused by makemap, a key without a value is dropped).
    const TryTlsRule *find(QByteArrayView keyAfterTag) const;
    const TryTlsRule *find(const Destination &d) const { return find(QByteArrayView(d.key)); }
    // Whether this rule is the one find() returns for its key (not a duplicate, has a value).
    bool answers(const TryTlsRule &rule) const { return find(keyOf(rule)) == &rule; }
    // The first line with this key, even one makemap would drop (no value): what an edit fixes.
    const TryTlsRule *findLine(QByteArrayView keyAfterTag) const;

    // The TLS_Clt_Features entries, with the same makemap semantics and an index of their own
    // (a map may hold a million Try_TLS rules and a handful of these).
    const std::vector<AccessRule> &cltFeaturesRules() const { return m_features; }
    const AccessRule *findCltFeatures(QByteArrayView keyAfterTag) const;
    const AccessRule *findCltFeaturesLine(QByteArrayView keyAfterTag) const;
    bool answersCltFeatures(const AccessRule &rule) const { return findCltFeatures(keyOf(rule)) == &rule; }

    Problems problems() const;

    // Edits. Each rewrites only the lines concerned and re-reads the result.
    // Sets the value of the rule for this destination, adding the rule if missing. A non-empty
    // note goes on its own comment line above the rule (never on the rule's line: makemap would
    // make it part of the value).
    Status setTryTls(const Destination &destination, QByteArrayView value, const QString &note = {});
    // Removes every rule for this destination (with our note line); false if there was none.
    // After lines were taken out by an undo: a block header of ours that `before` had, with
    // notes or entries of ours under it, and that is gone here while one of those lines is
    // still here, is put back above the first of them. The change that wrote the header is
    // undone, but later rules still live under it.
    void keepHeadersStillInUse(const AccessMap &before);
    bool removeTryTls(const Destination &destination);
    // Removes this one rule's line, and our note line directly above it if there is one.
    void removeRuleLine(const TryTlsRule &rule);
    // "Try_TLS:key NO # why" -> "# why" on a line of its own above the rule (above our note, if
    // the rule has one) and "Try_TLS:key NO" with the separator it had. Refuses a one-word value.
    Status moveValueCommentAbove(const TryTlsRule &rule);
    // Rewrites the key (after "Try_TLS:") of this rule in place; the rest of the line stays.
    Status setKey(const TryTlsRule &rule, QByteArrayView keyAfterTag);

    // The same for TLS_Clt_Features: the whole value (which may hold blanks: "CipherList=HIGH;
    // Flags=C"); new entries go after the other TLS_Clt_Features entries, else after the
    // Try_TLS rules. A note replaces our note line above the entry, as for Try_TLS.
    Status setCltFeatures(const Destination &destination, QByteArrayView value, const QString &note = {});
    bool removeCltFeatures(const Destination &destination);
    // Removes our "# sendmail-tls:" note line directly above this rule, if there is one.
    void removeNoteOf(const AccessRule &rule);

    static QByteArray notePrefix() { return QByteArrayLiteral("# sendmail-tls:"); }
    static QByteArray blockHeader();
    static QByteArray featuresBlockHeader();

private:
    // A line as byte offsets: [start, contentEnd) is its text, [contentEnd, end) its terminator.
    struct Span {
        qsizetype start = -1;
        qsizetype contentEnd = -1;
        qsizetype end = -1;
        bool valid() const { return start >= 0; }
        bool terminated() const { return contentEnd != end; }
    };
    Span spanAt(qsizetype offset) const;
    Span previous(const Span &span) const;
    Span spanOf(const AccessRule &rule) const { return spanAt(rule.keyStart); }
    QByteArrayView text(const Span &span) const
    {
        return QByteArrayView(m_bytes).sliced(span.start, span.contentEnd - span.start);
    }
    bool isOurNote(const Span &span) const { return span.valid() && text(span).startsWith(notePrefix()); }

    void reindex();
    // Calls visit(start, end, tag) for every line, tag being 0 (none), 1 (Try_TLS) or 2
    // (TLS_Clt_Features); end is past the terminator.
    template <typename Visit>
    void forEachLine(Visit &&visit) const;
    void replaceRange(qsizetype from, qsizetype to, QByteArrayView with);
    void insertLinesAfter(const Span &after, const QList<QByteArray> &lines);
    void removeLine(const Span &line);
    void removeLines(const Span &first, const Span &last);  // first..last, adjacent lines
    QByteArray separatorForNewRule() const;
    static QByteArray noteLineFor(const QString &note);
    // One replacement for the value (and note) of an existing entry.
    void rewriteEntry(const AccessRule &rule, QByteArrayView value, const QByteArray &noteLine);
    // Our block headers, once no note or rule of ours follows them.
    // Our block header lines (both kinds), each with whether a rule or note of ours follows it.
    struct HeaderLine {
        Span line;
        bool followed = false;
    };
    std::vector<HeaderLine> ourHeaders() const;
    // Removes every entry of this list (Try_TLS or TLS_Clt_Features) with this key, with our
    // notes, and our header when this removal left it alone.
    bool removeEntries(std::vector<AccessRule> AccessMap::*entries, QByteArrayView key);
    void dropHeadersLeftAlone(const std::vector<HeaderLine> &before);
    bool startsWithModelledTag(QByteArrayView text) const;
    // Only problems() and lineKind() need every line's position; edits work on offsets, so a
    // million-line map is edited without this index.
    const LineIndex &lines() const;

    QByteArray m_bytes;
    QString m_fileName;
    std::vector<TryTlsRule> m_rules;
    AccessKeyIndex m_index;
    std::vector<AccessRule> m_features;
    AccessKeyIndex m_featuresIndex;
    int m_lineCount = 0;
    mutable std::optional<LineIndex> m_lines;
};

} // namespace smtls
