#pragma once

#include <QStringList>

namespace smtls::cli {

// Runs one command line (arguments[0] is the program name) and returns the exit code.
// Output goes to stdout, errors to stderr.
int run(const QStringList &arguments);

// The commands run() dispatches (a test compares them with the catalogue's).
QStringList dispatchedCommands();

} // namespace smtls::cli
