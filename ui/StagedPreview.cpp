#include "StagedPreview.h"

#include "HostSession.h"
#include "UnifiedDiff.h"
#include <QCoreApplication>

namespace smtls::gui {

StagedPreviewSource stagedPreviewSource(const HostSession &session)
{
    StagedPreviewSource source;
    source.host = session.entry().name;
    if (session.pendingCount() > 0) {
        source.description = session.stagedDescription();
        source.staged = session.stagedBatch();
    }
    source.state = session.state();
    source.loadError = session.loadError();
    return source;
}

StagedPreview stagedPreview(const QList<StagedPreviewSource> &sources)
{
    StagedPreview out;
    for (const StagedPreviewSource &s : sources) {
        out.text += QStringLiteral("=== %1: %2\n").arg(s.host, s.staged ? s.description : QCoreApplication::translate("StagedPreview", "nothing staged"));
        if (!s.staged)
            continue;
        const Result<ConfigChange> change = s.state
            ? s.staged->plan(s.state->config)
            : Result<ConfigChange>(makeError(ErrorKind::Connection, s.loadError.isEmpty() ? QCoreApplication::translate("StagedPreview", "not read yet") : s.loadError));
        if (!change) {
            out.text += QCoreApplication::translate("StagedPreview", "cannot plan: %1\n\n").arg(change.error().describe());
            continue;
        }
        for (const QString &note : change->notes)
            out.text += QStringLiteral("# %1\n").arg(note);
        for (const FileChange *f : {&change->mc, &change->access}) {
            if (!f->changed())
                continue;
            out.anyChange = true;
            out.text += QString::fromUtf8(unifiedDiff(f->before, f->after, f->path, f->path));
        }
        if (!change->changed())
            out.text += QCoreApplication::translate("StagedPreview", "(the files already say this: nothing to change)\n");
        out.text += QLatin1Char('\n');
    }
    return out;
}

} // namespace smtls::gui
