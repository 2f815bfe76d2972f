#pragma once
// An SSH host key not in known_hosts: its SHA256 fingerprint, accept once, always, or cancel.
// (A changed key never gets here: the transport refuses it.)

#include "Prompter.h"

#include <QDialog>

namespace smtls::gui {

class HostKeyDialog : public QDialog {
    Q_OBJECT
public:
    HostKeyDialog(const HostKeyQuestion &question, QWidget *parent = nullptr);
    HostKeyAnswer answer() const { return m_answer; }

private:
    HostKeyAnswer m_answer = HostKeyAnswer::Cancel;
};

} // namespace smtls::gui
