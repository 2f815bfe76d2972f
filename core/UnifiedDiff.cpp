#include "UnifiedDiff.h"

#include "LineIndex.h"

#include <algorithm>
#include <vector>

namespace smtls {
namespace {

struct Lines {
    explicit Lines(const QByteArray &content) : bytes(content), index(content) {}
    QByteArrayView at(int i) const { return QByteArrayView(bytes).sliced(index.start(i), index.end(i) - index.start(i)); }
    int count() const { return index.count(); }
    const QByteArray &bytes;
    LineIndex index;
};

enum class Op { Keep, Remove, Add };
struct Edit {
    Op op;
    int a;  // line in before (Keep, Remove)
    int b;  // line in after (Keep, Add)
};

// Myers' O(ND) shortest edit script on the part between the common prefix and suffix. Edits
// we make touch a few lines, so D stays tiny even for a million-line map.
std::vector<Edit> diffLines(const Lines &x, const Lines &y)
{
    const int n = x.count(), m = y.count();
    int prefix = 0;
    while (prefix < n && prefix < m && x.at(prefix) == y.at(prefix))
        ++prefix;
    int suffix = 0;
    while (suffix < n - prefix && suffix < m - prefix && x.at(n - 1 - suffix) == y.at(m - 1 - suffix))
        ++suffix;
    const int N = n - prefix - suffix, M = m - prefix - suffix;
    const int max = N + M;
    if (max > 20000) {
        // Not the kind of change we make; keep memory bounded with a plain replace.
        std::vector<Edit> all;
        for (int i = 0; i < prefix; ++i)
            all.push_back({Op::Keep, i, i});
        for (int i = 0; i < N; ++i)
            all.push_back({Op::Remove, prefix + i, prefix});
        for (int i = 0; i < M; ++i)
            all.push_back({Op::Add, prefix + N, prefix + i});
        for (int i = 0; i < suffix; ++i)
            all.push_back({Op::Keep, n - suffix + i, m - suffix + i});
        return all;
    }
    std::vector<std::vector<int>> trace;
    std::vector<int> v(size_t(2 * max + 2), 0);
    const int offset = max + 1;
    int found = -1;
    for (int d = 0; d <= max && found < 0; ++d) {
        trace.push_back(v);
        for (int k = -d; k <= d; k += 2) {
            int xi = (k == -d || (k != d && v[size_t(offset + k - 1)] < v[size_t(offset + k + 1)]))
                ? v[size_t(offset + k + 1)]
                : v[size_t(offset + k - 1)] + 1;
            int yi = xi - k;
            while (xi < N && yi < M && x.at(prefix + xi) == y.at(prefix + yi)) {
                ++xi;
                ++yi;
            }
            v[size_t(offset + k)] = xi;
            if (xi >= N && yi >= M) {
                found = d;
                break;
            }
        }
    }
    // Walk back through the trace.
    std::vector<Edit> middle;
    int xi = N, yi = M;
    for (int d = found; d > 0; --d) {
        const std::vector<int> &pv = trace[size_t(d)];
        const int k = xi - yi;
        const bool down = (k == -d || (k != d && pv[size_t(offset + k - 1)] < pv[size_t(offset + k + 1)]));
        const int prevK = down ? k + 1 : k - 1;
        const int prevX = pv[size_t(offset + prevK)];
        const int prevY = prevX - prevK;
        while (xi > prevX && yi > prevY) {
            --xi;
            --yi;
            middle.push_back({Op::Keep, prefix + xi, prefix + yi});
        }
        if (down)
            middle.push_back({Op::Add, prefix + xi, prefix + --yi});
        else
            middle.push_back({Op::Remove, prefix + --xi, prefix + yi});
    }
    while (xi > 0 && yi > 0) {
        --xi;
        --yi;
        middle.push_back({Op::Keep, prefix + xi, prefix + yi});
    }
    std::reverse(middle.begin(), middle.end());
    std::vector<Edit> all;
    all.reserve(size_t(prefix + suffix) + middle.size());
    for (int i = 0; i < prefix; ++i)
        all.push_back({Op::Keep, i, i});
    all.insert(all.end(), middle.begin(), middle.end());
    for (int i = 0; i < suffix; ++i)
        all.push_back({Op::Keep, n - suffix + i, m - suffix + i});
    return all;
}

void appendLine(QByteArray &out, char marker, QByteArrayView line)
{
    out += marker;
    out += line;
    if (!line.endsWith('\n'))
        out += "\n\\ No newline at end of file\n";
}

} // namespace

QByteArray unifiedDiff(const QByteArray &before, const QByteArray &after, const QString &beforeLabel,
                       const QString &afterLabel, int context)
{
    if (before == after)
        return {};
    const Lines x(before), y(after);
    const std::vector<Edit> edits = diffLines(x, y);
    QByteArray out = "--- " + beforeLabel.toUtf8() + "\n+++ " + afterLabel.toUtf8() + "\n";
    size_t i = 0;
    while (i < edits.size()) {
        if (edits[i].op == Op::Keep) {
            ++i;
            continue;
        }
        // A hunk: from `context` lines before this change to `context` lines after the last
        // change that is no more than 2*context lines away.
        size_t start = i >= size_t(context) ? i - size_t(context) : 0;
        while (start < i && edits[start].op != Op::Keep)
            ++start;
        size_t end = i;
        size_t lastChange = i;
        while (end < edits.size()) {
            if (edits[end].op != Op::Keep)
                lastChange = end;
            else if (end - lastChange > size_t(2 * context))
                break;
            ++end;
        }
        end = std::min(edits.size(), lastChange + size_t(context) + 1);
        int aStart = -1, bStart = -1, aCount = 0, bCount = 0;
        QByteArray body;
        for (size_t k = start; k < end; ++k) {
            const Edit &e = edits[k];
            if (e.op != Op::Add && aStart < 0)
                aStart = e.a;
            if (e.op != Op::Remove && bStart < 0)
                bStart = e.b;
            switch (e.op) {
            case Op::Keep: appendLine(body, ' ', x.at(e.a)); ++aCount; ++bCount; break;
            case Op::Remove: appendLine(body, '-', x.at(e.a)); ++aCount; break;
            case Op::Add: appendLine(body, '+', y.at(e.b)); ++bCount; break;
            }
        }
        // diff -u numbers an empty range by the line before it.
        if (aStart < 0)
            aStart = edits[start].a;
        if (bStart < 0)
            bStart = edits[start].b;
        const auto range = [](int s, int count) {
            const int first = count == 0 ? s : s + 1;
            return QByteArray::number(first) + (count == 1 ? QByteArray() : "," + QByteArray::number(count));
        };
        out += "@@ -" + range(aStart, aCount) + " +" + range(bStart, bCount) + " @@\n";
        out += body;
        i = end;
    }
    return out;
}

} // namespace smtls
