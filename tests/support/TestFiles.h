#pragma once
// Files the tests read: whole files as bytes, and the demo tree shipped in resources/demo.

#include <QByteArray>
#include <QString>

namespace smtls::testing {

// The bytes of PATH; empty when it cannot be read (a test compares, so "missing" shows there).
QByteArray readAll(const QString &path);
// PATH holds exactly BYTES afterwards (created or truncated).
bool writeAll(const QString &path, const QByteArray &bytes);

// resources/demo of the source tree: a Debian-like root with etc/mail/sendmail.mc and access.
QString demoTree();

} // namespace smtls::testing
