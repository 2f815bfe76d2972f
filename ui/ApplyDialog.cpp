#include "ApplyDialog.h"

#include "ApplyProgressModel.h"
#include "HostSession.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QMap>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace smtls::gui {

ApplyDialog::ApplyDialog(QWidget *parent)
    : QDialog(parent), m_model(new ApplyProgressModel(this)), m_tree(new QTreeView(this)), m_summary(new QLabel(this))
{
    setObjectName(QStringLiteral("applyDialog"));
    setWindowTitle(tr("Applying"));
    resize(860, 380);
    auto *layout = new QVBoxLayout(this);
    m_tree->setObjectName(QStringLiteral("applyProgress"));
    m_tree->setModel(m_model);
    m_tree->setWordWrap(true);
    m_tree->setUniformRowHeights(false);
    m_tree->setAllColumnsShowFocus(true);
    m_tree->header()->setStretchLastSection(true);
    m_tree->setColumnWidth(ApplyProgressModel::HostColumn, 220);
    m_tree->setColumnWidth(ApplyProgressModel::StepColumn, 200);
    layout->addWidget(m_tree, 1);
    m_summary->setObjectName(QStringLiteral("applySummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summary);
    auto *buttons = new QDialogButtonBox(this);
    m_retry = buttons->addButton(tr("&Retry"), QDialogButtonBox::ActionRole);
    m_retry->setObjectName(QStringLiteral("retryButton"));
    m_retry->setToolTip(tr("Runs it again on the hosts where it did not go through"));
    m_retry->setEnabled(false);
    m_showLog = buttons->addButton(tr("Show &log"), QDialogButtonBox::ActionRole);
    m_showLog->setObjectName(QStringLiteral("showLogButton"));
    m_showLog->setToolTip(tr("Every step of every host with the commands it ran and their output"));
    m_cancel = buttons->addButton(QDialogButtonBox::Cancel);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_cancel->setToolTip(tr("Stops the hosts that have not installed yet; an installed host finishes or rolls back"));
    m_close = buttons->addButton(QDialogButtonBox::Close);
    m_close->setObjectName(QStringLiteral("closeButton"));
    m_close->setEnabled(false);
    connect(m_retry, &QPushButton::clicked, this, &ApplyDialog::retry);
    connect(m_showLog, &QPushButton::clicked, this, &ApplyDialog::showLog);
    connect(m_cancel, &QPushButton::clicked, this, &ApplyDialog::cancelAll);
    connect(m_close, &QPushButton::clicked, this, &QDialog::accept);
    layout->addWidget(buttons);
}

void ApplyDialog::watch(HostSession *session)
{
    if (!m_sessions.contains(session))
        m_sessions.append(session);
    connect(session, &HostSession::stepProgress, this, [this, session](const QString &, const StepRecord &step) {
        m_model->updateStep(session->entry().name, step);
    });
    connect(session, &HostSession::applyFinished, this, [this, session](const ApplyReport &report) {
        disconnect(session, nullptr, this, nullptr);
        ApplyReport shown = report;
        shown.host = session->entry().name;
        m_model->finish(shown);
        // A result that is not "applied" shows its steps at once: no hovering to find why.
        if (!shown.succeeded())
            m_tree->expand(m_model->hostIndex(shown.host));
        someFinished();
    });
}

void ApplyDialog::someFinished()
{
    if (!m_model->allFinished())
        return;
    QMap<ApplyOutcome, int> counts;
    for (const QString &host : m_model->hosts())
        if (const std::optional<ApplyReport> r = m_model->reportFor(host))
            ++counts[r->outcome];
    QStringList said;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        said << QStringLiteral("%1 %2").arg(it.value()).arg(outcomeName(it.key()));
    const bool anyFailed = !failedSessions().isEmpty();
    m_summary->setText(tr("Finished: %1. %2Show log lists every command.")
                           .arg(said.join(QStringLiteral(", ")),
                                anyFailed ? tr("Expand a host for its steps; Retry runs it again where it did not go through. ")
                                          : tr("Expand a host for its steps. ")));
    m_cancel->setEnabled(false);
    m_retry->setEnabled(anyFailed);
    m_close->setEnabled(true);
    m_close->setDefault(true);
    m_close->setFocus();
    if (m_log)
        showLog();  // the open log follows
    Q_EMIT allFinished();
}

QList<HostSession *> ApplyDialog::failedSessions() const
{
    QList<HostSession *> out;
    for (HostSession *s : m_sessions)
        if (s)
            if (const std::optional<ApplyReport> r = m_model->reportFor(s->entry().name); r && !r->succeeded())
                out << s;
    return out;
}

void ApplyDialog::startOn(HostSession *s)
{
    watch(s);
    if (s->busy() || s->pendingCount() == 0) {
        ApplyReport r;
        r.host = s->entry().name;
        r.outcome = s->busy() ? ApplyOutcome::Refused : ApplyOutcome::NothingToDo;
        r.summary = s->busy() ? tr("The host is busy reading or applying; nothing was changed.")
                              : tr("Nothing is staged for this host.");
        Q_EMIT s->applyFinished(r);
        return;
    }
    s->applyStaged(m_reason);
}

void ApplyDialog::start(const QList<HostSession *> &sessions, const QString &reason)
{
    QStringList names;
    for (HostSession *s : sessions)
        names << s->entry().name;
    m_reason = reason;
    m_model->setHosts(names);
    m_summary->setText(tr("Applying \"%1\"…").arg(sessions.value(0) ? sessions.first()->stagedDescription() : QString()));
    for (HostSession *s : sessions)
        startOn(s);
}

void ApplyDialog::startRollback(HostSession *session, const QString &change, const std::function<void()> &launch)
{
    m_model->setHosts({session->entry().name});
    m_rollback = launch;
    m_summary->setText(tr("%1 on %2…").arg(change, session->entry().name));
    watch(session);
    launch();
}

void ApplyDialog::retry()
{
    const QList<HostSession *> again = failedSessions();
    if (again.isEmpty())
        return;
    m_retry->setEnabled(false);
    m_close->setEnabled(false);
    m_cancel->setEnabled(true);
    QStringList names;
    for (HostSession *s : again) {
        names << s->entry().name;
        m_model->restartHost(s->entry().name);
    }
    m_summary->setText(tr("Trying again on %1…").arg(names.join(QStringLiteral(", "))));
    for (HostSession *s : again) {
        if (m_rollback) {
            watch(s);
            m_rollback();
        } else {
            startOn(s);
        }
    }
}

QDialog *ApplyDialog::showLog()
{
    if (!m_log) {
        m_log = new QDialog(this);
        m_log->setObjectName(QStringLiteral("applyLogDialog"));
        m_log->setWindowTitle(tr("Apply log"));
        m_log->setAttribute(Qt::WA_DeleteOnClose);
        m_log->resize(900, 500);
        auto *layout = new QVBoxLayout(m_log);
        auto *text = new QPlainTextEdit(m_log);
        text->setObjectName(QStringLiteral("applyLogText"));
        text->setReadOnly(true);
        text->setLineWrapMode(QPlainTextEdit::NoWrap);
        text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        layout->addWidget(text);
        auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, m_log);
        connect(buttons, &QDialogButtonBox::rejected, m_log.data(), &QDialog::reject);
        layout->addWidget(buttons);
    }
    QStringList parts;
    for (const QString &host : m_model->hosts()) {
        const std::optional<ApplyReport> r = m_model->reportFor(host);
        parts << (r ? reportText(*r, true) : tr("%1: still running\n").arg(host));
    }
    m_log->findChild<QPlainTextEdit *>(QStringLiteral("applyLogText"))->setPlainText(parts.join(QLatin1Char('\n')));
    m_log->show();
    m_log->raise();
    return m_log;
}

bool ApplyDialog::finished() const { return m_model->allFinished(); }

void ApplyDialog::cancelAll()
{
    for (HostSession *s : m_sessions)
        if (s)
            s->cancel();
    m_summary->setText(tr("Cancelling: hosts that have not installed yet stop before changing anything…"));
}

} // namespace smtls::gui
