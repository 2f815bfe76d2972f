#include "HostKeyDialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace smtls::gui {

HostKeyDialog::HostKeyDialog(const HostKeyQuestion &q, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Unknown host key"));
    setObjectName(QStringLiteral("hostKeyDialog"));
    auto *layout = new QVBoxLayout(this);
    auto *text = new QLabel(tr("<p>The host <b>%1</b> (port %2) is not in your known hosts file yet.</p>"
                                           "<p>Compare this fingerprint with the one the server's administrator gives you "
                                           "(<tt>ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub</tt> on the server):</p>")
                                .arg(q.host.toHtmlEscaped())
                                .arg(q.port), this);
    text->setWordWrap(true);
    layout->addWidget(text);
    auto *fingerprint = new QLabel(q.keyType + QLatin1Char(' ') + q.fingerprint, this);
    fingerprint->setObjectName(QStringLiteral("fingerprint"));
    fingerprint->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    QFont mono = fingerprint->font();
    mono.setFamily(QStringLiteral("monospace"));
    fingerprint->setFont(mono);
    layout->addWidget(fingerprint);
    auto *buttons = new QDialogButtonBox(this);
    QPushButton *once = buttons->addButton(tr("Accept &once"), QDialogButtonBox::AcceptRole);
    QPushButton *always = buttons->addButton(tr("Accept and &remember"), QDialogButtonBox::AcceptRole);
    QPushButton *cancel = buttons->addButton(tr("&Do not connect"), QDialogButtonBox::RejectRole);  // named: Enter says what it does
    once->setObjectName(QStringLiteral("acceptOnceButton"));
    once->setToolTip(tr("Trusts this key until the program ends; nothing is written"));
    always->setObjectName(QStringLiteral("acceptAlwaysButton"));
    cancel->setObjectName(QStringLiteral("cancelButton"));
    always->setToolTip(tr("Adds the key to %1").arg(q.knownHostsFile));
    cancel->setDefault(true);  // the safe answer is the default one
    connect(once, &QPushButton::clicked, this, [this] { m_answer = HostKeyAnswer::AcceptOnce; accept(); });
    connect(always, &QPushButton::clicked, this, [this] { m_answer = HostKeyAnswer::AcceptAlways; accept(); });
    connect(cancel, &QPushButton::clicked, this, &QDialog::reject);
    layout->addWidget(buttons);
}

} // namespace smtls::gui
