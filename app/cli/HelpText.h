#pragma once
// The terminal's help, printed from the catalogue (CommandCatalog.h): `sendmail-tls --help`,
// `sendmail-tls COMMAND --help` (= `sendmail-tls help COMMAND`), and the answer to a mistyped
// command.

#include "CommandCatalog.h"

#include <QString>

namespace smtls::cli {

QString generalHelp();
QString commandHelp(const CommandDoc &command);
// "Unknown command 'staus'. Did you mean 'status'?" (the input made printable).
QString unknownCommandMessage(const QString &typed);

// TEXT filled into lines of at most WIDTH columns, each starting with INDENT spaces; an empty
// line in TEXT starts a new paragraph.
QString wrapText(const QString &text, int indent, int width = 79);

} // namespace smtls::cli
