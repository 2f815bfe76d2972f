#include "TestFiles.h"

#include <QFile>

namespace smtls::testing {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

QString demoTree() { return QStringLiteral(SMTLS_SOURCE_DIR "/resources/demo"); }

} // namespace smtls::testing
