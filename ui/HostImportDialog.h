#pragma once
// File → Import hosts from ssh_config…: the Host aliases of an ssh_config file (Include
// followed, read as the connection reads it: ssh/SshConfig), as a checklist. Nothing is checked
// at first; aliases already in the host list are shown but cannot be checked again. Only the
// checked ones are imported.

#include "HostEntry.h"

#include <QDialog>

class QLabel;
class QListView;
class QPushButton;
class QStandardItemModel;

namespace smtls::gui {

class HostImportDialog : public QDialog {
    Q_OBJECT
public:
    // file: empty = ~/.ssh/config in the passwd home; known: addresses already listed.
    explicit HostImportDialog(const QString &file, const QStringList &known, QWidget *parent = nullptr);

    // The checked aliases, in file order.
    QList<HostEntry> chosen() const;
    QStandardItemModel *model() const { return m_model; }
    // Checks the alias NAME (for the keyboard-free tests and the screenshot tour).
    bool check(const QString &name, bool on = true);

private:
    void updateButton();

    QList<HostEntry> m_found;
    QStandardItemModel *m_model;
    QListView *m_view;
    QLabel *m_summary;
    QPushButton *m_import;
};

} // namespace smtls::gui
