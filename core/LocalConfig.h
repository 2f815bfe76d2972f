#pragma once
// sendmail.mc and the access file of a local tree (the workstation itself, a copy of a
// server's /etc/mail, or a test's folder): where they are and loading them.

#include "PolicyEditor.h"

#include <QString>

namespace smtls {

struct LocalPaths {
    QString root = QStringLiteral("/");
    QString mc;      // explicit --mc, else <root>/etc/mail/sendmail.mc
    QString access;  // explicit --access, else the map FEATURE(`access_db') names, under root
};

// Paths under root (root "/" leaves them as they are).
QString underRoot(const QString &root, const QString &absolutePath);

// Loads both files. A missing access file is not an error (it is created on the first rule);
// a missing sendmail.mc is. `extraProblems` receives what only the file system shows: an access
// file edited after its map was built, a sendmail.mc newer than sendmail.cf.
Result<MailConfig> loadLocalConfig(const LocalPaths &paths, Problems *extraProblems = nullptr);

} // namespace smtls
