#pragma once
// One user edit, staged: a core Change held by a QUndoCommand whose text is the change's own
// description. The undo stack of a host is the list of its staged edits (the commands below
// the stack's index), so undo and redo need no code of their own.

#include "Change.h"

#include <QList>
#include <QUndoCommand>

class QUndoStack;

namespace smtls::gui {

class StagedEdit : public QUndoCommand {
public:
    explicit StagedEdit(Change change) : QUndoCommand(change.description()), m_change(std::move(change)) {}
    void undo() override {}
    void redo() override {}
    const Change &change() const { return m_change; }

private:
    Change m_change;
};

// The changes of the commands that are done (below the stack's index), in order.
QList<Change> stagedChanges(const QUndoStack &stack);

} // namespace smtls::gui
