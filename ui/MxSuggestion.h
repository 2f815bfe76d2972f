#pragma once
// Under a field where a server is to be typed (the exception dialog, the Explain box): when
// what was typed is a recipient rather than a server, why that key would not help and the
// servers sendmail really connects to, as the host's sendmail resolves them (lookupMxOnHost on
// a worker), each one a button that puts it in the field.
//
// "a@stuck.test" is always a recipient. A bare name cannot be told apart by its text (is
// stuck.test a domain or a server?), so it is looked up after the typing stops, and the answer
// shown only when the domain's mail goes elsewhere (to servers that are neither the name nor
// under it). Each new text cancels the lookup still running; a slow or failing lookup only
// says so and never holds the field.

#include "delivery/MxLookup.h"

#include <QHash>
#include <QPointer>
#include <QWidget>

#include <memory>

class QHBoxLayout;
class QLabel;
class QPushButton;
class QTimer;

namespace smtls::gui {

class HostSession;
class HostTaskCancel;

class MxSuggestion : public QWidget {
    Q_OBJECT
public:
    explicit MxSuggestion(QWidget *parent = nullptr);
    ~MxSuggestion() override;

    // The host whose sendmail is asked (null: nobody to ask; an address is still explained).
    void setSession(HostSession *session);
    // What the field holds now.
    void setTyped(const QString &text);
    // The field it serves: the servers come right after it in the Tab order, and a chosen one
    // gives the focus back to it.
    void setField(QWidget *field) { m_field = field; }
    // The pause after the last keystroke before a lookup (ms).
    void setDelay(int milliseconds);

    // What is shown, for the dialogs and the tests.
    enum class Shown { Nothing, Recipient, Asking, Servers, NoServers, Failed };
    Shown shown() const { return m_shown; }
    QString text() const;
    QStringList servers() const { return m_servers; }
    // A recipient address was typed (not a server): the dialog says so instead of "invalid".
    bool typedAddress() const { return m_address; }
    bool busy() const { return m_running; }
    QPushButton *serverButton(const QString &server) const;

Q_SIGNALS:
    void serverChosen(const QString &server);
    void shownChanged();

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    bool canAsk() const;
    void startLookup();
    void finishLookup(const QString &domain, const std::optional<Result<MxAnswer>> &answer);
    void showAnswer(const MxAnswer &answer);
    void present(Shown shown, const QString &text, const QList<MxServer> &servers = {});
    void fitLabel();
    QString hostName() const;

    QPointer<HostSession> m_session;
    QPointer<QWidget> m_field;
    QLabel *m_text;
    QWidget *m_buttonRow;
    QHBoxLayout *m_buttons;
    QTimer *m_debounce;
    QTimer *m_slow;  // a lookup still running after a while says so
    QString m_typed;   // as typed (trimmed)
    QString m_domain;  // its recipient domain, when it has one
    bool m_address = false;
    bool m_running = false;
    quint64 m_generation = 0;
    std::shared_ptr<HostTaskCancel> m_cancel;
    Shown m_shown = Shown::Nothing;
    QStringList m_servers;
    // Answers already had from this host, by domain: typing on does not ask again.
    QHash<QString, MxAnswer> m_answers;
};

} // namespace smtls::gui
