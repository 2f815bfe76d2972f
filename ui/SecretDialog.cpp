#include "SecretDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>

namespace smtls::gui {

SecretDialog::SecretDialog(const QString &hostName, const QString &prompt, bool echo, bool offerKeychain, SecretPurpose purpose,
                           QWidget *parent)
    : QDialog(parent), m_edit(new QLineEdit(this)), m_remember(new QCheckBox(tr("&Remember in the system keychain"), this))
{
    setWindowTitle(purpose == SecretPurpose::Sudo ? tr("Administrator rights on %1").arg(hostName)
                                                  : tr("Log in to %1").arg(hostName));
    setObjectName(QStringLiteral("secretDialog"));
    auto *form = new QFormLayout(this);
    auto *label = new QLabel(prompt.trimmed().isEmpty() ? tr("Password:") : prompt.trimmed(), this);
    label->setWordWrap(true);
    label->setBuddy(m_edit);
    m_edit->setObjectName(QStringLiteral("secretEdit"));
    m_remember->setObjectName(QStringLiteral("rememberBox"));
    m_edit->setEchoMode(echo ? QLineEdit::Normal : QLineEdit::Password);
    form->addRow(label, m_edit);
    m_remember->setVisible(offerKeychain);
    m_remember->setToolTip(tr("Stored by the desktop's secret service, never in a file of this program"));
    form->addRow(m_remember);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
}

QString SecretDialog::secret() const { return m_edit->text(); }
// isHidden, not isVisible: this is asked after exec(), when the whole dialog is hidden.
bool SecretDialog::remember() const { return !m_remember->isHidden() && m_remember->isChecked(); }

} // namespace smtls::gui
