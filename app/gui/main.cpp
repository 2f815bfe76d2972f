// sendmail-tls-gui: the desktop application. main() only; the widgets live in ui/.
#include "GuiApplication.h"

int main(int argc, char **argv)
{
    return smtls::gui::runGui(argc, argv);
}
