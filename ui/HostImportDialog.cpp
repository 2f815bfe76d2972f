#include "HostImportDialog.h"

#include "HostStore.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QStandardItemModel>
#include <QVBoxLayout>

namespace smtls::gui {

HostImportDialog::HostImportDialog(const QString &file, const QStringList &known, QWidget *parent)
    : QDialog(parent), m_model(new QStandardItemModel(this)), m_view(new QListView(this)), m_summary(new QLabel(this)),
      m_import(nullptr)
{
    setObjectName(QStringLiteral("hostImportDialog"));
    setWindowTitle(tr("Import hosts from ssh_config"));
    auto *layout = new QVBoxLayout(this);
    QString error;
    m_found = HostStore::importSshConfig(file, &error);
    const QString shownFile = file.isEmpty() ? QStringLiteral("~/.ssh/config") : file;
    m_summary->setObjectName(QStringLiteral("importSummary"));
    m_summary->setWordWrap(true);
    if (!error.isEmpty())
        m_summary->setText(tr("%1 cannot be used: %2").arg(shownFile, error));
    else if (m_found.isEmpty())
        m_summary->setText(tr("%1 names no Host without wildcards.").arg(shownFile));
    else
        m_summary->setText(tr("Check the hosts to add from %1 (its Include files too):").arg(shownFile));
    layout->addWidget(m_summary);

    for (const HostEntry &e : std::as_const(m_found)) {
        QString text = e.name;
        QStringList details;
        if (!e.user.isEmpty())
            details << tr("user %1").arg(e.user);
        if (e.port != 22)
            details << tr("port %1").arg(e.port);
        if (!e.identityFile.isEmpty())
            details << tr("key %1").arg(e.identityFile);
        const bool listed = known.contains(e.address);
        if (listed)
            details << tr("already in the list");
        if (!details.isEmpty())
            text += QStringLiteral(" (%1)").arg(details.join(QStringLiteral(", ")));
        auto *item = new QStandardItem(text);
        item->setData(e.name, Qt::UserRole);
        item->setCheckable(!listed);
        item->setEnabled(!listed);
        item->setCheckState(Qt::Unchecked);
        item->setEditable(false);
        m_model->appendRow(item);
    }
    m_view->setObjectName(QStringLiteral("importList"));
    m_view->setModel(m_model);
    m_view->setVisible(!m_found.isEmpty());
    const int rows = std::clamp(int(m_found.size()), 3, 15);
    const int rowHeight = m_found.isEmpty() ? fontMetrics().height() : m_view->sizeHintForRow(0);
    m_view->setMinimumHeight(rowHeight * rows + 2 * m_view->frameWidth());
    m_view->setMinimumWidth(std::max(m_view->sizeHintForColumn(0) + 40, fontMetrics().averageCharWidth() * 50));
    layout->addWidget(m_view, 1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_import = buttons->addButton(tr("&Import"), QDialogButtonBox::AcceptRole);
    m_import->setObjectName(QStringLiteral("importButton"));
    m_import->setDefault(true);
    // Enter imports the checked hosts, or does nothing while none is checked: never a silent Cancel.
    QPushButton *cancel = buttons->button(QDialogButtonBox::Cancel);
    cancel->setAutoDefault(false);
    cancel->setText(tr("Close without importing"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_model, &QStandardItemModel::itemChanged, this, &HostImportDialog::updateButton);
    updateButton();
}

QList<HostEntry> HostImportDialog::chosen() const
{
    QList<HostEntry> out;
    for (int row = 0; row < m_model->rowCount(); ++row)
        if (m_model->item(row)->checkState() == Qt::Checked)
            out.append(m_found.at(row));
    return out;
}

bool HostImportDialog::check(const QString &name, bool on)
{
    for (int row = 0; row < m_model->rowCount(); ++row) {
        QStandardItem *item = m_model->item(row);
        if (item->data(Qt::UserRole).toString() == name && item->isCheckable()) {
            item->setCheckState(on ? Qt::Checked : Qt::Unchecked);
            return true;
        }
    }
    return false;
}

void HostImportDialog::updateButton()
{
    const qsizetype n = chosen().size();
    m_import->setEnabled(n > 0);
    m_import->setText(tr("&Import %n host(s)", nullptr, int(n)));
}

} // namespace smtls::gui
