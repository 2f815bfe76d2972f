#include "DestinationDialog.h"

#include "DestinationRulesModel.h"
#include "HostSession.h"
#include "MxSuggestion.h"
#include "ProbeDialog.h"
#include "delivery/StartTlsProbe.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QVBoxLayout>
#include <QCoreApplication>

namespace smtls::gui {

namespace {

// What each choice costs, in one sentence.
QString settingHelp(TlsSetting setting)
{
    switch (setting) {
    case TlsSetting::Off:
        return QCoreApplication::translate("DestinationDialog", "Mail to this destination goes in clear text, even once its TLS works again, until the exception ends.");
    case TlsSetting::Fallback:
        return QCoreApplication::translate("DestinationDialog", "STARTTLS is tried; when the handshake fails the delivery is retried in clear text at once: "
                              "nothing gets stuck, but that mail travels unencrypted (sendmail 8.16 or later).");
    case TlsSetting::On:
        return QCoreApplication::translate("DestinationDialog", "STARTTLS is tried; when the handshake fails the mail stays in the queue until it succeeds.");
    case TlsSetting::Inherit:
        return QCoreApplication::translate("DestinationDialog", "The exception is removed: the destination follows the global switch (or a parent domain's exception).");
    }
    return {};
}

// The expiry a new exception gets: a week for off and fallback (meant to be temporary), none for
// on (what every server gets anyway, unless TLS is off for all).
constexpr int DefaultExpiryDays = 7;

} // namespace

DestinationDialog::DestinationDialog(QWidget *parent, const DestinationRule *existing)
    : QDialog(parent), m_destination(new QLineEdit(this)),
      m_probe(new QPushButton(tr("&Probe…"), this)), m_mx(new MxSuggestion(this)), m_setting(new QComboBox(this)), m_settingHelp(new QLabel(this)),
      m_expiry(new QButtonGroup(this)), m_expiresIn(new QRadioButton(tr("&In"), this)), m_amount(new QSpinBox(this)),
      m_unit(new QComboBox(this)), m_expiresOn(new QRadioButton(tr("&Until"), this)), m_date(new QDateEdit(this)),
      m_expiresNever(new QRadioButton(tr("Ne&ver"), this)), m_reason(new QLineEdit(this)), m_noteReplaced(new QLabel(this)), m_error(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("destinationDialog"));
    setWindowTitle(existing ? tr("Edit exception") : tr("Add exception"));
    auto *top = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    // Fields grow with the dialog; labels stay beside them (not above, as some styles wrap).
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    const QFontMetrics fm = fontMetrics();

    m_destination->setObjectName(QStringLiteral("destination"));
    m_destination->setPlaceholderText(tr("mx.example.com, example.com, 192.0.2.25 or 192.0.2"));
    m_destination->setToolTip(tr("The server sendmail connects to (MX host or relay): a host name, a parent "
                                             "domain, an IPv4/IPv6 address or an address prefix"));
    m_setting->setObjectName(QStringLiteral("setting"));
    m_setting->addItem(QIcon(QStringLiteral(":/icons/tls-off.svg")), tr("Off: do not try STARTTLS"), int(TlsSetting::Off));
    m_setting->addItem(QIcon(QStringLiteral(":/icons/tls-fallback.svg")),
                       tr("Fallback: try STARTTLS, clear text if the handshake fails"), int(TlsSetting::Fallback));
    m_setting->addItem(QIcon(QStringLiteral(":/icons/tls-on.svg")), tr("On: try STARTTLS"), int(TlsSetting::On));
    m_setting->addItem(tr("Inherit: remove the exception"), int(TlsSetting::Inherit));
    m_settingHelp->setObjectName(QStringLiteral("settingHelp"));
    m_settingHelp->setWordWrap(true);

    // When it ends: in a number of days or hours, on a day, never (as --expires, --until, none).
    m_amount->setObjectName(QStringLiteral("expiresAmount"));
    m_amount->setRange(1, 9999);  // the core says what is too long, as it does for --expires
    m_amount->setValue(DefaultExpiryDays);
    m_amount->setAccessibleName(tr("Expires in"));
    m_unit->setObjectName(QStringLiteral("expiresUnit"));
    m_unit->addItem(tr("days"), QStringLiteral("d"));
    m_unit->addItem(tr("hours"), QStringLiteral("h"));
    m_unit->setAccessibleName(tr("Unit"));
    m_date->setObjectName(QStringLiteral("expiresDate"));
    m_date->setCalendarPopup(true);
    m_date->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    m_date->setDate(QDate::currentDate().addDays(DefaultExpiryDays));
    m_date->setAccessibleName(tr("Expires on"));
    m_date->setToolTip(tr("The exception ends when this day begins (this computer's time zone)"));
    m_expiresIn->setObjectName(QStringLiteral("expiresIn"));
    m_expiresOn->setObjectName(QStringLiteral("expiresOn"));
    m_expiresNever->setObjectName(QStringLiteral("expiresNever"));
    m_expiresNever->setToolTip(tr("The exception stays until someone removes it"));
    m_expiry->addButton(m_expiresIn, ExpiresIn);
    m_expiry->addButton(m_expiresOn, ExpiresOn);
    m_expiry->addButton(m_expiresNever, ExpiresNever);
    auto *expiryBox = new QWidget(this);
    expiryBox->setObjectName(QStringLiteral("expiry"));
    auto *expiryGrid = new QGridLayout(expiryBox);
    expiryGrid->setContentsMargins({});
    expiryGrid->addWidget(m_expiresIn, 0, 0);
    expiryGrid->addWidget(m_amount, 0, 1);
    expiryGrid->addWidget(m_unit, 0, 2);
    expiryGrid->addWidget(m_expiresOn, 1, 0);
    expiryGrid->addWidget(m_date, 1, 1, 1, 2);
    expiryGrid->addWidget(m_expiresNever, 2, 0, 1, 3);
    expiryGrid->setColumnStretch(3, 1);
    if (existing && !existing->expires.isEmpty()) {
        // Editing an exception that ends by itself: keeping that moment is the first choice.
        m_current = Expiry::fromIso(existing->expires);
        if (m_current && !m_current->passed(QDateTime::currentDateTimeUtc())) {
            m_expiresAsNow = new QRadioButton(tr("&Keep: %1 (%2)")
                                                  .arg(DestinationRulesModel::relativeExpiry(existing->expires, {}), existing->expires),
                                              this);
            m_expiresAsNow->setObjectName(QStringLiteral("expiresKeep"));
            m_expiry->addButton(m_expiresAsNow, ExpiresAsNow);
            expiryGrid->addWidget(m_expiresAsNow, 3, 0, 1, 4);
        }
    }

    m_reason->setObjectName(QStringLiteral("reason"));
    m_reason->setPlaceholderText(tr("e.g. their certificate expired, ticket #123"));
    m_reason->setToolTip(tr("Written into the note above the rule, with today's date, and kept with the snapshot"));
    m_error->setObjectName(QStringLiteral("error"));
    m_error->setWordWrap(true);
    // Room for two lines of explanation at least: the dialog does not jump as the typing is
    // checked. Their heights follow their texts (fitHeight).
    m_error->setMinimumHeight(fm.lineSpacing() * 2);
    m_settingHelp->setMinimumHeight(fm.lineSpacing() * 2);
    // Room left from a longer text earlier goes below the text, not around it.
    m_settingHelp->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_error->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    // Wide enough for the placeholders: a field that cuts its own example explains nothing.
    const int fieldWidth = std::max(fm.horizontalAdvance(m_destination->placeholderText()), fm.horizontalAdvance(m_reason->placeholderText()))
        + fm.averageCharWidth() * 4;
    m_destination->setMinimumWidth(fieldWidth);
    m_reason->setMinimumWidth(fieldWidth);

    m_probe->setObjectName(QStringLiteral("probeServer"));
    m_probe->setAutoDefault(false);  // Enter in the fields is OK
    m_probe->setToolTip(tr("Does this server offer STARTTLS, and does the handshake work? Asked from the host and "
                                       "from this computer, side by side"));
    auto *destinationRow = new QHBoxLayout;
    destinationRow->addWidget(m_destination, 1);
    destinationRow->addWidget(m_probe);
    auto *destinationLabel = new QLabel(tr("&Destination:"), this);
    destinationLabel->setBuddy(m_destination);  // a row of two widgets gets no buddy by itself
    form->addRow(destinationLabel, destinationRow);
    form->addRow(QString(), m_mx);
    form->addRow(tr("&TLS:"), m_setting);
    form->addRow(QString(), m_settingHelp);
    auto *expiryLabel = new QLabel(tr("Expires:"), this);
    form->addRow(expiryLabel, expiryBox);
    form->addRow(tr("&Why:"), m_reason);
    m_noteReplaced->setObjectName(QStringLiteral("noteReplaced"));
    m_noteReplaced->setWordWrap(true);
    m_noteReplaced->setTextFormat(Qt::PlainText);
    m_noteReplaced->hide();
    form->addRow(QString(), m_noteReplaced);
    top->addLayout(form);
    top->addWidget(m_error);
    top->addStretch(1);  // room left from a longer text earlier goes here, above the buttons
    top->addWidget(m_buttons);
    if (existing) {
        m_destination->setText(QString::fromLatin1(existing->destination.key));
        m_destination->setReadOnly(true);
        const TlsSetting now = !existing->tls ? TlsSetting::Off : existing->fallback ? TlsSetting::Fallback : TlsSetting::On;
        m_setting->setCurrentIndex(m_setting->findData(int(now)));
        // What the rule says now: its expiry kept, or none (a new expiry is a choice, not a side
        // effect of editing the reason).
        m_updating = true;
        (m_expiresAsNow ? m_expiresAsNow : m_expiresNever)->setChecked(true);
        m_updating = false;
        m_expiryTouched = m_expiresAsNow != nullptr;
        // Its reason as the note says it, to keep or change; and that saving writes a new note
        // (with today's date) in place of the old one, quoted so that nothing goes unnoticed.
        const QString note = existing->note.isEmpty() ? existing->featuresNote : existing->note;
        if (!note.isEmpty()) {
            m_reason->setText(DestinationRulesModel::splitNote(note).second);
            m_noteReplaced->setText(tr("Saving replaces the note above the rule, which says: \"%1\"").arg(note));
            m_noteReplaced->show();
        }
    } else {
        m_setting->setCurrentIndex(m_setting->findData(int(TlsSetting::Off)));
        selectExpiry(ExpiresIn);
    }

    connect(m_destination, &QLineEdit::textChanged, this, &DestinationDialog::destinationTyped);
    m_mx->setField(m_destination);
    connect(m_mx, &MxSuggestion::serverChosen, m_destination, &QLineEdit::setText);
    connect(m_mx, &MxSuggestion::shownChanged, this, &DestinationDialog::fitHeight);
    connect(m_probe, &QPushButton::clicked, this, &DestinationDialog::probeServer);
    connect(m_setting, &QComboBox::currentIndexChanged, this, &DestinationDialog::settingChanged);
    connect(m_expiry, &QButtonGroup::idClicked, this, &DestinationDialog::expiryTouched);
    connect(m_amount, &QSpinBox::valueChanged, this, &DestinationDialog::expiryTouched);
    connect(m_unit, &QComboBox::activated, this, &DestinationDialog::expiryTouched);
    connect(m_date, &QDateEdit::dateChanged, this, &DestinationDialog::expiryTouched);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    m_settingHelp->setText(settingHelp(setting()));
    validate();
}

void DestinationDialog::setFallbackUnavailable(const QString &why)
{
    m_fallbackUnavailable = why;
    auto *model = qobject_cast<QStandardItemModel *>(m_setting->model());
    if (QStandardItem *item = model ? model->item(m_setting->findData(int(TlsSetting::Fallback))) : nullptr) {
        item->setEnabled(why.isEmpty());
        item->setToolTip(why);
    }
    validate();
}

void DestinationDialog::setSession(HostSession *session)
{
    m_session = session;
    m_mx->setSession(session);
}

void DestinationDialog::destinationTyped()
{
    if (!m_destination->isReadOnly())
        m_mx->setTyped(m_destination->text());
    validate();
}

QString DestinationDialog::probeTarget() const
{
    // A name or a whole address; a prefix (192.0.2) or a recipient names no server.
    const Result<Destination> d = parseDestination(m_destination->text().trimmed());
    if (!d || d->isDefault())
        return {};
    if (d->kind == DestinationKind::IPv4 && d->key.count('.') != 3)
        return {};
    if (d->kind == DestinationKind::IPv6 && canonicalIPv6(d->key).isEmpty())
        return {};
    const QString server = d->kind == DestinationKind::IPv6 ? QString::fromLatin1(canonicalIPv6(d->key, IPv6Form::Compressed))
                                                            : QString::fromLatin1(d->key);
    return probeServerName(server) ? server : QString();
}

ProbeDialog *DestinationDialog::probeServer()
{
    const QString server = probeTarget();
    if (server.isEmpty())
        return nullptr;
    auto *dialog = new ProbeDialog(m_session, server, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

void DestinationDialog::settingChanged()
{
    const TlsSetting s = setting();
    m_settingHelp->setText(settingHelp(s));  // validate() below fits the height to it
    // Until the user picks an expiry, it follows the setting: off and fallback are meant to be
    // temporary.
    if (!m_expiryTouched)
        selectExpiry(s == TlsSetting::Off || s == TlsSetting::Fallback ? ExpiresIn : ExpiresNever);
    validate();
}

void DestinationDialog::expiryTouched()
{
    if (m_updating)
        return;
    m_expiryTouched = true;
    validate();
}

void DestinationDialog::selectExpiry(ExpiryChoice choice)
{
    m_updating = true;
    if (choice == ExpiresIn) {
        m_amount->setValue(DefaultExpiryDays);
        m_unit->setCurrentIndex(0);
    }
    if (QAbstractButton *b = m_expiry->button(choice))
        b->setChecked(true);
    m_updating = false;
}

Result<std::optional<Expiry>> DestinationDialog::expires() const
{
    if (setting() == TlsSetting::Inherit)
        return std::optional<Expiry>();
    switch (m_expiry->checkedId()) {
    case ExpiresIn: {
        const Result<Expiry> e = expiryFromDuration(QString::number(m_amount->value()) + m_unit->currentData().toString(),
                                                    QDateTime::currentDateTimeUtc());
        if (!e)
            return e.error();
        return std::optional<Expiry>(*e);
    }
    case ExpiresOn: {
        const Result<Expiry> e = expiryFromDate(m_date->date().toString(Qt::ISODate), QDate::currentDate());
        if (!e)
            return e.error();
        return std::optional<Expiry>(*e);
    }
    case ExpiresAsNow:
        if (m_current && m_current->passed(QDateTime::currentDateTimeUtc()))
            return makeError(ErrorKind::InvalidInput, tr("%1 has passed meanwhile: pick a new expiry").arg(m_current->iso()));
        return m_current;
    default: return std::optional<Expiry>();
    }
}

void DestinationDialog::validate()
{
    const bool inherit = setting() == TlsSetting::Inherit;
    for (QWidget *w : m_expiry->buttons())
        w->setEnabled(!inherit);
    m_amount->setEnabled(!inherit && m_expiresIn->isChecked());
    m_unit->setEnabled(!inherit && m_expiresIn->isChecked());
    m_date->setEnabled(!inherit && m_expiresOn->isChecked());

    const Result<Destination> d = parseDestination(m_destination->text().trimmed());
    const bool destinationOk = d.ok() && !d->isDefault();
    QString error;
    if (!m_destination->text().isEmpty() && !destinationOk)
        error = d.ok()                ? tr("Use the global switch for all servers.")
            : m_mx->typedAddress() ? tr("A recipient address is not a destination: choose the server its mail goes to.")
                                      : d.error().message;
    else if (setting() == TlsSetting::Fallback && !m_fallbackUnavailable.isEmpty())
        error = m_fallbackUnavailable;
    bool expiryOk = true;
    if (error.isEmpty()) {
        const Result<std::optional<Expiry>> e = expires();
        expiryOk = e.ok();
        if (!e)
            error = e.error().message;
    }
    m_error->setText(error);
    m_probe->setEnabled(!probeTarget().isEmpty());
    fitHeight();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(destinationOk && expiryOk
                                                        && !(setting() == TlsSetting::Fallback && !m_fallbackUnavailable.isEmpty()));
}

void DestinationDialog::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    fitHeight();
}

void DestinationDialog::resizeEvent(QResizeEvent *event)
{
    QDialog::resizeEvent(event);
    fitHeight();
}

void DestinationDialog::fitHeight()
{
    if (!isVisible())
        return;
    // Each wrapped text as high as it is at its width now; the window's minimum follows from
    // the layout (and grows the window when it must), extra room goes to the stretch.
    const int twoLines = fontMetrics().lineSpacing() * 2;
    for (QLabel *label : {m_settingHelp, m_error}) {
        const int needed = std::max(twoLines, label->heightForWidth(label->width()));
        if (label->height() != needed || label->minimumHeight() != needed)
            label->setFixedHeight(needed);
    }
}

void DestinationDialog::accept()
{
    validate();
    if (m_buttons->button(QDialogButtonBox::Ok)->isEnabled())
        QDialog::accept();
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
