#pragma once
// What a retry did to each message: queue id, server, delivered / deferred / bounced, and the
// new status (QueueRetry's RetryReport), for the Queue view after a fix.

#include "delivery/QueueRetry.h"

#include <QAbstractTableModel>

namespace smtls::gui {

class RetryResultsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { IdColumn, ServerColumn, ResultColumn, StatusColumn, ColumnCount };

    explicit RetryResultsModel(QObject *parent = nullptr);
    void setMessages(QList<RetryOutcome> messages);
    const QList<RetryOutcome> &messages() const { return m_messages; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<RetryOutcome> m_messages;
};

} // namespace smtls::gui
