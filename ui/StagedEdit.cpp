#include "StagedEdit.h"

#include <QUndoStack>

namespace smtls::gui {

QList<ChangePlanner> stagedPlanners(const QUndoStack &stack)
{
    QList<ChangePlanner> out;
    for (int i = 0; i < stack.index(); ++i)
        if (const auto *edit = dynamic_cast<const StagedEdit *>(stack.command(i)))
            out.append(edit->planner());
    return out;
}

QStringList stagedTexts(const QUndoStack &stack)
{
    QStringList out;
    for (int i = 0; i < stack.index(); ++i)
        out.append(stack.text(i));
    return out;
}

} // namespace smtls::gui
