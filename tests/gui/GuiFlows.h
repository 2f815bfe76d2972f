#pragma once
// The steps the GUI tests take through the real dialogs, in one place: open a host, add an
// exception, preview and apply, wait for the apply (or undo, or restore) and the re-read after
// it, find a rule or a History row. Each returns what it found, never asserts: the test says
// what it expected.

#include "apply/ApplyReport.h"
#include "PolicyEditor.h"

#include <QApplication>
#include <QString>
#include <QTest>
#include <QWidget>
#include <QStringList>

class QTableView;
class QTreeView;

namespace smtls::gui {
class HistoryPanel;
class HostSession;
class MainWindow;
}

namespace smtls::testing {

// Why the Demo host cannot apply here (no m4/makemap/sendmail, or not root and no user
// namespaces), for QSKIP; empty when it can.
QString whyTheDemoCannotApply();

// The visible top-level dialog of type T named NAME (any name when empty), waited for up to 5 s;
// null when none came (the caller's check says which dialog).
template <typename T>
T *visibleDialog(const QString &name = {})
{
    T *found = nullptr;
    (void)QTest::qWaitFor([&] {
        for (QWidget *w : QApplication::topLevelWidgets())
            if (auto *d = qobject_cast<T *>(w); d && d->isVisible() && (name.isEmpty() || d->objectName() == name))
                found = d;
        return found != nullptr;
    }, 5000);
    return found;
}

// Selects the host and waits until it was read (state shown, nothing pending, not busy).
gui::HostSession *openHost(gui::MainWindow &w, const QString &id, int timeoutMs = 120000);

// Edit → Add exception…: the dialog with these values, OK (staged). False when no dialog opened.
bool addException(gui::MainWindow &w, const QString &destination, TlsSetting setting, const QString &reason);

// The open apply dialog (apply, undo or restore): waits for its end and for the re-read after
// it; the host's report, or an empty one (outcome unset) when no dialog came or it never ended.
ApplyReport waitForApply(gui::MainWindow &w, gui::HostSession *session);

// The preview of the staged edits: waits for its diff (into *diff), types `reason` when given,
// Apply, then waitForApply.
ApplyReport previewAndApply(gui::MainWindow &w, gui::HostSession *session, const QString &reason = {}, QString *diff = nullptr);

// addException + previewAndApply.
ApplyReport applyException(gui::MainWindow &w, gui::HostSession *session, const QString &destination,
                           TlsSetting setting = TlsSetting::Off, const QString &reason = {});

// The rules table's row showing DESTINATION, or -1.
int ruleRow(QTableView *rules, const QString &destination);

// The History row whose change starts with `text` (newest first), or -1.
int historyRow(gui::HistoryPanel *history, const QString &text);

// Reloads History, waits for `rows` rows and selects the row of `text` until its diff is shown
// and its actions are enabled.
bool selectHistoryChange(gui::HistoryPanel *history, const QString &text, int rows, int timeoutMs = 60000);

// The host list's cells that are cut (narrower than their text, or past the visible width),
// each described; empty when every cell is whole.
QStringList cutHostCells(QTreeView *hosts);

} // namespace smtls::testing
