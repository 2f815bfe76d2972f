#pragma once
// The host list in the per-user settings (QSettings), with the two built-in entries first:
// "This computer" and "Demo". Also reads host aliases out of ~/.ssh/config for the import.

#include "HostEntry.h"

#include <QList>

namespace smtls::gui {

class HostStore {
public:
    static QList<HostEntry> builtIns();
    // Built-ins followed by the saved hosts.
    static QList<HostEntry> load();
    // Saves the non-built-in entries.
    static void save(const QList<HostEntry> &hosts);
    // "Host" names without wildcards from an ssh_config file (default ~/.ssh/config, in the
    // passwd home as for the connection), Includes followed. On an unusable file (an Include
    // loop, an unreadable included file): none, and *error says why.
    static QList<HostEntry> importSshConfig(const QString &file = {}, QString *error = nullptr);
    static QString newId();
};

} // namespace smtls::gui
