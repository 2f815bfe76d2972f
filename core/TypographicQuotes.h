#pragma once
// Quotes that people paste into sendmail.mc from web pages and word processors instead of m4's
// backquote and apostrophe. The scanner reports them; the quote fix replaces them. Both use
// this one definition so that the fix replaces exactly what was reported.
//
// Only UTF-8 forms are recognised: windows-1252's 0x91..0x94 are also UTF-8 continuation
// bytes (of "ё", "Ñ", "—" …), so a lone byte test would flag ordinary text.

#include <QByteArray>
#include <QByteArrayView>

namespace smtls {

// Length in bytes of the typographic quote starting at `offset` (‘ ’ “ ” or the acute accent
// ´), 0 when there is none.
int typographicQuoteLength(QByteArrayView bytes, qsizetype offset);

// The text with every typographic quote replaced by what m4 expects in its place: a backquote
// for the opening ones (‘ “), an apostrophe for the closing ones (’ ” ´).
QByteArray withStraightQuotes(QByteArrayView text);

} // namespace smtls
