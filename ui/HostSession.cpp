#include "HostSession.h"

#include "BuiltFiles.h"
#include "InvokingUser.h"

#include "HostConnector.h"
#include "StagedPlan.h"

#include "WorkerPool.h"
#include <QCoreApplication>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace smtls::gui {

struct HostSession::Loaded {
    std::optional<HostState> state;
    Problems hostProblems;
    HostSession::Glance glance;
    HostProfile profile;
    QString transportName;
    QString error;
};

HostSession::HostSession(HostEntry entry, std::shared_ptr<const HostConnector> connector, std::shared_ptr<const SnapshotStore> snapshots,
                         QObject *parent)
    : QObject(parent), m_entry(std::move(entry)), m_connector(std::move(connector)), m_snapshots(std::move(snapshots))
{
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
    (void)QtConcurrent::run(workerPool(), [self, entry = m_entry, connector = m_connector]() {
        Loaded loaded;
        Result<Connection> c = connector->connect(entry, logTo(self), HostConnector::Details::Wanted);
        if (!c) {
            loaded.error = c.error().describe();
        } else {
            Transport &t = *c->transport;
            t.setCommandLog(logTo(self));
            loaded.profile = c->profile;
            loaded.transportName = t.hostName();
            Result<HostState> state = readHostState(t, c->profile);
            if (state) {
                loaded.state = *state;
                if (c->details)
                    loaded.hostProblems = hostDetailProblems(*c->details, c->profile);
                const Result<Problems> built = builtFileProblems(t, c->profile, state->config);
                if (built)
                    loaded.hostProblems += *built;
                else
                    loaded.hostProblems.append(Problem{c->profile.cfPath, 0, Severity::Info,
                                                       QStringLiteral("could not check whether sendmail.cf and the access map "
                                                                      "are up to date: %1").arg(built.error().describe())});
                const Policy policy = state->config.policy();
                loaded.glance = {policy.global().tls, policy.destinations().size(),
                                 policy.problems().size() + loaded.hostProblems.size()};
            } else {
                loaded.error = state.error().describe();
            }
        }
        post(self, [loaded](HostSession *s) { s->finishLoad(loaded); });
    });
}

void HostSession::finishLoad(const Loaded &loaded)
{
    m_busy = false;
    m_loadError = loaded.error;
    m_reach = loaded.state ? Reach::Reachable : Reach::Unreachable;
    if (loaded.state) {
        m_state = loaded.state;
        m_hostProblems = loaded.hostProblems;
        m_glance = loaded.glance;
        m_profile = loaded.profile;
        m_transportName = loaded.transportName;
    }
    Q_EMIT changed();
    Q_EMIT stateLoaded();
}

Result<MailConfig> HostSession::stagedConfig() const
{
    if (!m_state)
        return makeError(ErrorKind::Connection, m_loadError.isEmpty() ? QStringLiteral("not read yet") : m_loadError);
    return applyPlanners(m_state->config, stagedPlanners(m_undo));
}

Result<ConfigChange> HostSession::stagedChange() const
{
    if (!m_state)
        return makeError(ErrorKind::Connection, m_loadError.isEmpty() ? QStringLiteral("not read yet") : m_loadError);
    return composePlanners(stagedPlanners(m_undo))(m_state->config);
}

QString HostSession::stagedDescription() const
{
    return stagedTexts(m_undo).join(QStringLiteral("; "));
}

void HostSession::stage(const QString &text, ChangePlanner plan)
{
    m_undo.push(new StagedEdit(text, std::move(plan)));
}

void HostSession::applyStaged(const QString &reason)
{
    if (pendingCount() == 0)
        return;
    apply(stagedDescription(), composePlanners(stagedPlanners(m_undo)), reason);
}

void HostSession::apply(const QString &change, ChangePlanner plan, const QString &reason)
{
    if (m_busy || m_shutDown)
        return;
    m_busy = true;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    Q_EMIT changed();
    const bool stagedEdits = change == stagedDescription() && pendingCount() > 0;
    ApplyRequest request{change, reason, invokingUser(), std::move(plan)};
    const QPointer<HostSession> self(this);
    (void)QtConcurrent::run(workerPool(), [self, entry = m_entry, connector = m_connector, snapshots = m_snapshots, request,
                             cancelFlag = m_cancel, stagedEdits]() {
        ApplyReport report;
        report.host = entry.name;
        report.change = request.change;
        Result<Connection> c = connector->connect(entry, logTo(self));
        if (!c) {
            report.error = c.error();
            report.outcome = c.error().kind == ErrorKind::Refused ? ApplyOutcome::Refused : ApplyOutcome::Failed;
            report.summary = c.error().describe();
            report.steps.append(StepRecord{QStringLiteral("connect"), StepState::Failed, c.error().message, 0});
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
            if (entry.kind == HostKind::Demo && report.outcome == ApplyOutcome::Applied && report.summary.contains(QStringLiteral("restart")))
                report.summary += QStringLiteral(" (simulated: the Demo host runs no sendmail)");
        }
        post(self, [report, stagedEdits](HostSession *s) { s->finishApply(report, stagedEdits); });
    });
}

void HostSession::finishApply(const ApplyReport &report, bool stagedEdits)
{
    m_busy = false;
    m_lastReport = report;
    // What was applied is no longer pending; a refusal keeps the edits for another try.
    if (stagedEdits && (report.outcome == ApplyOutcome::Applied || report.outcome == ApplyOutcome::NothingToDo))
        m_undo.clear();
    Q_EMIT applyFinished(report);
    Q_EMIT changed();
    reload();
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
