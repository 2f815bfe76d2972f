#pragma once
// The preview of the staged edits as text: per host, its notes and a unified diff per changed
// file. Planning the edits and diffing tens of megabytes (a million-line access map) is a
// worker's job: take each session's source on the UI thread (cheap: shared state, the edits as
// values), then work out the text with stagedPreview() on a worker.

#include "Change.h"
#include "apply/HostReading.h"

#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace smtls::gui {

class HostSession;

struct StagedPreviewSource {
    QString host;
    QString description;               // of the staged edits
    std::optional<Change> staged;      // none: nothing staged
    std::shared_ptr<const HostState> state;  // null: not read
    QString loadError;
};

StagedPreviewSource stagedPreviewSource(const HostSession &session);

struct StagedPreview {
    QString text;
    bool anyChange = false;  // some file of some host would change
};

// Blocking: call it from a worker.
StagedPreview stagedPreview(const QList<StagedPreviewSource> &sources);

} // namespace smtls::gui
