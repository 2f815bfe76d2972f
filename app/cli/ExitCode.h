#pragma once
// The documented exit codes of sendmail-tls (README, "Exit codes"). Scripts depend on them:
// never renumber, only add.

#include "Result.h"

namespace smtls::cli {

enum ExitCode : int {
    ExitOk = 0,
    ExitInternal = 1,       // a bug: please report
    ExitUsage = 2,          // wrong command line
    ExitInvalidInput = 3,   // a destination, address or reason is not acceptable
    ExitInvalidConfig = 4,  // a configuration file cannot be understood or safely edited
                            // (also: `status` found problems of severity "error")
    ExitFileAccess = 5,     // a file cannot be read or written
    ExitConnection = 6,     // a remote host cannot be reached (remote hosts)
    ExitValidation = 7,     // the new configuration failed validation (remote hosts)
    ExitRefused = 8,        // refused for safety: changed host key, file changed meanwhile
};

inline int exitCodeFor(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::Usage: return ExitUsage;
    case ErrorKind::InvalidInput: return ExitInvalidInput;
    case ErrorKind::InvalidConfig: return ExitInvalidConfig;
    case ErrorKind::FileAccess: return ExitFileAccess;
    case ErrorKind::Connection: return ExitConnection;
    case ErrorKind::Validation: return ExitValidation;
    case ErrorKind::Refused:
    case ErrorKind::Cancelled: return ExitRefused;
    case ErrorKind::Internal: return ExitInternal;
    }
    return ExitInternal;
}

} // namespace smtls::cli
