// Fuzzes the access map: reading (AccessMap, its problems, the policy over it) and the edits
// `sendmail-tls set destination NAME off|on|inherit [--reason]` and `set global off --via
// access` / `set global on` plan with (Change::destination / Change::global → planDestination /
// planGlobal → AccessMap::setTryTls / removeTryTls). The input is the access file; sendmail.mc
// is a fixed one with FEATURE(`access_db') so that every edit goes to the map.
//
// Properties, on any bytes:
//  * reading keeps the bytes: AccessMap(bytes).bytes() == bytes, and every rule's key and value
//    lie inside the file;
//  * for a few destinations (a host, an IPv4 and an IPv6 address, and the first two keys found
//    in the file): "off" then "inherit" gives back the original bytes when the file had no
//    line for that key; "off" (with or without a reason), "on" and "inherit" are idempotent:
//    planned again on their own result they change nothing;
//  * the same for the access default: "global off --via access" then "global on" gives back
//    the original bytes when there was no "Try_TLS:" line, and "global off" is idempotent.

#include "FuzzCheck.h"

#include "AccessMap.h"
#include "Change.h"
#include "Destination.h"
#include "Policy.h"
#include "PolicyEditor.h"
#include "SendmailMc.h"

#include <cstddef>
#include <cstdint>

using namespace smtls;
using smtls::fuzz::require;

namespace {

const QString AccessPath = QStringLiteral("/etc/mail/access");

const SendmailMc &mcWithAccessDb()
{
    static const SendmailMc mc(QByteArrayLiteral("include(`/usr/share/sendmail/cf/m4/cf.m4')dnl\n"
                                                 "FEATURE(`access_db', `hash -o -T<TMPF> /etc/mail/access')dnl\n"
                                                 "MAILER(`local')dnl\nMAILER(`smtp')dnl\n"),
                               QStringLiteral("/etc/mail/sendmail.mc"));
    return mc;
}

// What planning `change` on `config` writes to the access file, if it succeeds.
std::optional<QByteArray> plannedAccess(const Change &change, const MailConfig &config, MailConfig *after = nullptr)
{
    const Result<ConfigChange> planned = change.plan(config);
    if (!planned)
        return std::nullopt;
    require(!planned->mc.changed(), "a destination or access-default change leaves sendmail.mc alone");
    if (after)
        *after = configAfter(config, *planned);
    return planned->access.after;
}

// Planned again on what the first plan wrote (`once`, `afterOnce`), it must change nothing.
void requireIdempotent(const Change &change, const MailConfig &config, const std::optional<QByteArray> &once,
                       const MailConfig &afterOnce, const char *property)
{
    if (!once)
        return;
    const std::optional<QByteArray> twice = plannedAccess(change, afterOnce);
    require(twice.has_value(), property, {{"before", config.access->bytes()}, {"once", *once}, {"twice", "(refused)"}});
    require(*twice == *once, property, {{"before", config.access->bytes()}, {"once", *once}, {"twice", *twice}});
}

void requireIdempotent(const Change &change, const MailConfig &config, const char *property)
{
    MailConfig afterOnce;
    const std::optional<QByteArray> once = plannedAccess(change, config, &afterOnce);
    requireIdempotent(change, config, once, afterOnce, property);
}

void checkDestination(const MailConfig &config, const Destination &d)
{
    const QByteArray &original = config.access->bytes();
    const bool hadLine = config.access->findLine(d.key) != nullptr;
    const Change off = Change::destination(d, TlsSetting::Off);
    MailConfig afterOff;
    const std::optional<QByteArray> offBytes = plannedAccess(off, config, &afterOff);
    if (offBytes && !hadLine) {
        const std::optional<QByteArray> back = plannedAccess(Change::destination(d, TlsSetting::Inherit), afterOff);
        require(back.has_value(), "inherit succeeds after off", {{"key", d.key}, {"before", original}, {"after off", *offBytes}});
        require(*back == original, "destination off then inherit gives back the original bytes",
                {{"key", d.key}, {"before", original}, {"after off", *offBytes}, {"after inherit", *back}});
    }
    requireIdempotent(off, config, offBytes, afterOff, "destination off is idempotent");
    requireIdempotent(Change::destination(d, TlsSetting::Off, QStringLiteral("peer's certificate expired")), config,
                      "destination off with a reason is idempotent");
    requireIdempotent(Change::destination(d, TlsSetting::On), config, "destination on is idempotent");
    requireIdempotent(Change::destination(d, TlsSetting::Inherit), config, "destination inherit is idempotent");
}

void checkAccessDefault(const MailConfig &config)
{
    const QByteArray &original = config.access->bytes();
    const Change off = Change::global(false, Mechanism::AccessDefault);
    MailConfig afterOff;
    const std::optional<QByteArray> once = plannedAccess(off, config, &afterOff);
    if (once && !config.access->findLine(QByteArrayView(""))) {
        const std::optional<QByteArray> on = plannedAccess(Change::global(true), afterOff);
        require(on.has_value(), "global on succeeds after global off via access", {{"before", original}});
        require(*on == original, "global off via access then on gives back the original bytes",
                {{"before", original}, {"after off", *once}, {"after on", *on}});
    }
    requireIdempotent(off, config, once, afterOff, "global off via access is idempotent");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const AccessMap map(bytes, AccessPath);
    require(map.bytes() == bytes, "reading keeps the bytes (parse, then bytes() is the input)");
    for (const TryTlsRule &rule : map.tryTlsRules()) {
        require(qsizetype(rule.keyStart) + rule.keyLength <= bytes.size()
                    && qsizetype(rule.valueStart) + rule.valueLength <= bytes.size(),
                "a rule's key and value lie inside the file", {{"file", bytes}});
        map.noteOf(rule);
        map.disablesTls(rule);
    }
    map.problems();

    const MailConfig config{mcWithAccessDb(), map, AccessPath};
    const Policy policy = config.policy();
    policy.global();
    policy.destinations();
    policy.problems();
    policy.explain("mx.example.com", "192.0.2.25");
    policy.explain("mail.example.org", "IPv6:2001:db8::25");

    // Typed as an administrator would; the first keys of the file add the "rule exists" cases.
    static const QList<Destination> typed = [] {
        QList<Destination> out;
        for (const char *name : {"mx.example.com", "192.0.2.25", "2001:db8::25"})
            out.append(*parseDestination(QString::fromLatin1(name)));
        return out;
    }();
    QList<Destination> destinations = typed;
    for (const TryTlsRule &rule : map.tryTlsRules()) {
        if (destinations.size() >= typed.size() + 2)
            break;
        if (const Result<Destination> d = parseDestinationKey(map.keyOf(rule)); d && !d->isDefault())
            destinations.append(*d);
    }
    for (const Destination &d : destinations)
        checkDestination(config, d);
    checkAccessDefault(config);
    return 0;
}
