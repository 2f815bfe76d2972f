#include "ProbeDialog.h"

#include "HostSession.h"
#include "HostTask.h"
#include "ProbeColumn.h"
#include "WorkerPool.h"

#include "Destination.h"
#include "net/ProbeFromHere.h"

#include <QDialogButtonBox>
#include <QFrame>
#include <QFutureWatcher>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <QCoreApplication>

namespace smtls::gui {

namespace {

// Whole seconds for the host's openssl (its `timeout`), at least one.
std::chrono::seconds wholeSeconds(std::chrono::milliseconds ms)
{
    return std::max(std::chrono::seconds(1), std::chrono::ceil<std::chrono::seconds>(ms));
}

ProbeSide sideOf(const std::optional<Result<ProbeResult>> &answer)
{
    ProbeSide side;
    if (!answer) {
        side.state = ProbeSide::State::CouldNotRun;
        side.error = QCoreApplication::translate("ProbeDialog", "The probe ended without an answer.");
    } else if (*answer) {
        side.state = ProbeSide::State::Answered;
        side.result = **answer;
    } else {
        side.state = answer->error().kind == ErrorKind::Cancelled ? ProbeSide::State::Cancelled : ProbeSide::State::CouldNotRun;
        side.error = answer->error().describe();
    }
    return side;
}

} // namespace

ProbeDialog::ProbeDialog(HostSession *session, const QString &server, QWidget *parent)
    : QDialog(parent), m_session(session), m_server(new QLineEdit(server, this)), m_port(new QSpinBox(this)),
      m_probe(new QPushButton(QIcon(QStringLiteral(":/icons/reload.svg")), tr("&Probe again"), this)),
      m_cancel(new QPushButton(tr("&Cancel probe"), this)),
      m_verdict(new QLabel(this)), m_ticker(new QTimer(this)), m_workers(std::make_shared<std::atomic<int>>(0))
{
    setObjectName(QStringLiteral("probeDialog"));
    setWindowTitle(tr("Probe STARTTLS of %1").arg(printableInput(server)));
    auto *layout = new QVBoxLayout(this);

    auto *target = new QHBoxLayout;
    auto *serverLabel = new QLabel(tr("&Server:"), this);
    serverLabel->setBuddy(m_server);
    m_server->setObjectName(QStringLiteral("server"));
    m_server->setToolTip(tr("The server sendmail connects to: the MX host or relay, or an address"));
    auto *portLabel = new QLabel(tr("P&ort:"), this);
    portLabel->setBuddy(m_port);
    m_port->setObjectName(QStringLiteral("port"));
    m_port->setRange(1, 65535);
    m_port->setValue(25);
    m_port->setToolTip(tr("25 is where sendmail delivers; 587 and 465 are for clients, not for mail between servers"));
    m_probe->setObjectName(QStringLiteral("probeAgain"));
    m_probe->setDefault(true);
    m_cancel->setObjectName(QStringLiteral("cancelProbe"));
    m_cancel->setToolTip(tr("Stops both probes (the host's openssl and this computer's connection)"));
    target->addWidget(serverLabel);
    target->addWidget(m_server, 1);
    target->addWidget(portLabel);
    target->addWidget(m_port);
    target->addWidget(m_probe);
    target->addWidget(m_cancel);
    layout->addLayout(target);

    // The two views side by side in one grid: the row names once, the rows level.
    auto *frame = new QFrame(this);
    frame->setObjectName(QStringLiteral("probeResults"));
    frame->setFrameShape(QFrame::StyledPanel);
    auto *grid = new QGridLayout(frame);
    grid->setHorizontalSpacing(fontMetrics().averageCharWidth() * 3);
    ProbeColumn::addRowNames(grid, frame);
    m_hostColumn = new ProbeColumn(QStringLiteral("hostColumn"), grid, 1, frame);
    m_hereColumn = new ProbeColumn(QStringLiteral("hereColumn"), grid, 2, frame);
    m_hostColumn->setTitle(session ? tr("From %1 (the mail host)").arg(hostName()) : tr("From the mail host"));
    m_hereColumn->setTitle(tr("From this computer"));
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(2, 1);
    grid->setRowStretch(grid->rowCount(), 1);
    layout->addWidget(frame, 1);
    m_verdict->setObjectName(QStringLiteral("verdict"));
    m_verdict->setWordWrap(true);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_verdict->setMinimumHeight(fontMetrics().lineSpacing() * 3);
    m_verdict->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    layout->addWidget(m_verdict);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    layout->addWidget(buttons);
    // Wide enough for two columns of certificate names without wrapping every line.
    setMinimumWidth(fontMetrics().averageCharWidth() * 110);

    m_ticker->setInterval(200);
    connect(m_ticker, &QTimer::timeout, this, &ProbeDialog::tick);
    connect(m_probe, &QPushButton::clicked, this, &ProbeDialog::probe);
    connect(m_server, &QLineEdit::returnPressed, this, &ProbeDialog::probe);
    connect(m_cancel, &QPushButton::clicked, this, &ProbeDialog::cancel);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateButtons();
}

ProbeDialog::~ProbeDialog()
{
    // The workers end soon after (their answers go nowhere): nothing runs on for minutes.
    stopWorkers();
}

QString ProbeDialog::hostName() const { return m_session ? m_session->entry().name : tr("the mail host"); }

void ProbeDialog::setPort(int port) { m_port->setValue(port); }

void ProbeDialog::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    if (!m_started) {
        m_started = true;
        probe();
    }
}

void ProbeDialog::done(int result)
{
    cancel();
    QDialog::done(result);
}

bool ProbeDialog::running() const
{
    return m_host.state == ProbeSide::State::Running || m_here.state == ProbeSide::State::Running;
}

QString ProbeDialog::verdict() const { return m_verdict->text(); }

void ProbeDialog::probe()
{
    m_started = true;
    stopWorkers();  // whatever still runs is for what was asked before; its answer is dropped
    ++m_generation;
    m_host = {};
    m_here = {};
    const Result<QString> server = probeServerName(m_server->text().trimmed());
    if (!server) {
        // Nothing runs for input that would be refused anyway (it never reaches a host).
        m_hostColumn->display({});
        m_hereColumn->display({});
        m_verdict->setText(server.error().message);
        m_ticker->stop();
        updateButtons();
        return;
    }
    setWindowTitle(tr("Probe STARTTLS of %1").arg(*server));
    const int port = m_port->value();
    m_clock.start();
    startHost(*server, port);
    startHere(*server, port);
    m_ticker->start();
    updateVerdict();
    updateButtons();
}

void ProbeDialog::startHost(const QString &server, int port)
{
    m_host.state = ProbeSide::State::Running;
    m_hostColumn->display(m_host);
    if (!m_session) {
        m_host.state = ProbeSide::State::CouldNotRun;
        m_host.error = tr("No mail host is selected: only this computer probes.");
        m_hostColumn->display(m_host);
        return;
    }
    m_hostCancel = std::make_shared<HostTaskCancel>();
    const std::chrono::seconds timeout = wholeSeconds(m_timeout);
    auto *watcher = new QFutureWatcher<HostAnswer<ProbeResult>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation = m_generation] {
        watcher->deleteLater();
        if (generation != m_generation || m_host.state != ProbeSide::State::Running)
            return;  // cancelled, or an earlier probe's
        m_host = sideOf(watcher->result().result);
        m_hostColumn->display(m_host);
        sideDone();
    });
    ++*m_workers;
    QFuture<HostAnswer<ProbeResult>> future = runOnHost<ProbeResult>(
        m_session, RootNeeded::No, m_hostCancel,
        [server, port, timeout](Transport &t, const HostProfile &) { return probeFromHost(t, server, port, timeout); });
    watcher->setFuture(future.then([workers = m_workers](HostAnswer<ProbeResult> answer) {
        --*workers;
        return answer;
    }));
}

void ProbeDialog::startHere(const QString &server, int port)
{
    m_here.state = ProbeSide::State::Running;
    m_hereColumn->display(m_here);
    m_hereCancel = std::stop_source();
    auto *watcher = new QFutureWatcher<HostAnswer<ProbeResult>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation = m_generation] {
        watcher->deleteLater();
        if (generation != m_generation || m_here.state != ProbeSide::State::Running)
            return;
        m_here = sideOf(watcher->result().result);
        m_hereColumn->display(m_here);
        sideDone();
    });
    ++*m_workers;
    watcher->setFuture(QtConcurrent::run(workerPool(), [server, port, timeout = m_timeout, stop = m_hereCancel.get_token(),
                                                        workers = m_workers] {
        HostAnswer<ProbeResult> answer{probeFromHere(server, port, timeout, stop)};
        --*workers;
        return answer;
    }));
}

void ProbeDialog::sideDone()
{
    updateVerdict();
    updateButtons();
    if (!running()) {
        m_ticker->stop();
        Q_EMIT probesDone();
    }
}

void ProbeDialog::stopWorkers()
{
    if (m_hostCancel)
        m_hostCancel->cancel();
    m_hereCancel.request_stop();
}

void ProbeDialog::cancel()
{
    stopWorkers();
    if (!running())
        return;
    // Shown at once; the workers stop within moments and their answers are dropped.
    for (auto [side, column] : {std::pair{&m_host, m_hostColumn}, std::pair{&m_here, m_hereColumn}})
        if (side->state == ProbeSide::State::Running) {
            side->state = ProbeSide::State::Cancelled;
            column->display(*side);
        }
    sideDone();
}

void ProbeDialog::tick()
{
    const qint64 elapsed = m_clock.elapsed();
    if (m_host.state == ProbeSide::State::Running)
        m_hostColumn->showElapsed(elapsed);
    if (m_here.state == ProbeSide::State::Running)
        m_hereColumn->showElapsed(elapsed);
}

void ProbeDialog::updateVerdict()
{
    const QString text = interpretProbes(m_host, m_here, hostName());
    m_verdict->setText(text.isEmpty() ? tr("Probing %1 from %2 and from this computer…").arg(m_server->text().trimmed(), hostName())
                                      : text);
}

void ProbeDialog::updateButtons()
{
    m_cancel->setEnabled(running());
    m_probe->setText(m_started ? tr("&Probe again") : tr("&Probe"));
}

} // namespace smtls::gui
