#pragma once
// One host in the window: what it is (HostEntry), what it has now (HostState, read on a worker),
// what is staged (its undo stack), the policy view of the staged configuration (worked out on a
// worker whenever the state or the staged edits change) and its last apply. Reading, working out
// and applying run on the thread pool; results come back as queued calls, so the UI thread never
// waits. A worker holds only shared or copied state (never a pointer into the window), so it may
// outlive the session.

#include "DestinationRulesModel.h"
#include "HostEntry.h"
#include "PolicyView.h"
#include "StagedEditsStore.h"
#include "apply/ApplyPipeline.h"
#include "StagedEdit.h"

#include <QObject>
#include <QUndoStack>

#include <atomic>
#include <memory>
#include <optional>

namespace smtls::gui {

class HostConnector;

class HostSession : public QObject {
    Q_OBJECT
public:
    enum class Reach { Unknown, Loading, Reachable, Unreachable };

    HostSession(HostEntry entry, std::shared_ptr<const HostConnector> connector, std::shared_ptr<const SnapshotStore> snapshots,
                QObject *parent = nullptr);
    ~HostSession() override;

    const HostEntry &entry() const { return m_entry; }
    // For other work on this host from a worker (the history reads the host's snapshots).
    std::shared_ptr<const HostConnector> connector() const { return m_connector; }
    void setEntry(const HostEntry &entry);
    Reach reach() const { return m_reach; }
    QString loadError() const { return m_loadError; }
    // Shared, not copied: a million-line access map is tens of megabytes. Null until read.
    std::shared_ptr<const HostState> state() const { return m_state; }
    // Found on the host besides the files' contents: a sendmail.cf or access.db older than its text.
    const Problems &hostProblems() const { return m_hostProblems; }
    // The state at a glance (host list, status bar): worked out on the worker that read it, so
    // that painting a row never parses a large access map again.
    struct Glance {
        bool tls = true;
        bool fallback = false;  // a failed handshake falls back to clear text (TLSFallbacktoClear)
        qsizetype exceptions = 0;
        qsizetype problems = 0;  // the files' and the host's
    };
    const std::optional<Glance> &glance() const { return m_glance; }
    const HostProfile &profile() const { return m_profile; }
    // The host's sendmail version as connecting found it ("8.17.1.9"); empty when unknown (a
    // local tree is not inspected). What it cannot do is not offered (SendmailVersion.h).
    const QString &sendmailVersion() const { return m_sendmailVersion; }
    QString transportName() const { return m_transportName; }  // the host name snapshots carry

    QUndoStack *undoStack() { return &m_undo; }
    int pendingCount() const { return m_undo.index(); }
    // The staged edits as one change (a batch); planning it on the state is a worker's job.
    Change stagedBatch() const;
    QString stagedDescription() const;
    void stage(const Change &change);

    // The staged configuration and what follows from it, as last worked out: null before the
    // first read. When the edits or the state changed since, it is the previous one and
    // policyViewPending() says a newer one is on its way (changed() follows its arrival).
    std::shared_ptr<const PolicyView> policyView() const { return m_view; }
    bool policyViewPending() const { return m_state && m_viewShown != m_viewWanted; }
    // The rules of policyView() marked with what the staged edits do to them (the removed ones
    // listed too); null rules when nothing is staged (then the view's own list is the one).
    const DestinationRulesModel::Marked &markedRules() const { return m_marked; }

    // Staged edits kept from an earlier run (StagedEditsStore): staged again after the next
    // successful read of the host, each one only if what it acts on still reads as it did; the
    // others are listed in keptConflicts() and not staged.
    void setKeptEdits(const QList<KeptEdit> &edits, const QStringList &unreadable = {});
    bool hasKeptEditsWaiting() const { return !m_kept.isEmpty(); }
    const QStringList &keptConflicts() const { return m_keptConflicts; }
    // The staged edits to keep, each with what the files as read say about its subject.
    QList<KeptEdit> editsToKeep() const;

    bool busy() const { return m_busy; }
    const std::optional<ApplyReport> &lastReport() const { return m_lastReport; }

    // Asynchronous: stateLoaded / applyFinished follow.
    void reload();
    void applyStaged(const QString &reason);
    void apply(const Change &change);
    void cancel();
    // The window is going: cancel, start nothing new, stay silent.
    void shutdown();

Q_SIGNALS:
    void changed();  // anything shown at a glance
    void stateLoaded();
    void stepProgress(const QString &host, const smtls::StepRecord &step);
    void commandLogged(const smtls::CommandLogEntry &entry);
    void applyFinished(const smtls::ApplyReport &report);

private:
    struct Loaded;
    void finishLoad(const std::shared_ptr<Loaded> &loaded);
    void finishApply(const ApplyReport &report, bool stagedEdits);
    void stagedEditsChanged();
    void startPolicyView();
    void finishPolicyView(const std::shared_ptr<const PolicyView> &view, const DestinationRulesModel::Marked &marked,
                          quint64 generation);
    // SUBJECTSNOW: subjectOf() of each kept edit on the files as read, when the read worked them out.
    void restoreKeptEdits(const QList<QJsonObject> &subjectsNow = {});

    HostEntry m_entry;
    std::shared_ptr<const HostConnector> m_connector;
    std::shared_ptr<const SnapshotStore> m_snapshots;
    QUndoStack m_undo;
    Reach m_reach = Reach::Unknown;
    QString m_loadError;
    std::shared_ptr<const HostState> m_state;
    Problems m_hostProblems;
    std::optional<Glance> m_glance;
    HostProfile m_profile;
    QString m_sendmailVersion;
    QString m_transportName;
    std::optional<ApplyReport> m_lastReport;
    // The policy view: generations count what it must reflect (each state read and each change of
    // the staged edits is one). One worker at a time works one out; if the edits changed
    // meanwhile, its answer is dropped and the newest is worked out next, so fast clicking never
    // queues several million-row computations.
    std::shared_ptr<const PolicyView> m_view;
    DestinationRulesModel::Marked m_marked;
    std::shared_ptr<const PolicyView> m_readView;  // the files as read, nothing staged
    QList<KeptEdit> m_kept;
    QStringList m_keptConflicts;
    quint64 m_viewWanted = 0;
    quint64 m_viewShown = 0;
    bool m_viewRunning = false;
    bool m_busy = false;
    bool m_shutDown = false;
    std::shared_ptr<std::atomic<bool>> m_cancel;
};

} // namespace smtls::gui
