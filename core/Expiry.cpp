#include "Expiry.h"

#include <QRegularExpression>
#include <QTimeZone>

namespace smtls {

Expiry Expiry::onDate(const QDate &date)
{
    Expiry e;
    e.m_date = date;
    return e;
}

Expiry Expiry::at(const QDateTime &utc)
{
    Expiry e;
    // Whole seconds: what the note can hold is what we compare.
    QDateTime t = utc.toUTC();
    t.setTime(QTime(t.time().hour(), t.time().minute(), t.time().second()));
    e.m_at = t;
    return e;
}

std::optional<Expiry> Expiry::fromIso(const QString &text)
{
    static const QRegularExpression date(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    static const QRegularExpression moment(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?Z$"));
    if (date.match(text).hasMatch()) {
        const QDate d = QDate::fromString(text, Qt::ISODate);
        if (d.isValid())
            return onDate(d);
        return std::nullopt;
    }
    if (moment.match(text).hasMatch()) {
        const QDateTime t = QDateTime::fromString(text, Qt::ISODate);
        if (t.isValid())
            return at(t);
    }
    return std::nullopt;
}

QString Expiry::iso() const
{
    if (m_date.isValid())
        return m_date.toString(Qt::ISODate);
    return m_at.toUTC().toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss'Z'"));
}

QDateTime Expiry::endsAt() const
{
    if (m_date.isValid())
        return QDateTime(m_date, QTime(0, 0)).toUTC();  // local midnight
    return m_at;
}

bool Expiry::passed(const QDateTime &now) const
{
    return now.toUTC() >= endsAt();
}

Result<Expiry> expiryFromDuration(const QString &text, const QDateTime &now)
{
    static const QRegularExpression form(QStringLiteral("^([0-9]{1,6})([dh])$"));
    const QRegularExpressionMatch m = form.match(text);
    if (!m.hasMatch())
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("--expires takes a number of days or hours, e.g. 7d or 12h, not '%1'").arg(text.left(40)));
    const qint64 n = m.captured(1).toLongLong();
    const bool days = m.captured(2) == QLatin1String("d");
    if (n == 0)
        return makeError(ErrorKind::InvalidInput, QStringLiteral("--expires %1 would end the exception before it starts").arg(text));
    if ((days && n > MaxExpiryDays) || (!days && n > qint64(MaxExpiryDays) * 24))
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("--expires %1 is longer than %2 days; an exception is meant to be temporary").arg(text).arg(MaxExpiryDays));
    return Expiry::at(now.toUTC().addSecs(n * (days ? 86400 : 3600)));
}

Result<Expiry> expiryFromDate(const QString &text, const QDate &today)
{
    static const QRegularExpression form(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    const QDate date = form.match(text).hasMatch() ? QDate::fromString(text, Qt::ISODate) : QDate();
    if (!date.isValid())
        return makeError(ErrorKind::InvalidInput, QStringLiteral("--until takes a date as YYYY-MM-DD, not '%1'").arg(text.left(40)));
    if (date <= today)
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("--until %1 is not after today (%2): the exception would have ended already")
                             .arg(text, today.toString(Qt::ISODate)));
    if (today.daysTo(date) > MaxExpiryDays)
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("--until %1 is more than %2 days ahead; an exception is meant to be temporary").arg(text).arg(MaxExpiryDays));
    return Expiry::onDate(date);
}

NoteExpiry expiryOfNote(const QString &note)
{
    // The reason, which is the administrator's text, follows the first ": ".
    const qsizetype colon = note.indexOf(QStringLiteral(": "));
    const QString head = colon < 0 ? note : note.left(colon);
    NoteExpiry out;
    if (!head.contains(QStringLiteral("expire"), Qt::CaseInsensitive))
        return out;
    static const QRegularExpression marked(QStringLiteral("\\(expires\\s+([^)\\s]*)\\s*\\)"), QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = marked.match(head);
    if (m.hasMatch())
        out.expiry = Expiry::fromIso(m.captured(1));
    if (!out.expiry)
        out.error = QStringLiteral("the note \"%1\" mentions an expiry that sendmail-tls cannot read (write \"(expires "
                                   "YYYY-MM-DD)\" or \"(expires YYYY-MM-DDTHH:MM:SSZ)\"), so the exception never ends by itself")
                        .arg(note.left(120));
    return out;
}

QString expiryNoteText(const std::optional<Expiry> &expiry)
{
    return expiry ? QStringLiteral(" (expires %1)").arg(expiry->iso()) : QString();
}

} // namespace smtls
