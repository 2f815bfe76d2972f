#pragma once
// Before Apply: the unified diff of every file on every selected host, the change's notes,
// and the reason that goes into the snapshot. Accepting starts the apply (the caller does).
// The diff is worked out on a worker (StagedPreview); until it is there the dialog says so and
// Apply stays off. Closing it meanwhile drops the answer.

#include <QDialog>
#include <QList>

class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace smtls::gui {

class HostSession;

class DiffPreviewDialog : public QDialog {
    Q_OBJECT
public:
    explicit DiffPreviewDialog(const QList<HostSession *> &sessions, QWidget *parent = nullptr);
    QString reason() const;
    QString diffText() const;  // empty until isReady()
    bool isReady() const { return m_ready; }

Q_SIGNALS:
    void ready();

private:
    QPlainTextEdit *m_text;
    QProgressBar *m_working;
    bool m_ready = false;
    QLineEdit *m_reason;
    QPushButton *m_apply;
};

} // namespace smtls::gui
