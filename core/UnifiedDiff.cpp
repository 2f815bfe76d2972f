#include "UnifiedDiff.h"

#include "LineIndex.h"

#include <QHashFunctions>

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <vector>

// The admin compares our preview with what `diff -u` prints on the host, so we follow GNU
// diff (3.8) step by step rather than any shortest script: the same lines are compared, the
// same lines are set aside before the search, the same one of several equally short scripts
// is found, and the changes are slid the same way afterwards. Each step below names the GNU
// diffutils function whose rules it follows (learned from reading it; written anew here).
// Everything is O(lines) in memory: Myers' middle-snake search keeps two vectors indexed by
// diagonal, never a trace.

namespace smtls {
namespace {

// One side of the comparison. GNU diff appends a newline to a file that lacks one and
// remembers that it did; the "virtual" bytes are that view. They only matter for where the
// compared window starts and ends; lines themselves are compared as they are, so "x" without
// a newline differs from "x\n", and "x\r\n" from "x\n".
class Side {
public:
    explicit Side(const QByteArray &bytes) : m_bytes(bytes), m_index(bytes) {}

    int count() const { return m_index.count(); }
    QByteArrayView line(int i) const
    {
        return QByteArrayView(m_bytes).sliced(m_index.start(i), m_index.end(i) - m_index.start(i));
    }
    bool missingNewline() const { return !m_bytes.isEmpty() && !m_bytes.endsWith('\n'); }
    qsizetype realSize() const { return m_bytes.size(); }
    qsizetype virtualSize() const { return m_bytes.size() + (missingNewline() ? 1 : 0); }
    char virtualByte(qsizetype pos) const { return pos < m_bytes.size() ? m_bytes[pos] : '\n'; }
    qsizetype lineStart(int i) const { return i < count() ? m_index.start(i) : virtualSize(); }
    // The line that starts at or contains virtual offset pos; count() at the end.
    int lineAt(qsizetype pos) const { return pos >= virtualSize() ? count() : m_index.lineOf(pos); }
    const QByteArray &bytes() const { return m_bytes; }

private:
    const QByteArray &m_bytes;
    LineIndex m_index;
};

// The lines that take part in the comparison: [first, end[0]) of before, [first, end[1]) of
// after. Outside it both files are byte for byte the same.
struct Window {
    int first = 0;
    std::array<int, 2> end{0, 0};
    int length(int side) const { return end[size_t(side)] - first; }
};

// GNU's find_identical_ends: trim the identical prefix and suffix as bytes, but keep
// `horizon` (= context) lines of each inside the window, and on the suffix side also the rest
// of a line the common bytes start in. The kept lines count when lines are set aside as
// confusing and give the slide after the search room to move, so they change the script.
Window comparedWindow(const Side &x, const Side &y, qsizetype horizon)
{
    const qsizetype n0 = x.virtualSize(), n1 = y.virtualSize();
    const qsizetype realCommon = std::min(x.realSize(), y.realSize());
    const char *d0 = x.bytes().constData();
    const char *d1 = y.bytes().constData();
    qsizetype p = std::mismatch(d0, d0 + realCommon, d1).first - d0;
    while (p < std::min(n0, n1) && x.virtualByte(p) == y.virtualByte(p))
        ++p;
    // The newline GNU added to one file must not count as common with a real one.
    if ((x.realSize() < p) != (y.realSize() < p))
        --p;

    Window w;
    w.first = int(std::max<qsizetype>(0, x.lineAt(p) - horizon));
    w.end = {x.count(), y.count()};
    // When only one file lacks the final newline GNU does not trim a suffix at all.
    if (x.missingNewline() != y.missingNewline())
        return w;

    const qsizetype start = x.lineStart(w.first); // same offset in y: the prefix is common
    qsizetype e0 = n0, e1 = n1;
    const qsizetype stop = start + std::max<qsizetype>(0, n0 - n1);
    while (e0 != stop && x.virtualByte(e0 - 1) == y.virtualByte(e1 - 1)) {
        --e0;
        --e1;
    }
    const bool atLineStarts = (e0 == 0 || x.virtualByte(e0 - 1) == '\n') && (e1 == 0 || y.virtualByte(e1 - 1) == '\n');
    qsizetype keep = horizon + (atLineStarts ? 0 : 1);
    const qsizetype from = e0;
    while (keep-- > 0 && e0 != n0) {
        while (x.virtualByte(e0++) != '\n') {
        }
    }
    e1 += e0 - from;
    w.end = {x.lineAt(e0), y.lineAt(e1)};
    return w;
}

// Lines of the window as numbers: equal lines (as bytes), equal numbers; ids start at 1.
struct LineClasses {
    std::array<std::vector<int>, 2> ids;
    int count = 0; // highest id + 1
};

std::uint32_t lineHash(QByteArrayView line)
{
    return std::uint32_t(qHash(line, 0)); // qHash's low bits are well spread: enough for a slot
}

// Assigns class ids: an open-addressing table where a class remembers one line that has it
// (by its place in the window: before's lines first, then after's). On a million-line map the
// table is tens of MB and nearly every lookup is a cache miss, so a slot holds the hash beside
// the class (one cache line a probe) and callers may prefetch a slot ahead of its lookup.
template <typename LineAt>
class ClassTable {
public:
    ClassTable(size_t lines, LineAt lineAt) : m_lineAt(lineAt)
    {
        size_t capacity = 16;
        while (capacity < lines + lines / 2)
            capacity <<= 1;
        m_slots.assign(capacity, Slot{0, 0});
        m_mask = capacity - 1;
    }

    void prefetch(std::uint32_t hash) const
    {
#if defined(__GNUC__)
        __builtin_prefetch(&m_slots[hash & m_mask]);
#else
        Q_UNUSED(hash);
#endif
    }

    // The class of line g, a new one if no earlier line equals it.
    int idOf(int g, std::uint32_t hash)
    {
        const QByteArrayView line = m_lineAt(g);
        size_t slot = hash & m_mask;
        while (m_slots[slot].id != 0
               && !(m_slots[slot].hash == hash && m_lineAt(m_representative[size_t(m_slots[slot].id)]) == line))
            slot = (slot + 1) & m_mask;
        if (m_slots[slot].id == 0) {
            m_slots[slot] = {hash, int(m_representative.size())};
            m_representative.push_back(g);
        }
        return m_slots[slot].id;
    }
    int representative(int id) const { return m_representative[size_t(id)]; }
    int count() const { return int(m_representative.size()); }

private:
    struct Slot {
        std::uint32_t hash;
        int id; // 0: empty
    };
    LineAt m_lineAt;
    std::vector<Slot> m_slots;
    size_t m_mask = 0;
    std::vector<int> m_representative{-1}; // class id -> a line with it; id 0 unused
};

LineClasses classify(const Side &x, const Side &y, const Window &w)
{
    const int len0 = w.length(0), len1 = w.length(1);
    const auto lineAt = [&](int g) { return g < len0 ? x.line(w.first + g) : y.line(w.first + g - len0); };
    ClassTable table(size_t(len0) + size_t(len1), lineAt);
    LineClasses result;
    std::vector<int> &ids0 = result.ids[0], &ids1 = result.ids[1];
    ids0.resize(size_t(len0));
    ids1.resize(size_t(len1));

    // Before: hashes first, in one sequential pass, so each lookup's slot can be fetched
    // while the lines ahead of it are looked up.
    {
        std::vector<std::uint32_t> hashes(size_t(len0), 0);
        for (int g = 0; g < len0; ++g)
            hashes[size_t(g)] = lineHash(lineAt(g));
        constexpr int lookAhead = 16;
        for (int g = 0; g < len0; ++g) {
            if (g + lookAhead < len0)
                table.prefetch(hashes[size_t(g + lookAhead)]);
            ids0[size_t(g)] = table.idOf(g, hashes[size_t(g)]);
        }
    }
    // After: most lines equal the line of before at the same distance as the last line found,
    // and then share its class without a lookup (an edit moves that distance; a lookup
    // finds the new one).
    int shift = 0; // after's line j probably equals before's line j + shift
    for (int j = 0; j < len1; ++j) {
        const int k = j + shift;
        const QByteArrayView line = lineAt(len0 + j);
        if (k >= 0 && k < len0 && lineAt(k) == line) {
            ids1[size_t(j)] = ids0[size_t(k)];
            continue;
        }
        const int id = table.idOf(len0 + j, lineHash(line));
        ids1[size_t(j)] = id;
        if (const int seen = table.representative(id); seen < len0)
            shift = seen - j;
    }
    result.count = table.count();
    return result;
}

// GNU's discard_confusing_lines: a line with no equal in the other file can only be a change,
// so it is marked changed at once and left out of the search. A line with very many equals
// ("provisional") is left out too, but only inside a run of such lines that begins and ends
// with a line that has no equal, and not if over a quarter of the run is provisional. The
// search then sees fewer, less ambiguous lines: faster, and the script GNU users know.
std::array<std::vector<char>, 2> confusingLines(const LineClasses &classes)
{
    enum : char { Keep = 0, Discard = 1, Provisional = 2 };
    std::array<std::vector<int>, 2> occurrences;
    for (size_t f = 0; f < 2; ++f) {
        occurrences[f].assign(size_t(classes.count), 0);
        for (int id : classes.ids[f])
            ++occurrences[f][size_t(id)];
    }
    std::array<std::vector<char>, 2> marks;
    for (size_t f = 0; f < 2; ++f) {
        const std::vector<int> &ids = classes.ids[f];
        const std::vector<int> &inOther = occurrences[1 - f];
        const size_t end = ids.size();
        // "Very many": 5 times roughly the square root of the file's length over 64.
        size_t many = 5;
        for (size_t t = end / 64; (t >>= 2) > 0;)
            many *= 2;
        marks[f].assign(end, Keep);
        for (size_t i = 0; i < end; ++i) {
            const size_t matches = size_t(inOther[size_t(ids[i])]);
            if (matches == 0)
                marks[f][i] = Discard;
            else if (matches > many)
                marks[f][i] = Provisional;
        }
    }

    for (std::vector<char> &m : marks) {
        const qsizetype end = qsizetype(m.size());
        for (qsizetype i = 0; i < end; ++i) {
            if (m[size_t(i)] == Provisional) {
                m[size_t(i)] = Keep; // not inside a run that starts with a line without equal
                continue;
            }
            if (m[size_t(i)] == Keep)
                continue;
            // A run of set-aside lines starts here; find its end and how many are provisional.
            qsizetype j = i, provisional = 0;
            for (; j < end && m[size_t(j)] != Keep; ++j)
                provisional += m[size_t(j)] == Provisional;
            while (j > i && m[size_t(j - 1)] == Provisional) {
                m[size_t(--j)] = Keep;
                --provisional;
            }
            const qsizetype length = j - i;
            const auto at = [&](qsizetype k) -> char & { return m[size_t(k)]; };
            if (provisional * 4 > length) {
                for (qsizetype k = i; k < j; ++k)
                    if (at(k) == Provisional)
                        at(k) = Keep;
            } else {
                // Long stretches of provisional lines stay in the search: roughly the square
                // root of length/4 of them in a row is too many.
                qsizetype minimum = 1;
                for (qsizetype t = length >> 2; (t >>= 2) > 0;)
                    minimum <<= 1;
                ++minimum;
                qsizetype consecutive = 0;
                for (qsizetype k = 0; k < length; ++k) {
                    if (at(i + k) != Provisional) {
                        consecutive = 0;
                    } else if (++consecutive == minimum) {
                        k -= consecutive; // go back and keep the whole stretch
                    } else if (consecutive > minimum) {
                        at(i + k) = Keep;
                    }
                }
                // Near either end of the run, provisional lines stay in the search until three
                // lines without equal in a row, or one such line at least 8 lines in.
                const auto trimEnd = [&](qsizetype origin, qsizetype step) {
                    qsizetype inRow = 0;
                    for (qsizetype k = 0; k < length; ++k) {
                        char &mark = at(origin + step * k);
                        if (k >= 8 && mark == Discard)
                            break;
                        if (mark == Provisional) {
                            inRow = 0;
                            mark = Keep;
                        } else if (mark == Keep) {
                            inRow = 0;
                        } else if (++inRow == 3) {
                            break;
                        }
                    }
                };
                trimEnd(i, 1);
                i += length - 1;
                trimEnd(i, -1);
            }
        }
    }
    return marks;
}

// Per-line "changed" flags with a false sentinel before the first and after the last line,
// which the slide below relies on.
class ChangeFlags {
public:
    explicit ChangeFlags(int lines) : m_flags(size_t(lines) + 2, 0) {}
    char &operator[](int line) { return m_flags[size_t(line + 1)]; }
    char operator[](int line) const { return m_flags[size_t(line + 1)]; }

private:
    std::vector<char> m_flags;
};

// GNU's compareseq and diag (gnulib diffseq.h): Myers' linear-space divide and conquer on the
// lines kept in the search. Forward and backward searches advance one cost step at a time
// and stop where they first overlap; the order diagonals are tried in (highest first) and
// which neighbour a diagonal continues from decide that point, and so which of several
// equally short scripts comes out. Past `tooExpensive` steps the search settles for the
// furthest point reached (a valid, maybe longer, script), which bounds time at about
// O(N^1.5 log N) when two big files have little in common.
class MiddleSnakeSearch {
public:
    MiddleSnakeSearch(const std::vector<int> &x, const std::vector<int> &y, std::vector<int> &xChanged,
                      std::vector<int> &yChanged)
        : m_x(x), m_y(y), m_removed(xChanged), m_added(yChanged),
          m_diagonals(x.size() + y.size() + 3), m_offset(int(y.size()) + 1),
          m_forward(m_diagonals, 0), m_backward(m_diagonals, 0)
    {
        long long tooExpensive = 1;
        for (size_t d = m_diagonals; d != 0; d >>= 2)
            tooExpensive <<= 1;
        m_tooExpensive = int(std::max(4096LL, tooExpensive));
    }

    void run() { compare(0, int(m_x.size()), 0, int(m_y.size()), false); }

private:
    struct Split {
        int x, y;
        bool lowMinimal, highMinimal;
    };

    int &fd(int diagonal) { return m_forward[size_t(diagonal + m_offset)]; }
    int &bd(int diagonal) { return m_backward[size_t(diagonal + m_offset)]; }
    bool same(int xi, int yi) const { return m_x[size_t(xi)] == m_y[size_t(yi)]; }

    void compare(int xoff, int xlim, int yoff, int ylim, bool minimal)
    {
        for (;;) {
            while (xoff < xlim && yoff < ylim && same(xoff, yoff)) {
                ++xoff;
                ++yoff;
            }
            while (xoff < xlim && yoff < ylim && same(xlim - 1, ylim - 1)) {
                --xlim;
                --ylim;
            }
            if (xoff == xlim) {
                while (yoff < ylim)
                    m_added.push_back(yoff++);
                return;
            }
            if (yoff == ylim) {
                while (xoff < xlim)
                    m_removed.push_back(xoff++);
                return;
            }
            const Split s = middle(xoff, xlim, yoff, ylim, minimal);
            // Recurse into the smaller half and loop on the larger: the stack stays O(log n).
            if ((xlim + ylim) - (s.x + s.y) < (s.x + s.y) - (xoff + yoff)) {
                compare(s.x, xlim, s.y, ylim, s.highMinimal);
                xlim = s.x;
                ylim = s.y;
                minimal = s.lowMinimal;
            } else {
                compare(xoff, s.x, yoff, s.y, s.lowMinimal);
                xoff = s.x;
                yoff = s.y;
                minimal = s.highMinimal;
            }
        }
    }

    Split middle(int xoff, int xlim, int yoff, int ylim, bool minimal)
    {
        const int dmin = xoff - ylim, dmax = xlim - yoff;
        const int fmid = xoff - yoff, bmid = xlim - ylim;
        int fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
        const bool odd = ((fmid - bmid) & 1) != 0;
        // Raw pointers in the snake loops: through the vectors, two unrelated 100,000-line
        // files took 5.5 s instead of 4.5 s.
        int *const fd = m_forward.data() + m_offset;
        int *const bd = m_backward.data() + m_offset;
        const int *const xv = m_x.data();
        const int *const yv = m_y.data();
        fd[fmid] = xoff;
        bd[bmid] = xlim;
        for (int cost = 1;; ++cost) {
            // One more step forward on every reachable diagonal, highest diagonal first.
            if (fmin > dmin)
                fd[--fmin - 1] = -1;
            else
                ++fmin;
            if (fmax < dmax)
                fd[++fmax + 1] = -1;
            else
                --fmax;
            for (int d = fmax; d >= fmin; d -= 2) {
                const int below = fd[d - 1], above = fd[d + 1];
                const int x0 = below < above ? above : below + 1;
                int xi = x0, yi = x0 - d;
                while (xi < xlim && yi < ylim && xv[xi] == yv[yi]) {
                    ++xi;
                    ++yi;
                }
                fd[d] = xi;
                if (odd && bmin <= d && d <= bmax && bd[d] <= xi)
                    return {xi, yi, true, true};
            }
            // And one step backward.
            if (bmin > dmin)
                bd[--bmin - 1] = INT_MAX;
            else
                ++bmin;
            if (bmax < dmax)
                bd[++bmax + 1] = INT_MAX;
            else
                --bmax;
            for (int d = bmax; d >= bmin; d -= 2) {
                const int below = bd[d - 1], above = bd[d + 1];
                const int x0 = below < above ? below : above - 1;
                int xi = x0, yi = x0 - d;
                while (xoff < xi && yoff < yi && xv[xi - 1] == yv[yi - 1]) {
                    --xi;
                    --yi;
                }
                bd[d] = xi;
                if (!odd && fmin <= d && d <= fmax && xi <= fd[d])
                    return {xi, yi, true, true};
            }
            if (!minimal && cost >= m_tooExpensive)
                return giveUp(xoff, xlim, yoff, ylim, fmin, fmax, bmin, bmax);
        }
    }

    // Too expensive: split at whichever search got furthest (by x + y) from its corner.
    Split giveUp(int xoff, int xlim, int yoff, int ylim, int fmin, int fmax, int bmin, int bmax)
    {
        long long fxyBest = -1;
        int fxBest = 0;
        for (int d = fmax; d >= fmin; d -= 2) {
            int xi = std::min(fd(d), xlim);
            int yi = xi - d;
            if (ylim < yi) {
                xi = ylim + d;
                yi = ylim;
            }
            if (fxyBest < xi + yi) {
                fxyBest = xi + yi;
                fxBest = xi;
            }
        }
        long long bxyBest = LLONG_MAX;
        int bxBest = 0;
        for (int d = bmax; d >= bmin; d -= 2) {
            int xi = std::max(xoff, bd(d));
            int yi = xi - d;
            if (yi < yoff) {
                xi = yoff + d;
                yi = yoff;
            }
            if (xi + yi < bxyBest) {
                bxyBest = xi + yi;
                bxBest = xi;
            }
        }
        if ((xlim + ylim) - bxyBest < fxyBest - (xoff + yoff))
            return {fxBest, int(fxyBest - fxBest), true, false};
        return {bxBest, int(bxyBest - bxBest), false, true};
    }

    const std::vector<int> &m_x, &m_y;
    std::vector<int> &m_removed, &m_added; // positions in m_x / m_y
    size_t m_diagonals;
    int m_offset;
    std::vector<int> m_forward, m_backward;
    int m_tooExpensive = 4096;
};

// GNU's shift_boundaries: a run of changed lines may be slid over equal neighbours without
// changing the script's length. Slide each run up to merge with runs above, then down to
// merge with runs below (so that a lone run ends as low as it can go), and finally back up to
// the last place where it faces a changed run in the other file.
void slideChanges(std::array<ChangeFlags, 2> &changed, const LineClasses &classes)
{
    for (size_t f = 0; f < 2; ++f) {
        ChangeFlags &mine = changed[f];
        const ChangeFlags &other = changed[1 - f];
        const std::vector<int> &ids = classes.ids[f];
        const int iEnd = int(ids.size());
        const auto id = [&](int line) { return ids[size_t(line)]; };
        int i = 0, j = 0; // j: the matching place in the other file
        for (;;) {
            while (i < iEnd && !mine[i]) {
                while (other[j++]) {
                }
                ++i;
            }
            if (i == iEnd)
                break;
            int start = i;
            while (mine[++i]) {
            }
            while (other[j])
                ++j;
            int runLength = 0, corresponding = 0;
            do {
                runLength = i - start;
                while (start != 0 && id(start - 1) == id(i - 1)) {
                    mine[--start] = 1;
                    mine[--i] = 0;
                    while (mine[start - 1])
                        --start;
                    while (other[--j]) {
                    }
                }
                corresponding = other[j - 1] ? i : iEnd;
                while (i != iEnd && id(start) == id(i)) {
                    mine[start++] = 0;
                    mine[i++] = 1;
                    while (mine[i])
                        ++i;
                    while (other[++j])
                        corresponding = i;
                }
            } while (runLength != i - start);
            while (corresponding < i) {
                mine[--start] = 1;
                mine[--i] = 0;
                while (other[--j]) {
                }
            }
        }
    }
}

// One change: `removed` lines of before from line0, `added` lines of after from line1
// (0-based, whole-file numbers; with nothing removed, line0 is the line the addition precedes).
struct Change {
    int line0, line1, removed, added;
};

std::vector<Change> changesBetween(const Side &x, const Side &y, int horizon)
{
    const Window w = comparedWindow(x, y, horizon);
    const LineClasses classes = classify(x, y, w);
    std::array<ChangeFlags, 2> changed{ChangeFlags(w.length(0)), ChangeFlags(w.length(1))};
    {
        const std::array<std::vector<char>, 2> setAside = confusingLines(classes);
        std::array<std::vector<int>, 2> searched, where; // ids kept in the search, their lines
        for (size_t f = 0; f < 2; ++f) {
            searched[f].reserve(setAside[f].size());
            where[f].reserve(setAside[f].size());
            for (int i = 0; i < int(setAside[f].size()); ++i) {
                if (setAside[f][size_t(i)]) {
                    changed[f][i] = 1;
                } else {
                    searched[f].push_back(classes.ids[f][size_t(i)]);
                    where[f].push_back(i);
                }
            }
        }
        std::vector<int> removed, added;
        MiddleSnakeSearch(searched[0], searched[1], removed, added).run();
        for (int k : removed)
            changed[0][where[0][size_t(k)]] = 1;
        for (int k : added)
            changed[1][where[1][size_t(k)]] = 1;
    }
    slideChanges(changed, classes);

    std::vector<Change> changes;
    const int len0 = w.length(0), len1 = w.length(1);
    for (int i0 = 0, i1 = 0; i0 < len0 || i1 < len1; ++i0, ++i1) {
        if (!changed[0][i0] && !changed[1][i1])
            continue;
        const int from0 = i0, from1 = i1;
        while (changed[0][i0])
            ++i0;
        while (changed[1][i1])
            ++i1;
        changes.push_back({w.first + from0, w.first + from1, i0 - from0, i1 - from1});
    }
    return changes;
}

void appendLine(QByteArray &out, char marker, QByteArrayView line)
{
    out += marker;
    out += line;
    if (!line.endsWith('\n'))
        out += "\n\\ No newline at end of file\n";
}

// diff -u's range: "first,count", "first" for one line, and for no lines "before,0" where
// `before` is the line the range follows (patch relies on it to recognise empty files).
QByteArray range(qint64 first, qint64 last)
{
    const qint64 a = first + 1, b = last + 1;
    if (b < a)
        return QByteArray::number(b) + ",0";
    if (b == a)
        return QByteArray::number(a);
    return QByteArray::number(a) + ',' + QByteArray::number(b - a + 1);
}

} // namespace

QByteArray unifiedDiff(const QByteArray &before, const QByteArray &after, const QString &beforeLabel,
                       const QString &afterLabel, int context)
{
    if (before == after)
        return {};
    // More context than any file has lines changes nothing; the cap keeps the sums below in range.
    const int ctx = std::clamp(context, 0, INT_MAX / 4);
    const Side x(before), y(after);
    const std::vector<Change> changes = changesBetween(x, y, ctx);
    if (changes.empty())
        return {};

    QByteArray out = "--- " + beforeLabel.toUtf8() + "\n+++ " + afterLabel.toUtf8() + "\n";
    size_t next = 0;
    while (next < changes.size()) {
        // A hunk takes the following change too while fewer than 2*context+1 unchanged lines
        // separate them (so their context would touch or overlap).
        size_t last = next;
        while (last + 1 < changes.size()
               && qint64(changes[last + 1].line0) - (changes[last].line0 + changes[last].removed) < 2LL * ctx + 1)
            ++last;
        const Change &a = changes[next], &z = changes[last];
        const qint64 first0 = std::max<qint64>(0, qint64(a.line0) - ctx);
        const qint64 first1 = std::max<qint64>(0, qint64(a.line1) - ctx);
        const qint64 last0 = std::min<qint64>(x.count() - 1, qint64(z.line0) + z.removed - 1 + ctx);
        const qint64 last1 = std::min<qint64>(y.count() - 1, qint64(z.line1) + z.added - 1 + ctx);
        out += "@@ -" + range(first0, last0) + " +" + range(first1, last1) + " @@\n";
        int i = int(first0), j = int(first1);
        size_t c = next;
        while (i <= last0 || j <= last1) {
            if (c > last || i < changes[c].line0) {
                appendLine(out, ' ', x.line(i));
                ++i;
                ++j;
                continue;
            }
            for (int k = 0; k < changes[c].removed; ++k)
                appendLine(out, '-', x.line(i++));
            for (int k = 0; k < changes[c].added; ++k)
                appendLine(out, '+', y.line(j++));
            ++c;
        }
        next = last + 1;
    }
    return out;
}

} // namespace smtls
