#pragma once
// One side of the probe dialog: what one probe of a server found, from the mail host or from
// this computer. The outcome first, as a mark with colour, icon and text (never colour alone),
// then the details an admin compares: STARTTLS offered, protocol, cipher, the certificate
// (subject, issuer, expiry, verified and why not), the error and the time taken.

#include "ProbeVerdict.h"

#include <QGroupBox>

class QFormLayout;
class QLabel;
class QProgressBar;

namespace smtls::gui {

class ProbeColumn : public QGroupBox {
    Q_OBJECT
public:
    // NAME: the object name ("hostColumn", "hereColumn"); TITLE: "From mta1 (the mail host)".
    ProbeColumn(const QString &name, const QString &title, QWidget *parent = nullptr);

    void display(const ProbeSide &side);
    // While running: how long it has been.
    void showElapsed(qint64 milliseconds);

    // The mark's text ("Handshake works", "Handshake fails", "STARTTLS not offered", "No
    // connection", "Could not probe", "Cancelled", "Probing…"), for tests and screen readers.
    QString markText() const;
    // A detail row's value by its object name ("starttls", "protocol", "cipher", "subject",
    // "issuer", "expires", "verified", "error", "time", "address", "banner").
    QString detail(const QString &name) const;

private:
    void setMark(const QString &icon, const QString &text, const QColor &colour);
    void setDetail(const QString &name, const QString &value);

    QLabel *m_icon;
    QLabel *m_mark;
    QProgressBar *m_busy;
    QFormLayout *m_details;
};

} // namespace smtls::gui
