#include "DestinationDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace smtls::gui {

DestinationDialog::DestinationDialog(QWidget *parent, const DestinationRule *existing)
    : QDialog(parent), m_destination(new QLineEdit(this)), m_setting(new QComboBox(this)), m_reason(new QLineEdit(this)),
      m_error(new QLabel(this)), m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("destinationDialog"));
    setWindowTitle(existing ? QStringLiteral("Edit exception") : QStringLiteral("Add exception"));
    auto *form = new QFormLayout(this);
    m_destination->setObjectName(QStringLiteral("destination"));
    m_destination->setPlaceholderText(QStringLiteral("mx.example.com, example.com, 192.0.2.25 or 192.0.2"));
    m_destination->setToolTip(QStringLiteral("The server sendmail connects to (MX host or relay): a host name, a parent "
                                             "domain, an IPv4/IPv6 address or an address prefix"));
    m_setting->setObjectName(QStringLiteral("setting"));
    m_setting->addItem(QStringLiteral("TLS off (do not try STARTTLS)"), int(TlsSetting::Off));
    m_setting->addItem(QStringLiteral("TLS on (try STARTTLS)"), int(TlsSetting::On));
    m_setting->addItem(QStringLiteral("Inherit (remove the rule)"), int(TlsSetting::Inherit));
    m_reason->setObjectName(QStringLiteral("reason"));
    m_reason->setPlaceholderText(QStringLiteral("e.g. their certificate expired, ticket #123"));
    m_reason->setToolTip(QStringLiteral("Written into the note above the rule, with today's date"));
    m_error->setObjectName(QStringLiteral("error"));
    m_error->setWordWrap(true);
    form->addRow(QStringLiteral("&Destination:"), m_destination);
    form->addRow(QStringLiteral("&TLS:"), m_setting);
    form->addRow(QStringLiteral("&Why:"), m_reason);
    form->addRow(m_error);
    form->addRow(m_buttons);
    if (existing) {
        m_destination->setText(QString::fromLatin1(existing->destination.key));
        m_destination->setReadOnly(true);
        m_setting->setCurrentIndex(existing->tls ? 1 : 0);
    }
    connect(m_destination, &QLineEdit::textChanged, this, &DestinationDialog::validate);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    validate();
}

void DestinationDialog::validate()
{
    const Result<Destination> d = parseDestination(m_destination->text().trimmed());
    const bool ok = d.ok() && !d->isDefault();
    m_error->setText(m_destination->text().isEmpty() || ok ? QString()
                     : d.ok() ? QStringLiteral("Use the global switch for all servers.") : d.error().message);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(ok);
}

Destination DestinationDialog::destination() const
{
    const Result<Destination> d = parseDestination(m_destination->text().trimmed());
    return d ? *d : Destination{};
}

TlsSetting DestinationDialog::setting() const { return TlsSetting(m_setting->currentData().toInt()); }
QString DestinationDialog::reason() const { return m_reason->text().trimmed(); }

void DestinationDialog::setValues(const QString &destination, TlsSetting setting, const QString &reason)
{
    m_destination->setText(destination);
    m_setting->setCurrentIndex(m_setting->findData(int(setting)));
    m_reason->setText(reason);
}

} // namespace smtls::gui
