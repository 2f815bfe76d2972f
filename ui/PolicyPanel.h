#pragma once
// The centre: the staged policy of the selected host(s). The global outbound TLS switch (try
// STARTTLS / try it and fall back to clear text / never, and the mechanism of "never"), the destination exceptions (filterable, sortable), the explain box and the
// problems. Every edit is staged on each selected host as one undo command; nothing is sent
// from here. What it shows was worked out on workers (the primary host's PolicyView, the
// table's RuleQuery): refreshing only looks, so it may run on every change of a session.

#include "PolicyEditor.h"
#include "Problem.h"

#include <QList>
#include <QWidget>

#include <memory>

class QButtonGroup;
class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QStandardItemModel;
class QTimer;

namespace smtls::gui {

class HostSession;
class MxSuggestion;
struct PolicyView;
class RulesTable;

class PolicyPanel : public QWidget {
    Q_OBJECT
public:
    explicit PolicyPanel(QWidget *parent = nullptr);

    void setSessions(const QList<HostSession *> &sessions);
    void refresh();

    void addException();
    void editException();
    void removeException();
    // Stages the fix of the selected problem on every selected host that has that problem.
    void fixSelectedProblem();
    MxSuggestion *explainServers() const { return m_explainServers; }
    QLineEdit *explainInput() const { return m_explainInput; }
    QLineEdit *explainAddress() const { return m_explainAddress; }
    QString explainAnswer() const;

private:
    void showView(const std::shared_ptr<const PolicyView> &view);
    void stageGlobal(GlobalSetting setting);
    void mechanismChosen();
    std::optional<Mechanism> chosenMechanism() const;
    // Why the selected hosts cannot fall back to clear text (a sendmail older than 8.16), or
    // nothing; and whether every one of them is known to be able to.
    QString fallbackRefusal() const;
    bool fallbackKnownSupported() const;
    void updateGlobalChoices();
    void updateExplain();
    void updateButtons();
    void updateFixButton();
    QString describeTargets() const;

    QList<HostSession *> m_sessions;
    QLabel *m_title;
    QLabel *m_error;
    QProgressBar *m_working;  // a worker reads the host or works out its staged policy
    QLabel *m_workingText;
    QButtonGroup *m_global;  // ids: GlobalSetting
    QRadioButton *m_globalOn;
    QRadioButton *m_globalFallback;
    QRadioButton *m_globalOff;
    QLabel *m_fallbackHelp;
    QComboBox *m_mechanism;
    QLabel *m_mechanismHelp;  // what "never" costs, and how the chosen mechanism writes it
    QLabel *m_globalState;
    RulesTable *m_rules;
    QPushButton *m_add;
    QPushButton *m_edit;
    QPushButton *m_remove;
    QLineEdit *m_explainInput;
    QLineEdit *m_explainAddress;  // the server's IP address, optional (as explain --addr)
    QLabel *m_explainResult;
    QTimer *m_explainLater;
    MxSuggestion *m_explainServers;  // a recipient typed: the servers its mail goes to
    QStandardItemModel *m_problems;
    QListView *m_problemView;
    QPushButton *m_fix;
    Problems m_shownProblems;  // row i of m_problems, when it is a problem
    // The primary host's view as shown: its staged configuration answers the explain box.
    std::shared_ptr<const PolicyView> m_shownView;
};

} // namespace smtls::gui
