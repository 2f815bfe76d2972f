#pragma once
// The Queue view's table: one row per server that has stuck mail (StuckMail, as read from the
// host), the TLS handshake failures first, then one row for the messages whose server is
// unknown. A row is a server, never a message: a queue of thousands of messages is a handful of
// rows, and each row shows its queue ids elided ("6B27RG3p002244, … and 997 more").

#include "delivery/StuckMail.h"

#include <QAbstractTableModel>
#include <QDateTime>

#include <memory>

namespace smtls::gui {

class StuckServersModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { ServerColumn, TlsColumn, MessagesColumn, OldestColumn, DomainsColumn, IdsColumn, StatusColumn, ColumnCount };
    enum Role {
        TlsFailureRole = Qt::UserRole + 1,  // bool: the server's last attempt failed the TLS handshake
        ServerNameRole,                     // QString: the server (empty on the unknown-server row)
    };

    explicit StuckServersModel(QObject *parent = nullptr);

    // NOW is when the ages are counted from (the current time when invalid; tests fix it).
    void setStuckMail(std::shared_ptr<const StuckMail> stuck, const QDateTime &now = {});
    const std::shared_ptr<const StuckMail> &stuckMail() const { return m_stuck; }

    // The server of ROW; null for the unknown-server row (and out of range).
    const StuckServer *serverAt(int row) const;
    bool isUnknownServerRow(int row) const;
    // The row of SERVER (case-insensitive), or -1.
    int rowOf(const QString &server) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // "12 min", "3 h", "2 days": how long ago SINCE was, as an admin reads a queue's age.
    static QString age(const QDateTime &since, const QDateTime &now);
    // The first SHOWN items and how many more: "a, b, c and 997 more".
    static QString elided(const QStringList &items, int shown);

private:
    // The messages no server could be found for, summed up as one row.
    struct UnknownRow {
        int messages = 0;
        QDateTime oldest;
        QStringList domains;
        QStringList ids;
        QString lastStatus;
    };
    QString text(int row, int column) const;
    QString toolTip(int row, int column) const;

    std::shared_ptr<const StuckMail> m_stuck;
    std::optional<UnknownRow> m_unknown;
    QDateTime m_now;
};

} // namespace smtls::gui
