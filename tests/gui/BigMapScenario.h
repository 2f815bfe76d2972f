#pragma once
// The window on a million-line access map, step by step, as the big-map test and the GUI
// benchmark both drive it: open the window with the Demo host (the big tree) selected and wait
// for its rules, select it again, filter the rules and clear the filter, sort them by
// destination and go back to the file's order, ask the explain box about one server, stage an
// exception through the Add dialog, open the diff preview and close it, undo the exception. Each step is timed, with the
// longest time the UI thread went without running a 10 ms timer (StallMeter) while it ran.

#include "BigMapTree.h"

#include <QList>
#include <QString>

namespace smtls::gui::testing {

struct StepFigure {
    QString name;
    qint64 ms = 0;          // from the action to what it shows being shown
    qint64 worstStall = 0;  // the UI thread's longest gap meanwhile
    qint64 peakRssKiB = 0;  // the process's peak resident size so far (VmHWM), 0 if unknown
};

// VmHWM of /proc/self/status; 0 where there is none.
qint64 peakRssKiB();

struct BigMapRun {
    QList<StepFigure> steps;
    QString failure;  // what was not shown as it should be; empty when all was
    qint64 worstStall() const;
    StepFigure step(const QString &name) const;
    QString describe() const;  // "open 1234 ms (stall 40 ms), reselect …"
};

// The Demo host's tree must already be TREE (written under HostConnector::demoRoot()). Every
// step waits at most TIMEOUTMS. The window is closed and the worker pool idle on return.
BigMapRun runBigMapScenario(const BigMapTree &tree, int timeoutMs = 120000);

} // namespace smtls::gui::testing
