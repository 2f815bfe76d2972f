#pragma once
// One side of the probe dialog: what one probe of a server found, from the mail host or from
// this computer. The outcome first, as a mark with colour, icon and text (never colour alone),
// then the details an admin compares: STARTTLS offered, protocol, cipher, the certificate
// (subject, issuer, expiry, verified and why not), the error and the time taken.
//
// Both sides are columns of one grid, with the row names once on the left: a detail that wraps
// on one side keeps the rows of the other side level with it.

#include "ProbeVerdict.h"

#include <QHash>
#include <QObject>

class QColor;
class QGridLayout;
class QLabel;
class QProgressBar;
class QWidget;

namespace smtls::gui {

class ProbeColumn : public QObject {
    Q_OBJECT
public:
    // The row names in column 0 of GRID (once, before the columns).
    static void addRowNames(QGridLayout *grid, QWidget *parent);

    // NAME: the object name ("hostColumn", "hereColumn"); the column's widgets go into GRID's
    // column COLUMN, their parent is PARENT.
    ProbeColumn(const QString &name, QGridLayout *grid, int column, QWidget *parent);

    void setTitle(const QString &title);
    QString title() const;
    void display(const ProbeSide &side);
    // While running: how long it has been.
    void showElapsed(qint64 milliseconds);

    // The mark's text ("Handshake works", "Handshake fails", "STARTTLS not offered", "No
    // connection", "Could not probe", "Cancelled", "Probing…"), for tests and screen readers.
    QString markText() const;
    // A detail row's value by its name ("starttls", "protocol", "cipher", "subject", "issuer",
    // "expires", "verified", "error", "time", "address", "banner").
    QString detail(const QString &name) const;

private:
    void setMark(const QString &icon, const QString &text, const QColor &colour);
    void setDetail(const QString &name, const QString &value);

    QLabel *m_title;
    QLabel *m_icon;
    QLabel *m_mark;
    QProgressBar *m_busy;
    QHash<QString, QLabel *> m_details;
};

} // namespace smtls::gui
