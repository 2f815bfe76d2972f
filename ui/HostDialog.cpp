#include "HostDialog.h"

#include "apply/HostProfile.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace smtls::gui {

HostDialog::HostDialog(const HostEntry &entry, QWidget *parent)
    : QDialog(parent), m_entry(entry), m_name(new QLineEdit(entry.name, this)), m_group(new QLineEdit(entry.group, this)),
      m_address(new QLineEdit(entry.address, this)), m_port(new QSpinBox(this)), m_user(new QLineEdit(entry.user, this)),
      m_auth(new QComboBox(this)), m_identity(new QLineEdit(entry.identityFile, this)), m_profile(new QComboBox(this))
{
    setObjectName(QStringLiteral("hostDialog"));
    setWindowTitle(entry.name.isEmpty() ? QStringLiteral("Add host") : QStringLiteral("Edit host"));
    auto *form = new QFormLayout(this);
    m_address->setToolTip(QStringLiteral("A host name, an address, or a Host alias of ~/.ssh/config"));
    m_port->setRange(1, 65535);
    m_port->setValue(entry.port);
    m_user->setPlaceholderText(QStringLiteral("from ~/.ssh/config, else your user name"));
    m_user->setToolTip(QStringLiteral("Commands run through sudo when this is not root"));
    for (AuthMethod m : {AuthMethod::Agent, AuthMethod::KeyFile, AuthMethod::Password})
        m_auth->addItem(authMethodName(m), int(m));
    m_auth->setCurrentIndex(m_auth->findData(int(entry.auth)));
    m_identity->setPlaceholderText(QStringLiteral("~/.ssh/id_ed25519"));
    m_profile->addItem(QStringLiteral("Detect on connect"), QStringLiteral("auto"));
    for (const HostProfile &p : builtInProfiles())
        m_profile->addItem(p.displayName, p.id);
    m_profile->setCurrentIndex(std::max(0, m_profile->findData(entry.profileId)));
    form->addRow(QStringLiteral("&Name:"), m_name);
    form->addRow(QStringLiteral("&Group:"), m_group);
    form->addRow(QStringLiteral("&Address:"), m_address);
    form->addRow(QStringLiteral("&Port:"), m_port);
    form->addRow(QStringLiteral("&User:"), m_user);
    form->addRow(QStringLiteral("Log &in with:"), m_auth);
    form->addRow(QStringLiteral("&Key file:"), m_identity);
    form->addRow(QStringLiteral("&System:"), m_profile);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    const auto update = [this, buttons] {
        m_identity->setEnabled(AuthMethod(m_auth->currentData().toInt()) == AuthMethod::KeyFile);
        buttons->button(QDialogButtonBox::Ok)->setEnabled(!m_name->text().trimmed().isEmpty() && !m_address->text().trimmed().isEmpty());
    };
    connect(m_auth, &QComboBox::currentIndexChanged, this, update);
    connect(m_name, &QLineEdit::textChanged, this, update);
    connect(m_address, &QLineEdit::textChanged, this, update);
    update();
}

HostEntry HostDialog::entry() const
{
    HostEntry e = m_entry;
    e.name = m_name->text().trimmed();
    e.group = m_group->text().trimmed();
    e.address = m_address->text().trimmed();
    e.port = m_port->value();
    e.user = m_user->text().trimmed();
    e.auth = AuthMethod(m_auth->currentData().toInt());
    e.identityFile = m_identity->text().trimmed();
    e.profileId = m_profile->currentData().toString();
    return e;
}

} // namespace smtls::gui
