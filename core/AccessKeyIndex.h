#pragma once
// Which Try_TLS rule answers for a key, in constant time. makemap folds keys to lower case and
// keeps the first line of a key that has a value, so a lookup, the list of destinations and
// the duplicate check all ask the same question; on a million-rule map a scan per question
// (what AccessMap did before) made `status` quadratic.
//
// An open-addressing table of rule numbers (4 bytes a slot, at most half full): 8 MB for a
// million rules, built in one pass whenever the rules are (the map is never edited in place).

#include "TryTlsRule.h"

#include <QByteArrayView>

#include <unordered_map>
#include <vector>

namespace smtls {

// ASCII case-insensitive equality, as makemap's folding (bytes above 127 are not folded).
bool sameKey(QByteArrayView a, QByteArrayView b);

class AccessKeyIndex {
public:
    AccessKeyIndex() = default;
    AccessKeyIndex(const std::vector<TryTlsRule> &rules, QByteArrayView bytes);

    static constexpr qsizetype None = -1;
    // The first rule with this key, with or without a value (what an edit rewrites).
    qsizetype firstLine(const std::vector<TryTlsRule> &rules, QByteArrayView bytes, QByteArrayView key) const;
    // The first rule with this key and a value: the one makemap keeps, the one sendmail finds.
    qsizetype answering(const std::vector<TryTlsRule> &rules, QByteArrayView bytes, QByteArrayView key) const;

private:
    size_t slotOf(const std::vector<TryTlsRule> &rules, QByteArrayView bytes, QByteArrayView key) const;

    std::vector<quint32> m_slots;  // rule number + 1; 0 = empty
    int m_slotBits = 0;            // m_slots.size() == 1 << m_slotBits
    // Only for keys whose first line has no value (rare): first line -> first line with a value.
    std::unordered_map<quint32, quint32> m_answerAfterEmpty;
};

} // namespace smtls
