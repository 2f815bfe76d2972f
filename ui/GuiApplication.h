#pragma once
// Everything main() of sendmail-tls-gui does: application identity (for QSettings and
// QStandardPaths), resources, options (--dark, --screenshot DIR), the window.

namespace smtls::gui {

int runGui(int argc, char **argv);

} // namespace smtls::gui
