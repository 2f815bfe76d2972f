#include "ApplyDialog.h"

#include "ApplyProgressModel.h"
#include "HostSession.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace smtls::gui {

ApplyDialog::ApplyDialog(QWidget *parent)
    : QDialog(parent), m_model(new ApplyProgressModel(this)), m_table(new QTableView(this)), m_summary(new QLabel(this))
{
    setObjectName(QStringLiteral("applyDialog"));
    setWindowTitle(QStringLiteral("Applying"));
    resize(760, 300);
    auto *layout = new QVBoxLayout(this);
    m_table->setObjectName(QStringLiteral("applyProgress"));
    m_table->setTabKeyNavigation(false);  // Tab leaves the table (arrows move in it)
    m_table->setModel(m_model);
    m_table->horizontalHeader()->setSectionResizeMode(ApplyProgressModel::ResultColumn, QHeaderView::Stretch);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(true);
    layout->addWidget(m_table, 1);
    m_summary->setObjectName(QStringLiteral("applySummary"));
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    auto *buttons = new QDialogButtonBox(this);
    m_cancel = buttons->addButton(QDialogButtonBox::Cancel);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_cancel->setToolTip(QStringLiteral("Stops the hosts that have not installed yet; an installed host finishes or rolls back"));
    m_close = buttons->addButton(QDialogButtonBox::Close);
    m_close->setObjectName(QStringLiteral("closeButton"));
    m_close->setEnabled(false);
    connect(m_cancel, &QPushButton::clicked, this, &ApplyDialog::cancelAll);
    connect(m_close, &QPushButton::clicked, this, &QDialog::accept);
    layout->addWidget(buttons);
}

void ApplyDialog::watch(HostSession *session)
{
    m_sessions.append(session);
    connect(session, &HostSession::stepProgress, this, [this, session](const QString &, const StepRecord &step) {
        m_model->updateStep(session->entry().name, step);
    });
    connect(session, &HostSession::applyFinished, this, [this, session](const ApplyReport &report) {
        disconnect(session, nullptr, this, nullptr);
        ApplyReport shown = report;
        shown.host = session->entry().name;
        m_model->finish(shown);
        m_table->resizeRowsToContents();
        if (m_model->allFinished()) {
            m_cancel->setEnabled(false);
            m_close->setEnabled(true);
            m_close->setFocus();
            m_summary->setText(QStringLiteral("Finished. Hover a result for its steps; the Log panel lists every command."));
            Q_EMIT allFinished();
        }
    });
}

void ApplyDialog::start(const QList<HostSession *> &sessions, const QString &reason)
{
    QStringList names;
    for (HostSession *s : sessions)
        names << s->entry().name;
    m_model->setHosts(names);
    m_summary->setText(QStringLiteral("Applying \"%1\"…").arg(sessions.value(0) ? sessions.first()->stagedDescription() : QString()));
    for (HostSession *s : sessions) {
        watch(s);
        if (s->busy() || s->pendingCount() == 0) {
            ApplyReport r;
            r.host = s->entry().name;
            r.outcome = s->busy() ? ApplyOutcome::Refused : ApplyOutcome::NothingToDo;
            r.summary = s->busy() ? QStringLiteral("the host is busy reading or applying; nothing was changed")
                                  : QStringLiteral("nothing staged for this host");
            Q_EMIT s->applyFinished(r);
            continue;
        }
        s->applyStaged(reason);
    }
}

void ApplyDialog::startRollback(HostSession *session, const QString &change, const std::function<void()> &launch)
{
    m_model->setHosts({session->entry().name});
    m_summary->setText(QStringLiteral("%1 on %2…").arg(change, session->entry().name));
    watch(session);
    launch();
}

bool ApplyDialog::finished() const { return m_model->allFinished(); }

void ApplyDialog::cancelAll()
{
    for (HostSession *s : m_sessions)
        s->cancel();
    m_summary->setText(QStringLiteral("Cancelling: hosts that have not installed yet stop before changing anything…"));
}

} // namespace smtls::gui
