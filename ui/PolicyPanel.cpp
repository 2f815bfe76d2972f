#include "PolicyPanel.h"

#include "ProblemFix.h"
#include "SendmailVersion.h"

#include "DestinationDialog.h"
#include "DestinationRulesModel.h"
#include "HostSession.h"
#include "MxSuggestion.h"
#include "PolicyView.h"
#include "RulesTable.h"
#include "Theme.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHostAddress>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QResizeEvent>
#include <QShortcut>
#include <QSplitter>
#include <QStandardItemModel>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <QCoreApplication>

namespace smtls::gui {

namespace {

// A word-wrapped label whose minimum height is what its text needs at its width: the layout makes
// room (or the page scrolls) instead of cutting lines off when a language is longer than English
// (tests/gui/tst_guipseudo).
class WholeLabel : public QLabel {
public:
    explicit WholeLabel(QWidget *parent) : QLabel(parent) {}
    QSize minimumSizeHint() const override
    {
        QSize size = QLabel::minimumSizeHint();
        if (wordWrap() && width() > 0)
            size.setHeight(std::max(size.height(), heightForWidth(width())));
        return size;
    }

protected:
    void resizeEvent(QResizeEvent *event) override
    {
        QLabel::resizeEvent(event);
        if (event->oldSize().width() != width())
            updateGeometry();
    }
};

// The three global choices and what each costs, in one sentence; "never" also says how it is
// written, as the mechanism chosen beside it.
const char *OnText = QT_TRANSLATE_NOOP("smtls::gui::PolicyPanel", "&Try STARTTLS");
const char *OnHelp = QT_TRANSLATE_NOOP("smtls::gui::PolicyPanel", "A server whose handshake fails gets no mail: it waits in the queue until TLS works there or an "
                     "exception lets it through.");
const char *FallbackText = QT_TRANSLATE_NOOP("smtls::gui::PolicyPanel", "Try STARTTLS, fall back to &clear text");
const char *FallbackHelp = QT_TRANSLATE_NOOP("smtls::gui::PolicyPanel", "Nothing gets stuck, but mail to a server whose handshake fails leaves unencrypted, silently; "
                           "sendmail 8.16 or later, rebuilt and restarted.");
const char *OffText = QT_TRANSLATE_NOOP("smtls::gui::PolicyPanel", "Never tr&y STARTTLS");
const char *OffHelp = QT_TRANSLATE_NOOP("smtls::gui::PolicyPanel", "All mail leaves unencrypted, also to the servers whose TLS works. ");
const char *AutomaticHelp = QT_TRANSLATE_NOOP("smtls::gui::PolicyPanel", "Written as the access default when the access map is used (no restart; destinations set to "
                            "\"on\" still get STARTTLS), else as M=S.");
const char *AccessHelp = QT_TRANSLATE_NOOP("smtls::gui::PolicyPanel", "Written as \"Try_TLS: NO\" in the access map: no restart, and destinations set to \"on\" still "
                         "get STARTTLS.");
const char *ClientHelp = QT_TRANSLATE_NOOP("smtls::gui::PolicyPanel", "Written as M=S in CLIENT_OPTIONS: sendmail.cf is rebuilt and sendmail restarted, and no "
                         "destination rule can turn STARTTLS back on.");

// " Ends in 5 days (2026-12-09)." / " It expired 2 days ago (2026-12-02) and is still in force: see
// Problems." (in the warning colour)
QString expiryText(const QString &iso, bool expired)
{
    if (iso.isEmpty())
        return {};
    const QString when = DestinationRulesModel::relativeExpiry(iso, {});
    if (!expired)
        return QCoreApplication::translate("PolicyPanel", " Ends %1 (%2).").arg(when, iso);
    return QCoreApplication::translate("PolicyPanel", " <span style=\"color:%1\">It %2 (%3) and is still in force: see Problems.</span>")
        .arg(warningColor(QPalette()).name(), when, iso);
}

// A host can have more problems than a list can show at once (M=S over a million YES rules);
// past this many, one line says how many more there are.
constexpr qsizetype MaxProblemsListed = 500;

QPushButton *button(const QString &text, const QString &icon, const QString &name, const QString &tip, QWidget *parent)
{
    auto *b = new QPushButton(QIcon(QStringLiteral(":/icons/%1.svg").arg(icon)), text, parent);
    b->setObjectName(name);
    b->setToolTip(tip);
    return b;
}
} // namespace

PolicyPanel::PolicyPanel(QWidget *parent)
    : QWidget(parent), m_title(new QLabel(this)), m_error(new QLabel(this)), m_working(new QProgressBar(this)),
      m_workingText(new QLabel(this)), m_global(new QButtonGroup(this)), m_globalOn(new QRadioButton(tr(OnText), this)),
      m_globalFallback(new QRadioButton(tr(FallbackText), this)), m_globalOff(new QRadioButton(tr(OffText), this)),
      m_fallbackHelp(new WholeLabel(this)), m_mechanism(new QComboBox(this)),
      m_mechanismHelp(new WholeLabel(this)), m_globalState(new WholeLabel(this)), m_rules(new RulesTable(this)),
      m_add(button(tr("&Add…"), QStringLiteral("add"), QStringLiteral("addException"), tr("Add a destination exception"), this)),
      m_edit(button(tr("&Edit…"), QStringLiteral("edit"), QStringLiteral("editException"), tr("Change the selected exception"), this)),
      m_remove(button(tr("&Remove"), QStringLiteral("remove"), QStringLiteral("removeException"), tr("Remove the selected exception (the destination inherits the global setting)"), this)),
      m_explainInput(new QLineEdit(this)), m_explainAddress(new QLineEdit(this)), m_explainResult(new WholeLabel(this)), m_explainLater(new QTimer(this)),
      m_explainServers(new MxSuggestion(this)), m_problems(new QStandardItemModel(this)),
      m_problemView(new QListView(this)),
      m_fix(button(tr("&Fix"), QStringLiteral("ok"), QStringLiteral("fixProblem"),
                   tr("Stages the fix of the selected problem: previewed and applied like any change"), this))
{
    setObjectName(QStringLiteral("policyPanel"));
    auto *layout = new QVBoxLayout(this);
    m_title->setObjectName(QStringLiteral("policyTitle"));
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_error->setObjectName(QStringLiteral("policyError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #d9534f"));
    layout->addWidget(m_title);
    layout->addWidget(m_error);
    // Busy, not a percentage: reading a host and working out its policy report no steps.
    m_working->setObjectName(QStringLiteral("policyWorking"));
    m_working->setRange(0, 0);
    m_working->setMaximumWidth(m_working->fontMetrics().averageCharWidth() * 12);
    m_workingText->setObjectName(QStringLiteral("policyWorkingText"));
    auto *workingRow = new QHBoxLayout;
    workingRow->addWidget(m_working);
    workingRow->addWidget(m_workingText, 1);
    layout->addLayout(workingRow);

    auto *globalBox = new QGroupBox(tr("Outbound STARTTLS for all servers"), this);
    globalBox->setObjectName(QStringLiteral("globalBox"));
    auto *globalLayout = new QVBoxLayout(globalBox);
    m_globalState->setObjectName(QStringLiteral("globalState"));
    m_globalState->setWordWrap(true);
    m_globalState->setTextFormat(Qt::RichText);
    globalLayout->addWidget(m_globalState);
    // How "never" is written (the access default or the client modifier), beside it.
    auto *mechanismLabel = new QLabel(tr("&Mechanism:"), globalBox);
    mechanismLabel->setBuddy(m_mechanism);
    m_mechanism->setObjectName(QStringLiteral("mechanism"));
    m_mechanism->setToolTip(tr("How \"never\" is written; with \"never\" chosen, another mechanism is staged at once"));
    m_mechanism->addItem(tr("Automatic"));
    m_mechanism->addItem(tr("Access default (Try_TLS:)"));
    m_mechanism->addItem(tr("Client modifier (M=S)"));
    m_mechanism->setItemData(0, tr(AutomaticHelp), Qt::ToolTipRole);
    m_mechanism->setItemData(1, tr(AccessHelp), Qt::ToolTipRole);
    m_mechanism->setItemData(2, tr(ClientHelp), Qt::ToolTipRole);
    // Each choice, and under it (indented) what it costs.
    const int indent = style()->pixelMetric(QStyle::PM_ExclusiveIndicatorWidth) + style()->pixelMetric(QStyle::PM_RadioButtonLabelSpacing);
    const auto addChoice = [&](QRadioButton *choice, const char *name, GlobalSetting id, QLabel *help, const char *helpText) {
        choice->setObjectName(QLatin1String(name));
        choice->setToolTip(tr("Staged: nothing is sent until you apply"));
        m_global->addButton(choice, int(id));
        help->setText(tr(helpText));
        help->setWordWrap(true);
        help->setContentsMargins(indent, 0, 0, 0);
        auto *row = new QHBoxLayout;
        row->addWidget(choice);
        if (id == GlobalSetting::Off) {
            row->addSpacing(fontMetrics().averageCharWidth() * 3);
            row->addWidget(mechanismLabel);
            row->addWidget(m_mechanism);
        }
        row->addStretch(1);
        globalLayout->addLayout(row);
        globalLayout->addWidget(help);
    };
    auto *onHelp = new WholeLabel(globalBox);
    m_fallbackHelp->setObjectName(QStringLiteral("fallbackHelp"));
    m_mechanismHelp->setObjectName(QStringLiteral("offHelp"));
    addChoice(m_globalOn, "globalOn", GlobalSetting::On, onHelp, OnHelp);
    addChoice(m_globalFallback, "globalFallback", GlobalSetting::Fallback, m_fallbackHelp, FallbackHelp);
    addChoice(m_globalOff, "globalOff", GlobalSetting::Off, m_mechanismHelp, OffHelp);
    layout->addWidget(globalBox);

    auto *rulesBox = new QGroupBox(tr("Destination exceptions"), this);
    auto *rulesLayout = new QVBoxLayout(rulesBox);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_edit);
    buttons->addWidget(m_remove);
    buttons->addStretch();
    rulesLayout->addWidget(m_rules, 1);
    rulesLayout->addLayout(buttons);
    // The rules on the left, Explain and Problems beside them: on a 1366×768 laptop all three
    // are on screen without scrolling the page (tests/gui/tst_guilayout); the splitter gives
    // either side more room.
    auto *lower = new QSplitter(Qt::Horizontal, this);
    lower->setObjectName(QStringLiteral("policySplitter"));
    lower->setChildrenCollapsible(false);
    lower->addWidget(rulesBox);
    auto *side = new QWidget(lower);
    auto *sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    lower->addWidget(side);
    lower->setStretchFactor(0, 3);
    lower->setStretchFactor(1, 2);
    layout->addWidget(lower, 1);

    auto *explainBox = new QGroupBox(tr("Explain: is STARTTLS tried with…"), this);
    auto *explainLayout = new QVBoxLayout(explainBox);
    m_explainInput->setObjectName(QStringLiteral("explainInput"));
    m_explainInput->setPlaceholderText(tr("Server, address or recipient"));
    m_explainInput->setToolTip(tr("A server name or address, e.g. mx1.broken-tls.example or 192.0.2.7; or a recipient, to find its servers"));
    m_explainResult->setObjectName(QStringLiteral("explainResult"));
    m_explainResult->setWordWrap(true);
    m_explainResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_explainAddress->setObjectName(QStringLiteral("explainAddress"));
    m_explainAddress->setPlaceholderText(tr("Its IP address (optional)"));
    m_explainAddress->setToolTip(tr("The server's address, e.g. 192.0.2.7: then rules on addresses count too (as explain --addr)"));
    m_explainAddress->setAccessibleName(tr("Server address"));
    explainLayout->addWidget(m_explainInput);
    explainLayout->addWidget(m_explainAddress);
    explainLayout->addWidget(m_explainResult);
    explainLayout->addWidget(m_explainServers);
    sideLayout->addWidget(explainBox);

    auto *problemsBox = new QGroupBox(tr("Problems found"), this);
    auto *problemsLayout = new QVBoxLayout(problemsBox);
    m_problemView->setObjectName(QStringLiteral("problems"));
    m_problemView->setModel(m_problems);
    m_problemView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_problemView->setWordWrap(true);
    m_problemView->setMaximumHeight(m_problemView->fontMetrics().height() * 5);
    m_problemView->setMinimumHeight(m_problemView->fontMetrics().height() * 2 + 2 * m_problemView->frameWidth());
    problemsLayout->addWidget(m_problemView);
    m_fix->setEnabled(false);
    problemsLayout->addWidget(m_fix, 0, Qt::AlignRight);
    sideLayout->addWidget(problemsBox);
    sideLayout->addStretch(1);
    // The page scrolls by its preferred height (its labels wrap): the rules table's preferred
    // height would push Explain and Problems off a laptop screen, so the row below the global
    // switch asks only for its minimum and takes what is left.
    lower->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Ignored);
    lower->setMinimumHeight(std::max(rulesBox->minimumSizeHint().height(), side->minimumSizeHint().height()));

    setTabOrder(m_globalOn, m_globalFallback);
    setTabOrder(m_globalFallback, m_globalOff);
    setTabOrder(m_globalOff, m_mechanism);
    setTabOrder(m_mechanism, m_rules->filter());
    setTabOrder(m_rules->filter(), m_rules->table());
    setTabOrder(m_rules->table(), m_add);
    setTabOrder(m_add, m_edit);
    setTabOrder(m_edit, m_remove);
    setTabOrder(m_remove, m_explainInput);
    setTabOrder(m_explainInput, m_explainAddress);
    setTabOrder(m_explainAddress, m_problemView);
    setTabOrder(m_problemView, m_fix);
    connect(m_problemView->selectionModel(), &QItemSelectionModel::currentChanged, this, &PolicyPanel::updateFixButton);
    connect(m_fix, &QPushButton::clicked, this, &PolicyPanel::fixSelectedProblem);

    connect(m_global, &QButtonGroup::idClicked, this, [this](int id) { stageGlobal(GlobalSetting(id)); });
    connect(m_mechanism, &QComboBox::activated, this, &PolicyPanel::mechanismChosen);
    connect(m_mechanism, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_mechanismHelp->setText(tr(OffHelp) + m_mechanism->itemData(index, Qt::ToolTipRole).toString());
    });
    m_mechanismHelp->setText(tr(OffHelp) + tr(AutomaticHelp));
    connect(m_add, &QPushButton::clicked, this, &PolicyPanel::addException);
    connect(m_edit, &QPushButton::clicked, this, &PolicyPanel::editException);
    connect(m_remove, &QPushButton::clicked, this, &PolicyPanel::removeException);
    connect(m_rules, &RulesTable::activated, this, &PolicyPanel::editException);
    connect(m_rules, &RulesTable::selectionChanged, this, &PolicyPanel::updateButtons);
    // Once per turn of the event loop, not per keystroke: a pasted name or a burst of keys asks
    // once (an answer costs ~5 ms on a million rules, see updateExplain).
    m_explainLater->setSingleShot(true);
    m_explainLater->setInterval(0);
    connect(m_explainLater, &QTimer::timeout, this, &PolicyPanel::updateExplain);
    connect(m_explainInput, &QLineEdit::textChanged, m_explainLater, qOverload<>(&QTimer::start));
    connect(m_explainAddress, &QLineEdit::textChanged, m_explainLater, qOverload<>(&QTimer::start));
    // A bare name turned out to be a recipient domain (after its lookup): the answer says so.
    connect(m_explainServers, &MxSuggestion::shownChanged, m_explainLater, qOverload<>(&QTimer::start));
    // Delete on the rules removes the selected exception (staged, like the Remove button).
    auto *deleteRule = new QShortcut(QKeySequence::Delete, m_rules, nullptr, nullptr, Qt::WidgetWithChildrenShortcut);
    deleteRule->setObjectName(QStringLiteral("deleteRuleShortcut"));
    connect(deleteRule, &QShortcut::activated, this, [this] {
        if (m_remove->isEnabled())
            removeException();
    });
    // A recipient typed instead of a server: its servers (asked from the host after a pause).
    connect(m_explainInput, &QLineEdit::textChanged, m_explainServers, &MxSuggestion::setTyped);
    m_explainServers->setField(m_explainInput);
    connect(m_explainServers, &MxSuggestion::serverChosen, m_explainInput, &QLineEdit::setText);
    refresh();
}

void PolicyPanel::setSessions(const QList<HostSession *> &sessions)
{
    m_sessions = sessions;
    refresh();
}

QString PolicyPanel::describeTargets() const
{
    if (m_sessions.isEmpty())
        return tr("No host selected");
    if (m_sessions.size() == 1) {
        // Only when there are some: the heading is the first place to tell staged from applied.
        const HostSession *s = m_sessions.first();
        return s->pendingCount() > 0 ? tr("Policy of %1 (with staged changes)").arg(s->entry().name)
                                     : tr("Policy of %1").arg(s->entry().name);
    }
    return tr("Policy of %1; edits go to all %2 selected hosts").arg(m_sessions.first()->entry().name).arg(m_sessions.size());
}

void PolicyPanel::refresh()
{
    m_title->setText(describeTargets());
    HostSession *primary = m_sessions.value(0);
    m_explainServers->setSession(primary);
    const std::shared_ptr<const PolicyView> view = primary ? primary->policyView() : nullptr;
    QString error;
    if (!primary)
        error = tr("Select a host on the left.");
    else if (!view)
        error = primary->loadError().isEmpty() ? tr("not read yet") : primary->loadError();
    else
        error = view->error;
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
    const bool usable = view && view->config && !primary->busy();
    for (QAbstractButton *b : m_global->buttons())
        b->setEnabled(usable);
    m_mechanism->setEnabled(usable);
    updateGlobalChoices();  // after: the fallback may not be offered on these hosts
    m_add->setEnabled(usable);

    QString working;
    if (primary && primary->reach() == HostSession::Reach::Loading)
        working = tr("Reading %1…").arg(primary->entry().name);
    else if (primary && primary->policyViewPending())
        working = tr("Working out the policy of %1 with the staged changes…").arg(primary->entry().name);
    m_workingText->setText(working);
    m_working->setVisible(!working.isEmpty());
    m_workingText->setVisible(!working.isEmpty());

    // Only a new view is shown anew: the same one again (another change of the session, such
    // as its glance) keeps the table, its selection and the explain answer.
    if (view != m_shownView)
        showView(view);
    updateButtons();
    updateFixButton();
}

void PolicyPanel::showView(const std::shared_ptr<const PolicyView> &view)
{
    m_shownView = view;
    m_problems->clear();
    m_shownProblems.clear();
    if (!view || !view->config) {
        m_rules->setRules({});
        m_globalState->clear();
        updateExplain();
        return;
    }
    const GlobalState &global = view->global;
    const GlobalSetting shown = !global.tls ? GlobalSetting::Off : global.fallback ? GlobalSetting::Fallback : GlobalSetting::On;
    m_global->button(int(shown))->setChecked(true);
    // "Never" shows how it is written; otherwise the mechanism stays as chosen for next time.
    if (global.via == QList<Mechanism>{Mechanism::AccessDefault})
        m_mechanism->setCurrentIndex(1);
    else if (global.via == QList<Mechanism>{Mechanism::ClientOptions})
        m_mechanism->setCurrentIndex(2);
    QStringList via;
    for (Mechanism m : global.via)
        via << (m == Mechanism::AccessDefault ? tr("access default (access line %1)").arg(global.accessDefaultLine)
                                              : tr("client modifier M=S (sendmail.mc line %1)").arg(global.clientOptionsLine));
    QString state;
    if (!global.tls)
        state = tr("Now: STARTTLS is off for all servers, through %1.").arg(via.join(tr(" and ")).toHtmlEscaped());
    else if (global.fallback)
        state = tr("Now: STARTTLS is tried with every server unless an exception says otherwise, and a failed "
                               "handshake falls back to clear text (TLSFallbacktoClear, sendmail.mc line %1).").arg(global.fallbackLine);
    else
        state = tr("Now: STARTTLS is tried with every server unless an exception says otherwise.");
    m_globalState->setText(state + expiryText(global.expires, global.expired));
    // With edits staged, the rules marked with what the edits do (the removed ones listed too).
    const HostSession *primary = m_sessions.value(0);
    const DestinationRulesModel::Marked &marked = primary ? primary->markedRules() : DestinationRulesModel::Marked{};
    if (marked.rules && primary->policyView() == view)
        m_rules->setRules(marked.rules, marked.marks);
    else
        m_rules->setRules(view->destinations);
    m_shownProblems = view->problems.first(std::min(view->problems.size(), MaxProblemsListed));
    for (const Problem &p : m_shownProblems) {
        const QString where = p.line > 0 ? QStringLiteral("%1:%2").arg(p.file).arg(p.line) : p.file;
        const QString fix = fixLabel(p);
        auto *item = new QStandardItem(QStringLiteral("%1: %2 (%3)%4").arg(severityName(p.severity), p.message, where,
                                                                           fix.isEmpty() ? QString() : tr(" — fix: %1").arg(fix)));
        item->setIcon(QIcon(p.severity == Severity::Error ? QStringLiteral(":/icons/failed.svg") : QStringLiteral(":/icons/warning.svg")));
        m_problems->appendRow(item);
    }
    if (view->problems.size() > m_shownProblems.size())
        m_problems->appendRow(new QStandardItem(tr("… and %1 more (sendmail-tls status lists them all)")
                                                    .arg(QLocale().toString(view->problems.size() - m_shownProblems.size()))));
    if (m_problems->rowCount() == 0)
        m_problems->appendRow(new QStandardItem(QIcon(QStringLiteral(":/icons/ok.svg")), tr("No problems found.")));
    updateExplain();
}

void PolicyPanel::updateFixButton()
{
    const int row = m_problemView->currentIndex().row();
    HostSession *primary = m_sessions.value(0);
    const bool fixable = primary && !primary->busy() && row >= 0 && row < m_shownProblems.size()
        && m_shownProblems.at(row).fix != FixKind::None;
    m_fix->setEnabled(fixable);
    m_fix->setText(fixable ? tr("&Fix: %1").arg(fixLabel(m_shownProblems.at(row))) : tr("&Fix"));
}

void PolicyPanel::fixSelectedProblem()
{
    const int row = m_problemView->currentIndex().row();
    if (row < 0 || row >= m_shownProblems.size() || m_shownProblems.at(row).fix == FixKind::None)
        return;
    const Problem problem = m_shownProblems.at(row);
    for (HostSession *s : m_sessions) {
        // Only where the same problem is found (by kind and subject, as planFix finds it again):
        // the others have nothing to fix. Looked up in the host's view, not planned here (that
        // would read a million-line map on the UI thread); planning is the preview's job.
        const std::shared_ptr<const PolicyView> view = s->policyView();
        if (s->busy() || !view || !view->config)
            continue;
        const bool has = std::any_of(view->problems.cbegin(), view->problems.cend(), [&problem](const Problem &p) {
            return p.fix == problem.fix && p.subject == problem.subject;
        });
        if (has)
            s->stage(Change::problemFix(problem));
    }
}

void PolicyPanel::updateButtons()
{
    const bool selected = m_rules->selectedRule() && m_add->isEnabled();
    m_edit->setEnabled(selected);
    // A rule whose removal is staged is listed struck through: removing it again stages nothing.
    m_remove->setEnabled(selected && m_rules->selectedPending() != DestinationRulesModel::Pending::Removed);
}

namespace {
QString problem(const QPalette &palette, const QString &text) { return QStringLiteral("<span style=\"color:%1\">%2</span>").arg(warningColor(palette).name(), text.toHtmlEscaped()); }
} // namespace

QString PolicyPanel::explainAnswer() const { return m_explainResult->text(); }

void PolicyPanel::updateExplain()
{
    const QString text = m_explainInput->text().trimmed();
    const QString addressText = m_explainAddress->text().trimmed();
    const std::shared_ptr<const MailConfig> config = m_shownView ? m_shownView->config : nullptr;
    if (text.isEmpty() || !config) {
        m_explainResult->setText(tr("Is STARTTLS tried, and why?"));
        return;
    }
    if (text.contains(QLatin1Char('@'))) {
        // sendmail decides per server, never per recipient: the servers are offered below.
        m_explainResult->setText(tr("<b>This is a recipient, not a server.</b> Sendmail looks up the servers of its "
                                                "domain (MX); STARTTLS is decided per server: see the servers below."));
        return;
    }
    QByteArray name, address;
    if (const Result<QByteArray> asAddress = parseServerAddress(text); asAddress && addressText.isEmpty()) {
        address = *asAddress;  // a server known only by its address
    } else {
        const Result<Destination> d = parseDestination(text);
        if (!d || d->kind != DestinationKind::HostName) {
            m_explainResult->setText(problem(palette(), d ? tr("'%1' is not a server name.").arg(printableInput(text))
                                               : tr("Not a server name or address: %1").arg(d.error().message)));
            return;
        }
        name = d->key;
    }
    if (!addressText.isEmpty()) {
        const Result<QByteArray> a = parseServerAddress(addressText);
        if (!a) {
            m_explainResult->setText(problem(palette(), tr("'%1' is not a complete IPv4 or IPv6 address.").arg(printableInput(addressText))));
            return;
        }
        address = *a;
    }
    // Here, not on a worker: a handful of key lookups, ~5 ms on a million rules (10 on a busy
    // machine; tests/gui/tst_guibigmap, step "explain"), and the answer must follow the typing.
    const Decision d = config->policy().explain(name, address);
    const QString where = d.file.isEmpty() ? tr("built-in default") : tr("%1 line %2").arg(d.file).arg(d.line);
    QString answer;
    if (!m_explainServers->typedAddress() && m_explainServers->shown() == MxSuggestion::Shown::Servers)
        answer = tr("<b>This is a recipient domain; sendmail looks up its servers</b> (below) and decides per server. "
                                "As a server name of its own: ");
    answer += tr("<b>%1</b> — decided by <tt>%2</tt> (%3). %4")
                  .arg(d.tls ? tr("STARTTLS will be tried") : tr("STARTTLS will NOT be tried"),
                       d.decidedBy.toHtmlEscaped(), where.toHtmlEscaped(), d.reason.toHtmlEscaped());
    if (d.tls && d.fallback) {
        const QString fallbackWhere = d.fallbackFile.isEmpty() ? QString() : tr("%1 line %2").arg(d.fallbackFile).arg(d.fallbackLine);
        answer += tr("<br><b>If the handshake fails, it falls back to clear text</b> — decided by <tt>%1</tt>%2. %3")
                      .arg(d.fallbackDecidedBy.toHtmlEscaped(),
                           fallbackWhere.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(fallbackWhere.toHtmlEscaped()),
                           d.fallbackReason.toHtmlEscaped());
    }
    if (address.isEmpty())
        answer += tr("<br>Rules on the server's IP address were not considered: give its address to include them.");
    m_explainResult->setText(answer);
}

std::optional<Mechanism> PolicyPanel::chosenMechanism() const
{
    if (m_mechanism->currentIndex() == 1)
        return Mechanism::AccessDefault;
    if (m_mechanism->currentIndex() == 2)
        return Mechanism::ClientOptions;
    return std::nullopt;
}

void PolicyPanel::stageGlobal(GlobalSetting setting)
{
    // As `set global on|fallback|off [--via …]` makes it: the mechanism only for off.
    const std::optional<Mechanism> via = setting == GlobalSetting::Off ? chosenMechanism() : std::nullopt;
    const Change change = Change::global(setting, via);
    for (HostSession *s : m_sessions) {
        // A host whose staged policy already says so gets nothing (a click on the checked choice).
        const std::shared_ptr<const PolicyView> view = s->policyView();
        if (view && view->config && !s->policyViewPending()) {
            const GlobalState &g = view->global;
            const GlobalSetting now = !g.tls ? GlobalSetting::Off : g.fallback ? GlobalSetting::Fallback : GlobalSetting::On;
            if (now == setting && (setting != GlobalSetting::Off || !via || g.via == QList<Mechanism>{*via}))
                continue;
        }
        s->stage(change);
    }
    refresh();
}

void PolicyPanel::mechanismChosen()
{
    // Another way of writing "never", while "never" is what is chosen: staged like a click on it.
    if (m_globalOff->isChecked() && m_globalOff->isEnabled())
        stageGlobal(GlobalSetting::Off);
}

QString PolicyPanel::fallbackRefusal() const
{
    QStringList old;
    for (const HostSession *s : m_sessions)
        if (!supportsTlsFallback(s->sendmailVersion()))
            old << tr("%1 runs sendmail %2").arg(s->entry().name, s->sendmailVersion());
    if (old.isEmpty())
        return {};
    return tr("Not offered: %1, and the fallback to clear text (TLSFallbacktoClear, TLS_Clt_Features Flags=C) "
                          "exists since sendmail 8.16. Use \"off\" for the servers whose handshake fails, or upgrade sendmail.")
        .arg(old.join(QStringLiteral(", ")));
}

bool PolicyPanel::fallbackKnownSupported() const
{
    return !m_sessions.isEmpty() && std::all_of(m_sessions.cbegin(), m_sessions.cend(), [](const HostSession *s) {
        return !s->sendmailVersion().isEmpty() && supportsTlsFallback(s->sendmailVersion());
    });
}

void PolicyPanel::updateGlobalChoices()
{
    const QString refusal = fallbackRefusal();
    // Recommended where the hosts are known to have it (an unknown version is offered, as the
    // command line allows it there, and validation asks the binary).
    m_globalFallback->setText(tr(FallbackText) + (fallbackKnownSupported() ? tr(" (recommended)") : QString()));
    if (!refusal.isEmpty())
        m_globalFallback->setEnabled(false);
    m_globalFallback->setToolTip(refusal.isEmpty() ? tr("Staged: nothing is sent until you apply") : refusal);
    // Under the disabled choice, why (readable, not greyed out with it).
    m_fallbackHelp->setText(refusal.isEmpty() ? tr(FallbackHelp) : refusal);
}

void PolicyPanel::addException()
{
    if (m_sessions.isEmpty())
        return;
    auto *dialog = new DestinationDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFallbackUnavailable(fallbackRefusal());
    dialog->setSession(m_sessions.first());
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        // The expiry is counted from now, when OK is pressed (the dialog checked it then).
        const Result<std::optional<Expiry>> expires = dialog->expires();
        if (!expires)
            return;
        const Change change = Change::destination(dialog->destination(), dialog->setting(), dialog->reason(), *expires);
        for (HostSession *s : m_sessions)
            s->stage(change);
        refresh();
    });
    dialog->open();
}

void PolicyPanel::editException()
{
    const std::optional<DestinationRule> selected = m_rules->selectedRule();
    if (!selected || m_sessions.isEmpty())
        return;
    const DestinationRule rule = *selected;
    auto *dialog = new DestinationDialog(this, &rule);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFallbackUnavailable(fallbackRefusal());
    dialog->setSession(m_sessions.first());
    connect(dialog, &QDialog::accepted, this, [this, dialog, rule] {
        const Result<std::optional<Expiry>> expires = dialog->expires();
        if (!expires)
            return;
        const Change change = Change::destination(rule.destination, dialog->setting(), dialog->reason(), *expires);
        for (HostSession *s : m_sessions)
            s->stage(change);
        refresh();
    });
    dialog->open();
}

void PolicyPanel::removeException()
{
    const std::optional<DestinationRule> selected = m_rules->selectedRule();
    if (!selected)
        return;
    const Destination d = selected->destination;
    for (HostSession *s : m_sessions)
        s->stage(Change::destination(d, TlsSetting::Inherit));
    refresh();
}

} // namespace smtls::gui
