// Fuzzes sendmail.mc reading (McScanner, SendmailMc, the policy read from it) and the global
// switch through the client modifier, with the functions `sendmail-tls set global off --via
// client-options` and `set global on` plan with (Change::global → planGlobal →
// SendmailMc::withClientStartTls{Disabled,Enabled}).
//
// Properties, on any bytes:
//  * reading keeps the bytes: SendmailMc(bytes).bytes() == bytes;
//  * every macro call and argument the scanner reports lies inside the file, in file order;
//  * whenever "global off" succeeds: the result reads as off, off again changes nothing, and
//    (when the file had no S anywhere) "global on" on it succeeds and gives back the original
//    bytes exactly.

#include "FuzzCheck.h"

#include "Change.h"
#include "LineIndex.h"
#include "McScanner.h"
#include "Policy.h"
#include "PolicyEditor.h"
#include "SendmailMc.h"

#include <cstddef>
#include <cstdint>

using namespace smtls;
using smtls::fuzz::require;

namespace {

const QString McPath = QStringLiteral("/etc/mail/sendmail.mc");

void checkScan(const QByteArray &bytes)
{
    const LineIndex lines(bytes);
    const McScan scan = scanMc(bytes, lines, McPath);
    qsizetype previousEnd = 0;
    for (const MacroCall &call : scan.calls) {
        require(call.start >= previousEnd && call.start <= call.end && call.end <= bytes.size(),
                "macro calls lie inside the file, in order, without overlapping",
                {{"name", call.name}, {"file", bytes}});
        require(bytes.sliced(call.start).startsWith(call.name), "a call's name is at its start",
                {{"name", call.name}, {"file", bytes}});
        require(call.line == lines.lineOf(call.start) + 1, "a call's line is the line of its start");
        qsizetype argumentEnd = call.start + call.name.size();
        for (const MacroArgument &a : call.arguments) {
            require(a.start >= argumentEnd && a.start <= a.end && a.end < call.end,
                    "arguments lie inside their call, in order", {{"name", call.name}, {"file", bytes}});
            argumentEnd = a.end;
            unquotedArgument(bytes, a, call.quoteOpen, call.quoteClose);
        }
        previousEnd = call.end;
    }
}

void checkRead(const SendmailMc &mc)
{
    for (const ClientOptionsDecl &d : mc.clientOptions()) {
        require(d.optionsStart >= 0 && d.optionsStart <= d.optionsEnd && d.optionsEnd <= mc.bytes().size(),
                "CLIENT_OPTIONS option text lies inside the file", {{"file", mc.bytes()}});
        require(d.options.text() == mc.bytes().mid(d.optionsStart, d.optionsEnd - d.optionsStart),
                "the parsed option text is the file's bytes there");
        d.family();
    }
    mc.problems();
    mc.clientOptionsFor("inet");
    mc.clientOptionsFor("inet6");
    const Policy policy(mc, nullptr);
    policy.global();
    policy.problems();
    policy.explain("mx.example.com", "192.0.2.25");
}

void checkGlobalSwitch(const SendmailMc &mc)
{
    const QByteArray &original = mc.bytes();
    const MailConfig config{mc, std::nullopt, QStringLiteral("/etc/mail/access")};
    const Change off = Change::global(false, Mechanism::ClientOptions);
    const Result<ConfigChange> once = off.plan(config);
    if (!once)
        return;  // refused (unsafe quoting, a quote inside the options…): nothing to check
    const QByteArray offBytes = once->mc.after;
    require(!once->access.changed(), "global off via client-options leaves the access file alone");
    const MailConfig afterOff = configAfter(config, *once);
    require(afterOff.mc.clientStartTlsDisabled(), "after global off, the file reads as off",
            {{"before", original}, {"after", offBytes}});

    const Result<ConfigChange> twice = off.plan(afterOff);
    require(twice.ok(), "global off succeeds again on its own result",
            {{"before", original}, {"after off", offBytes}, {"error", fuzz::errorText(twice)}});
    require(twice->mc.after == offBytes, "global off is idempotent",
            {{"before", original}, {"off once", offBytes}, {"off twice", twice->mc.after}});

    if (mc.clientStartTlsDisabled())
        return;  // "on" would also remove the S that was there before: not a round trip
    const Result<ConfigChange> on = Change::global(true).plan(afterOff);
    require(on.ok(), "global on succeeds on what global off wrote",
            {{"before", original}, {"after off", offBytes}, {"error", fuzz::errorText(on)}});
    require(on->mc.after == original, "global off then on gives back the original bytes",
            {{"before", original}, {"after off", offBytes}, {"after on", on->mc.after}});
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    checkScan(bytes);
    const SendmailMc mc(bytes, McPath);
    require(mc.bytes() == bytes, "reading keeps the bytes (parse, then bytes() is the input)");
    checkRead(mc);
    checkGlobalSwitch(mc);
    return 0;
}
