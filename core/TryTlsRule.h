#pragma once
// One "Try_TLS:key value" line of the access map, as offsets into the map's bytes (kept small:
// a million-line map is a normal thing to load).

#include <QtGlobal>

namespace smtls {

struct TryTlsRule {
    int line = 0;  // 0-based
    quint32 keyStart = 0;  // after "Try_TLS:" (which starts the line)
    quint32 keyLength = 0;
    quint32 valueStart = 0;
    quint32 valueLength = 0;
};

} // namespace smtls
