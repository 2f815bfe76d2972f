#pragma once
// The option list inside CLIENT_OPTIONS(`…') / DAEMON_OPTIONS(`…'): comma-separated
// "Name=value" fields. sendmail decides a field by the first letter of its name (so "M",
// "Modifiers" and "mods" are all the modifier field), which is what we do too.

#include <QByteArray>
#include <QList>

namespace smtls {

struct OptionField {
    qsizetype start = 0;      // offsets into the option text, blanks included
    qsizetype end = 0;
    QByteArray name;          // trimmed
    QByteArray value;         // trimmed
    qsizetype valueStart = 0; // offsets of the trimmed value
    qsizetype valueEnd = 0;
};

class OptionList {
public:
    explicit OptionList(QByteArray text);

    const QByteArray &text() const { return m_text; }
    const QList<OptionField> &fields() const { return m_fields; }
    // Fields whose name starts with this letter (case-insensitive), in order.
    QList<OptionField> fieldsByLetter(char letter) const;
    QByteArray valueByLetter(char letter, const QByteArray &fallback = {}) const;

    // The client modifier letters from every M= field, concatenated.
    QByteArray modifiers() const;
    bool hasModifier(char flag) const { return modifiers().contains(flag); }

    // Text with the flag added to every M= field (or a new ", M=S" field appended), or removed
    // from every M= field (an emptied field disappears with its comma). Everything else is
    // kept byte for byte.
    QByteArray withModifier(char flag) const;
    QByteArray withoutModifier(char flag) const;

private:
    QByteArray m_text;
    QList<OptionField> m_fields;
};

} // namespace smtls
