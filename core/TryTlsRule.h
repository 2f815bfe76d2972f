#pragma once
// One "Tag:key value" line of the access map that we model (Try_TLS: and TLS_Clt_Features:),
// as offsets into the map's bytes (kept small: a million-line map is a normal thing to load).

#include <QtGlobal>

namespace smtls {

struct AccessRule {
    int line = 0;  // 0-based
    quint32 keyStart = 0;  // after the tag ("Try_TLS:", "TLS_Clt_Features:"), which starts the line
    quint32 keyLength = 0;
    quint32 valueStart = 0;
    quint32 valueLength = 0;
};

// The name the Try_TLS code has always used.
using TryTlsRule = AccessRule;

} // namespace smtls
