#pragma once
// The constant shell scripts the apply pipeline and the host readers run, collected from the
// very functions that build them (so the helper's set cannot drift from what the pipeline
// sends): the public builders are called with placeholder data, and the readers that keep
// their script to themselves are run once against a transport that only records.

#include <QHash>
#include <QString>

namespace smtls::privileged {

// Which of the pipeline's scripts a text is; the helper checks each one's parameters its own way.
enum class Script {
    Plain,         // paths and data only: the generic checks suffice
    Compile,       // HostProfile::compileCommand: $3 is m4, then m4's arguments
    BuildMap,      // HostProfile::buildMapCommand: $1 is makemap, $2 the map type
    Health,        // HostWorkspace::healthCommand: from $5 on, sendmail -bt (a command)
    StateAfter,    // stateAfterCommand: $2 paths, then maybe the status command
    Facts,         // inspectHost: $1 is sendmail
    ReadLog,       // readDeliveryLog: the sources must be the mail logs it knows
    ReadQueues,    // readQueues
    RemoveTree,    // rm -rf of one folder: strictly inside the snapshot folder
    RemoveSnapshots,  // $1 the snapshot folder, then snapshot ids
};

struct KnownScripts {
    QHash<QString, Script> scripts;
    // What CommandLine::sequence puts after "run_sequence() { …; }\n" in activateCommand, and
    // how many parameters of its own come first ($2 says how many more).
    QString activateAround;
    static const KnownScripts &get();
};

} // namespace smtls::privileged
