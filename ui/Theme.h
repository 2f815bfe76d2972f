#pragma once
// A dark palette (Fusion style) for --dark and for checking that every view stays readable.

class QApplication;

namespace smtls::gui {

void applyDarkPalette(QApplication &app);

} // namespace smtls::gui
