#pragma once
// The man pages sendmail-tls(1) and sendmail-tls-gui(1) in roff, printed from the catalogue
// (CommandCatalog.h) at build time by sendmail-tls-docs, so they say what --help says.

#include <QString>

namespace smtls::cli {

QString cliManPage(const QString &version);
QString guiManPage(const QString &version);

} // namespace smtls::cli
