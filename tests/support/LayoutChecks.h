#pragma once
// What the GUI tests check in a window's visible widgets: nothing cut (labels, buttons, group
// box titles, placeholders, tabs, header sections, menu bar, tool bar), no mojibake or doubled
// words, and — with the pseudo-translation loaded — no text that escaped tr().
// Header-only like GuiTestSetup.h: only GUI tests (which link Qt Widgets) include it.

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QComboBox>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QRegularExpression>
#include <QScrollArea>
#include <QScrollBar>
#include <QStyle>
#include <QStyleOptionHeader>
#include <QTabBar>
#include <QTextDocument>
#include <QToolBar>
#include <QToolButton>
#include <QWidget>

namespace layoutchecks {

inline QString describe(const QWidget *w)
{
    QString text = w->property("text").toString();
    if (text.isEmpty())
        text = w->property("title").toString();
    return QStringLiteral("%1 (%2) \"%3\"").arg(QString::fromLatin1(w->metaObject()->className()), w->objectName(), text.left(60));
}

inline bool shown(const QWidget *w, const QWidget *top) { return w->isVisibleTo(top) && w->isVisible(); }

// Every visible label and button under TOP that is smaller than it needs to be.
inline QStringList cutWidgets(QWidget *top)
{
    QStringList cut;
    for (QLabel *l : top->findChildren<QLabel *>()) {
        if (!shown(l, top) || l->text().isEmpty() || !l->pixmap().isNull())
            continue;
        if (l->wordWrap()) {
            if (l->hasHeightForWidth() && l->height() + 1 < l->heightForWidth(l->width()))
                cut << QStringLiteral("%1: %2 px high, needs %3").arg(describe(l)).arg(l->height()).arg(l->heightForWidth(l->width()));
        } else if (l->width() + 1 < l->minimumSizeHint().width()) {
            cut << QStringLiteral("%1: %2 px wide, needs %3").arg(describe(l)).arg(l->width()).arg(l->minimumSizeHint().width());
        }
    }
    for (QAbstractButton *b : top->findChildren<QAbstractButton *>()) {
        if (!shown(b, top) || b->text().isEmpty() || b->inherits("QTabBar"))
            continue;
        if (qobject_cast<QToolButton *>(b) && b->parentWidget() && b->parentWidget()->inherits("QTabBar"))
            continue;  // the tab bar's scroll buttons: tabsCut() says why they show
        if (b->width() + 1 < b->sizeHint().width() || b->height() + 1 < b->minimumSizeHint().height())
            cut << QStringLiteral("%1: %2×%3, needs %4×%5").arg(describe(b)).arg(b->width()).arg(b->height()).arg(b->sizeHint().width()).arg(b->minimumSizeHint().height());
    }
    for (QLineEdit *e : top->findChildren<QLineEdit *>()) {
        if (!shown(e, top) || e->placeholderText().isEmpty())
            continue;
        const int needs = e->fontMetrics().horizontalAdvance(e->placeholderText()) + 8;
        if (e->width() < needs)
            cut << QStringLiteral("%1: placeholder \"%2\" needs %3 px, has %4").arg(describe(e), e->placeholderText()).arg(needs).arg(e->width());
    }
    return cut;
}

// Tabs, header sections, group box titles, the menu bar and tool bars: whole, not elided or
// pushed behind a scroll or extension button.
inline QStringList cutBars(QWidget *top)
{
    QStringList cut;
    for (QTabBar *bar : top->findChildren<QTabBar *>()) {
        if (!shown(bar, top))
            continue;
        // What QTabBar::tabSizeHint (protected) adds up: text, icon and the style's spacing.
        const int space = bar->style()->pixelMetric(QStyle::PM_TabBarTabHSpace, nullptr, bar);
        for (int i = 0; i < bar->count(); ++i) {
            if (!bar->isTabVisible(i))
                continue;
            const int needs = bar->fontMetrics().horizontalAdvance(QString(bar->tabText(i)).remove(QLatin1Char('&'))) + space
                + (bar->tabIcon(i).isNull() ? 0 : bar->iconSize().width() + 4);
            if (bar->tabRect(i).width() + 1 < needs)
                cut << QStringLiteral("tab \"%1\": %2 px, needs %3").arg(bar->tabText(i)).arg(bar->tabRect(i).width()).arg(needs);
        }
        for (QToolButton *scroll : bar->findChildren<QToolButton *>())
            if (scroll->isVisible()) {
                cut << QStringLiteral("tab bar %1 scrolls: its tabs do not fit in %2 px").arg(bar->objectName()).arg(bar->width());
                break;
            }
    }
    for (QHeaderView *header : top->findChildren<QHeaderView *>()) {
        if (!shown(header, top) || header->orientation() != Qt::Horizontal || !header->model())
            continue;
        const int margin = header->style()->pixelMetric(QStyle::PM_HeaderMargin, nullptr, header);
        for (int section = 0; section < header->count(); ++section) {
            if (header->isSectionHidden(section) || header->sectionSize(section) == 0)
                continue;
            const QString text = header->model()->headerData(section, Qt::Horizontal).toString();
            if (text.isEmpty())
                continue;
            const int needs = header->fontMetrics().horizontalAdvance(text) + 2 * margin;
            if (header->sectionSize(section) + 1 < needs)
                cut << QStringLiteral("column \"%1\" of %2: %3 px, its title needs %4").arg(text, header->parentWidget()->objectName()).arg(header->sectionSize(section)).arg(needs);
        }
    }
    for (QGroupBox *box : top->findChildren<QGroupBox *>()) {
        if (!shown(box, top) || box->title().isEmpty())
            continue;
        const int needs = box->fontMetrics().horizontalAdvance(QString(box->title()).remove(QLatin1Char('&'))) + 16;
        if (box->width() < needs)
            cut << QStringLiteral("group \"%1\": %2 px, its title needs %3").arg(box->title()).arg(box->width()).arg(needs);
    }
    for (QMenuBar *bar : top->findChildren<QMenuBar *>()) {
        if (!shown(bar, top))
            continue;
        for (QAction *a : bar->actions())
            if (a->isVisible() && bar->actionGeometry(a).right() > bar->width())
                cut << QStringLiteral("menu \"%1\" is past the menu bar's end").arg(a->text());
    }
    // A page that scrolls sideways hides the end of its lines (item views may: that is data).
    for (QScrollArea *area : top->findChildren<QScrollArea *>()) {
        if (shown(area, top) && area->widget() && area->horizontalScrollBar()->isVisible())
            cut << QStringLiteral("scroll area %1 scrolls sideways: its page needs %2 px, shows %3").arg(area->objectName()).arg(area->widget()->minimumSizeHint().width()).arg(area->viewport()->width());
    }
    for (QToolBar *bar : top->findChildren<QToolBar *>()) {
        if (!shown(bar, top))
            continue;
        if (auto *more = bar->findChild<QToolButton *>(QStringLiteral("qt_toolbar_ext_button")); more && more->isVisible())
            cut << QStringLiteral("tool bar %1 hides buttons behind its » button").arg(bar->objectName());
    }
    return cut;
}

// Every visible text under TOP, each with where it is shown.
struct ShownText {
    QString where;
    QString text;
};

inline QList<ShownText> shownTexts(QWidget *top)
{
    QList<ShownText> texts;
    auto add = [&texts](const QString &where, const QString &text) {
        if (!text.trimmed().isEmpty())
            texts.append({where, text});
    };
    if (!top->windowTitle().isEmpty())
        add(QStringLiteral("window title of %1").arg(top->objectName()), top->windowTitle());
    for (QWidget *w : top->findChildren<QWidget *>()) {
        if (!shown(w, top))
            continue;
        if (auto *l = qobject_cast<QLabel *>(w); l && !l->pixmap().isNull())
            continue;
        if (qobject_cast<QAbstractButton *>(w) || qobject_cast<QLabel *>(w))
            add(describe(w), w->property("text").toString());
        if (auto *box = qobject_cast<QGroupBox *>(w))
            add(describe(w), box->title());
        if (auto *e = qobject_cast<QLineEdit *>(w))
            add(describe(w), e->placeholderText());
        if (auto *combo = qobject_cast<QComboBox *>(w); combo && !combo->isEditable())
            for (int i = 0; i < combo->count(); ++i)
                add(describe(w), combo->itemText(i));
        add(QStringLiteral("tool tip of %1").arg(describe(w)), w->toolTip());
        if (auto *bar = qobject_cast<QTabBar *>(w))
            for (int i = 0; i < bar->count(); ++i)
                add(QStringLiteral("tab"), bar->tabText(i));
        if (auto *header = qobject_cast<QHeaderView *>(w); header && header->model())
            for (int section = 0; section < header->count(); ++section)
                if (!header->isSectionHidden(section))
                    add(QStringLiteral("column title of %1").arg(header->parentWidget()->objectName()),
                        header->model()->headerData(section, header->orientation()).toString());
        if (auto *bar = qobject_cast<QMenuBar *>(w))
            for (QAction *a : bar->actions()) {
                add(QStringLiteral("menu"), a->text());
                if (a->menu())
                    for (QAction *item : a->menu()->actions())
                        if (!item->isSeparator())
                            add(QStringLiteral("menu item"), item->text());
            }
        if (auto *bar = qobject_cast<QToolBar *>(w))
            for (QAction *a : bar->actions())
                if (!a->isSeparator()) {
                    add(QStringLiteral("tool bar"), a->text());
                    add(QStringLiteral("tool tip of a tool bar button"), a->toolTip());
                }
    }
    return texts;
}

// Mojibake and doubled words in every visible text under TOP.
inline QStringList badWords(QWidget *top)
{
    static const QRegularExpression doubled(QStringLiteral("\\b(\\w{3,})\\W+\\1\\b"), QRegularExpression::CaseInsensitiveOption);
    QStringList bad;
    for (const ShownText &shown : shownTexts(top)) {
        const QString &t = shown.text;
        if (t.contains(QStringLiteral("â€")) || t.contains(QChar(0xFFFD)) || t.contains(QStringLiteral("Ã")))
            bad << QStringLiteral("mojibake: %1").arg(t);
        const QRegularExpressionMatch m = doubled.match(t);
        if (m.hasMatch() && m.captured(1) != QLatin1String("~~~"))
            bad << QStringLiteral("doubled \"%1\": %2").arg(m.captured(1), t.left(120));
    }
    return bad;
}

// With the pseudo-translation (translations/pseudo-translate.cpp) every translated text is
// "[áççéñţéð ~~~]": what is left of TEXT outside the brackets, once tags, entities and
// accelerators are gone. Words there (two letters or more) are an English string that escaped
// tr(); data — host names, addresses, paths, numbers — is recognised and let through, as are the
// words in ALLOWED (names that are not translated: "Demo", "sendmail", ...).
inline QString untranslatedPart(QString text, const QStringList &allowed)
{
    if (Qt::mightBeRichText(text)) {
        QTextDocument doc;
        doc.setHtml(text);
        text = doc.toPlainText();
    }
    text.replace(QStringLiteral("&&"), QStringLiteral("\x01")).remove(QLatin1Char('&'));
    QString outside;
    int depth = 0;
    for (const QChar c : std::as_const(text)) {
        if (c == QLatin1Char('['))
            ++depth;
        else if (c == QLatin1Char(']') && depth > 0)
            --depth;
        else if (depth == 0)
            outside += c;
    }
    static const QRegularExpression word(QStringLiteral("[A-Za-z][A-Za-z'-]+"));
    static const QRegularExpression data(QStringLiteral("^[\\w.+~-]*[.@/:_0-9][\\w.@/:+~-]*$"));
    QStringList english;
    for (const QString &token : outside.split(QRegularExpression(QStringLiteral("[\\s,;()\"'“”‘’]+")), Qt::SkipEmptyParts)) {
        QString t = token;
        while (!t.isEmpty() && QStringLiteral(".:!?").contains(t.back()) && !data.match(t.chopped(1)).hasMatch())
            t.chop(1);
        if (data.match(t).hasMatch() || allowed.contains(t) || !word.match(t).hasMatch())
            continue;
        english << t;
    }
    return english.join(QLatin1Char(' '));
}

// Widgets named in COREWIDGETS show texts of core/ (English for now) and are not read.
inline QStringList untranslatedTexts(QWidget *top, const QStringList &allowed, const QStringList &coreWidgets = {})
{
    QStringList found;
    for (const ShownText &shown : shownTexts(top))
        if (std::any_of(coreWidgets.begin(), coreWidgets.end(), [&](const QString &name) { return shown.where.contains(QStringLiteral("(%1)").arg(name)); }))
            continue;
        else if (const QString english = untranslatedPart(shown.text, allowed); !english.isEmpty())
            found << QStringLiteral("%1: \"%2\" (English: %3)").arg(shown.where, shown.text.left(100), english);
    found.removeDuplicates();
    return found;
}

// The cells of COLUMN (and of its children, in a tree) whose text is made by our models, not
// data: the same test as untranslatedTexts.
inline QStringList untranslatedCells(const QAbstractItemModel *model, int column, const QStringList &allowed, const QModelIndex &parent = {})
{
    QStringList found;
    for (int row = 0; row < model->rowCount(parent); ++row) {
        const QString text = model->index(row, column, parent).data().toString();
        if (const QString english = untranslatedPart(text, allowed); !english.isEmpty())
            found << QStringLiteral("cell \"%1\" (English: %2)").arg(text.left(100), english);
        found += untranslatedCells(model, column, allowed, model->index(row, 0, parent));
    }
    found.removeDuplicates();
    return found;
}

} // namespace layoutchecks
