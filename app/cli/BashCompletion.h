#pragma once
// The bash completion of sendmail-tls, printed from the catalogue (CommandCatalog.h) at build
// time: commands, each command's options, the words of its synopsis (set global on|…), option
// values (files, folders, --profile's ids), snapshot ids, and --host from ssh_config Host aliases.

#include <QString>

namespace smtls::cli {

QString bashCompletion();

} // namespace smtls::cli
