#include "ChangeUndo.h"

#include <QByteArrayView>

#include <algorithm>
#include <vector>

namespace smtls {
namespace {

using Lines = std::vector<QByteArrayView>;

// Each line with its own ending ("\n", "\r\n"); the last one may have none.
Lines splitLines(const QByteArray &bytes)
{
    Lines lines;
    const QByteArrayView all(bytes);
    qsizetype start = 0;
    for (qsizetype i = 0; i < all.size(); ++i) {
        if (all[i] == '\n') {
            lines.push_back(all.sliced(start, i + 1 - start));
            start = i + 1;
        }
    }
    if (start < all.size())
        lines.push_back(all.sliced(start));
    return lines;
}

// base[baseBegin, baseEnd) became other[otherBegin, otherEnd); an empty base range is an insertion.
struct Hunk {
    qsizetype baseBegin = 0, baseEnd = 0, otherBegin = 0, otherEnd = 0;
    bool insertion() const { return baseBegin == baseEnd; }
};

// Beyond this many differing lines the middle is taken as one hunk: merging then refuses more
// often, never wrongly (and Myers' trace stays below ~40 MB).
constexpr qsizetype MaxEditDistance = 3000;

// Myers' O(ND) diff of two line lists, as hunks of `base`. The common start and end are
// stripped first: a change and the work done after it are usually a few lines each.
std::vector<Hunk> diffLines(const Lines &base, const Lines &other)
{
    qsizetype prefix = 0;
    while (prefix < qsizetype(base.size()) && prefix < qsizetype(other.size()) && base[prefix] == other[prefix])
        ++prefix;
    qsizetype suffix = 0;
    while (suffix < qsizetype(base.size()) - prefix && suffix < qsizetype(other.size()) - prefix
           && base[base.size() - 1 - suffix] == other[other.size() - 1 - suffix])
        ++suffix;
    const qsizetype n = qsizetype(base.size()) - prefix - suffix;
    const qsizetype m = qsizetype(other.size()) - prefix - suffix;
    if (n == 0 && m == 0)
        return {};
    const auto a = [&](qsizetype i) { return base[prefix + i]; };
    const auto b = [&](qsizetype j) { return other[prefix + j]; };

    const qsizetype max = std::min(n + m, MaxEditDistance);
    std::vector<qsizetype> v(2 * max + 3, 0);
    const qsizetype off = max + 1;
    std::vector<std::vector<qsizetype>> trace;  // trace[d][k + d] = furthest x on diagonal k after step d
    qsizetype found = -1;
    for (qsizetype d = 0; d <= max && found < 0; ++d) {
        for (qsizetype k = -d; k <= d; k += 2) {
            qsizetype x = (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) ? v[off + k + 1] : v[off + k - 1] + 1;
            qsizetype y = x - k;
            while (x < n && y < m && a(x) == b(y)) {
                ++x;
                ++y;
            }
            v[off + k] = x;
            if (x >= n && y >= m)
                found = d;
        }
        trace.emplace_back(v.begin() + off - d, v.begin() + off + d + 1);
    }
    if (found < 0)
        return {Hunk{prefix, prefix + n, prefix, prefix + m}};

    // Walk back, collecting the matched pairs (newest first), then the gaps between them are hunks.
    std::vector<std::pair<qsizetype, qsizetype>> matches;
    qsizetype x = n, y = m;
    for (qsizetype d = found; d > 0; --d) {
        const std::vector<qsizetype> &prev = trace[d - 1];
        const auto at = [&](qsizetype k) { return prev[k + d - 1]; };
        const qsizetype k = x - y;
        const bool down = k == -d || (k != d && at(k - 1) < at(k + 1));
        const qsizetype prevK = down ? k + 1 : k - 1;
        const qsizetype prevX = at(prevK);
        const qsizetype prevY = prevX - prevK;
        const qsizetype startX = down ? prevX : prevX + 1;  // where the snake of step d began
        while (x > startX) {
            --x;
            --y;
            matches.emplace_back(x, y);
        }
        x = prevX;
        y = prevY;
    }
    while (x > 0) {
        --x;
        --y;
        matches.emplace_back(x, y);
    }
    std::reverse(matches.begin(), matches.end());
    matches.emplace_back(n, m);
    std::vector<Hunk> hunks;
    qsizetype i = 0, j = 0;
    for (const auto &[mi, mj] : matches) {
        if (mi > i || mj > j)
            hunks.push_back(Hunk{prefix + i, prefix + mi, prefix + j, prefix + mj});
        i = mi + 1;
        j = mj + 1;
    }
    return hunks;
}

// Whether the change's hunk `undo` and a later hunk `later` (both on the change's "after")
// touch the same lines. Edits on neighbouring lines merge; an insertion strictly inside the
// other's lines, or two insertions at one point (which order?), do not.
bool overlap(const Hunk &undo, const Hunk &later)
{
    if (!undo.insertion() && !later.insertion())
        return undo.baseBegin < later.baseEnd && later.baseBegin < undo.baseEnd;
    if (undo.insertion() && later.insertion())
        return undo.baseBegin == later.baseBegin;
    if (undo.insertion())
        return later.baseBegin < undo.baseBegin && undo.baseBegin < later.baseEnd;
    return undo.baseBegin < later.baseBegin && later.baseBegin < undo.baseEnd;
}

} // namespace

LineUndo undoLines(const QByteArray &before, const QByteArray &after, const QByteArray &current)
{
    if (current == after)
        return {before, std::nullopt};
    const Lines base = splitLines(after);
    const Lines old = splitLines(before);
    const Lines now = splitLines(current);
    const std::vector<Hunk> undo = diffLines(base, old);
    const std::vector<Hunk> later = diffLines(base, now);
    for (const Hunk &u : undo)
        for (const Hunk &l : later)
            if (overlap(u, l))
                return {{}, UndoConflict{std::max<qsizetype>(1, std::min(l.otherBegin, qsizetype(now.size()) - 1) + 1)}};

    struct Edit {
        Hunk hunk;
        const Lines *source;
    };
    std::vector<Edit> edits;
    for (const Hunk &u : undo)
        edits.push_back({u, &old});
    for (const Hunk &l : later)
        edits.push_back({l, &now});
    // At one point an insertion goes before the replacement of the line there.
    std::sort(edits.begin(), edits.end(), [](const Edit &x, const Edit &y) {
        if (x.hunk.baseBegin != y.hunk.baseBegin)
            return x.hunk.baseBegin < y.hunk.baseBegin;
        return x.hunk.insertion() && !y.hunk.insertion();
    });
    Lines merged;
    qsizetype pos = 0;
    for (const Edit &e : edits) {
        merged.insert(merged.end(), base.begin() + pos, base.begin() + e.hunk.baseBegin);
        merged.insert(merged.end(), e.source->begin() + e.hunk.otherBegin, e.source->begin() + e.hunk.otherEnd);
        pos = e.hunk.baseEnd;
    }
    merged.insert(merged.end(), base.begin() + pos, base.end());
    // A line without its newline (the old last line) followed by another would join the two.
    QByteArray bytes;
    for (size_t i = 0; i < merged.size(); ++i) {
        if (i + 1 < merged.size() && !merged[i].endsWith('\n'))
            return {{}, UndoConflict{qsizetype(i + 1)}};
        bytes.append(merged[i]);
    }
    return {bytes, std::nullopt};
}

namespace {

QString describeSnapshot(const Snapshot &s)
{
    return QStringLiteral("snapshot %1 (%2, %3)")
        .arg(s.id, s.time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")), s.change);
}

// The first later snapshot after which this file's lines can no longer be undone alone.
std::optional<Snapshot> laterChangeInTheWay(const SnapshotFile &undone, const QString &configPath, const PathMatcher &samePath,
                                            const QList<Snapshot> &laterOldestFirst)
{
    for (const Snapshot &s : laterOldestFirst)
        for (const SnapshotFile &f : s.files)
            if (samePath(f.path, configPath) && undoLines(undone.before, undone.after, f.after).conflict)
                return s;
    return std::nullopt;
}

} // namespace

Result<ConfigChange> planUndo(const MailConfig &config, const Snapshot &snapshot, const PathMatcher &samePath,
                              const QList<Snapshot> &laterOldestFirst)
{
    ConfigChange change = unchangedConfig(config);
    bool matched = false;
    const auto undoFile = [&](FileChange &file, const SnapshotFile &f) -> Status {
        const QByteArray before = f.existedBefore ? f.before : QByteArray();
        const LineUndo undone = undoLines(before, f.after, file.before);
        if (!undone.conflict) {
            file.after = undone.bytes;  // a file the change created is emptied, kept for makemap and sendmail
            return std::nullopt;
        }
        const std::optional<Snapshot> culprit = laterChangeInTheWay(f, file.path, samePath, laterOldestFirst);
        const QString who = culprit ? QStringLiteral("by %1").arg(describeSnapshot(*culprit))
                                    : QStringLiteral("by hand or from elsewhere (no later snapshot here records it)");
        const QString discard = culprit ? QStringLiteral("which also discards %1 and every change after %2").arg(culprit->id, snapshot.id)
                                        : QStringLiteral("which also discards that edit");
        return makeError(ErrorKind::Refused,
                         QStringLiteral("cannot undo %1 alone: line %2 of %3 was changed again later %4. Undo the later "
                                        "change first, or restore the files as they were before %5 (restore %5 "
                                        "--discard-later), %6; nothing was changed")
                             .arg(describeSnapshot(snapshot))
                             .arg(undone.conflict->line)
                             .arg(file.path, who, snapshot.id, discard),
                         file.path, int(undone.conflict->line));
    };
    for (const SnapshotFile &f : snapshot.files) {
        if (samePath(f.path, config.mc.fileName())) {
            if (Status s = undoFile(change.mc, f))
                return *s;
            matched = true;
        } else if (samePath(f.path, config.accessPath)) {
            if (Status s = undoFile(change.access, f))
                return *s;
            // The change wrote our header and later rules went under it: the header stays.
            AccessMap undone(change.access.after, config.accessPath);
            undone.keepHeadersStillInUse(AccessMap(change.access.before, config.accessPath));
            change.access.after = undone.bytes();
            matched = true;
        }
    }
    if (!matched)
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("the snapshot holds none of this host's files (%1, %2)").arg(config.mc.fileName(), config.accessPath));
    change.notes.append(change.changed() ? QStringLiteral("Undoing the change of snapshot %1; later changes are kept.").arg(snapshot.id)
                                         : QStringLiteral("The change of snapshot %1 is not in the files any more; nothing to undo.").arg(snapshot.id));
    return change;
}

Change undoChange(const Snapshot &snapshot, PathMatcher samePath, const QList<Snapshot> &laterOldestFirst)
{
    if (!samePath)
        samePath = sameFileByName;
    return Change::undo(snapshot, [snapshot, samePath, laterOldestFirst](const MailConfig &config) {
        return planUndo(config, snapshot, samePath, laterOldestFirst);
    });
}

QList<Snapshot> snapshotsAfter(const Snapshot &snapshot, const QList<Snapshot> &all)
{
    const auto sharesAFile = [&snapshot](const Snapshot &s) {
        for (const SnapshotFile &f : s.files)
            for (const SnapshotFile &g : snapshot.files)
                if (f.path == g.path)
                    return true;
        return false;
    };
    QList<Snapshot> later;
    for (const Snapshot &s : all)
        if (s.id != snapshot.id && s.host == snapshot.host
            && (s.time > snapshot.time || (s.time == snapshot.time && s.id > snapshot.id)) && sharesAFile(s))
            later.append(s);
    std::sort(later.begin(), later.end(), [](const Snapshot &x, const Snapshot &y) {
        return x.time != y.time ? x.time < y.time : x.id < y.id;
    });
    return later;
}

} // namespace smtls
