#pragma once
// A finding about a configuration file, shown to the administrator with its location.

#include <QByteArray>
#include <QList>
#include <QString>

namespace smtls {

enum class Severity { Info, Warning, Error };

// What a one-click fix would do about a problem (planned by planFix in ProblemFix.h).
enum class FixKind {
    None,
    StraightenQuotes,
    CommentToOwnLine,
    EnableAccessDb,
    RemoveDuplicate,
    CanonicalIPv6Key,
    EnableTlsSessionFeatures,  // TLS_Clt_Features entries without FEATURE(`tls_session_features')
    RemoveMootFallback,        // a fallback to clear text while M=S switches STARTTLS off
    RevertExpired,             // an exception whose note says it has expired: remove it
};

inline QString severityName(Severity s)
{
    switch (s) {
    case Severity::Info: return QStringLiteral("info");
    case Severity::Warning: return QStringLiteral("warning");
    case Severity::Error: return QStringLiteral("error");
    }
    return {};
}

struct Problem {
    QString file;
    int line = 0;  // 1-based; 0 = the file as a whole
    Severity severity = Severity::Warning;
    QString message;
    FixKind fix = FixKind::None;
    // What the fix acts on, found again by this rather than by line number (other staged
    // edits may have moved the line): the key after "Try_TLS:" for access-file problems, the
    // bytes of the offending line (without its terminator) for sendmail.mc problems. The "= {}"
    // keeps initialisers that stop at `message` free of missing-initialiser warnings.
    QByteArray subject = {};
};

using Problems = QList<Problem>;

inline bool hasErrors(const Problems &problems)
{
    for (const Problem &p : problems)
        if (p.severity == Severity::Error)
            return true;
    return false;
}

} // namespace smtls
