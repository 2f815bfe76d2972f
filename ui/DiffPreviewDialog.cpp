#include "DiffPreviewDialog.h"

#include "HostSession.h"
#include "UnifiedDiff.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace smtls::gui {

QString DiffPreviewDialog::previewText(const QList<HostSession *> &sessions, bool *anyChange)
{
    QString out;
    bool any = false;
    for (HostSession *s : sessions) {
        out += QStringLiteral("=== %1: %2\n").arg(s->entry().name, s->pendingCount() ? s->stagedDescription() : QStringLiteral("nothing staged"));
        if (s->pendingCount() == 0)
            continue;
        const Result<ConfigChange> change = s->stagedChange();
        if (!change) {
            out += QStringLiteral("cannot plan: %1\n\n").arg(change.error().describe());
            continue;
        }
        for (const QString &note : change->notes)
            out += QStringLiteral("# %1\n").arg(note);
        for (const FileChange *f : {&change->mc, &change->access}) {
            if (!f->changed())
                continue;
            any = true;
            out += QString::fromUtf8(unifiedDiff(f->before, f->after, f->path, f->path));
        }
        if (!change->changed())
            out += QStringLiteral("(the files already say this: nothing to change)\n");
        out += QLatin1Char('\n');
    }
    if (anyChange)
        *anyChange = any;
    return out;
}

DiffPreviewDialog::DiffPreviewDialog(const QList<HostSession *> &sessions, QWidget *parent)
    : QDialog(parent), m_text(new QPlainTextEdit(this)), m_reason(new QLineEdit(this))
{
    setObjectName(QStringLiteral("diffPreview"));
    setWindowTitle(QStringLiteral("Preview of the staged changes"));
    resize(820, 560);
    auto *layout = new QVBoxLayout(this);
    m_text->setObjectName(QStringLiteral("diffText"));
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    bool any = false;
    m_text->setPlainText(previewText(sessions, &any));
    layout->addWidget(m_text, 1);
    auto *form = new QFormLayout;
    m_reason->setObjectName(QStringLiteral("applyReason"));
    m_reason->setPlaceholderText(QStringLiteral("Why (kept with the snapshot)"));
    form->addRow(QStringLiteral("&Reason:"), m_reason);
    layout->addLayout(form);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_apply = buttons->addButton(QStringLiteral("&Apply to %1 host(s)").arg(sessions.size()), QDialogButtonBox::AcceptRole);
    m_apply->setObjectName(QStringLiteral("applyButton"));
    m_apply->setIcon(QIcon(QStringLiteral(":/icons/apply.svg")));
    m_apply->setEnabled(any);
    m_apply->setToolTip(QStringLiteral("Validates on each host, installs, activates, and rolls back on failure"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    m_reason->setFocus();
}

QString DiffPreviewDialog::reason() const { return m_reason->text().trimmed(); }
QString DiffPreviewDialog::diffText() const { return m_text->toPlainText(); }

} // namespace smtls::gui
