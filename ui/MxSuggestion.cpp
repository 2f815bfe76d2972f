#include "MxSuggestion.h"

#include "Destination.h"
#include "HostSession.h"
#include "HostTask.h"

#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <QCoreApplication>

namespace smtls::gui {

namespace {

// Typing a name letter by letter asks once, after this pause.
constexpr int DefaultDelayMs = 400;
// A lookup running longer than this says so (sendmail -bt over SSH takes well under a second).
constexpr int SlowAfterMs = 1500;
// More servers than this are rare (MX sets are small); the rest are named in the text.
constexpr qsizetype MaxButtons = 8;

const QString KeyIsTheServer = QCoreApplication::translate("MxSuggestion", "Try_TLS and TLS_Clt_Features keys are the server's name: sendmail looks up "
                                              "the server for this domain.");

// The typed key matches NAME itself or, as a parent domain, anything under it.
bool coveredBy(const QString &server, const QString &key)
{
    return server == key || server.endsWith(QLatin1Char('.') + key);
}

QString routeNote(const MxAnswer &a)
{
    if (a.route == QLatin1String("mailertable"))
        return QCoreApplication::translate("MxSuggestion", " (its mailertable entry %1 routes it with %2)").arg(a.mailertableKey, a.mailer);
    if (a.route == QLatin1String("a"))
        return QCoreApplication::translate("MxSuggestion", " (no MX record: the domain's own address)");
    return {};
}

} // namespace

MxSuggestion::MxSuggestion(QWidget *parent)
    : QWidget(parent), m_text(new QLabel(this)), m_buttonRow(new QWidget(this)), m_buttons(new QHBoxLayout(m_buttonRow)),
      m_debounce(new QTimer(this)), m_slow(new QTimer(this))
{
    setObjectName(QStringLiteral("mxSuggestion"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins({});
    m_text->setObjectName(QStringLiteral("mxText"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_buttons->setContentsMargins({});
    m_buttons->addStretch(1);
    layout->addWidget(m_text);
    layout->addWidget(m_buttonRow);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(DefaultDelayMs);
    m_slow->setSingleShot(true);
    m_slow->setInterval(SlowAfterMs);
    connect(m_debounce, &QTimer::timeout, this, &MxSuggestion::startLookup);
    connect(m_slow, &QTimer::timeout, this, [this] {
        if (!m_running)
            return;
        const QString asking = tr("Still asking %1 which servers sendmail uses for %2…").arg(hostName(), m_domain);
        if (m_address)
            present(Shown::Asking, m_text->text().section(QLatin1Char('\n'), 0, 0) + QLatin1Char('\n') + asking);
        else
            present(Shown::Asking, asking);
    });
    present(Shown::Nothing, {});
}

MxSuggestion::~MxSuggestion()
{
    if (m_cancel)
        m_cancel->cancel();
}

void MxSuggestion::setSession(HostSession *session)
{
    if (m_session == session)
        return;
    m_session = session;
    m_answers.clear();  // another host's sendmail may route differently
    const QString typed = m_typed;
    m_typed.clear();
    setTyped(typed);
}

void MxSuggestion::setDelay(int milliseconds) { m_debounce->setInterval(milliseconds); }

QString MxSuggestion::text() const { return m_text->text(); }

QString MxSuggestion::hostName() const { return m_session ? m_session->entry().name : tr("the host"); }

QPushButton *MxSuggestion::serverButton(const QString &server) const
{
    for (QPushButton *b : m_buttonRow->findChildren<QPushButton *>())
        if (b->property("server").toString() == server)
            return b;
    return nullptr;
}

void MxSuggestion::setTyped(const QString &text)
{
    const QString typed = text.trimmed();
    if (typed == m_typed)
        return;
    m_typed = typed;
    ++m_generation;  // an answer on its way is for an older text
    m_debounce->stop();
    m_slow->stop();
    if (m_cancel)
        m_cancel->cancel();
    m_running = false;
    m_domain.clear();
    m_address = typed.contains(QLatin1Char('@'));
    if (typed.isEmpty())
        return present(Shown::Nothing, {});
    if (m_address) {
        bool wasAddress = false;
        const Result<QString> domain = recipientDomain(typed, &wasAddress);
        if (!domain)
            return present(Shown::Recipient, tr("This looks like a recipient address, but %1 An exception names the "
                                                            "server sendmail connects to.").arg(domain.error().message));
        m_domain = *domain;
    } else {
        // Addresses and prefixes are servers; only a name can be a recipient domain.
        const Result<Destination> destination = parseDestination(typed);
        const Result<QString> domain = recipientDomain(typed);
        if (!destination || destination->kind != DestinationKind::HostName || !domain)
            return present(Shown::Nothing, {});
        m_domain = *domain;
    }
    if (const auto known = m_answers.constFind(m_domain); known != m_answers.cend())
        return showAnswer(*known);
    if (m_address) {
        QString next = tr("Asking %1 which servers sendmail uses for %2…").arg(hostName(), m_domain);
        if (!m_session)
            next = tr("Select a host to see which servers sendmail uses for %1.").arg(m_domain);
        else if (!canAsk())
            next = tr("The Demo host has no mail routing of its own to ask; on a real host its servers are listed here.");
        present(Shown::Recipient, tr("%1 is a recipient address. %2\n%3").arg(typed, KeyIsTheServer, next));
    } else {
        present(Shown::Nothing, {});  // a server's name, unless the answer says otherwise
    }
    if (canAsk())
        m_debounce->start();
}

bool MxSuggestion::canAsk() const
{
    // The Demo host is a copy of a tree on this computer: its sendmail would ask this
    // computer's DNS, which is not the Demo's answer (and, in the tests, not on the loopback).
    return m_session && m_session->entry().kind != HostKind::Demo;
}

void MxSuggestion::startLookup()
{
    if (!canAsk() || m_domain.isEmpty())
        return;
    m_running = true;
    m_cancel = std::make_shared<HostTaskCancel>();
    m_slow->start();
    auto *watcher = new QFutureWatcher<HostAnswer<MxAnswer>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation = m_generation, domain = m_domain] {
        watcher->deleteLater();
        if (generation == m_generation)
            finishLookup(domain, watcher->result().result);
    });
    watcher->setFuture(runOnHost<MxAnswer>(m_session, RootNeeded::No, m_cancel, [domain = m_domain](Transport &t, const HostProfile &p) {
        return lookupMxOnHost(t, p, domain);
    }));
}

void MxSuggestion::finishLookup(const QString &domain, const std::optional<Result<MxAnswer>> &answer)
{
    m_running = false;
    m_slow->stop();
    if (answer && *answer) {
        m_answers.insert(domain, **answer);
        return showAnswer(**answer);
    }
    const QString why = answer ? answer->error().describe() : tr("no answer");
    if (answer && answer->error().kind == ErrorKind::Cancelled)
        return;
    if (m_address)
        present(Shown::Failed, tr("%1 is a recipient address. %2\nCould not ask %3 which servers sendmail uses for %4: %5")
                                   .arg(m_typed, KeyIsTheServer, hostName(), domain, why));
    else
        present(Shown::Failed, tr("Could not ask %1 whether %2 is a recipient domain: %3").arg(hostName(), domain, why));
}

void MxSuggestion::showAnswer(const MxAnswer &a)
{
    const bool elsewhere = std::any_of(a.servers.cbegin(), a.servers.cend(), [this](const MxServer &s) { return !coveredBy(s.name, m_domain); });
    const QString as = tr("As %1's sendmail resolves it, its mail goes to:").arg(hostName());
    if (a.servers.isEmpty()) {
        if (!m_address)
            return present(Shown::Nothing, {});
        return present(Shown::NoServers, tr("%1 is a recipient address. %2\n%3's sendmail finds no server for %4%5")
                                             .arg(m_typed, KeyIsTheServer, hostName(), m_domain,
                                                  a.note.isEmpty() ? QStringLiteral(".") : QStringLiteral(": ") + a.note));
    }
    if (m_address)
        return present(Shown::Servers, tr("%1 is a recipient address. %2\n%3%4").arg(m_typed, KeyIsTheServer, as, routeNote(a)),
                       a.servers);
    if (elsewhere)
        return present(Shown::Servers, tr("%1 is a recipient domain: a key %1 would not help. %2\n%3%4")
                                           .arg(m_domain, KeyIsTheServer, as, routeNote(a)),
                       a.servers);
    const bool itself = std::all_of(a.servers.cbegin(), a.servers.cend(), [this](const MxServer &s) { return s.name == m_domain; });
    if (itself)
        return present(Shown::Nothing, {});  // the name is the server's own
    // Its servers are under it: the key matches them as a parent domain, and more besides.
    present(Shown::Servers, tr("%1 is a recipient domain whose servers are under it: a key %1 matches them as a "
                                           "parent domain, and every other server under %1 too. %2")
                                .arg(m_domain, as),
            a.servers);
}

void MxSuggestion::present(Shown shown, const QString &text, const QList<MxServer> &servers)
{
    m_shown = shown;
    m_text->setText(text);
    m_servers.clear();
    // Deleted later: a click on one of them leads here (the field gets the server's name).
    for (QPushButton *b : m_buttonRow->findChildren<QPushButton *>()) {
        b->hide();
        b->deleteLater();
    }
    QWidget *previous = m_field;
    for (qsizetype i = 0; i < servers.size() && i < MaxButtons; ++i) {
        const MxServer &s = servers.at(i);
        auto *b = new QPushButton(s.name, m_buttonRow);
        b->setObjectName(QStringLiteral("mxServer"));
        b->setProperty("server", s.name);
        b->setAutoDefault(false);  // Enter in the field stays the dialog's
        b->setToolTip(tr("Use %1 (%2)").arg(s.name, s.addresses.isEmpty() ? tr("no address found")
                                                                                     : s.addresses.join(QStringLiteral(", "))));
        connect(b, &QPushButton::clicked, this, [this, name = s.name] {
            Q_EMIT serverChosen(name);
            if (m_field)
                m_field->setFocus();  // the button goes away with the new text
        });
        m_buttons->insertWidget(int(i), b);
        // Tab from the field reaches the servers first.
        if (previous)
            QWidget::setTabOrder(previous, b);
        previous = b;
        m_servers << s.name;
    }
    if (servers.size() > MaxButtons)
        m_text->setText(text + tr(" (%1 more: sendmail-tls mx %2 lists them)").arg(servers.size() - MaxButtons).arg(m_domain));
    m_buttonRow->setVisible(!m_servers.isEmpty());
    setVisible(shown != Shown::Nothing);
    fitLabel();
    Q_EMIT shownChanged();
}

void MxSuggestion::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitLabel();
}

void MxSuggestion::fitLabel()
{
    // As high as the text is at this width: a wrapped label inside a dialog does not grow the
    // dialog by itself (see DestinationDialog::fitHeight).
    if (!isVisible())
        return;
    const int needed = m_text->heightForWidth(m_text->width());
    if (needed > 0 && m_text->minimumHeight() != needed)
        m_text->setMinimumHeight(needed);
}

} // namespace smtls::gui
