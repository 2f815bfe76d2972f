#pragma once
// Add or edit an SSH host: name, group, address (or ssh_config alias), port, user, how to log
// in (a key file chosen with a file picker), the ssh_config and known_hosts files it is read
// with, and the system profile ("auto" detects it on connect). Test connection logs in on a
// worker with exactly what the form says (host key check included) and says what happened.

#include "HostEntry.h"

#include <QDialog>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace smtls::gui {

class HostConnector;

class HostDialog : public QDialog {
    Q_OBJECT
public:
    // Without a connector there is nothing to test with: the button is hidden.
    explicit HostDialog(const HostEntry &entry, std::shared_ptr<const HostConnector> connector = {}, QWidget *parent = nullptr);
    explicit HostDialog(const HostEntry &entry, QWidget *parent) : HostDialog(entry, {}, parent) {}
    HostEntry entry() const;

    // Starts the test (as the button does); testFinished tells its end.
    void testConnection();
    bool testRunning() const { return m_testing; }
    QString testResult() const;

Q_SIGNALS:
    void testFinished(bool ok);

private:
    QWidget *withPicker(QLineEdit *field, const QString &objectName, const QString &title, const QString &filter);
    void showTestResult(quint64 generation, bool ok, const QString &text);

    HostEntry m_entry;
    std::shared_ptr<const HostConnector> m_connector;
    QLineEdit *m_name;
    QLineEdit *m_group;
    QLineEdit *m_address;
    QSpinBox *m_port;
    QLineEdit *m_user;
    QComboBox *m_auth;
    QLineEdit *m_identity;
    QWidget *m_identityRow;
    QLineEdit *m_sshConfig;
    QLineEdit *m_knownHosts;
    QComboBox *m_profile;
    QPushButton *m_test;
    QLabel *m_testResult;
    bool m_testing = false;
    quint64 m_generation = 0;  // a form changed or a new test makes an older answer stale
};

} // namespace smtls::gui
