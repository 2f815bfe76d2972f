#pragma once
// The left side: the grouped host list and the buttons to add, edit, remove, import and
// re-read hosts. Adding and editing go through HostDialog; the list persists via HostStore.

#include <QList>
#include <QWidget>

class QTreeView;

namespace smtls::gui {

class HostListModel;
class HostSession;

class HostsPanel : public QWidget {
    Q_OBJECT
public:
    explicit HostsPanel(HostListModel *model, QWidget *parent = nullptr);

    QList<HostSession *> selectedSessions() const;
    void select(HostSession *session);
    // Selects these hosts (the first one current, the one the policy panel shows).
    void select(const QList<HostSession *> &sessions);
    QTreeView *view() const { return m_view; }
    // Wide enough for a host's name and its usual state ("reachable · TLS on · 3 exception(s) ·
    // 1 problem(s)"): the State column must not be cut at 1366 px (tests/gui/tst_guilayout).
    QSize sizeHint() const override;

Q_SIGNALS:
    void selectionChanged();
    void addRequested();
    void editRequested(smtls::gui::HostSession *session);
    void removeRequested(smtls::gui::HostSession *session);
    void importRequested();
    void reloadRequested();

private:
    HostListModel *m_model;
    QTreeView *m_view;
};

} // namespace smtls::gui
