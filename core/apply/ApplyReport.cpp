#include "ApplyReport.h"

namespace smtls {

QString outcomeName(ApplyOutcome outcome)
{
    switch (outcome) {
    case ApplyOutcome::Applied: return QStringLiteral("applied");
    case ApplyOutcome::NothingToDo: return QStringLiteral("nothing to do");
    case ApplyOutcome::Refused: return QStringLiteral("refused");
    case ApplyOutcome::RolledBack: return QStringLiteral("rolled back");
    case ApplyOutcome::RollbackFailed: return QStringLiteral("rollback failed");
    case ApplyOutcome::Failed: return QStringLiteral("failed");
    }
    return {};
}

} // namespace smtls
