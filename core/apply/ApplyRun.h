#pragma once
// One apply on one host, from the lock to the report (ApplyPipeline.h describes the steps);
// internal to core/apply: callers use applyChange(). Its steps live in three files, in the
// order they run:
//   ApplyPipeline.cpp   the run itself (execute), lock, read, check-unchanged, snapshot, cleanup
//   ApplyValidation.cpp upload (staging) and validation: m4, sendmail -bt, makemap, try_tls
//   ApplyInstall.cpp    install, activate, health check and the rollback
//   ApplyAudit.cpp      the host's own record of the outcome (syslog line, etckeeper commit)

#include "apply/ApplyPipeline.h"
#include "apply/HostLock.h"
#include "apply/HostWorkspace.h"
#include "apply/StateAfter.h"
#include "apply/TryTlsQuery.h"

#include <QElapsedTimer>

namespace smtls {

class ApplyRun {
public:
    ApplyRun(Transport &transport, const HostProfile &hostProfile, const ApplyRequest &what, const ApplyOptions &how);

    ApplyReport execute();

private:
    // ---- ApplyPipeline.cpp: running steps, and the steps before staging
    bool step(Step name, const std::function<Status()> &body);
    Status fail(ErrorKind kind, const QString &message) { return makeError(kind, message, t.hostName()); }
    Result<CommandResult> run(const CommandLine &c, const QByteArray &in = {}, std::chrono::milliseconds timeout = 120s)
    {
        return t.run(c, in, timeout);
    }
    Status runOk(const CommandLine &c, const QString &what, const QByteArray &in = {}, std::chrono::milliseconds timeout = 120s);
    static QString sha256(const QByteArray &bytes);

    Status lock();
    void unlock();
    // Runs work outside any step (the lock's release, removing a snapshot): its commands go
    // into the last step's record, so the report still holds every command.
    void afterLastStep(const std::function<void()> &work);
    ApplyReport executeLocked();
    Status readAndPlan();
    Status checkUnchanged();
    Status checkUnchangedHere();  // edit-only on this computer's files
    Error changedRefusal(const QString &path) const;
    Error symlinkRefusal(const CommandResult &r) const;
    static constexpr int IsSymlink = 11;  // exit status of the host scripts for a symlinked file
    Status snapshot();
    QList<SnapshotFile> snapshotFiles() const;
    void cleanup();
    void forgetSnapshots();
    Status editOnly();
    Status restoreAfterFailedWrite(const QList<const FileChange *> &written);

    // ---- ApplyValidation.cpp: staging and validation (try_tls is asked again by the health check)
    QStringList stagedNames() const;
    QString checkCfPath() const;
    Status stage();
    Status validate();
    Status askTryTls(const QByteArray &cfText, const QString &mapBase, const QString &where);
    QList<TryTlsQuestion> questions() const;
    bool tryTlsMatters() const;
    Status compareAnswers(const QByteArray &btOutput, const QString &where) const;
    Result<QString> checkCf(const QByteArray &cfText, const QString &mapBase);

    // ---- ApplyInstall.cpp: install and after
    Status install(const QList<StagedFile> &files);
    // rebuild: regenerate sendmail.cf the system's way first (not on rollback: the restored
    // sendmail.cf is the old one byte for byte, and must stay so).
    Status activate(bool restart, bool rebuild = true);
    Status healthCheck(bool restarted);
    Status rollback();
    Result<QList<StagedFile>> stagePreviousFiles();
    QString describeRestore(const RestoreOutput &restored);
    // After a failure past install (ApplyPipeline.cpp): the state checked on the host, and the
    // report's outcome and summary from it.
    Status checkStateAfter();
    ApplyReport afterFailure(Error cause);
    // A snapshot that stays after a failure records the outcome (OutcomeRecord.h) for History.
    void markKeptSnapshots(bool hostReachable);  // a copy: the rollback's own error replaces report.error

    // ---- ApplyAudit.cpp: the audit line in the host's syslog and the etckeeper commit, last
    void recordOnHost();

    // ---- what the change means
    QByteArray installedCfText() const { return change.mc.changed() ? newCf : current.cf; }
    QList<const FileChange *> changedFiles() const
    {
        QList<const FileChange *> out;
        for (const FileChange *f : {&change.mc, &change.access})
            if (f->changed())
                out << f;
        return out;
    }
    QString mapType() const
    {
        return change.mc.after.isEmpty() || !newMc().accessDb() ? QStringLiteral("hash")
                                                              : QString::fromLatin1(newMc().accessDb()->mapType);
    }
    SendmailMc newMc() const { return SendmailMc(change.mc.after, change.mc.path); }
    MailConfig newConfig() const { return configAfter(current.config, change); }
    bool accessDbEnabled() const { return newMc().accessDb().has_value(); }

    Transport &t;
    const HostProfile &profile;
    const ApplyRequest &request;
    const ApplyOptions &options;
    HostWorkspace ws;
    HostLock hostLock;  // after ws, which it uses
    ApplyReport report;
    QList<CommandLogEntry> stepCommands;  // the running step's, so far
    QString stepMessage;                  // what the running step has to say when it succeeds
    HostState current;
    ConfigChange change;
    QByteArray newCf;
    QStringList leftovers;  // staged and validation files to remove at the end (stagedNames)
    QStringList leftByOthers;  // files the rollback left as someone else had written them
    bool installed = false;
    bool installMayHaveRun = false;
    bool snapshotTaken = false;  // on the host, by check-unchanged
    QString lastCause;       // the last failed command's output lines that say why (FailureCause.h)
    QElapsedTimer installClock;  // started with the install: was the daemon started before it?
    std::optional<StateAfter> stateAfter;  // checked after a failure past install
};

} // namespace smtls
