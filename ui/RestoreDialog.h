#pragma once
// The confirmation of "Restore the files as they were before change …": what it does to the
// files as they are now (the diff), and every later change it throws away, by name. The default
// button keeps the files (Enter never discards work by surprise); the restoring one says how many
// later changes go.

#include "SnapshotStore.h"

#include <QDialog>

namespace smtls::gui {

class RestoreDialog : public QDialog {
    Q_OBJECT
public:
    RestoreDialog(const QString &hostName, const Snapshot &snapshot, const QList<Snapshot> &discarded, const QString &diff,
                  QWidget *parent = nullptr);
};

} // namespace smtls::gui
