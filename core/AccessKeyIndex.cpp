#include "AccessKeyIndex.h"

#include <bit>

namespace smtls {
namespace {

char asciiLower(char c) { return c >= 'A' && c <= 'Z' ? char(c | 0x20) : c; }

// FNV-1a over the folded bytes, finished with a Fibonacci multiply whose top bits pick the
// slot (its low bits would depend on the low bits of the hash only).
size_t slotHash(QByteArrayView key, int slotBits)
{
    quint64 h = 14695981039346656037ULL;
    for (char c : key) {
        h ^= quint8(asciiLower(c));
        h *= 1099511628211ULL;
    }
    return size_t((h * 0x9E3779B97F4A7C15ULL) >> (64 - slotBits));
}

QByteArrayView keyAt(const std::vector<TryTlsRule> &rules, QByteArrayView bytes, quint32 rule)
{
    const TryTlsRule &r = rules[rule];
    return bytes.sliced(r.keyStart, r.keyLength);
}

} // namespace

bool sameKey(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (asciiLower(a[i]) != asciiLower(b[i]))
            return false;
    return true;
}

AccessKeyIndex::AccessKeyIndex(const std::vector<TryTlsRule> &rules, QByteArrayView bytes)
{
    if (rules.empty())
        return;
    m_slots.assign(std::bit_ceil(rules.size() * 2), 0);
    m_slotBits = std::countr_zero(m_slots.size());
    for (quint32 i = 0; i < rules.size(); ++i) {
        const size_t slot = slotOf(rules, bytes, keyAt(rules, bytes, i));
        if (m_slots[slot] == 0) {
            m_slots[slot] = i + 1;
            continue;
        }
        const quint32 first = m_slots[slot] - 1;
        if (rules[first].valueLength == 0 && rules[i].valueLength > 0)
            m_answerAfterEmpty.try_emplace(first, i);  // keeps the earliest
    }
}

size_t AccessKeyIndex::slotOf(const std::vector<TryTlsRule> &rules, QByteArrayView bytes, QByteArrayView key) const
{
    const size_t mask = m_slots.size() - 1;
    size_t slot = slotHash(key, m_slotBits);
    // Linear probing; the table is at most half full, so a free slot always ends the walk.
    while (m_slots[slot] != 0 && !sameKey(keyAt(rules, bytes, m_slots[slot] - 1), key))
        slot = (slot + 1) & mask;
    return slot;
}

qsizetype AccessKeyIndex::firstLine(const std::vector<TryTlsRule> &rules, QByteArrayView bytes, QByteArrayView key) const
{
    if (m_slots.empty())
        return None;
    const quint32 entry = m_slots[slotOf(rules, bytes, key)];
    return entry == 0 ? None : qsizetype(entry - 1);
}

qsizetype AccessKeyIndex::answering(const std::vector<TryTlsRule> &rules, QByteArrayView bytes, QByteArrayView key) const
{
    const qsizetype first = firstLine(rules, bytes, key);
    if (first == None || rules[size_t(first)].valueLength > 0)
        return first;
    const auto later = m_answerAfterEmpty.find(quint32(first));
    return later == m_answerAfterEmpty.end() ? None : qsizetype(later->second);
}

} // namespace smtls
