#pragma once
// Add or edit one destination exception: the server (name, domain, address or prefix), TLS off,
// fallback, on or inherit (= remove the exception), when it ends by itself, and why. The
// destination and the expiry are checked as they are typed, the expiry by the command line's
// own rules (core/Expiry: what `--expires 7d` and `--until DATE` accept). A recipient address
// or domain typed instead of a server gets the servers sendmail uses for it (MxSuggestion), and
// Probe checks the server's STARTTLS from the host and from here (ProbeDialog).

#include "Expiry.h"
#include "PolicyEditor.h"

#include <QDialog>

#include <QPointer>

#include <optional>

class QButtonGroup;
class QComboBox;
class QDateEdit;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;

namespace smtls::gui {

class HostSession;
class MxSuggestion;
class ProbeDialog;

class DestinationDialog : public QDialog {
    Q_OBJECT
public:
    // `existing`: editing that destination (it cannot be renamed, only its setting changed).
    explicit DestinationDialog(QWidget *parent = nullptr, const DestinationRule *existing = nullptr);

    // The selected hosts' sendmail cannot fall back to clear text (older than 8.16): the choice
    // stays visible but disabled, with WHY as its tooltip and under the choices.
    void setFallbackUnavailable(const QString &why);
    // The host whose sendmail resolves a recipient's servers and probes from its side.
    void setSession(HostSession *session);
    MxSuggestion *mxSuggestion() const { return m_mx; }
    // Opens the probe of the server typed (both views, side by side).
    ProbeDialog *probeServer();

    Destination destination() const;
    TlsSetting setting() const;
    QString reason() const;
    // The expiry as chosen, counted from now ("in 7 days") or as the day picked; an error in
    // the command line's words when it is not one the command line would take.
    Result<std::optional<Expiry>> expires() const;
    // Only what validates (the expiry is checked again: "in 12 hours" is counted from now).
    void accept() override;
    // For tests and scripted use.
    void setValues(const QString &destination, TlsSetting setting, const QString &reason);

protected:
    void showEvent(QShowEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    enum ExpiryChoice { ExpiresIn, ExpiresOn, ExpiresNever, ExpiresAsNow };
    void settingChanged();
    void expiryTouched();
    void selectExpiry(ExpiryChoice choice);
    void validate();
    void destinationTyped();
    // The server the Probe button probes; empty when the field names none.
    QString probeTarget() const;
    // The wrapped texts as high as they are at the present width: a window's layout does not
    // grow it for a longer explanation by itself (height-for-width stops at the window), and
    // sizes it by their widthless hints (a narrow, tall guess) before that.
    void fitHeight();

    QLineEdit *m_destination;
    QPushButton *m_probe;
    MxSuggestion *m_mx;
    QPointer<HostSession> m_session;
    QComboBox *m_setting;
    QLabel *m_settingHelp;
    QButtonGroup *m_expiry;
    QRadioButton *m_expiresIn;
    QSpinBox *m_amount;
    QComboBox *m_unit;
    QRadioButton *m_expiresOn;
    QDateEdit *m_date;
    QRadioButton *m_expiresNever;
    QRadioButton *m_expiresAsNow = nullptr;  // editing an exception whose expiry is still ahead
    std::optional<Expiry> m_current;         // that expiry
    QLineEdit *m_reason;
    QLabel *m_noteReplaced;  // editing a rule with a note: that saving replaces it, and what it says
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
    QString m_fallbackUnavailable;
    bool m_expiryTouched = false;  // chosen by the user: a new setting keeps it
    bool m_updating = false;       // the dialog itself is setting the expiry
};

} // namespace smtls::gui
