#include "ProbeColumn.h"

#include "Theme.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QCoreApplication>

namespace smtls::gui {

namespace {

bool darkBase(const QPalette &palette) { return palette.color(QPalette::Base).lightness() < 128; }

// Readable on both palettes (WCAG contrast): #2e7d32 on white 5.1:1, #81c784 on the dark base
// 8.9:1; #c62828 on white 5.6:1, #ef9a9a on the dark base 8.5:1.
QColor okColour(const QPalette &p) { return darkBase(p) ? QColor(0x81, 0xc7, 0x84) : QColor(0x2e, 0x7d, 0x32); }
QColor failColour(const QPalette &p) { return darkBase(p) ? QColor(0xef, 0x9a, 0x9a) : QColor(0xc6, 0x28, 0x28); }

struct Row {
    const char *name;
    const char *label;
};
// The rows of both columns, in grid rows 2… (0: the title, 1: the mark). Long values (a
// certificate's names, an error) wrap; the rest are short.
constexpr Row Rows[] = {
    {"address", "Address:"}, {"banner", "Greeting:"}, {"starttls", "STARTTLS offered:"}, {"protocol", "Protocol:"},
    {"cipher", "Cipher:"}, {"subject", "Certificate:"}, {"issuer", "Issued by:"}, {"expires", "Expires:"},
    {"verified", "Verified:"}, {"error", "Error:"}, {"time", "Time taken:"},
};
constexpr int FirstDetailRow = 2;

QString duration(qint64 milliseconds)
{
    if (milliseconds < 1000)
        return QCoreApplication::translate("ProbeColumn", "%1 ms").arg(milliseconds);
    return QStringLiteral("%1 s").arg(QLocale().toString(double(milliseconds) / 1000.0, 'f', 1));
}

} // namespace

void ProbeColumn::addRowNames(QGridLayout *grid, QWidget *parent)
{
    grid->addWidget(new QLabel(tr("Outcome:"), parent), 1, 0, Qt::AlignLeft | Qt::AlignVCenter);
    int row = FirstDetailRow;
    for (const Row &r : Rows)
        grid->addWidget(new QLabel(QLatin1String(r.label), parent), row++, 0, Qt::AlignLeft | Qt::AlignTop);
}

ProbeColumn::ProbeColumn(const QString &name, QGridLayout *grid, int column, QWidget *parent)
    : QObject(parent), m_title(new QLabel(parent)), m_icon(new QLabel(parent)), m_mark(new QLabel(parent)), m_busy(new QProgressBar(parent))
{
    setObjectName(name);
    m_title->setObjectName(name + QStringLiteral("Title"));
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_mark->setObjectName(name + QStringLiteral("Mark"));
    m_mark->setFont(bold);
    m_busy->setRange(0, 0);  // a probe reports no steps
    m_busy->setMaximumWidth(m_busy->fontMetrics().averageCharWidth() * 10);
    m_busy->hide();
    auto *markRow = new QHBoxLayout;
    markRow->setContentsMargins({});
    markRow->setSpacing(m_icon->fontMetrics().averageCharWidth());
    markRow->addWidget(m_icon);
    markRow->addWidget(m_mark, 1);
    markRow->addWidget(m_busy);
    grid->addWidget(m_title, 0, column);
    grid->addLayout(markRow, 1, column);
    int row = FirstDetailRow;
    for (const Row &r : Rows) {
        auto *value = new QLabel(parent);
        value->setObjectName(name + QLatin1Char('.') + QLatin1String(r.name));
        value->setWordWrap(true);
        // Copyable with the mouse; not a Tab stop each (Tab goes from field to button).
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        value->setTextFormat(Qt::PlainText);
        value->setAlignment(Qt::AlignLeft | Qt::AlignTop);
        grid->addWidget(value, row++, column);
        m_details.insert(QLatin1String(r.name), value);
    }
    display({});
}

void ProbeColumn::setTitle(const QString &title) { m_title->setText(title); }
QString ProbeColumn::title() const { return m_title->text(); }

void ProbeColumn::setMark(const QString &icon, const QString &text, const QColor &colour)
{
    const int size = m_icon->fontMetrics().height();
    m_icon->setPixmap(icon.isEmpty() ? QPixmap() : QIcon(QStringLiteral(":/icons/%1.svg").arg(icon)).pixmap(size, size));
    m_mark->setText(text);
    QPalette p = m_mark->palette();
    p.setColor(QPalette::WindowText, colour);
    m_mark->setPalette(p);
}

void ProbeColumn::setDetail(const QString &name, const QString &value)
{
    if (QLabel *label = m_details.value(name))
        label->setText(value.isEmpty() ? QStringLiteral("—") : value);
}

QString ProbeColumn::markText() const { return m_mark->text(); }

QString ProbeColumn::detail(const QString &name) const
{
    const QLabel *label = m_details.value(name);
    return label ? label->text() : QString();
}

void ProbeColumn::showElapsed(qint64 milliseconds)
{
    m_mark->setText(tr("Probing… %1 s").arg(milliseconds / 1000));
}

void ProbeColumn::display(const ProbeSide &side)
{
    using State = ProbeSide::State;
    for (const Row &row : Rows)
        setDetail(QLatin1String(row.name), {});
    m_busy->setVisible(side.state == State::Running);
    const QPalette &p = m_title->palette();  // the mark's own carries its last colour
    switch (side.state) {
    case State::NotStarted: setMark({}, QString(), p.color(QPalette::WindowText)); return;
    case State::Running: setMark(QStringLiteral("pending"), tr("Probing…"), p.color(QPalette::WindowText)); return;
    case State::Cancelled: setMark(QStringLiteral("warning"), tr("Cancelled"), warningColor(p)); return;
    case State::CouldNotRun:
        setMark(QStringLiteral("warning"), tr("Could not probe"), warningColor(p));
        setDetail(QStringLiteral("error"), side.error);
        return;
    case State::Answered: break;
    }
    const ProbeResult &r = side.result;
    if (r.handshake == handshake::Ok)
        setMark(QStringLiteral("ok"), tr("Handshake works"), okColour(p));
    else if (r.handshake == handshake::Failed)
        setMark(QStringLiteral("failed"), tr("Handshake fails"), failColour(p));
    else if (r.handshake == handshake::NotOffered)
        setMark(QStringLiteral("warning"), tr("STARTTLS not offered"), warningColor(p));
    else
        setMark(QStringLiteral("host-unreachable"), tr("No connection"), failColour(p));
    setDetail(QStringLiteral("address"), r.address.isEmpty() ? QString() : tr("%1 port %2").arg(r.address).arg(r.port));
    setDetail(QStringLiteral("banner"), r.banner);
    if (r.handshake != handshake::NoConnection)
        setDetail(QStringLiteral("starttls"), r.starttlsOffered ? tr("Yes") : tr("No"));
    setDetail(QStringLiteral("protocol"), r.protocol);
    setDetail(QStringLiteral("cipher"), r.cipher);
    if (r.certificate) {
        const CertificateInfo &c = *r.certificate;
        setDetail(QStringLiteral("subject"), c.subject);
        setDetail(QStringLiteral("issuer"), c.issuer);
        if (c.notAfter.isValid()) {
            const bool expired = c.notAfter < QDateTime::currentDateTimeUtc();
            setDetail(QStringLiteral("expires"), QStringLiteral("%1%2").arg(c.notAfter.toString(Qt::ISODate),
                                                                            expired ? tr(" (expired)") : QString()));
        }
        // Opportunistic TLS delivers over an unverified certificate too: information, not a failure.
        setDetail(QStringLiteral("verified"), c.verified ? tr("Yes")
                                                         : tr("No: %1 (sendmail still delivers over it)")
                                                               .arg(c.verifyError.isEmpty() ? tr("no reason given") : c.verifyError));
    }
    setDetail(QStringLiteral("error"), r.error);
    setDetail(QStringLiteral("time"), duration(r.milliseconds));
}

} // namespace smtls::gui
