#pragma once
// One user edit, staged: its words and the planner that makes it. The undo stack of a host is
// the list of its staged edits (the commands below the stack's index), so undo and redo need
// no code of their own.

#include "ApplyPipeline.h"

#include <QList>
#include <QUndoCommand>

class QUndoStack;

namespace smtls::gui {

class StagedEdit : public QUndoCommand {
public:
    StagedEdit(const QString &text, ChangePlanner plan) : QUndoCommand(text), m_plan(std::move(plan)) {}
    void undo() override {}
    void redo() override {}
    const ChangePlanner &planner() const { return m_plan; }

private:
    ChangePlanner m_plan;
};

// The planners of the commands that are done (below the stack's index), in order.
QList<ChangePlanner> stagedPlanners(const QUndoStack &stack);
QStringList stagedTexts(const QUndoStack &stack);

} // namespace smtls::gui
