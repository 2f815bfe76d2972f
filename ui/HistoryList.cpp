#include "HistoryList.h"

#include "Change.h"

#include <algorithm>
#include <QCoreApplication>

namespace smtls::gui {

QString HistoryItem::whereKept() const
{
    if (!localId.isEmpty() && !hostId.isEmpty())
        return QCoreApplication::translate("HistoryList", "here and on the host");
    return localId.isEmpty() ? QCoreApplication::translate("HistoryList", "on the host") : QCoreApplication::translate("HistoryList", "on this computer");
}

namespace {

bool sameApply(const Snapshot &local, const Snapshot &onHost)
{
    // The two copies are written a moment apart by the same apply: the workstation's clock
    // and the host's may differ a little, and nothing else tells them apart.
    constexpr qint64 MaxSkewSeconds = 120;
    // The change as data when both copies have it (older snapshots carry only its words).
    const bool sameChange = !local.changeRecord.isEmpty() && !onHost.changeRecord.isEmpty()
        ? sameChangeRecord(local.changeRecord, onHost.changeRecord)
        : local.change == onHost.change;
    return sameChange && local.user == onHost.user && local.reason == onHost.reason
        && std::abs(local.time.secsTo(onHost.time)) <= MaxSkewSeconds;
}

} // namespace

QList<HistoryItem> mergeHistory(const QList<Snapshot> &local, const QList<Snapshot> &onHost)
{
    QList<HistoryItem> items;
    QList<bool> hostTaken(onHost.size(), false);
    for (const Snapshot &l : local) {
        HistoryItem item{l, l.id, {}};
        for (qsizetype i = 0; i < onHost.size(); ++i)
            if (!hostTaken[i] && sameApply(l, onHost[i])) {
                hostTaken[i] = true;
                item.hostId = onHost[i].id;
                break;
            }
        items.append(item);
    }
    for (qsizetype i = 0; i < onHost.size(); ++i)
        if (!hostTaken[i])
            items.append(HistoryItem{onHost[i], {}, onHost[i].id});
    std::stable_sort(items.begin(), items.end(), [](const HistoryItem &a, const HistoryItem &b) { return a.summary.time > b.summary.time; });
    return items;
}

} // namespace smtls::gui
