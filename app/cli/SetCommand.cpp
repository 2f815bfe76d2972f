// sendmail-tls set global|destination …: plan the edit, show it (--dry-run) or snapshot and
// write it atomically.
#include "Commands.h"
#include "ExitCode.h"
#include "InvokingUser.h"
#include "Output.h"
#include "SnapshotStore.h"
#include "TextFile.h"
#include "UnifiedDiff.h"
#include "ApplyRunner.h"

#include <QDate>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

namespace smtls::cli {
namespace {

constexpr int MaxReasonLength = 200;

Status checkReason(const QString &reason)
{
    if (reason.size() > MaxReasonLength)
        return makeError(ErrorKind::InvalidInput, QStringLiteral("--reason has at most %1 characters").arg(MaxReasonLength));
    for (QChar c : reason)
        if (c.category() == QChar::Other_Control || c == QChar(0x2028) || c == QChar(0x2029))
            return makeError(ErrorKind::InvalidInput, QStringLiteral("--reason must be one line without control characters"));
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

Result<bool> parseOnOff(const QString &word)
{
    if (word == QLatin1String("on"))
        return true;
    if (word == QLatin1String("off"))
        return false;
    return makeError(ErrorKind::Usage, QStringLiteral("expected 'on' or 'off', not '%1'").arg(word.left(40)));
}

// Checks the command line once (before any host is contacted) and returns what to do with
// each host's files.
Result<ChangePlanner> plannerFor(const CliOptions &o, QString *description)
{
    const QStringList &a = o.arguments;
    if (a.size() >= 1 && a[0] == QLatin1String("global")) {
        if (a.size() != 2)
            return makeError(ErrorKind::Usage, QStringLiteral("usage: set global on|off [--via access|client-options]"));
        const Result<bool> on = parseOnOff(a[1]);
        if (!on)
            return on.error();
        const Result<std::optional<Mechanism>> via = parseVia(o.via);
        if (!via)
            return via.error();
        if (*on && *via)
            return makeError(ErrorKind::Usage, QStringLiteral("--via applies to 'set global off' only; 'on' clears both mechanisms"));
        *description = QStringLiteral("set global %1").arg(a[1]);
        return ChangePlanner([tlsOn = *on, mechanism = *via](const MailConfig &c) { return planGlobal(c, tlsOn, mechanism); });
    }
    if (a.size() >= 1 && a[0] == QLatin1String("destination")) {
        if (a.size() != 3)
            return makeError(ErrorKind::Usage, QStringLiteral("usage: set destination NAME on|off|inherit"));
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
        else
            return makeError(ErrorKind::Usage, QStringLiteral("expected 'on', 'off' or 'inherit', not '%1'").arg(printableInput(a[2])));
        *description = QStringLiteral("set destination %1 %2").arg(QString::fromLatin1(d->key), a[2]);
        return ChangePlanner([destination = *d, setting, reason = o.reason](const MailConfig &c) {
            return planDestination(c, destination, setting, reason);
        });
    }
    return makeError(ErrorKind::Usage, QStringLiteral("usage: set global on|off, or set destination NAME on|off|inherit"));
}

QStringList nextSteps(const ConfigChange &change, const MailConfig &config)
{
    QStringList steps;
    if (change.needsRestart())
        steps << QStringLiteral("m4 %1 > %2.new && mv %2.new %2   # or: make -C /etc/mail")
                     .arg(change.mc.path, QFileInfo(change.mc.path).dir().filePath(QStringLiteral("sendmail.cf")))
              << QStringLiteral("systemctl restart sendmail        # or: service sendmail restart");
    if (change.needsMapRebuild()) {
        const QString type = config.mc.accessDb() ? QString::fromLatin1(config.mc.accessDb()->mapType) : QStringLiteral("hash");
        steps << QStringLiteral("makemap %1 %2 < %2                 # no restart needed").arg(type, change.access.path);
    }
    return steps;
}

// Someone else may have edited a file between our read and our write.
Status checkUnchangedOnDisk(const FileChange &f)
{
    if (!f.changed())
        return std::nullopt;
    const bool exists = QFileInfo::exists(f.path);
    if (exists != f.existedBefore)
        return makeError(ErrorKind::Refused, QStringLiteral("the file appeared or disappeared while we worked; nothing was written"), f.path);
    if (!exists)
        return std::nullopt;
    const Result<bool> same = fileHasContent(f.path, f.before);
    if (!same)
        return same.error();
    if (!*same)
        return makeError(ErrorKind::Refused, QStringLiteral("the file was changed by someone else while we worked; nothing was written"), f.path);
    return std::nullopt;
}

Status writeChange(const ConfigChange &change)
{
    QList<const FileChange *> written;
    for (const FileChange *f : {&change.mc, &change.access}) {
        if (!f->changed())
            continue;
        if (Status s = writeFileAtomically(f->path, f->after)) {
            // Put back what was already written so that the two files stay consistent.
            for (const FileChange *done : written)
                writeFileAtomically(done->path, done->before);
            return s;
        }
        written.append(f);
    }
    return std::nullopt;
}

// --edit-only / --dry-run on a local tree: plan, show or write the text files, nothing else.
int editLocalFiles(const CliOptions &options, const ChangePlanner &planner, const QString &description)
{
    Result<MailConfig> loaded = loadLocalConfig(localPathsFrom(options));
    if (!loaded)
        return fail(loaded.error());
    const Result<ConfigChange> planned = planner(*loaded);
    if (!planned)
        return fail(planned.error());
    const ConfigChange &change = *planned;

    QByteArray diff;  // only when shown: on a large map it is a full comparison
    for (const FileChange *f : {&change.mc, &change.access})
        if (f->changed() && (options.dryRun || options.json))
            diff += unifiedDiff(f->before, f->after, f->path + QStringLiteral("\t(current)"), f->path + QStringLiteral("\t(new)"));

    QString snapshotId;
    if (change.changed() && !options.dryRun) {
        for (const FileChange *f : {&change.mc, &change.access})
            if (Status s = checkUnchangedOnDisk(*f))
                return fail(*s);
        Snapshot snapshot;
        snapshot.host = QStringLiteral("local:") + options.root;
        snapshot.user = invokingUser();
        snapshot.change = description;
        snapshot.reason = options.reason;
        for (const FileChange *f : {&change.mc, &change.access})
            if (f->changed())
                snapshot.files.append(SnapshotFile{f->path, f->before, f->after, f->existedBefore});
        const Result<QString> saved = SnapshotStore(snapshotDirectoryFrom(options)).save(snapshot);
        if (!saved)
            return fail(makeError(saved.error().kind,
                                  QStringLiteral("could not take the snapshot, so nothing was written: ") + saved.error().message,
                                  saved.error().file));
        snapshotId = *saved;
        if (Status s = writeChange(change))
            return fail(*s);
    }

    const QStringList steps = change.changed() ? nextSteps(change, *loaded) : QStringList();
    if (options.json) {
        QJsonArray files;
        for (const FileChange *f : {&change.mc, &change.access})
            files.append(QJsonObject{{QStringLiteral("path"), f->path}, {QStringLiteral("changed"), f->changed()}});
        printJson(QJsonObject{{QStringLiteral("change"), description},
                              {QStringLiteral("changed"), change.changed()},
                              {QStringLiteral("dryRun"), options.dryRun},
                              {QStringLiteral("files"), files},
                              {QStringLiteral("diff"), QString::fromUtf8(diff)},
                              {QStringLiteral("notes"), QJsonArray::fromStringList(change.notes)},
                              {QStringLiteral("snapshot"), snapshotId.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(snapshotId)},
                              {QStringLiteral("nextSteps"), QJsonArray::fromStringList(steps)}});
        return ExitOk;
    }
    if (options.dryRun) {
        printOutBytes(diff);
        for (const QString &n : change.notes)
            printOut(QStringLiteral("note: %1\n").arg(n));
        if (!change.changed())
            printOut(QStringLiteral("Nothing to change.\n"));
        return ExitOk;
    }
    QString out;
    for (const QString &n : change.notes)
        out += QStringLiteral("note: %1\n").arg(n);
    if (!change.changed()) {
        out += QStringLiteral("Nothing to change.\n");
    } else {
        for (const FileChange *f : {&change.mc, &change.access})
            if (f->changed())
                out += QStringLiteral("Wrote %1\n").arg(f->path);
        out += QStringLiteral("Snapshot %1 (undo: see 'sendmail-tls history').\n").arg(snapshotId);
        out += QStringLiteral("sendmail does not use the edit until you run:\n");
        for (const QString &st : steps)
            out += QStringLiteral("  %1\n").arg(st);
    }
    printOut(out);
    return ExitOk;
}

} // namespace

int runSet(const CliOptions &options)
{
    if (Status s = checkReason(options.reason))
        return fail(*s);
    QString description;
    const Result<ChangePlanner> planner = plannerFor(options, &description);
    if (!planner)
        return fail(planner.error());
    if (!options.hosts.isEmpty() || !(options.editOnly || options.dryRun))
        return applyThroughPipeline(options, *planner, description);
    return editLocalFiles(options, *planner, description);
}

} // namespace smtls::cli
