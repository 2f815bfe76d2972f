#pragma once
// What the pipeline reads in a compiled sendmail.cf (the file m4 makes from sendmail.mc):
// whether it is complete, whether its client options carry the modifier S, and a copy that
// consults another access map (to ask try_tls about staged files before they are installed).

#include <QByteArray>
#include <QString>

namespace smtls {

// m4 can exit 0 and still write half a file (an include that failed): a real sendmail.cf has a
// version line ("V10/Berkeley") and hundreds of lines.
bool looksLikeCompleteCf(const QByteArray &cf);

// Every "O ClientPortOptions=" line has M= with S in it (and there is at least one): sendmail
// then never tries STARTTLS as a client.
bool cfHasClientModifierS(const QByteArray &cf);

// The last "O TLSFallbacktoClear" line as sendmail reads it: without a value, or with one
// starting t/T/y/Y, it is on (a commented "#O TLSFallbacktoClear" is the default: off).
bool cfFallsBackToClear(const QByteArray &cf);

// FEATURE(`tls_session_features') with access_db gives sendmail a ruleset that looks up
// TLS_Clt_Features: entries in the access map; without it they are never read.
bool cfReadsTlsCltFeatures(const QByteArray &cf);

// A copy of sendmail.cf whose access map ("Kaccess …") is `mapBase` instead of the live one
// (`livePath`, or livePath + ".db").
QByteArray withAccessMapAt(const QByteArray &cf, const QString &livePath, const QString &mapBase);

} // namespace smtls
