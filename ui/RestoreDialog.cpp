#include "RestoreDialog.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace smtls::gui {

RestoreDialog::RestoreDialog(const QString &hostName, const Snapshot &snapshot, const QList<Snapshot> &discarded,
                             const QString &diff, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("restoreConfirm"));
    setWindowTitle(tr("Restore files as before this change"));
    auto *layout = new QVBoxLayout(this);
    const QString when = snapshot.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    auto *intro = new QLabel(
        discarded.isEmpty()
            ? tr("Restore the files of %1 as they were before \"%2\" (%3)? No change was made after it.").arg(hostName, snapshot.change, when)
            : tr("Restore the files of %1 as they were before \"%2\" (%3)? This also throws away %n later change(s), "
                 "listed below. To take back only this change and keep the later ones, use Undo this change instead.", nullptr, int(discarded.size()))
                  .arg(hostName, snapshot.change, when),
        this);
    intro->setObjectName(QStringLiteral("restoreIntro"));
    intro->setWordWrap(true);
    layout->addWidget(intro);
    if (!discarded.isEmpty()) {
        auto *list = new QListWidget(this);
        list->setObjectName(QStringLiteral("restoreDiscarded"));
        for (const Snapshot &s : discarded)
            list->addItem(QStringLiteral("%1  %2%3").arg(s.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")), s.change,
                                                        s.reason.isEmpty() ? QString() : QStringLiteral(" (") + s.reason + QLatin1Char(')')));
        list->setMaximumHeight(list->sizeHintForRow(0) * int(std::min<qsizetype>(discarded.size(), 6)) + 2 * list->frameWidth() + 4);
        layout->addWidget(list);
    }
    layout->addWidget(new QLabel(tr("What changes in the files as they are now:"), this));
    auto *diffView = new QPlainTextEdit(diff.isEmpty() ? tr("The files already are as they were before this change.") : diff, this);
    diffView->setObjectName(QStringLiteral("restoreDiff"));
    diffView->setReadOnly(true);
    diffView->setLineWrapMode(QPlainTextEdit::NoWrap);
    diffView->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(diffView, 1);
    auto *buttons = new QDialogButtonBox(this);
    QPushButton *keep = buttons->addButton(tr("Keep the files as they are"), QDialogButtonBox::RejectRole);
    keep->setObjectName(QStringLiteral("restoreKeep"));
    QPushButton *restore = buttons->addButton(
        discarded.isEmpty() ? tr("Restore %1").arg(hostName)
                            : tr("Restore and discard %n later change(s)", nullptr, int(discarded.size())),
        QDialogButtonBox::AcceptRole);
    restore->setObjectName(QStringLiteral("restoreAccept"));
    restore->setAutoDefault(false);
    keep->setDefault(true);
    keep->setFocus();
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(760, 520);
}

} // namespace smtls::gui
