#include "KnownScripts.h"

#include "apply/AuditTrail.h"
#include "apply/BuiltFiles.h"
#include "apply/HostInspector.h"
#include "apply/HostSnapshots.h"
#include "apply/HostWorkspace.h"
#include "apply/StateAfter.h"
#include "delivery/DeliveryLog.h"
#include "delivery/MxLookup.h"
#include "delivery/QueuedMessage.h"
#include "delivery/StartTlsProbe.h"
#include "transport/Transport.h"

namespace smtls::privileged {

namespace {

// Records every command; answers sendmail -bt with just enough for the MX reader to go on to
// its next script, and everything else with an empty success.
class RecordingTransport : public Transport {
public:
    QList<CommandLine> commands;
    QString hostName() const override { return QStringLiteral("recording"); }
    QString describe() const override { return hostName(); }
    Result<CommandResult> run(const CommandLine &command, const QByteArray &, std::chrono::milliseconds) override
    {
        commands << command;
        CommandResult r;
        r.exitCode = 0;
        if (command.arguments.contains(QStringLiteral("-bt")))
            r.out = "ADDRESS TEST MODE\nParsing envelope recipient address\n"
                    "mailer esmtp, host example.com., user sendmail-tls-mx@example.com\n"
                    "getmxrr(example.com) returns 1 value(s):\n\tmx.example.com.\n";
        return r;
    }
    void cancel() override {}
};

} // namespace

const KnownScripts &KnownScripts::get()
{
    static const KnownScripts known = [] {
        KnownScripts k;
        const auto add = [&k](const CommandLine &c, Script kind) {
            if (c.program == QLatin1String("sh") && c.arguments.size() >= 2)
                k.scripts.insert(c.arguments.at(1), kind);
        };
        const auto same = [](const QString &p) { return p; };
        const HostProfile profile = profileById(QStringLiteral("debian"));
        const HostWorkspace ws(profile, QStringLiteral("0"), same);
        add(CommandLine::shellScript(remotescript::ReadFiles), Script::Plain);
        add(CommandLine::shellScript(remotescript::WriteFile), Script::Plain);
        add(CommandLine::shellScript(remotescript::RemoveFile), Script::Plain);
        add(ws.checkAndSnapshotCommand({}, {}), Script::Plain);
        add(ws.symlinkCheckCommand({}), Script::Plain);
        add(ws.snapshotAfterCommand({}), Script::Plain);
        add(ws.installCommand({}), Script::Plain);
        add(ws.restoreCommand({}), Script::Plain);
        add(ws.cleanupCommand({}), Script::Plain);
        add(ws.lockCommand(0, 0), Script::Plain);
        add(ws.renewLockCommand(), Script::Plain);
        add(ws.releaseLockCommand(), Script::Plain);
        add(ws.healthCommand({}, {}, {}, true, CommandLine{}), Script::Health);
        add(profile.compileCommand({}, {}), Script::Compile);
        add(profile.buildMapCommand({}, {}, {}), Script::BuildMap);
        add(stateAfterCommand({}, {}, CommandLine{}), Script::StateAfter);
        add(etckeeperStateCommand(), Script::Plain);  // the audit: does this host use etckeeper
        // ApplyPipeline removes the snapshot of an apply refused before install with this.
        add(CommandLine::shellScript(QStringLiteral("rm -rf -- \"$1\"")), Script::RemoveTree);
        // The sequence's own part is "run_sequence() { :; }\n" when it has no commands.
        const QString activate = ws.activateCommand({}, {}).arguments.value(1);
        k.activateAround = activate.mid(activate.indexOf(QLatin1String("; }\n")) + 4);

        // The readers that keep their script to themselves: what they send to a recorder.
        RecordingTransport r;
        (void)inspectHost(r, &profile);
        if (!r.commands.isEmpty())
            add(r.commands.takeLast(), Script::Facts);
        (void)readDeliveryLog(r, {QStringLiteral("0")});
        for (const CommandLine &c : std::as_const(r.commands))
            add(c, Script::ReadLog);
        r.commands.clear();
        (void)readQueues(r, profile);
        for (const CommandLine &c : std::as_const(r.commands))
            add(c, Script::ReadQueues);
        r.commands.clear();
        (void)removeHostSnapshots(r, profile, {QStringLiteral("20260101000000")});
        for (const CommandLine &c : std::as_const(r.commands))
            add(c, Script::RemoveSnapshots);
        r.commands.clear();
        (void)listHostSnapshots(r, profile);
        (void)builtFileProblems(r, profile, MailConfig{});
        (void)lookupMxOnHost(r, profile, QStringLiteral("example.com"));
        (void)probeFromHost(r, QStringLiteral("mx.example.com"), 25, std::chrono::seconds(1));
        for (const CommandLine &c : std::as_const(r.commands))
            if (!k.scripts.contains(c.arguments.value(1)))
                add(c, Script::Plain);
        return k;
    }();
    return known;
}

} // namespace smtls::privileged
