#pragma once
// Add or edit an SSH host: name, group, address (or ssh_config alias), port, user, how to log
// in, and the system profile ("auto" detects it on connect).

#include "HostEntry.h"

#include <QDialog>

class QComboBox;
class QLineEdit;
class QSpinBox;

namespace smtls::gui {

class HostDialog : public QDialog {
    Q_OBJECT
public:
    explicit HostDialog(const HostEntry &entry, QWidget *parent = nullptr);
    HostEntry entry() const;

private:

    HostEntry m_entry;
    QLineEdit *m_name;
    QLineEdit *m_group;
    QLineEdit *m_address;
    QSpinBox *m_port;
    QLineEdit *m_user;
    QComboBox *m_auth;
    QLineEdit *m_identity;
    QComboBox *m_profile;
};

} // namespace smtls::gui
