#pragma once
// Every command run on any host and its outcome, in the order they finished (the Log panel).

#include "transport/Transport.h"

#include <QAbstractTableModel>
#include <QDateTime>

namespace smtls::gui {

class LogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TimeColumn, HostColumn, CommandColumn, ExitColumn, DurationColumn, ColumnCount };
    static constexpr int MaxEntries = 5000;

    explicit LogModel(QObject *parent = nullptr);
    void append(const CommandLogEntry &entry);
    const CommandLogEntry &entryAt(int row) const { return m_entries.at(row).second; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<std::pair<QDateTime, CommandLogEntry>> m_entries;
};

} // namespace smtls::gui
