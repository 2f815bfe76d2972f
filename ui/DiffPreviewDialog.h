#pragma once
// Before Apply: the unified diff of every file on every selected host, the change's notes,
// and the reason that goes into the snapshot. Accepting starts the apply (the caller does).

#include <QDialog>
#include <QList>

class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace smtls::gui {

class HostSession;

class DiffPreviewDialog : public QDialog {
    Q_OBJECT
public:
    explicit DiffPreviewDialog(const QList<HostSession *> &sessions, QWidget *parent = nullptr);
    QString reason() const;
    QString diffText() const;

    // The whole preview as text: per host, its notes and a diff per changed file.
    static QString previewText(const QList<HostSession *> &sessions, bool *anyChange = nullptr);

private:
    QPlainTextEdit *m_text;
    QLineEdit *m_reason;
    QPushButton *m_apply;
};

} // namespace smtls::gui
