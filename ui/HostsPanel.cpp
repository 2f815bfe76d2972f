#include "HostsPanel.h"

#include "HostListModel.h"
#include "HostSession.h"

#include <QFontMetrics>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace smtls::gui {

namespace {
QToolButton *tool(const QString &icon, const QString &name, const QString &tip, QWidget *parent)
{
    auto *b = new QToolButton(parent);
    b->setIcon(QIcon(QStringLiteral(":/icons/%1.svg").arg(icon)));
    b->setObjectName(name);
    b->setToolTip(tip);
    b->setAccessibleName(tip);
    b->setAutoRaise(true);
    return b;
}
} // namespace

HostsPanel::HostsPanel(HostListModel *model, QWidget *parent) : QWidget(parent), m_model(model), m_view(new QTreeView(this))
{
    setObjectName(QStringLiteral("hostsPanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_view->setObjectName(QStringLiteral("hostTree"));
    m_view->setModel(model);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setUniformRowHeights(false);  // a host's state takes one to three short lines
    m_view->setToolTip(tr("Ctrl+click or Shift+arrows to select several hosts: edits and Apply go to all of them"));
    m_view->header()->setSectionResizeMode(HostListModel::NameColumn, QHeaderView::ResizeToContents);
    m_view->header()->setSectionResizeMode(HostListModel::StateColumn, QHeaderView::ResizeToContents);
    m_view->header()->setStretchLastSection(true);
    m_view->expandAll();
    connect(model, &QAbstractItemModel::modelReset, m_view, &QTreeView::expandAll);
    layout->addWidget(m_view, 1);

    auto *buttons = new QHBoxLayout;
    QToolButton *add = tool(QStringLiteral("add"), QStringLiteral("addHost"), tr("Add a host (SSH), Ctrl+N"), this);
    QToolButton *edit = tool(QStringLiteral("edit"), QStringLiteral("editHost"), tr("Edit the selected host"), this);
    QToolButton *remove = tool(QStringLiteral("remove"), QStringLiteral("removeHost"), tr("Remove the selected host from the list"), this);
    QToolButton *import = tool(QStringLiteral("import"), QStringLiteral("importHosts"), tr("Import hosts from ~/.ssh/config (Ctrl+Shift+I)"), this);
    QToolButton *reload = tool(QStringLiteral("reload"), QStringLiteral("reloadHosts"), tr("Read the selected hosts again (F5)"), this);
    for (QToolButton *b : {add, edit, remove, import, reload})
        buttons->addWidget(b);
    buttons->addStretch();
    layout->addLayout(buttons);

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &HostsPanel::selectionChanged);
    connect(add, &QToolButton::clicked, this, &HostsPanel::addRequested);
    connect(import, &QToolButton::clicked, this, &HostsPanel::importRequested);
    connect(reload, &QToolButton::clicked, this, &HostsPanel::reloadRequested);
    connect(edit, &QToolButton::clicked, this, [this] {
        if (HostSession *s = selectedSessions().value(0))
            Q_EMIT editRequested(s);
    });
    connect(remove, &QToolButton::clicked, this, [this] {
        if (HostSession *s = selectedSessions().value(0))
            Q_EMIT removeRequested(s);
    });
}

QSize HostsPanel::sizeHint() const
{
    const QFontMetrics fm = m_view->fontMetrics();
    const int name = fm.horizontalAdvance(tr("This computer")) + m_view->indentation() + 6 * fm.averageCharWidth();
    const int state = fm.horizontalAdvance(tr("reachable · TLS on · 3 exception(s) · 1 problem(s)")) + 3 * fm.averageCharWidth();
    return {name + state + 2 * m_view->frameWidth(), QWidget::sizeHint().height()};
}

QList<HostSession *> HostsPanel::selectedSessions() const
{
    QList<HostSession *> out;
    // The current host first: it is the one the policy panel shows.
    if (HostSession *current = m_model->sessionAt(m_view->currentIndex());
        current && m_view->selectionModel()->isSelected(m_view->currentIndex()))
        out.append(current);
    for (const QModelIndex &i : m_view->selectionModel()->selectedRows())
        if (HostSession *s = m_model->sessionAt(i); s && !out.contains(s))
            out.append(s);
    return out;
}

void HostsPanel::select(HostSession *session)
{
    select(QList<HostSession *>{session});
}

void HostsPanel::select(const QList<HostSession *> &sessions)
{
    QItemSelection selection;
    for (HostSession *s : sessions) {
        const QModelIndex i = m_model->indexOf(s);
        selection.select(i, i.siblingAtColumn(HostListModel::ColumnCount - 1));
    }
    // The current host first (selectedSessions() puts it first), then one selection change,
    // not one per host: each would re-plan the policy view.
    if (!sessions.isEmpty())
        m_view->selectionModel()->setCurrentIndex(m_model->indexOf(sessions.first()), QItemSelectionModel::NoUpdate);
    m_view->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

} // namespace smtls::gui
