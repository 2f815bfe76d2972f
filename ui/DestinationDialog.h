#pragma once
// Add or edit one destination exception: the server (name, domain, address or prefix), TLS on,
// off or inherit (= remove the rule), and why. The destination is checked as it is typed.

#include "PolicyEditor.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace smtls::gui {

class DestinationDialog : public QDialog {
    Q_OBJECT
public:
    // `existing`: editing that destination (it cannot be renamed, only its setting changed).
    explicit DestinationDialog(QWidget *parent = nullptr, const DestinationRule *existing = nullptr);

    Destination destination() const;
    TlsSetting setting() const;
    QString reason() const;
    // For tests and scripted use.
    void setValues(const QString &destination, TlsSetting setting, const QString &reason);

private:
    void validate();

    QLineEdit *m_destination;
    QComboBox *m_setting;
    QLineEdit *m_reason;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
};

} // namespace smtls::gui
