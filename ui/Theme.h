#pragma once
// A dark palette (Fusion style) for --dark and for checking that every view stays readable, and
// the colours the views use for what needs attention, readable on the palette in use.

class QApplication;
class QColor;
class QPalette;

namespace smtls::gui {

void applyDarkPalette(QApplication &app);

// Text that warns (an exception that has expired or whose expiry cannot be read): amber,
// darker on a light base and lighter on a dark one, so that it reads on both.
QColor warningColor(const QPalette &palette);

} // namespace smtls::gui
