#pragma once
// The centre: the staged policy of the selected host(s). The global outbound TLS switch and its
// mechanism, the destination exceptions (filterable), the explain box and the problems. Every
// edit is staged on each selected host as one undo command; nothing is sent from here.

#include "PolicyEditor.h"
#include "Problem.h"

#include <QList>
#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTableView;

namespace smtls::gui {

class DestinationRulesModel;
class HostSession;

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

private:
    void stageGlobal(bool tlsOn);
    void updateExplain();
    void updateButtons();
    void updateFixButton();
    QString describeTargets() const;

    QList<HostSession *> m_sessions;
    QLabel *m_title;
    QLabel *m_error;
    QCheckBox *m_global;
    QComboBox *m_mechanism;
    QLabel *m_mechanismHelp;
    QLabel *m_globalState;
    QLineEdit *m_filter;
    DestinationRulesModel *m_rules;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    QPushButton *m_add;
    QPushButton *m_edit;
    QPushButton *m_remove;
    QLineEdit *m_explainInput;
    QLabel *m_explainResult;
    QStandardItemModel *m_problems;
    QListView *m_problemView;
    QPushButton *m_fix;
    Problems m_shownProblems;  // row i of m_problems, when it is a problem
    // The primary host's staged configuration as refresh() last showed it: the explain box
    // asks it on every keystroke without applying the staged edits again.
    std::optional<MailConfig> m_shownConfig;
};

} // namespace smtls::gui
