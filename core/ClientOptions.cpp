#include "ClientOptions.h"

#include <QtGlobal>

namespace smtls {
namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

char lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c + 32) : c; }

} // namespace

OptionList::OptionList(QByteArray text) : m_text(std::move(text))
{
    qsizetype pos = 0;
    while (pos <= m_text.size()) {
        qsizetype comma = m_text.indexOf(',', pos);
        const qsizetype end = comma < 0 ? m_text.size() : comma;
        OptionField f;
        f.start = pos;
        f.end = end;
        qsizetype eq = m_text.indexOf('=', pos);
        if (eq < 0 || eq > end)
            eq = end;
        f.name = m_text.mid(pos, eq - pos).trimmed();
        qsizetype vs = eq < end ? eq + 1 : end;
        qsizetype ve = end;
        while (vs < ve && isSpace(m_text[vs]))
            ++vs;
        while (ve > vs && isSpace(m_text[ve - 1]))
            --ve;
        f.valueStart = vs;
        f.valueEnd = ve;
        f.value = m_text.mid(vs, ve - vs);
        if (!f.name.isEmpty() || !f.value.isEmpty())
            m_fields.append(f);
        if (comma < 0)
            break;
        pos = comma + 1;
    }
}

QList<OptionField> OptionList::fieldsByLetter(char letter) const
{
    QList<OptionField> out;
    for (const OptionField &f : m_fields)
        if (!f.name.isEmpty() && lower(f.name[0]) == lower(letter))
            out.append(f);
    return out;
}

QByteArray OptionList::valueByLetter(char letter, const QByteArray &fallback) const
{
    const QList<OptionField> fs = fieldsByLetter(letter);
    return fs.isEmpty() ? fallback : fs.last().value;  // sendmail: the last assignment wins
}

QByteArray OptionList::modifiers() const
{
    QByteArray out;
    for (const OptionField &f : fieldsByLetter('M'))
        out += f.value;
    return out;
}

QByteArray OptionList::withModifier(char flag) const
{
    // An empty "M=" is left as it is and counts as no field: "M=" + S would read "M=S", which
    // withoutModifier removes whole (as it must for a field we appended), so "off" then "on"
    // would not give back the original bytes.
    QList<OptionField> mods = fieldsByLetter('M');
    mods.removeIf([](const OptionField &f) { return f.value.isEmpty(); });
    if (mods.isEmpty()) {
        // Append after the last non-blank byte so that a trailing blank stays trailing.
        qsizetype end = m_text.size();
        while (end > 0 && isSpace(m_text[end - 1]))
            --end;
        QByteArray added = end > 0 ? QByteArray(", M=") + flag : QByteArray("M=") + flag;
        QByteArray out = m_text;
        out.insert(end, added);
        return out;
    }
    QByteArray out = m_text;
    // Back to front so earlier offsets stay valid.
    for (qsizetype k = mods.size() - 1; k >= 0; --k) {
        const OptionField &f = mods[k];
        if (!f.value.contains(flag))
            out.insert(f.valueEnd, flag);
    }
    return out;
}

QByteArray OptionList::withoutModifier(char flag) const
{
    const QList<OptionField> mods = fieldsByLetter('M');
    QByteArray out = m_text;
    for (qsizetype k = mods.size() - 1; k >= 0; --k) {
        const OptionField &f = mods[k];
        QByteArray value = f.value;
        value.replace(QByteArray(1, flag), QByteArray());
        if (!value.isEmpty() || f.value.isEmpty()) {
            out.replace(f.valueStart, f.valueEnd - f.valueStart, value);
            continue;
        }
        // The field is now empty: remove it with one comma (the one before it if any, so
        // "Family=inet, M=S" becomes "Family=inet" and adding S again restores the bytes).
        qsizetype from = f.start, to = f.end;
        if (from > 0) {
            from -= 1;
            to = f.valueEnd;
        } else if (to < m_text.size()) {
            to += 1;
            while (to < m_text.size() && isSpace(m_text[to]))
                ++to;
        }
        out.remove(from, to - from);
    }
    return out;
}

} // namespace smtls
