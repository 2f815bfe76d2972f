#include "apply/FailureCause.h"

#include <QRegularExpression>
#include <QStringList>

namespace smtls {
namespace {

bool isNoise(const QString &line)
{
    // make's bookkeeping: where it runs, never why it failed.
    static const QRegularExpression directory(QStringLiteral("^g?make(\\[\\d+\\])?: (Entering|Leaving|Nothing to be done)"));
    return line.isEmpty() || directory.match(line).hasMatch();
}

bool tellsWhy(const QString &line)
{
    static const QRegularExpression words(
        QStringLiteral("\\b(error|errors|failed|failure|fatal|cannot|can't|could not|unable|not found|no such|denied|refused|"
                       "invalid|unknown|not permitted|not running|timed out|stop\\.)"),
        QRegularExpression::CaseInsensitiveOption);
    return words.match(line).hasMatch();
}

// make's own line for a failed recipe: the recipe's output before it says more.
bool isMakeRecipeFailure(const QString &line)
{
    static const QRegularExpression recipe(QStringLiteral("^g?make(\\[\\d+\\])?: \\*\\*\\* \\[.*\\] Error \\d+$"));
    return recipe.match(line).hasMatch();
}

} // namespace

QString failureCause(const QByteArray &output, int maxLines)
{
    QStringList lines;
    for (const QByteArray &raw : output.split('\n')) {
        const QString line = QString::fromUtf8(raw).trimmed();
        if (!isNoise(line))
            lines << line.left(300);
    }
    QStringList telling;
    for (const QString &line : lines)
        if (tellsWhy(line))
            telling << line;
    if (telling.size() > 1)
        telling.removeIf([](const QString &line) { return isMakeRecipeFailure(line); });
    const QStringList &chosen = telling.isEmpty() ? lines : telling;
    return chosen.mid(std::max<qsizetype>(0, chosen.size() - maxLines)).join(QStringLiteral(" / "));
}

QString failureCause(const CommandResult &result, int maxLines)
{
    const QString fromErr = failureCause(result.err, maxLines);
    const QString fromOut = failureCause(result.out, maxLines);
    // stderr wins when it names a failure, or when stdout has nothing better to say.
    if (!fromErr.isEmpty() && (tellsWhy(fromErr) || !tellsWhy(fromOut)))
        return fromErr;
    if (!fromOut.isEmpty())
        return fromOut;
    return QStringLiteral("exit status %1, no output").arg(result.exitCode);
}

} // namespace smtls
