#pragma once
// Every command run on any host and its outcome, in the order they finished (the Log panel).
// Hosts are named as the host list names them (the address is in the tooltip). LogFilter hides
// our own internal helper scripts unless the user asks for all commands.

#include "transport/Transport.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QSortFilterProxyModel>

namespace smtls::gui {

class LogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TimeColumn, HostColumn, CommandColumn, ExitColumn, DurationColumn, ColumnCount };
    enum Role { InternalRole = Qt::UserRole + 1 };
    static constexpr int MaxEntries = 5000;

    explicit LogModel(QObject *parent = nullptr);
    // hostName: the name in the host list; empty keeps entry.host (an address or user@address).
    void append(const CommandLogEntry &entry, const QString &hostName = {});
    const CommandLogEntry &entryAt(int row) const { return m_entries.at(row).entry; }

    // One of our own constant helper scripts (`sh -c '…'` that only reads or checks, such as
    // the newer() test of the state read): worth seeing only when hunting a bug. A sequence of
    // real commands (run_sequence: makemap, the restart) is not internal: the admin must see it.
    static bool isInternalHelper(const QString &command);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QDateTime time;
        CommandLogEntry entry;
        QString hostName;
    };
    QList<Row> m_entries;
};

// The Log as shown: without the internal helper scripts unless showAll (failures to run one are
// always shown: they explain what went wrong).
class LogFilter : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit LogFilter(LogModel *log, QObject *parent = nullptr);
    void setShowAll(bool all);
    bool showAll() const { return m_showAll; }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override;

private:
    bool m_showAll = false;
};

} // namespace smtls::gui
