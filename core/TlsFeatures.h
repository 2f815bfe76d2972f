#pragma once
// The value of a "TLS_Clt_Features:key value" entry: a ';'-separated list of Name=value options
// (CipherList=…, Options=…, CipherSuites=…, CertFile=…, KeyFile=…, Flags=…) that sendmail's
// ruleset tls_clt_features returns for a server, read by get_tls_se_features() (readcf.c,
// 8.17). Reading mirrors sendmail; editing (adding or removing one flag letter) keeps every
// other byte of the value.
//
// What sendmail does with the text (sendmail 8.17 sources, checked with `sendmail -bt`):
// - the map's value goes through the rewriting engine and comes back as its tokens joined
//   without blanks, so "Flags = C" reads as "Flags=C" and "Flags=C # check" as "Flags=C#check";
// - option names are case-insensitive, values are not: in Flags, every letter or digit is a
//   flag of its own ("Flags=C#check" sets C, c, h, e and k);
// - C makes this session fall back to clear text when the TLS handshake fails, c forbids it,
//   and c wins over C and over the global option TLSFallbacktoClear (deliver.c);
// - an unknown option name or text that is not Name=value fails the session's TLS setup.

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace smtls {

// "TLS_Clt_Features:key", as an entry is named in messages and reports.
inline QString featuresTag(QByteArrayView key) { return QStringLiteral("TLS_Clt_Features:") + QString::fromLatin1(key); }

class TlsFeatures {
public:
    explicit TlsFeatures(QByteArray value = {});

    const QByteArray &value() const { return m_value; }

    // The text sendmail parses: blanks outside double quotes removed.
    QByteArray asSendmailReadsIt() const;
    // Every letter and digit of every Flags= option (case kept), in order.
    QByteArray flags() const;
    bool hasFlag(char flag) const { return flags().contains(flag); }
    // true: C (fall back to clear text), false: c (never), nullopt: neither (the global
    // option decides).
    std::optional<bool> fallback() const;
    // Why sendmail cannot read the value, or empty. Mirrors get_tls_se_features().
    QString syntaxError() const;

    // The value with `flag` added (C removes every c and the other way round, since c wins):
    // to the first Flags= option, or as a new "Flags=X" option after the others. Refused
    // (nullopt) for a value in double quotes, which is edited by hand.
    std::optional<QByteArray> withFlag(char flag) const;
    // The value without `flag` in any Flags= option; a Flags= option left empty goes with its
    // separator. Empty when nothing is left (the entry can go). Undoes withFlag byte for byte.
    std::optional<QByteArray> withoutFlag(char flag) const;

private:
    QByteArray m_value;
};

} // namespace smtls
