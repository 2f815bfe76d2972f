// sendmail-tls set global|destination …: check the command line, make the Change, and run it
// through the pipeline (or show it with --dry-run, or write the text files with --edit-only).
#include "ApplyRunner.h"
#include "Commands.h"
#include "Output.h"

namespace smtls::cli {
namespace {

constexpr int MaxReasonLength = 200;

Status checkReason(const QString &reason)
{
    if (reason.size() > MaxReasonLength)
        return makeError(ErrorKind::InvalidInput, QStringLiteral("--reason has at most %1 characters").arg(MaxReasonLength));
    for (QChar c : reason) {
        if (c.category() == QChar::Other_Control || c == QChar(0x2028) || c == QChar(0x2029))
            return makeError(ErrorKind::InvalidInput, QStringLiteral("--reason must be one line without control characters"));
        // Invalid UTF-8 arrives as U+FFFD; bidi overrides and other format characters make a
        // note read differently from what it says (U+202E turns the rest around).
        if (c == QChar::ReplacementCharacter)
            return makeError(ErrorKind::InvalidInput, QStringLiteral("--reason is not valid UTF-8"));
        if (c.category() == QChar::Other_Format)
            return makeError(ErrorKind::InvalidInput,
                             QStringLiteral("--reason must not contain invisible format characters (U+%1: bidi or width controls)")
                                 .arg(QString::number(c.unicode(), 16).toUpper().rightJustified(4, QLatin1Char('0'))));
    }
    return std::nullopt;
}

Result<std::optional<Mechanism>> parseVia(const std::optional<QString> &via)
{
    if (!via)
        return std::optional<Mechanism>();
    if (*via == QLatin1String("access"))
        return std::optional<Mechanism>(Mechanism::AccessDefault);
    if (*via == QLatin1String("client-options"))
        return std::optional<Mechanism>(Mechanism::ClientOptions);
    return makeError(ErrorKind::Usage, QStringLiteral("--via takes 'access' or 'client-options'"));
}

Result<GlobalSetting> parseGlobalSetting(const QString &word)
{
    if (word == QLatin1String("on"))
        return GlobalSetting::On;
    if (word == QLatin1String("fallback"))
        return GlobalSetting::Fallback;
    if (word == QLatin1String("off"))
        return GlobalSetting::Off;
    return makeError(ErrorKind::Usage, QStringLiteral("expected 'on', 'fallback' or 'off', not '%1'").arg(printableInput(word)));
}

// --expires / --until, checked against this computer's clock (exit 3 for a bad value).
Result<std::optional<Expiry>> expiryFor(const CliOptions &o)
{
    if (o.expires) {
        const Result<Expiry> e = expiryFromDuration(*o.expires, QDateTime::currentDateTimeUtc());
        if (!e)
            return e.error();
        return std::optional<Expiry>(*e);
    }
    if (o.until) {
        const Result<Expiry> e = expiryFromDate(*o.until, QDate::currentDate());
        if (!e)
            return e.error();
        return std::optional<Expiry>(*e);
    }
    return std::optional<Expiry>();
}

// Checks the command line once (before any host is contacted) and returns the change.
Result<Change> changeFor(const CliOptions &o)
{
    const QStringList &a = o.arguments;
    const Result<std::optional<Expiry>> expires = expiryFor(o);
    if (!expires)
        return expires.error();
    if (a.size() >= 1 && a[0] == QLatin1String("global")) {
        if (a.size() != 2)
            return makeError(ErrorKind::Usage, QStringLiteral("usage: set global on|fallback|off [--via access|client-options]"));
        const Result<GlobalSetting> setting = parseGlobalSetting(a[1]);
        if (!setting)
            return setting.error();
        const Result<std::optional<Mechanism>> via = parseVia(o.via);
        if (!via)
            return via.error();
        if (*setting != GlobalSetting::Off && *via)
            return makeError(ErrorKind::Usage, QStringLiteral("--via applies to 'set global off' only; '%1' clears both mechanisms").arg(a[1]));
        if (*setting == GlobalSetting::On && *expires)
            return makeError(ErrorKind::Usage, QStringLiteral("--expires and --until go with 'off' or 'fallback': 'on' is no exception"));
        return Change::global(*setting, *via, o.reason, *expires);
    }
    if (a.size() >= 1 && a[0] == QLatin1String("destination")) {
        if (a.size() != 3)
            return makeError(ErrorKind::Usage, QStringLiteral("usage: set destination NAME on|fallback|off|inherit"));
        if (o.via)
            return makeError(ErrorKind::Usage, QStringLiteral("--via applies to 'set global off' only"));
        const Result<Destination> d = parseDestination(a[1]);
        if (!d)
            return d.error();
        TlsSetting setting;
        if (a[2] == QLatin1String("on"))
            setting = TlsSetting::On;
        else if (a[2] == QLatin1String("off"))
            setting = TlsSetting::Off;
        else if (a[2] == QLatin1String("inherit"))
            setting = TlsSetting::Inherit;
        else if (a[2] == QLatin1String("fallback"))
            setting = TlsSetting::Fallback;
        else
            return makeError(ErrorKind::Usage,
                             QStringLiteral("expected 'on', 'fallback', 'off' or 'inherit', not '%1'").arg(printableInput(a[2])));
        if (setting == TlsSetting::Inherit && *expires)
            return makeError(ErrorKind::Usage, QStringLiteral("--expires and --until do not go with 'inherit', which removes the exception"));
        return Change::destination(*d, setting, o.reason, *expires);
    }
    return makeError(ErrorKind::Usage,
                     QStringLiteral("usage: set global on|fallback|off, or set destination NAME on|fallback|off|inherit"));
}

} // namespace

int runSet(const CliOptions &options)
{
    if (Status s = checkReason(options.reason))
        return fail(*s);
    const Result<Change> change = changeFor(options);
    if (!change)
        return fail(change.error());
    return applyThroughPipeline(options, *change);
}

} // namespace smtls::cli
