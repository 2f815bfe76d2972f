#pragma once
// Exceptions that end by themselves. An expiry lives in our note line above the rule
// ("# sendmail-tls: 2026-12-02 TLS off (expires 2026-12-09T10:30:00Z): reason"), never on the
// rule's line (makemap would make it part of the value), or in our marker line in sendmail.mc.
// It is an ISO-8601 date ("--until 2026-12-31": ends when that day begins, local time) or a UTC
// date-time ("--expires 12h").

#include "Result.h"

#include <QDate>
#include <QDateTime>
#include <QString>

#include <optional>

namespace smtls {

class Expiry {
public:
    static Expiry onDate(const QDate &date);
    static Expiry at(const QDateTime &utc);
    // "2026-12-31" or "2026-12-09T10:30:00Z"; nothing for anything else.
    static std::optional<Expiry> fromIso(const QString &text);

    // As written in the note and shown in JSON.
    QString iso() const;
    bool passed(const QDateTime &now) const;
    // The moment it ends, in UTC (a date ends when it begins, local time).
    QDateTime endsAt() const;

    friend bool operator==(const Expiry &, const Expiry &) = default;

private:
    QDate m_date;       // set for a date
    QDateTime m_at;     // set for a moment (UTC)
};

// The longest exception we accept: they are meant to be temporary.
constexpr int MaxExpiryDays = 365;

// --expires 7d / 12h, counted from `now`. Refuses 0, negative, over MaxExpiryDays, other units.
Result<Expiry> expiryFromDuration(const QString &text, const QDateTime &now);
// --until YYYY-MM-DD: a day after `today`, at most MaxExpiryDays ahead.
Result<Expiry> expiryFromDate(const QString &text, const QDate &today);

// What a note line of ours says about its expiry.
struct NoteExpiry {
    std::optional<Expiry> expiry;  // none: the exception does not end by itself
    QString error;                 // the note mentions an expiry we cannot read
};
NoteExpiry expiryOfNote(const QString &note);

// " (expires ISO)" to put in a note, or nothing.
QString expiryNoteText(const std::optional<Expiry> &expiry);

} // namespace smtls
