#include "StagedEdit.h"

#include <QUndoStack>

namespace smtls::gui {

QList<Change> stagedChanges(const QUndoStack &stack)
{
    QList<Change> out;
    for (int i = 0; i < stack.index(); ++i)
        if (const auto *edit = dynamic_cast<const StagedEdit *>(stack.command(i)))
            out.append(edit->change());
    return out;
}

} // namespace smtls::gui
