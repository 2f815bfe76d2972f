#pragma once
// A finding about a configuration file, shown to the administrator with its location.

#include <QList>
#include <QString>

namespace smtls {

enum class Severity { Info, Warning, Error };

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
