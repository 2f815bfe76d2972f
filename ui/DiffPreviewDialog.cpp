#include "DiffPreviewDialog.h"

#include "StagedPreview.h"
#include "WorkerPool.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace smtls::gui {

DiffPreviewDialog::DiffPreviewDialog(const QList<HostSession *> &sessions, QWidget *parent)
    : QDialog(parent), m_text(new QPlainTextEdit(this)), m_working(new QProgressBar(this)), m_reason(new QLineEdit(this))
{
    setObjectName(QStringLiteral("diffPreview"));
    setWindowTitle(tr("Preview of the staged changes"));
    resize(820, 560);
    auto *layout = new QVBoxLayout(this);
    m_text->setObjectName(QStringLiteral("diffText"));
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setPlainText(tr("Working out the changes of %n host(s)…", nullptr, int(sessions.size())));
    layout->addWidget(m_text, 1);
    m_working->setObjectName(QStringLiteral("diffWorking"));
    m_working->setRange(0, 0);  // busy: planning and diffing report no steps
    layout->addWidget(m_working);
    auto *form = new QFormLayout;
    m_reason->setObjectName(QStringLiteral("applyReason"));
    m_reason->setPlaceholderText(tr("Why (kept with the snapshot)"));
    form->addRow(tr("&Reason:"), m_reason);
    layout->addLayout(form);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_apply = buttons->addButton(tr("&Apply to %n host(s)", nullptr, int(sessions.size())), QDialogButtonBox::AcceptRole);
    m_apply->setObjectName(QStringLiteral("applyButton"));
    m_apply->setIcon(QIcon(QStringLiteral(":/icons/apply.svg")));
    m_apply->setEnabled(false);  // until the diff shows what it would change
    m_apply->setToolTip(tr("Validates on each host, installs, activates, and rolls back on failure"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    m_reason->setFocus();

    QList<StagedPreviewSource> sources;
    for (const HostSession *s : sessions)
        sources << stagedPreviewSource(*s);
    auto *watcher = new QFutureWatcher<StagedPreview>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        const StagedPreview preview = watcher->result();
        m_text->setPlainText(preview.text);
        m_apply->setEnabled(preview.anyChange);
        m_working->hide();
        m_ready = true;
        Q_EMIT ready();
    });
    watcher->setFuture(QtConcurrent::run(workerPool(), [sources] { return stagedPreview(sources); }));
}

QString DiffPreviewDialog::reason() const { return m_reason->text().trimmed(); }
QString DiffPreviewDialog::diffText() const { return m_ready ? m_text->toPlainText() : QString(); }

} // namespace smtls::gui
