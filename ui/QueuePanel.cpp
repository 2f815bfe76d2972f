#include "QueuePanel.h"

#include "HostSession.h"
#include "ProbeDialog.h"
#include "QueueReader.h"
#include "RetryResultsModel.h"
#include "StuckServersModel.h"
#include "Theme.h"


#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTime>
#include <QVBoxLayout>
#include <QCoreApplication>

namespace smtls::gui {

namespace {

// The action's text with its keyboard mnemonic (Alt+B / Alt+O: free in the window).
QString withMnemonic(QString text)
{
    // The action's first words as StuckServerFix::actionText writes them, in the user's language.
    const QString fallBack = QCoreApplication::translate("smtls::gui::StuckServerFix", "Fall back to clear text");
    const QString off = QCoreApplication::translate("smtls::gui::StuckServerFix", "Turn TLS off");
    if (text.startsWith(fallBack))
        return text.replace(0, fallBack.size(), QCoreApplication::translate("QueuePanel", "Fall &back to clear text"));
    if (text.startsWith(off))
        return text.replace(0, off.size(), QCoreApplication::translate("QueuePanel", "Turn TLS &off"));
    return text;
}

QTableView *newTable(QWidget *parent, const QString &name)
{
    auto *table = new QTableView(parent);
    table->setObjectName(name);
    table->setTabKeyNavigation(false);  // Tab leaves the table (arrows move in it)
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setWordWrap(false);
    table->verticalHeader()->hide();
    return table;
}

} // namespace

QueuePanel::QueuePanel(QWidget *parent)
    : QWidget(parent), m_reader(new QueueReader(this)), m_model(new StuckServersModel(this)), m_results(new RetryResultsModel(this)),
      m_title(new QLabel(this)), m_refresh(new QPushButton(QIcon(QStringLiteral(":/icons/reload.svg")), tr("&Refresh"), this)),
      m_cancel(new QPushButton(tr("Cancel"), this)), m_working(new QProgressBar(this)), m_step(new QLabel(this)),
      m_error(new QLabel(this)), m_table(newTable(this, QStringLiteral("stuckServers"))), m_notes(new QLabel(this)),
      m_fixButton(new QPushButton(this)), m_probeButton(new QPushButton(tr("Probe &this server…"), this)),
      m_resultBox(new QWidget(this)), m_resultSummary(new QLabel(m_resultBox)), m_resultNotes(new QLabel(m_resultBox)),
      m_resultTable(newTable(m_resultBox, QStringLiteral("retryResults")))
{
    setObjectName(QStringLiteral("queuePanel"));
    auto *layout = new QVBoxLayout(this);

    auto *top = new QHBoxLayout;
    m_title->setObjectName(QStringLiteral("queueTitle"));
    m_title->setWordWrap(true);
    top->addWidget(m_title, 1);
    m_cancel->setObjectName(QStringLiteral("queueCancel"));
    m_cancel->setToolTip(tr("Stops the reading or the retry on the host"));
    m_cancel->hide();
    m_refresh->setObjectName(QStringLiteral("queueRefresh"));
    m_refresh->setToolTip(tr("Reads the host's queues and mail log again (F5)"));
    top->addWidget(m_cancel);
    top->addWidget(m_refresh);
    layout->addLayout(top);

    auto *workingRow = new QHBoxLayout;
    m_working->setObjectName(QStringLiteral("queueWorking"));
    m_working->setRange(0, 0);  // busy: the host's commands report no steps
    m_working->setMaximumWidth(160);
    m_step->setObjectName(QStringLiteral("queueStep"));
    workingRow->addWidget(m_working);
    workingRow->addWidget(m_step, 1);
    layout->addLayout(workingRow);
    m_working->hide();
    m_error->setObjectName(QStringLiteral("queueError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette warn = m_error->palette();
    warn.setColor(QPalette::WindowText, warningColor(warn));
    m_error->setPalette(warn);
    m_error->hide();
    layout->addWidget(m_error);

    m_table->setModel(m_model);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(StuckServersModel::StatusColumn, QHeaderView::Stretch);

    auto *actions = new QVBoxLayout;
    m_fixButton->setObjectName(QStringLiteral("fixStuckServer"));
    m_fixButton->setIcon(QIcon(QStringLiteral(":/icons/tls-fallback.svg")));
    m_probeButton->setObjectName(QStringLiteral("probeServer"));
    m_probeButton->setToolTip(tr("Connects to the selected server as this host's sendmail would: is STARTTLS offered, "
                                             "does the handshake work"));
    // One above the other: the fix says what it does in a sentence, which in a longer language
    // leaves no room beside it (tests/gui/tst_guipseudo).
    auto *fixRow = new QHBoxLayout;
    fixRow->addWidget(m_fixButton);
    fixRow->addStretch();
    auto *probeRow = new QHBoxLayout;
    probeRow->addWidget(m_probeButton);
    probeRow->addStretch();
    actions->addLayout(fixRow);
    actions->addLayout(probeRow);

    m_notes->setObjectName(QStringLiteral("queueNotes"));
    m_notes->setWordWrap(true);
    m_notes->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *servers = new QWidget(this);
    auto *serversLayout = new QVBoxLayout(servers);
    serversLayout->setContentsMargins({});
    serversLayout->addWidget(m_table, 1);
    serversLayout->addLayout(actions);
    serversLayout->addWidget(m_notes);

    m_resultBox->setObjectName(QStringLiteral("retryBox"));
    auto *resultLayout = new QVBoxLayout(m_resultBox);
    resultLayout->setContentsMargins({});
    m_resultSummary->setObjectName(QStringLiteral("retrySummary"));
    m_resultSummary->setWordWrap(true);
    m_resultSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_resultSummary->font();
    bold.setBold(true);
    m_resultSummary->setFont(bold);
    m_resultNotes->setObjectName(QStringLiteral("retryNotes"));
    m_resultNotes->setWordWrap(true);
    m_resultTable->setModel(m_results);
    m_resultTable->horizontalHeader()->setSectionResizeMode(RetryResultsModel::StatusColumn, QHeaderView::Stretch);
    resultLayout->addWidget(m_resultSummary);
    resultLayout->addWidget(m_resultNotes);
    resultLayout->addWidget(m_resultTable, 1);
    m_resultBox->hide();

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(servers);
    splitter->addWidget(m_resultBox);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);

    connect(m_refresh, &QPushButton::clicked, this, &QueuePanel::refresh);
    connect(m_cancel, &QPushButton::clicked, this, &QueuePanel::cancel);
    connect(m_fixButton, &QPushButton::clicked, this, &QueuePanel::fixSelected);
    connect(m_probeButton, &QPushButton::clicked, this, &QueuePanel::probeSelected);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &QueuePanel::updateActions);
    connect(m_table, &QWidget::customContextMenuRequested, this, &QueuePanel::contextMenu);
    connect(m_reader, &QueueReader::progress, this, [this](const QString &step) { showSteps(step, m_fixStep); });
    connect(m_reader, &QueueReader::finished, this, &QueuePanel::showStuckMail);
    connect(m_reader, &QueueReader::failed, this, &QueuePanel::showError);
    connect(m_reader, &QueueReader::cancelled, this, [this] {
        showSteps({}, m_fixStep);
        m_step->setText(tr("Reading cancelled. Refresh reads the queue again."));
        m_step->show();
        Q_EMIT loaded();
    });
    setSession(nullptr);
}

void QueuePanel::setSession(HostSession *session)
{
    if (m_session == session && session)
        return;
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    m_shownFor = nullptr;
    if (m_reader->busy()) {
        const QSignalBlocker quiet(m_reader);  // another host: nothing to say about this read
        m_reader->cancel();
    }
    m_model->setStuckMail(nullptr);
    m_notes->clear();
    m_error->hide();
    showSteps({}, m_fixStep);
    if (!session) {
        m_title->setText(tr("Select a host to see the mail stuck in its queues."));
        updateActions();
        return;
    }
    // Busy or read anew: whether the action can be staged changes with it.
    connect(session, &HostSession::changed, this, &QueuePanel::updateActions);
    m_title->setText(tr("Stuck mail on %1").arg(session->entry().name));
    if (isVisible())
        refresh();
    updateActions();
}

void QueuePanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // Opening the tab for a host reads its queue (once: Refresh reads it again).
    if (m_session && m_shownFor != m_session)
        refresh();
}

void QueuePanel::refresh()
{
    if (!m_session)
        return;
    m_shownFor = m_session;
    m_error->hide();
    m_reader->read(m_session);  // a read still running is cancelled; only this one's answer shows
    updateActions();
}

void QueuePanel::cancel()
{
    if (m_reader->busy())
        m_reader->cancel();
    if (m_fix && !m_fix->isFinished())
        m_fix->cancel();
}

void QueuePanel::showSteps(const QString &readStep, const QString &fixStep)
{
    // A read (after a fix, or Refresh) may run while a fix retries: both are shown.
    m_readStep = readStep;
    m_fixStep = fixStep;
    QStringList steps;
    for (const QString &step : {fixStep, readStep})
        if (!step.isEmpty())
            steps << step;
    const bool working = !steps.isEmpty();
    m_working->setVisible(working);
    m_step->setText(steps.join(QLatin1Char(' ')));
    m_step->setVisible(working);
    m_cancel->setVisible(working && (m_reader->busy() || (m_fix && !m_fix->isFinished())));
}

void QueuePanel::showStuckMail(const std::shared_ptr<const StuckMail> &stuck)
{
    const QString keep = selectedServer() ? selectedServer()->server : QString();
    m_model->setStuckMail(stuck);
    showSteps({}, m_fixStep);
    const QString host = m_session ? m_session->entry().name : stuck->host;
    int tls = 0;
    for (const StuckServer &s : stuck->servers)
        tls += s.tlsFailure ? 1 : 0;
    const QString read = tr("read at %1").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")));
    if (stuck->totalMessages == 0) {
        m_title->setText(tr("No mail waits in the queues of %1 (%2).").arg(host, read));
    } else {
        QString text = tr("%1: %n message(s) waiting, at %2", nullptr, stuck->totalMessages)
                           .arg(host, tr("%n server(s)", nullptr, int(stuck->servers.size())));
        if (!stuck->unknownServer.isEmpty())
            text += tr(" and %1 whose server is not known").arg(stuck->unknownServer.size());
        text += tls > 0 ? tr("; %n server(s) {fails|fail} the TLS handshake", nullptr, tls) : QString();
        m_title->setText(text + QStringLiteral(" (%1).").arg(read));
    }
    QStringList notes;
    if (stuck->totalMessages > 0)
        notes << (stuck->logSource.isEmpty() ? tr("No mail log was readable: servers come from the MX answer of the host's sendmail.")
                                             : tr("Mail log: %1.").arg(stuck->logSource));
    for (const QString &n : stuck->notes)
        notes << n.left(1).toUpper() + n.mid(1) + (n.endsWith(QLatin1Char('.')) ? QString() : QStringLiteral("."));
    m_notes->setText(notes.join(QLatin1Char('\n')));
    m_table->resizeColumnsToContents();
    m_table->horizontalHeader()->setSectionResizeMode(StuckServersModel::StatusColumn, QHeaderView::Stretch);
    const int row = keep.isEmpty() ? -1 : m_model->rowOf(keep);
    if (m_model->rowCount() > 0)
        m_table->setCurrentIndex(m_model->index(row >= 0 ? row : 0, 0));
    updateActions();
    Q_EMIT loaded();
}

void QueuePanel::showError(const QString &error)
{
    showSteps({}, m_fixStep);
    m_error->setText(tr("The queue could not be read: %1").arg(error));
    m_error->show();
    updateActions();
    Q_EMIT loaded();
}

const StuckServer *QueuePanel::selectedServer() const
{
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? m_model->serverAt(current.row()) : nullptr;
}

bool QueuePanel::selectServer(const QString &server)
{
    const int row = m_model->rowOf(server);
    if (row < 0)
        return false;
    m_table->setCurrentIndex(m_model->index(row, 0));
    return true;
}

void QueuePanel::updateActions()
{
    const StuckServer *s = selectedServer();
    const QString version = m_session ? m_session->sendmailVersion() : QString();
    const bool fixRunning = m_fix && !m_fix->isFinished();
    m_refresh->setEnabled(m_session != nullptr);
    m_probeButton->setEnabled(s != nullptr);
    if (s && s->tlsFailure) {
        m_fixButton->setText(withMnemonic(StuckServerFix::actionText(*s, version)));
        m_fixButton->setIcon(QIcon(StuckServerFix::settingFor(version) == TlsSetting::Fallback ? QStringLiteral(":/icons/tls-fallback.svg")
                                                                                                : QStringLiteral(":/icons/tls-off.svg")));
    } else {
        m_fixButton->setText(tr("Fall &back to clear text for this server and retry its messages"));
    }
    QString why;
    if (!s || !s->tlsFailure)
        why = tr("Offered for a server whose TLS handshake fails.");
    else if (fixRunning)
        why = tr("The fix of %1 is still running.").arg(m_fix->server().server);
    else if (!m_session || !m_session->state())
        why = tr("The host's configuration has not been read yet.");
    else if (m_session->busy())
        why = tr("The host is busy reading or applying.");
    m_fixButton->setEnabled(why.isEmpty());
    m_fixButton->setToolTip(why.isEmpty() ? tr("Stages the exception for %1 (%2, noted \"%3\"), shows the preview, applies, "
                                                           "then runs the queue for exactly these messages")
                                                .arg(s->server,
                                                     StuckServerFix::settingFor(version) == TlsSetting::Fallback
                                                         ? tr("TLS tried, clear text when the handshake fails")
                                                         : tr("TLS not tried: this sendmail is older than 8.16"),
                                                     StuckServerFix::reasonFor(*s))
                                          : why);
}

StuckServerFix *QueuePanel::fixSelected()
{
    const StuckServer *s = selectedServer();
    updateActions();
    if (!s || !m_fixButton->isEnabled())
        return nullptr;
    delete m_fix;  // the previous one has finished (the button is off while one runs)
    m_fix = new StuckServerFix(m_session, m_model->stuckMail(), *s, window(), this);
    connect(m_fix, &StuckServerFix::progress, this, [this](const QString &step) { showSteps(m_readStep, step); });
    connect(m_fix, &StuckServerFix::finished, this, &QueuePanel::showFixOutcome);
    m_resultBox->show();
    m_results->setMessages({});
    m_resultSummary->setText(QStringLiteral("%1: %2…").arg(s->server, StuckServerFix::actionText(*s, m_session->sendmailVersion())));
    m_resultNotes->clear();
    StuckServerFix *fix = m_fix;
    fix->start();
    updateActions();
    return fix;
}

void QueuePanel::showFixOutcome(const FixOutcome &outcome)
{
    showSteps(m_readStep, {});
    const QString server = m_fix ? m_fix->server().server : QString();
    m_resultSummary->setText(QStringLiteral("%1: %2").arg(server, outcome.summary));
    m_results->setMessages(outcome.messages);
    m_resultTable->resizeColumnsToContents();
    m_resultTable->horizontalHeader()->setSectionResizeMode(RetryResultsModel::StatusColumn, QHeaderView::Stretch);
    QStringList notes;
    for (const QString &n : outcome.notes)
        notes << n.left(1).toUpper() + n.mid(1) + (n.endsWith(QLatin1Char('.')) ? QString() : QStringLiteral("."));
    m_resultNotes->setText(notes.join(QLatin1Char('\n')));
    m_resultNotes->setVisible(!notes.isEmpty());
    updateActions();
    // The queue changed: what is left shows after a new read.
    if (outcome.applied)
        refresh();
    Q_EMIT fixFinished(outcome);
}

QString QueuePanel::title() const { return m_title->text(); }
QString QueuePanel::resultSummary() const { return m_resultBox->isHidden() ? QString() : m_resultSummary->text(); }

void QueuePanel::probeSelected()
{
    const StuckServer *s = selectedServer();
    if (!s || !m_session)
        return;
    auto *dialog = new ProbeDialog(m_session, s->server, window());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void QueuePanel::contextMenu(const QPoint &pos)
{
    const QModelIndex index = m_table->indexAt(pos);
    if (!index.isValid())
        return;
    m_table->setCurrentIndex(index);
    if (!selectedServer())
        return;
    QMenu menu(this);
    if (selectedServer()->tlsFailure) {
        QAction *fix = menu.addAction(m_fixButton->icon(), m_fixButton->text(), this, &QueuePanel::fixSelected);
        fix->setEnabled(m_fixButton->isEnabled());
    }
    menu.addAction(m_probeButton->text(), this, &QueuePanel::probeSelected);
    menu.exec(m_table->viewport()->mapToGlobal(pos));
}

} // namespace smtls::gui
