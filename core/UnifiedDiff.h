#pragma once
// A unified diff (as `diff -u` prints it) of two versions of a file, for --dry-run and the
// preview before Apply. Works on bytes: a changed line ending or a missing final newline shows.

#include <QByteArray>
#include <QString>

namespace smtls {

QByteArray unifiedDiff(const QByteArray &before, const QByteArray &after, const QString &beforeLabel,
                       const QString &afterLabel, int context = 3);

} // namespace smtls
