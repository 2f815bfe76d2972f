#pragma once
// A password, passphrase or keyboard-interactive answer, with "remember in the system keychain"
// when QtKeychain is available (the box is hidden otherwise: nothing is stored in clear text).

#include <QDialog>

class QCheckBox;
class QLineEdit;

namespace smtls::gui {

// What a secret is for: logging in (password, key passphrase) or, once logged in, sudo.
enum class SecretPurpose { Login, Sudo };

class SecretDialog : public QDialog {
    Q_OBJECT
public:
    SecretDialog(const QString &hostName, const QString &prompt, bool echo, bool offerKeychain,
                 SecretPurpose purpose = SecretPurpose::Login, QWidget *parent = nullptr);
    QString secret() const;
    bool remember() const;

private:
    QLineEdit *m_edit;
    QCheckBox *m_remember;
};

} // namespace smtls::gui
