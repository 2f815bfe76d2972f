#include "PolicyPanel.h"

#include "ProblemFix.h"

#include "DestinationDialog.h"
#include "HostSession.h"
#include "PolicyView.h"
#include "RulesTable.h"

#include <QCheckBox>
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
#include <QStandardItemModel>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace smtls::gui {

namespace {
const char *AccessHelp = "Access default: writes \"Try_TLS: NO\" into the access map; no restart is needed and a "
                         "destination set to \"on\" still gets STARTTLS.";
const char *ClientHelp = "Client modifier: adds M=S to CLIENT_OPTIONS in sendmail.mc; sendmail.cf is rebuilt and "
                         "sendmail restarted, and no destination rule can turn STARTTLS back on.";

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
      m_workingText(new QLabel(this)), m_global(new QCheckBox(QStringLiteral("&Try STARTTLS with every server (outbound)"), this)), m_mechanism(new QComboBox(this)),
      m_mechanismHelp(new QLabel(this)), m_globalState(new QLabel(this)), m_rules(new RulesTable(this)),
      m_add(button(QStringLiteral("&Add…"), QStringLiteral("add"), QStringLiteral("addException"), QStringLiteral("Add a destination exception"), this)),
      m_edit(button(QStringLiteral("&Edit…"), QStringLiteral("edit"), QStringLiteral("editException"), QStringLiteral("Change the selected exception"), this)),
      m_remove(button(QStringLiteral("&Remove"), QStringLiteral("remove"), QStringLiteral("removeException"), QStringLiteral("Remove the selected exception (the destination inherits the global setting)"), this)),
      m_explainInput(new QLineEdit(this)), m_explainResult(new QLabel(this)), m_explainLater(new QTimer(this)), m_problems(new QStandardItemModel(this)),
      m_problemView(new QListView(this)),
      m_fix(button(QStringLiteral("&Fix"), QStringLiteral("ok"), QStringLiteral("fixProblem"),
                   QStringLiteral("Stages the fix of the selected problem: previewed and applied like any change"), this))
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

    auto *globalBox = new QGroupBox(QStringLiteral("Outbound STARTTLS for all servers"), this);
    auto *globalLayout = new QVBoxLayout(globalBox);
    m_global->setObjectName(QStringLiteral("globalTls"));
    m_global->setToolTip(QStringLiteral("Staged: nothing is sent until you apply"));
    auto *mechanismRow = new QHBoxLayout;
    auto *mechanismLabel = new QLabel(QStringLiteral("&Mechanism when switching off:"), globalBox);
    mechanismLabel->setBuddy(m_mechanism);
    m_mechanism->setObjectName(QStringLiteral("mechanism"));
    m_mechanism->addItem(QStringLiteral("Automatic (access default when the access map is used)"));
    m_mechanism->addItem(QStringLiteral("Access default (Try_TLS:)"));
    m_mechanism->addItem(QStringLiteral("Client modifier (M=S)"));
    mechanismRow->addWidget(mechanismLabel);
    mechanismRow->addWidget(m_mechanism, 1);
    m_mechanismHelp->setWordWrap(true);
    m_mechanismHelp->setText(QLatin1String(AccessHelp) + QLatin1Char('\n') + QLatin1String(ClientHelp));
    m_globalState->setObjectName(QStringLiteral("globalState"));
    m_globalState->setWordWrap(true);
    globalLayout->addWidget(m_global);
    globalLayout->addWidget(m_globalState);
    globalLayout->addLayout(mechanismRow);
    globalLayout->addWidget(m_mechanismHelp);
    layout->addWidget(globalBox);

    auto *rulesBox = new QGroupBox(QStringLiteral("Destination exceptions"), this);
    auto *rulesLayout = new QVBoxLayout(rulesBox);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_edit);
    buttons->addWidget(m_remove);
    buttons->addStretch();
    rulesLayout->addWidget(m_rules, 1);
    rulesLayout->addLayout(buttons);
    layout->addWidget(rulesBox, 1);

    auto *explainBox = new QGroupBox(QStringLiteral("Explain: will sendmail try STARTTLS with…"), this);
    auto *explainLayout = new QVBoxLayout(explainBox);
    m_explainInput->setObjectName(QStringLiteral("explainInput"));
    m_explainInput->setPlaceholderText(QStringLiteral("a server name or address, e.g. mx1.broken-tls.example or 192.0.2.7"));
    m_explainResult->setObjectName(QStringLiteral("explainResult"));
    m_explainResult->setWordWrap(true);
    m_explainResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    explainLayout->addWidget(m_explainInput);
    explainLayout->addWidget(m_explainResult);
    layout->addWidget(explainBox);

    auto *problemsBox = new QGroupBox(QStringLiteral("Problems found"), this);
    auto *problemsLayout = new QVBoxLayout(problemsBox);
    m_problemView->setObjectName(QStringLiteral("problems"));
    m_problemView->setModel(m_problems);
    m_problemView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_problemView->setWordWrap(true);
    m_problemView->setMaximumHeight(m_problemView->fontMetrics().height() * 5);
    problemsLayout->addWidget(m_problemView);
    m_fix->setEnabled(false);
    problemsLayout->addWidget(m_fix, 0, Qt::AlignRight);
    layout->addWidget(problemsBox);

    setTabOrder(m_global, m_mechanism);
    setTabOrder(m_mechanism, m_rules->filter());
    setTabOrder(m_rules->filter(), m_rules->table());
    setTabOrder(m_rules->table(), m_add);
    setTabOrder(m_add, m_edit);
    setTabOrder(m_edit, m_remove);
    setTabOrder(m_remove, m_explainInput);
    setTabOrder(m_explainInput, m_problemView);
    setTabOrder(m_problemView, m_fix);
    connect(m_problemView->selectionModel(), &QItemSelectionModel::currentChanged, this, &PolicyPanel::updateFixButton);
    connect(m_fix, &QPushButton::clicked, this, &PolicyPanel::fixSelectedProblem);

    connect(m_global, &QCheckBox::clicked, this, &PolicyPanel::stageGlobal);
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
        return QStringLiteral("No host selected");
    if (m_sessions.size() == 1)
        return QStringLiteral("Policy of %1 (with staged changes)").arg(m_sessions.first()->entry().name);
    return QStringLiteral("Policy of %1; edits go to all %2 selected hosts").arg(m_sessions.first()->entry().name).arg(m_sessions.size());
}

void PolicyPanel::refresh()
{
    m_title->setText(describeTargets());
    HostSession *primary = m_sessions.value(0);
    const std::shared_ptr<const PolicyView> view = primary ? primary->policyView() : nullptr;
    QString error;
    if (!primary)
        error = QStringLiteral("Select a host on the left.");
    else if (!view)
        error = primary->loadError().isEmpty() ? QStringLiteral("not read yet") : primary->loadError();
    else
        error = view->error;
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
    const bool usable = view && view->config && !primary->busy();
    m_global->setEnabled(usable);
    m_mechanism->setEnabled(usable);
    m_add->setEnabled(usable);

    QString working;
    if (primary && primary->reach() == HostSession::Reach::Loading)
        working = QStringLiteral("Reading %1…").arg(primary->entry().name);
    else if (primary && primary->policyViewPending())
        working = QStringLiteral("Working out the policy of %1 with the staged changes…").arg(primary->entry().name);
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
    m_global->setChecked(global.tls);
    QStringList via;
    for (Mechanism m : global.via)
        via << (m == Mechanism::AccessDefault ? QStringLiteral("access default (access line %1)").arg(global.accessDefaultLine)
                                              : QStringLiteral("client modifier M=S (sendmail.mc line %1)").arg(global.clientOptionsLine));
    m_globalState->setText(global.tls ? QStringLiteral("STARTTLS is tried with every server unless an exception says otherwise.")
                                      : QStringLiteral("STARTTLS is off for all servers, through %1.").arg(via.join(QStringLiteral(" and "))));
    m_rules->setRules(view->destinations);
    m_shownProblems = view->problems.first(std::min(view->problems.size(), MaxProblemsListed));
    for (const Problem &p : m_shownProblems) {
        const QString where = p.line > 0 ? QStringLiteral("%1:%2").arg(p.file).arg(p.line) : p.file;
        const QString fix = fixLabel(p);
        auto *item = new QStandardItem(QStringLiteral("%1: %2 (%3)%4").arg(severityName(p.severity), p.message, where,
                                                                           fix.isEmpty() ? QString() : QStringLiteral(" — fix: ") + fix));
        item->setIcon(QIcon(p.severity == Severity::Error ? QStringLiteral(":/icons/failed.svg") : QStringLiteral(":/icons/warning.svg")));
        m_problems->appendRow(item);
    }
    if (view->problems.size() > m_shownProblems.size())
        m_problems->appendRow(new QStandardItem(QStringLiteral("… and %1 more (sendmail-tls status lists them all)")
                                                    .arg(QLocale().toString(view->problems.size() - m_shownProblems.size()))));
    if (m_problems->rowCount() == 0)
        m_problems->appendRow(new QStandardItem(QIcon(QStringLiteral(":/icons/ok.svg")), QStringLiteral("No problems found.")));
    updateExplain();
}

void PolicyPanel::updateFixButton()
{
    const int row = m_problemView->currentIndex().row();
    HostSession *primary = m_sessions.value(0);
    const bool fixable = primary && !primary->busy() && row >= 0 && row < m_shownProblems.size()
        && m_shownProblems.at(row).fix != FixKind::None;
    m_fix->setEnabled(fixable);
    m_fix->setText(fixable ? QStringLiteral("&Fix: %1").arg(fixLabel(m_shownProblems.at(row))) : QStringLiteral("&Fix"));
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
    m_remove->setEnabled(selected);
}

void PolicyPanel::updateExplain()
{
    const QString text = m_explainInput->text().trimmed();
    const std::shared_ptr<const MailConfig> config = m_shownView ? m_shownView->config : nullptr;
    if (text.isEmpty() || !config) {
        m_explainResult->setText(QStringLiteral("Type a server name or address to see whether STARTTLS will be tried and which line decides."));
        return;
    }
    const bool isAddress = !QHostAddress(text.startsWith(QStringLiteral("IPv6:"), Qt::CaseInsensitive) ? text.mid(5) : text).isNull();
    const QByteArray name = isAddress ? QByteArray() : text.toUtf8();
    const QByteArray address = isAddress ? text.toLatin1() : QByteArray();
    // Here, not on a worker: a handful of key lookups, ~5 ms on a million rules (10 on a busy
    // machine; tests/gui/tst_guibigmap, step "explain"), and the answer must follow the typing.
    const Decision d = config->policy().explain(name, address);
    const QString where = d.file.isEmpty() ? QStringLiteral("built-in default") : QStringLiteral("%1 line %2").arg(d.file).arg(d.line);
    m_explainResult->setText(QStringLiteral("<b>%1</b> — decided by <tt>%2</tt> (%3). %4")
                                 .arg(d.tls ? QStringLiteral("STARTTLS will be tried") : QStringLiteral("STARTTLS will NOT be tried"),
                                      d.decidedBy.toHtmlEscaped(), where.toHtmlEscaped(), d.reason.toHtmlEscaped()));
}

void PolicyPanel::stageGlobal(bool tlsOn)
{
    std::optional<Mechanism> via;
    if (m_mechanism->currentIndex() == 1)
        via = Mechanism::AccessDefault;
    else if (m_mechanism->currentIndex() == 2)
        via = Mechanism::ClientOptions;
    for (HostSession *s : m_sessions)
        s->stage(Change::global(tlsOn, via));
    refresh();
}

void PolicyPanel::addException()
{
    if (m_sessions.isEmpty())
        return;
    auto *dialog = new DestinationDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const Destination d = dialog->destination();
        const TlsSetting setting = dialog->setting();
        const QString reason = dialog->reason();
        for (HostSession *s : m_sessions)
            s->stage(Change::destination(d, setting, reason));
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
    connect(dialog, &QDialog::accepted, this, [this, dialog, rule] {
        const TlsSetting setting = dialog->setting();
        const QString reason = dialog->reason();
        for (HostSession *s : m_sessions)
            s->stage(Change::destination(rule.destination, setting, reason));
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
