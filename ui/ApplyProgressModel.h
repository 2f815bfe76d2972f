#pragma once
// Per-host progress of an apply: the step running now, then the result and why.

#include "apply/ApplyReport.h"

#include <QAbstractTableModel>

namespace smtls::gui {

class ApplyProgressModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { HostColumn, StepColumn, ResultColumn, ColumnCount };

    explicit ApplyProgressModel(QObject *parent = nullptr);
    void setHosts(const QStringList &hosts);
    void updateStep(const QString &host, const StepRecord &step);
    void finish(const ApplyReport &report);
    bool allFinished() const;
    std::optional<ApplyReport> reportFor(const QString &host) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString host;
        QString step;
        std::optional<ApplyReport> report;
    };
    int rowOf(const QString &host) const;
    QList<Row> m_rows;
};

} // namespace smtls::gui
