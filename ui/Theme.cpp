#include "Theme.h"

#include <QApplication>
#include <QPalette>
#include <QStyleFactory>

namespace smtls::gui {

void applyDarkPalette(QApplication &app)
{
    app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x30), base(0x1e, 0x1f, 0x22), text(0xdf, 0xe1, 0xe5), disabled(0x80, 0x80, 0x80);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::red);
    p.setColor(QPalette::Link, QColor(0x6c, 0xb6, 0xff));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x65, 0xca));
    p.setColor(QPalette::HighlightedText, Qt::white);
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    app.setPalette(p);
}

namespace {
bool darkBase(const QPalette &palette) { return palette.color(QPalette::Base).lightness() < 128; }
} // namespace

QColor warningColor(const QPalette &palette)
{
    // Contrast (WCAG): #9a5b00 on white 5.4:1, #f0b040 on the dark palette's base 8.6:1.
    return darkBase(palette) ? QColor(0xf0, 0xb0, 0x40) : QColor(0x9a, 0x5b, 0x00);
}

} // namespace smtls::gui
