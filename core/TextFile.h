#pragma once
// Reading and writing configuration files as bytes. Reads refuse what is not a sendmail text
// file (too large, NUL bytes) before anything is parsed; writes are atomic: a temporary file in
// the same folder, fsync, the original's owner and mode, rename, fsync of the folder. A reader
// (sendmail, makemap) sees the old file or the new one, never half of one.

#include "Result.h"

#include <QByteArray>
#include <QString>

namespace smtls {

// Generous for real files (Debian's sendmail.mc is 4 KB; large access maps reach tens of MB)
// and far below what would hurt: a 100 MB file is refused, not loaded.
constexpr qint64 MaxMcFileBytes = 4 * 1024 * 1024;
constexpr qint64 MaxAccessFileBytes = 64 * 1024 * 1024;

Result<QByteArray> readConfigFile(const QString &path, qint64 maxBytes);

// Whether the regular file at `path` holds exactly `expected`, compared as it is read in small
// pieces: checking a 40 MB map against what was read before costs no second copy of it.
Result<bool> fileHoldsBytes(const QString &path, QByteArrayView expected);

// True when the file on disk holds exactly these bytes (read in chunks).
Result<bool> fileHasContent(const QString &path, const QByteArray &expected);

Status writeFileAtomically(const QString &path, const QByteArray &bytes);

} // namespace smtls
