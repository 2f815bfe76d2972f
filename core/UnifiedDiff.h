#pragma once
// A unified diff of two versions of a file, for --dry-run and the preview before Apply: the
// same bytes as GNU `diff -U<context> --label <beforeLabel> --label <afterLabel>`, so what
// the admin sees here matches what diff shows on the host. Works on bytes: a changed line ending
// or a missing final newline shows. Memory is linear in the number of lines; edits far apart
// are separate hunks however large the file. Identical inputs give an empty result.

#include <QByteArray>
#include <QString>

namespace smtls {

QByteArray unifiedDiff(const QByteArray &before, const QByteArray &after, const QString &beforeLabel,
                       const QString &afterLabel, int context = 3);

} // namespace smtls
