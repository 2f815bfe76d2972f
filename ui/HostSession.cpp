#include "HostSession.h"

#include "apply/HostReading.h"
#include "InvokingUser.h"
#include "SendmailVersion.h"

#include "HostConnector.h"

#include "WorkerPool.h"
#include <algorithm>
#include <QJsonObject>
#include <QCoreApplication>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace smtls::gui {

namespace {
// The same kept edits, in the same order (a read's worked-out subjects belong to them).
bool sameEdits(const QList<KeptEdit> &a, const QList<KeptEdit> &b)
{
    return std::equal(a.cbegin(), a.cend(), b.cbegin(), b.cend(), [](const KeptEdit &x, const KeptEdit &y) {
        return x.before == y.before && x.change.description() == y.change.description();
    });
}
} // namespace

struct HostSession::Loaded {
    std::shared_ptr<const HostState> state;
    Problems hostProblems;
    std::shared_ptr<const PolicyView> view;  // of the state as read (nothing staged)
    HostSession::Glance glance;
    HostProfile profile;
    QString sendmailVersion;
    QString transportName;
    QString error;
    // The kept edits this read was started with, and what the files just read say about the
    // subject of each: worked out here, a scan of every rule (a million on a big map).
    QList<KeptEdit> kept;
    QList<QJsonObject> keptSubjects;
};

HostSession::HostSession(HostEntry entry, std::shared_ptr<const HostConnector> connector, std::shared_ptr<const SnapshotStore> snapshots,
                         QObject *parent)
    : QObject(parent), m_entry(std::move(entry)), m_connector(std::move(connector)), m_snapshots(std::move(snapshots))
{
    // First the view's generation, then the listeners: they find the view pending.
    connect(&m_undo, &QUndoStack::indexChanged, this, &HostSession::stagedEditsChanged);
    connect(&m_undo, &QUndoStack::indexChanged, this, &HostSession::changed);
}

HostSession::~HostSession()
{
    // QUndoStack's destructor clears the stack and signals it: nobody may hear that any more.
    shutdown();
}

void HostSession::setEntry(const HostEntry &entry)
{
    m_entry = entry;
    Q_EMIT changed();
}

namespace {

// Posts `f` to the UI thread, where it runs only if the session still exists.
template <typename F>
void post(const QPointer<HostSession> &session, F f)
{
    QCoreApplication *app = QCoreApplication::instance();
    if (!app)
        return;  // the program is ending; nobody is left to tell
    QMetaObject::invokeMethod(app, [session, f = std::move(f)]() {
        if (session)
            f(session.data());
    }, Qt::QueuedConnection);
}

std::function<void(const CommandLogEntry &)> logTo(const QPointer<HostSession> &session)
{
    return [session](const CommandLogEntry &entry) {
        post(session, [entry](HostSession *s) { Q_EMIT s->commandLogged(entry); });
    };
}

} // namespace

void HostSession::reload()
{
    if (m_busy || m_shutDown)
        return;
    m_busy = true;
    m_reach = Reach::Loading;
    Q_EMIT changed();
    const QPointer<HostSession> self(this);
    (void)QtConcurrent::run(workerPool(), [self, entry = m_entry, connector = m_connector, kept = m_kept]() {
        auto loaded = std::make_shared<Loaded>();
        loaded->kept = kept;
        Result<Connection> c = connector->connect(entry, logTo(self), HostConnector::Details::Wanted);
        if (!c) {
            loaded->error = c.error().describe();
        } else {
            Transport &t = *c->transport;
            t.setCommandLog(logTo(self));
            loaded->profile = c->profile;
            if (c->details)
                loaded->sendmailVersion = c->details->sendmailVersion;
            loaded->transportName = t.hostName();
            Result<HostReading> reading = readHost(t, c->profile, c->details ? &*c->details : nullptr);
            if (reading) {
                loaded->state = makeLargeShared<HostState>(std::move(reading->state));
                loaded->hostProblems = reading->hostProblems;
                // Worked out here, where the glance needs it anyway: with nothing staged (the
                // usual case when a host is selected) it is what the policy panel shows.
                loaded->view = workOutPolicyView(loaded->state, std::nullopt, loaded->hostProblems);
                const GlobalState &global = loaded->view->global;
                loaded->glance = {global.tls, global.tls && global.fallback, loaded->view->destinations->size(),
                                  loaded->view->problems.size()};
                for (const KeptEdit &e : kept)
                    loaded->keptSubjects << subjectOf(e.change, *loaded->view);
            } else {
                loaded->error = reading.error().describe();
            }
        }
        post(self, [loaded](HostSession *s) { s->finishLoad(loaded); });
    });
}

void HostSession::finishLoad(const std::shared_ptr<Loaded> &loaded)
{
    m_busy = false;
    m_loadError = loaded->error;
    m_reach = loaded->state ? Reach::Reachable : Reach::Unreachable;
    if (loaded->state) {
        m_state = loaded->state;
        m_hostProblems = loaded->hostProblems;
        m_glance = loaded->glance;
        m_profile = loaded->profile;
        m_sendmailVersion = loaded->sendmailVersion;
        m_transportName = loaded->transportName;
        m_readView = loaded->view;
        ++m_viewWanted;  // a new state: a view of the old one no longer is the one to show
        if (pendingCount() == 0) {
            m_view = loaded->view;
            m_marked = {};
            m_viewShown = m_viewWanted;
        }
        // Kept from the last run: planned on these files (conflicts set aside), staged now.
        if (!m_kept.isEmpty())
            restoreKeptEdits(sameEdits(m_kept, loaded->kept) ? loaded->keptSubjects : QList<QJsonObject>{});
    }
    // Staged edits on the new state, or edits changed while the read ran (an apply's end
    // clears them): the view of that is worked out now.
    if (policyViewPending() && !m_viewRunning && !m_shutDown)
        startPolicyView();
    Q_EMIT changed();
    Q_EMIT stateLoaded();
}

void HostSession::stagedEditsChanged()
{
    ++m_viewWanted;
    // While the host is read or applied to, the end of that (a read) works out the view.
    if (m_state && !m_busy && !m_viewRunning && !m_shutDown)
        startPolicyView();
}

void HostSession::startPolicyView()
{
    m_viewRunning = true;
    const quint64 generation = m_viewWanted;
    std::optional<Change> staged;
    if (pendingCount() > 0)
        staged = stagedBatch();
    const QPointer<HostSession> self(this);
    (void)QtConcurrent::run(workerPool(), [self, state = m_state, staged, hostProblems = m_hostProblems, generation,
                                           asRead = m_readView]() {
        const std::shared_ptr<const PolicyView> view = workOutPolicyView(state, staged, hostProblems);
        // What the edits do to each rule, compared with the files as read (here: a million rules).
        DestinationRulesModel::Marked marked;
        if (staged && asRead && view->config)
            marked = DestinationRulesModel::markPending(*asRead->destinations, view->destinations);
        post(self, [view, marked, generation](HostSession *s) { s->finishPolicyView(view, marked, generation); });
    });
}

void HostSession::finishPolicyView(const std::shared_ptr<const PolicyView> &view, const DestinationRulesModel::Marked &marked,
                                   quint64 generation)
{
    m_viewRunning = false;
    if (generation == m_viewWanted) {
        m_view = view;
        m_marked = marked;
        m_viewShown = generation;
        Q_EMIT changed();
    } else if (policyViewPending() && !m_busy && !m_shutDown) {
        startPolicyView();  // the edits changed meanwhile: the newest now
    }
}

Change HostSession::stagedBatch() const
{
    return Change::batch(stagedChanges(m_undo));
}

QString HostSession::stagedDescription() const
{
    return stagedBatch().description();
}

void HostSession::stage(const Change &change)
{
    m_undo.push(new StagedEdit(change));
}

void HostSession::applyStaged(const QString &reason)
{
    if (pendingCount() == 0)
        return;
    // The reason typed at apply time is the apply's (snapshot, history); each edit keeps its own
    // for the note it writes above its rule. The edits' reasons go with the apply's into the
    // snapshot, so that History's Reason column says both, not only the last one typed.
    const QString edits = stagedBatch().reason();
    const QString both = reason.isEmpty() || edits.isEmpty() || edits == reason ? reason : QStringLiteral("%1 (%2)").arg(reason, edits);
    apply(Change::batch(stagedChanges(m_undo), both));
}

void HostSession::apply(const Change &change)
{
    if (m_busy || m_shutDown)
        return;
    // What this host's sendmail cannot do is refused before anything is tried, as the command
    // line refuses it (the window does not offer it there; a change staged on several hosts
    // may still reach one).
    if (change.asksForFallback())
        if (const Status refused = requireTlsFallback(m_sendmailVersion, m_entry.name)) {
            ApplyReport report;
            report.host = m_entry.name;
            report.change = change.description();
            report.outcome = ApplyOutcome::Refused;
            report.error = *refused;
            report.summary = refused->message;
            m_lastReport = report;
            Q_EMIT applyFinished(report);
            Q_EMIT changed();
            return;
        }
    m_busy = true;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    Q_EMIT changed();
    const bool stagedEdits = pendingCount() > 0 && change.description() == stagedDescription();
    ApplyRequest request{change, invokingUser()};
    const QPointer<HostSession> self(this);
    (void)QtConcurrent::run(workerPool(), [self, entry = m_entry, connector = m_connector, snapshots = m_snapshots, request,
                             cancelFlag = m_cancel, stagedEdits]() {
        ApplyReport report;
        Result<Connection> c = connector->connect(entry, logTo(self));
        if (!c) {
            report = connectFailedReport(entry.name, request.change.description(), c.error());
        } else {
            c->transport->setCommandLog(logTo(self));
            ApplyOptions options;
            options.localSnapshots = snapshots.get();
            options.progress = [self](const QString &host, const StepRecord &step) {
                post(self, [host, step](HostSession *s) { Q_EMIT s->stepProgress(host, step); });
            };
            options.cancelled = [cancelFlag] { return cancelFlag->load(); };
            report = applyChange(*c->transport, c->profile, request, options);
            report.host = entry.name;
        }
        post(self, [report, stagedEdits](HostSession *s) { s->finishApply(report, stagedEdits); });
    });
}

void HostSession::finishApply(const ApplyReport &report, bool stagedEdits)
{
    m_lastReport = report;
    // What was applied is no longer pending; a refusal keeps the edits for another try. Still
    // busy meanwhile: the re-read below works out the view, not the old state with no edits.
    if (stagedEdits && (report.outcome == ApplyOutcome::Applied || report.outcome == ApplyOutcome::NothingToDo))
        m_undo.clear();
    m_busy = false;
    Q_EMIT applyFinished(report);
    Q_EMIT changed();
    reload();
}

void HostSession::setKeptEdits(const QList<KeptEdit> &edits, const QStringList &unreadable)
{
    m_kept = edits;
    m_keptConflicts = unreadable;
    if (m_kept.isEmpty() && !unreadable.isEmpty())
        StagedEditsStore::remove(m_entry.id);
    if (m_readView && !m_kept.isEmpty())
        restoreKeptEdits();
}

void HostSession::restoreKeptEdits(const QList<QJsonObject> &subjectsNow)
{
    // Each edit only where its subject reads as it did when it was kept: a rule edited by hand
    // meanwhile, or a problem fixed, is shown as a conflict, never planned over blindly. The
    // others are planned on the files just read, as every staged edit is.
    const QList<KeptEdit> kept = std::exchange(m_kept, {});
    for (qsizetype i = 0; i < kept.size(); ++i) {
        const KeptEdit &e = kept[i];
        // Worked out by the read on its worker; here only when the edits came after it began.
        const QJsonObject now = subjectsNow.size() == kept.size() ? subjectsNow[i] : subjectOf(e.change, *m_readView);
        if (now == e.before)
            stage(e.change);
        else
            m_keptConflicts << conflictText(e.change, e.before, now);
    }
    // They live on the undo stack now; quitting asks about them again.
    StagedEditsStore::remove(m_entry.id);
    Q_EMIT changed();
}

QList<KeptEdit> HostSession::editsToKeep() const
{
    QList<KeptEdit> out;
    for (const Change &c : stagedChanges(m_undo))
        out.append({c, m_readView ? subjectOf(c, *m_readView) : QJsonObject()});
    return out;
}

void HostSession::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

void HostSession::shutdown()
{
    cancel();
    m_shutDown = true;
    m_undo.disconnect(this);
    blockSignals(true);
}

} // namespace smtls::gui
