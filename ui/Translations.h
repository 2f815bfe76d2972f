#pragma once
// The application's translations: which .qm files are loaded for the user's language.

#include <QString>
#include <QStringList>

namespace smtls::gui {

// Loads, in this order of precedence (a later translator is searched first):
// - Qt's own texts (qtbase_<lang>.qm from Qt's translations folder), when installed;
// - sendmail-tls_en.qm (English plural forms; compiled in), so that "%n host(s)" reads well in
//   any language without its own file;
// - sendmail-tls_<lang>.qm for the user's language, compiled in (:/i18n) or installed in
//   share/sendmail-tls/translations beside the program.
// CHOICE, when not empty, replaces the system locale: a locale name ("de", "fr_CA") or the path
// of a .qm file (the tests' pseudo-translation). Without CHOICE the environment variable
// SENDMAIL_TLS_TRANSLATION is the choice. Returns the files loaded, for --version-like checks.
QStringList installTranslations(const QString &choice = {});

} // namespace smtls::gui
