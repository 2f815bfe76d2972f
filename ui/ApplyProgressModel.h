#pragma once
// Per-host progress of an apply, then its result: one row per host (the step running now, then
// the outcome and why — the cause and the state after a failure), and under it one row per
// step, so that the steps are there to expand, not only in a tooltip.

#include "apply/ApplyReport.h"

#include <QAbstractItemModel>

#include <optional>

namespace smtls::gui {

class ApplyProgressModel : public QAbstractItemModel {
    Q_OBJECT
public:
    // Host rows: host, its step now, its result. Step rows: the step, its state and time, what
    // it said.
    enum Column { HostColumn, StepColumn, ResultColumn, ColumnCount };

    explicit ApplyProgressModel(QObject *parent = nullptr);
    void setHosts(const QStringList &hosts);
    // HOST runs again (Retry): its result and steps go, the others stay.
    void restartHost(const QString &host);
    void updateStep(const QString &host, const StepRecord &step);
    void finish(const ApplyReport &report);
    bool allFinished() const;
    std::optional<ApplyReport> reportFor(const QString &host) const;
    QStringList hosts() const;
    QModelIndex hostIndex(const QString &host, int column = HostColumn) const;

    // "Rolled back: <summary>" — the outcome once, then the sentence that says why.
    static QString resultText(const ApplyReport &report);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString host;
        std::optional<StepRecord> running;  // the step running now
        QList<StepRecord> steps;            // as they end; the report's once finished
        std::optional<ApplyReport> report;
    };
    int rowOf(const QString &host) const;
    void setSteps(int row, const QList<StepRecord> &steps);
    QVariant hostData(const Row &r, int column, int role) const;
    QVariant stepData(const StepRecord &s, int column, int role) const;
    QList<Row> m_rows;
};

} // namespace smtls::gui
