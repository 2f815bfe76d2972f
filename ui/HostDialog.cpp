#include "HostDialog.h"

#include "HostConnector.h"
#include "WorkerPool.h"
#include "apply/HostProfile.h"
#ifdef SMTLS_HAVE_SSH
#include "ssh/SshConfig.h"
#endif

#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QtConcurrent/QtConcurrentRun>

namespace smtls::gui {

namespace {
QString sshDir()
{
#ifdef SMTLS_HAVE_SSH
    return ssh::sshUserDir();
#else
    return QDir::homePath() + QStringLiteral("/.ssh");
#endif
}

// A field wide enough for its placeholder: the hint must be readable, not cut.
void fitPlaceholder(QLineEdit *field)
{
    field->setMinimumWidth(field->fontMetrics().horizontalAdvance(field->placeholderText()) + 4 * field->fontMetrics().averageCharWidth());
}
} // namespace

HostDialog::HostDialog(const HostEntry &entry, std::shared_ptr<const HostConnector> connector, QWidget *parent)
    : QDialog(parent), m_entry(entry), m_connector(std::move(connector)), m_name(new QLineEdit(entry.name, this)),
      m_group(new QLineEdit(entry.group, this)), m_address(new QLineEdit(entry.address, this)), m_port(new QSpinBox(this)),
      m_user(new QLineEdit(entry.user, this)), m_auth(new QComboBox(this)), m_identity(new QLineEdit(entry.identityFile, this)),
      m_identityRow(nullptr), m_sshConfig(new QLineEdit(entry.sshConfigFile, this)),
      m_knownHosts(new QLineEdit(entry.knownHostsFile, this)), m_profile(new QComboBox(this)),
      m_test(new QPushButton(tr("&Test connection"), this)), m_testResult(new QLabel(this))
{
    setObjectName(QStringLiteral("hostDialog"));
    setWindowTitle(entry.name.isEmpty() ? tr("Add host") : tr("Edit host"));
    auto *form = new QFormLayout(this);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_name->setObjectName(QStringLiteral("hostName"));
    m_address->setObjectName(QStringLiteral("hostAddress"));
    m_port->setObjectName(QStringLiteral("hostPort"));
    m_user->setObjectName(QStringLiteral("hostUser"));
    m_auth->setObjectName(QStringLiteral("hostAuth"));
    m_identity->setObjectName(QStringLiteral("hostKeyFile"));
    m_sshConfig->setObjectName(QStringLiteral("hostSshConfig"));
    m_knownHosts->setObjectName(QStringLiteral("hostKnownHosts"));
    m_test->setObjectName(QStringLiteral("testConnection"));
    m_testResult->setObjectName(QStringLiteral("testResult"));
    m_address->setPlaceholderText(tr("A host name, an address or a Host alias of ssh_config"));
    m_address->setToolTip(tr("A host name, an address, or a Host alias of ~/.ssh/config"));
    m_port->setRange(1, 65535);
    m_port->setValue(entry.port);
    m_user->setPlaceholderText(tr("From ssh_config, else your user name"));
    m_user->setToolTip(tr("Commands run through sudo when this is not root"));
    for (AuthMethod m : {AuthMethod::Agent, AuthMethod::KeyFile, AuthMethod::Password})
        m_auth->addItem(authMethodName(m), int(m));
    m_auth->setCurrentIndex(m_auth->findData(int(entry.auth)));
    m_identity->setPlaceholderText(QStringLiteral("~/.ssh/id_ed25519"));
    m_sshConfig->setPlaceholderText(tr("~/.ssh/config and /etc/ssh/ssh_config"));
    m_sshConfig->setToolTip(tr("The ssh_config file this host's alias is resolved with (as ssh -F FILE)"));
    m_knownHosts->setPlaceholderText(tr("From ssh_config, else ~/.ssh/known_hosts"));
    m_knownHosts->setToolTip(tr("Where this host's key is checked and, when you accept it, remembered"));
    for (QLineEdit *field : {m_address, m_user, m_sshConfig, m_knownHosts})
        fitPlaceholder(field);
    m_profile->addItem(tr("Detect on connect"), QStringLiteral("auto"));
    for (const HostProfile &p : builtInProfiles())
        m_profile->addItem(QCoreApplication::translate("HostProfile", p.displayName.toUtf8().constData()), p.id);  // names from core/apply/HostProfile.cpp
    m_profile->setCurrentIndex(std::max(0, m_profile->findData(entry.profileId)));
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Group:"), m_group);
    form->addRow(tr("&Address:"), m_address);
    form->addRow(tr("&Port:"), m_port);
    form->addRow(tr("&User:"), m_user);
    form->addRow(tr("Log &in with:"), m_auth);
    m_identityRow = withPicker(m_identity, QStringLiteral("chooseKeyFile"), tr("Choose the private key"),
                               tr("Private keys (id_* *.pem *.key);;All files (*)"));
    form->addRow(tr("&Key file:"), m_identityRow);
    form->addRow(tr("ssh_&config file:"),
                 withPicker(m_sshConfig, QStringLiteral("chooseSshConfig"), tr("Choose an ssh_config file"), tr("All files (*)")));
    form->addRow(tr("known_&hosts file:"),
                 withPicker(m_knownHosts, QStringLiteral("chooseKnownHosts"), tr("Choose a known_hosts file"), tr("All files (*)")));
    form->addRow(tr("&System:"), m_profile);

    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_test, 0, Qt::AlignTop);
    m_testResult->setWordWrap(true);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_testResult->setMinimumWidth(m_testResult->fontMetrics().averageCharWidth() * 40);
    testRow->addWidget(m_testResult, 1);
    form->addRow(testRow);
    m_test->setVisible(bool(m_connector));
    m_test->setToolTip(tr("Connect, check the host key and log in with what this form says"));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(entry.name.isEmpty() ? tr("Add host") : tr("Save"));
    buttons->button(QDialogButtonBox::Ok)->setDefault(true);
    m_test->setAutoDefault(false);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_test, &QPushButton::clicked, this, &HostDialog::testConnection);
    const auto update = [this, buttons] {
        m_identityRow->setEnabled(AuthMethod(m_auth->currentData().toInt()) == AuthMethod::KeyFile);
        const bool complete = !m_name->text().trimmed().isEmpty() && !m_address->text().trimmed().isEmpty();
        buttons->button(QDialogButtonBox::Ok)->setEnabled(complete);
        m_test->setEnabled(complete && !m_testing);
    };
    connect(m_auth, &QComboBox::currentIndexChanged, this, update);
    connect(m_name, &QLineEdit::textChanged, this, update);
    connect(m_address, &QLineEdit::textChanged, this, update);
    connect(this, &HostDialog::testFinished, this, update);
    update();
}

QWidget *HostDialog::withPicker(QLineEdit *field, const QString &objectName, const QString &title, const QString &filter)
{
    auto *row = new QWidget(this);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(field, 1);
    auto *choose = new QPushButton(tr("Choose…"), row);
    choose->setObjectName(objectName);
    choose->setAutoDefault(false);
    choose->setAccessibleName(title);
    layout->addWidget(choose);
    connect(choose, &QPushButton::clicked, this, [this, field, title, filter] {
        const QString start = field->text().isEmpty() ? sshDir() : field->text();
        const QString file = QFileDialog::getOpenFileName(this, title, start, filter, nullptr, QFileDialog::DontResolveSymlinks);
        if (!file.isEmpty())
            field->setText(file);
    });
    return row;
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
    e.sshConfigFile = m_sshConfig->text().trimmed();
    e.knownHostsFile = m_knownHosts->text().trimmed();
    e.profileId = m_profile->currentData().toString();
    return e;
}

QString HostDialog::testResult() const { return m_testResult->text(); }

void HostDialog::testConnection()
{
    if (!m_connector || m_testing)
        return;
    m_testing = true;
    m_test->setEnabled(false);
    const HostEntry e = entry();
    m_testResult->setText(tr("Connecting to %1…").arg(e.address));
    const quint64 generation = ++m_generation;
    // The worker holds copies and the shared connector only: the dialog may close meanwhile,
    // and a closed dialog simply drops the answer.
    QPointer<HostDialog> self(this);
    (void)QtConcurrent::run(workerPool(), [self, generation, e, connector = m_connector] {
        Result<Connection> c = connector->connect(e, {}, HostConnector::Details::IfNeeded);
        bool ok = bool(c);
        QString text;
        if (c) {
            const QString login = c->transport ? c->transport->describe() : e.address;
            text = tr("Connected: logged in to %1, host key checked; system: %2.").arg(login, QCoreApplication::translate("HostProfile", c->profile.displayName.toUtf8().constData()));
            if (c->details && !c->details->sendmailVersion.isEmpty())
                text += tr(" Sendmail %1.").arg(c->details->sendmailVersion);
        } else {
            text = tr("Failed: %1").arg(c.error().describe());
        }
        QMetaObject::invokeMethod(qApp, [self, generation, ok, text] {
            if (self)
                self->showTestResult(generation, ok, text);
        }, Qt::QueuedConnection);
    });
}

void HostDialog::showTestResult(quint64 generation, bool ok, const QString &text)
{
    if (generation != m_generation)
        return;
    m_testing = false;
    m_testResult->setText(text);
    adjustSize();  // the answer may wrap onto more lines: the dialog grows to show it all
    Q_EMIT testFinished(ok);
}

} // namespace smtls::gui
