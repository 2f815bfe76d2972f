#pragma once
// The hosts on the left, grouped: each host's state at a glance (reachable, outbound TLS,
// exceptions, pending edits, problems, last apply). A tree of two levels: groups, then hosts.
// The sessions belong to the window; the model only shows them.

#include "apply/ApplyReport.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QList>

namespace smtls::gui {

class HostSession;

class HostListModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { NameColumn, StateColumn, ColumnCount };

    explicit HostListModel(QObject *parent = nullptr);

    void addSession(HostSession *session);
    void removeSession(HostSession *session);
    const QList<HostSession *> &sessions() const { return m_sessions; }
    HostSession *sessionAt(const QModelIndex &index) const;
    QModelIndex indexOf(const HostSession *session, int column = 0) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Up to three short lines: "reachable · TLS on · 3 exception(s)", then "1 pending · last:
    // applied"; after a failed apply "last apply rolled back" and a line with why.
    static QString stateSummary(const HostSession &session);
    // Why the last apply failed: its cause, else its error, else its summary, on one line, cut
    // at maxLength characters.
    static QString lastError(const ApplyReport &report, qsizetype maxLength);
    static constexpr qsizetype RowCauseLength = 48;

private:
    void rebuildGroups();
    void sessionChanged(HostSession *session);
    QList<HostSession *> hostsIn(int group) const;

    QList<HostSession *> m_sessions;
    QStringList m_groups;
    QHash<const HostSession *, QString> m_groupOf;  // each host's group as the rows show it
};

} // namespace smtls::gui
