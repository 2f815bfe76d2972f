// Upload and validate: the new files staged next to their targets, then checked by the
// host's own tools (m4, sendmail -bt, makemap) and sendmail's try_tls answers compared with
// what the change means. Nothing is installed here.
#include "apply/ApplyRun.h"

#include "apply/SendmailCf.h"
#include "TextFile.h"

#include <QFileInfo>

namespace smtls {

QString ApplyRun::checkCfPath() const
{
    return ws.stagedPath(QFileInfo(profile.cfPath).path() + QStringLiteral("/check.cf"));
}

// Every staged name this apply may write (upload, validation, the health check's copy of the
// cf, a rollback's previous bytes): announced to the host before the first is written
// (check-unchanged), all removed by cleanup.
QStringList ApplyRun::stagedNames() const
{
    QStringList names;
    for (const FileChange *f : changedFiles())
        names << ws.stagedPath(f->path);
    if (change.mc.changed())
        names << ws.stagedPath(profile.cfPath);
    if (change.access.changed() && accessDbEnabled())
        if (const QString map = mapFileFor(mapType(), ws.stagedPath(change.access.path)); !map.isEmpty())
            names << map;
    names << checkCfPath();
    return names;
}

Status ApplyRun::stage()
{
    QList<QPair<QString, int>> afterCopies;
    int index = 0;
    for (const FileChange *f : changedFiles()) {
        if (Status s = t.writeFile(ws.stagedPath(f->path), f->after))
            return s;
        afterCopies.append({ws.stagedPath(f->path), index++});
    }
    if (change.mc.changed() && current.cfExists)
        afterCopies.append({ws.snapshotFolder() + QStringLiteral("/%1.before").arg(index), index});
    return runOk(ws.snapshotAfterCommand(afterCopies), QStringLiteral("completing the snapshot on the host"));
}

QList<TryTlsQuestion> ApplyRun::questions() const
{
    QList<TryTlsQuestion> list{{"sendmail-tls-check.invalid", "192.0.2.254"}};
    for (const Destination &d : change.touched)
        list.append(d.isAddress() ? TryTlsQuestion{{}, d.key} : TryTlsQuestion{d.key, "192.0.2.254"});
    return list;
}

bool ApplyRun::tryTlsMatters() const
{
    // Without access_db, or under M=S, ruleset try_tls decides nothing.
    return accessDbEnabled() && !newMc().clientStartTlsDisabled();
}

Status ApplyRun::compareAnswers(const QByteArray &btOutput, const QString &where) const
{
    const QList<TryTlsQuestion> asked = questions();
    const TryTlsAnswers answers = parseTryTlsOutput(btOutput, asked.size());
    if (!answers.error.isEmpty())
        return makeError(ErrorKind::Validation, QStringLiteral("sendmail -bt on %1: %2").arg(where, answers.error), t.hostName());
    const MailConfig after = newConfig();  // the policy points into it: keep it alive
    const Policy policy = after.policy();
    for (qsizetype i = 0; i < asked.size(); ++i) {
        const Decision expected = policy.explain(asked[i].serverName, asked[i].serverAddress);
        if (expected.tls != answers.tls[i])
            return makeError(ErrorKind::Validation,
                             QStringLiteral("sendmail (%1) would %2 STARTTLS with %3, but the change means it should %4 (%5)")
                                 .arg(where, answers.tls[i] ? QStringLiteral("try") : QStringLiteral("skip"),
                                      QString::fromLatin1(asked[i].serverName.isEmpty() ? asked[i].serverAddress : asked[i].serverName),
                                      expected.tls ? QStringLiteral("try it") : QStringLiteral("skip it"), expected.decidedBy),
                             t.hostName());
    }
    return std::nullopt;
}

Result<QString> ApplyRun::checkCf(const QByteArray &cfText, const QString &mapBase)
{
    // A copy of the cf naming the map to check, next to the real cf (sendmail trusts that
    // folder). A real host's installed cf already names the installed map: no copy needed.
    if (mapBase == change.access.path && t.commandPath(profile.cfPath) == profile.cfPath && cfText == installedCfText())
        return profile.cfPath;
    const QString cf = checkCfPath();
    if (Status s = t.writeFile(cf, withAccessMapAt(cfText, change.access.path, mapBase)))
        return *s;
    return t.commandPath(cf);
}

Status ApplyRun::askTryTls(const QByteArray &cfText, const QString &mapBase, const QString &where)
{
    if (!tryTlsMatters() || cfText.isEmpty())
        return std::nullopt;
    const Result<QString> cf = checkCf(cfText, mapBase);
    if (!cf)
        return cf.error();
    const Result<CommandResult> r = run(profile.addressTestCommand(*cf), tryTlsInput(questions()));
    if (!r)
        return r.error();
    return compareAnswers(r->out, where);
}

Status ApplyRun::validate()
{
    const QString stagedCf = ws.stagedPath(profile.cfPath);
    if (change.mc.changed()) {
        const QString mc = t.commandPath(ws.stagedPath(change.mc.path));
        const Result<CommandResult> compiled = run(profile.compileCommand(mc, t.commandPath(stagedCf)));
        if (!compiled)
            return compiled.error();
        if (!compiled->ok())
            return fail(ErrorKind::Validation, QStringLiteral("m4 rejects the new sendmail.mc: %1").arg(compiled->firstErrorLine()));
        const Result<std::optional<QByteArray>> cf = t.readFile(stagedCf, MaxMcFileBytes);
        if (!cf)
            return cf.error();
        newCf = cf->value_or(QByteArray());
        if (!looksLikeCompleteCf(newCf))
            return fail(ErrorKind::Validation, QStringLiteral("m4 produced no complete sendmail.cf (%1 lines)").arg(newCf.count('\n')));
        if (cfHasClientModifierS(newCf) != newMc().clientStartTlsDisabled())
            return fail(ErrorKind::Validation, QStringLiteral("the compiled sendmail.cf does not carry the client modifier S as asked"));
        if (cfFallsBackToClear(newCf) != newMc().tlsFallbackToClear())
            return fail(ErrorKind::Validation, QStringLiteral("the compiled sendmail.cf does not carry TLSFallbacktoClear as asked"));
        if (cfReadsTlsCltFeatures(newCf) != (newMc().tlsSessionFeaturesLine() > 0 && accessDbEnabled()))
            return fail(ErrorKind::Validation,
                        QStringLiteral("the compiled sendmail.cf %1 TLS_Clt_Features entries, unlike what sendmail.mc asks")
                            .arg(cfReadsTlsCltFeatures(newCf) ? QStringLiteral("reads") : QStringLiteral("does not read")));
        const Result<CommandResult> accepted = run(profile.addressTestCommand(t.commandPath(stagedCf)), "/quit\n");
        if (!accepted)
            return accepted.error();
        const QByteArray said = accepted->out + accepted->err;
        if (!accepted->ok() || said.contains("readcf:") || said.contains("Warning:"))
            return fail(ErrorKind::Validation, QStringLiteral("sendmail -bt does not accept the new sendmail.cf: %1").arg(accepted->firstErrorLine()));
    }
    QString mapBase = t.commandPath(change.access.path);
    if (change.access.changed() && accessDbEnabled()) {
        const QString stagedText = ws.stagedPath(change.access.path);
        const QString mapFile = mapFileFor(mapType(), stagedText);
        if (mapFile.isEmpty())
            return fail(ErrorKind::Validation, QStringLiteral("map type %1 is not supported for rebuilding").arg(mapType()));
        const Result<CommandResult> built = run(profile.buildMapCommand(mapType(), t.commandPath(stagedText), t.commandPath(stagedText)));
        if (!built)
            return built.error();
        // makemap exits 65 (EX_DATAERR) for lines it skips; fine when the current file already had them.
        if (!built->ok()) {
            const qsizetype oldErrors = change.access.existedBefore ? AccessMap(change.access.before, {}).problems().size() : 0;
            if (built->exitCode != 65 || built->err.count('\n') > oldErrors)
                return fail(ErrorKind::Validation, QStringLiteral("makemap rejects the new access file: %1").arg(built->firstErrorLine()));
        }
        mapBase = t.commandPath(stagedText);
    }
    return askTryTls(installedCfText(), mapBase, QStringLiteral("new files"));
}

} // namespace smtls
