// pseudo-translate: fills a Qt Linguist .ts file with generated translations.
//   pseudo-translate --pseudo  IN.ts OUT.ts   every message becomes "[Àççéñţéð ţéxţ ~~~]": accented,
//       about 30 % longer, bracketed — the GUI test's way to see a string that escaped tr() (no
//       brackets) and a widget too narrow for a longer language. %1, %n, %L1, &-accelerators,
//       HTML tags and entities stay as they are, so arg() and rich text still work.
//   pseudo-translate --english IN.ts OUT.ts   only the plural messages get translations: the
//       English forms of "%n host(s)" ("%n host", "%n hosts"); the rest stays unfinished, so the
//       source text is shown.
// QtCore only (QXmlStreamReader/Writer), so the build needs no script interpreter.
#include <QCoreApplication>
#include <QFile>
#include <QHash>
#include <QRegularExpression>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

#include <cstdio>

namespace {

QChar accented(QChar c)
{
    static const QHash<QChar, QChar> map = [] {
        const QString plain = QStringLiteral("aceinouyACEINOUYsSzZrRlLgG");
        const QString marked = QStringLiteral("áçéîñöûýÀÇÉÎÑÖÛÝšŠžŽŕŔľĽğĞ");
        QHash<QChar, QChar> m;
        for (qsizetype i = 0; i < plain.size(); ++i)
            m.insert(plain[i], marked[i]);
        return m;
    }();
    return map.value(c, c);
}

// The text with its letters accented, leaving alone what code or Qt reads: placeholders
// (%1, %L2, %n), the accelerator letter after '&' (and "&&"), entities (&amp;) and HTML tags.
QString accent(const QString &text)
{
    static const QRegularExpression keep(QStringLiteral(
        "%L?[0-9n]{1,2}|&[A-Za-z]+;|&#[0-9]+;|&&|&.|<[^>]*>"));
    QString out;
    qsizetype at = 0;
    for (auto it = keep.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        for (qsizetype i = at; i < m.capturedStart(); ++i)
            out += accented(text[i]);
        out += m.captured();
        at = m.capturedEnd();
    }
    for (qsizetype i = at; i < text.size(); ++i)
        out += accented(text[i]);
    return out;
}

// "[accented ~~~]", about 30 % longer than the source; for rich text the brackets go inside the
// outer tags so that Qt still recognises it as HTML.
QString pseudo(const QString &source)
{
    if (source.trimmed().isEmpty())
        return source;
    static const QRegularExpression lead(QStringLiteral("^(\\s*(<[^>]*>\\s*)*)"));
    static const QRegularExpression trail(QStringLiteral("((\\s*</[^>]*>)*\\s*)$"));
    const qsizetype start = lead.match(source).capturedLength();
    qsizetype end = source.size() - trail.match(source).capturedLength();
    if (end < start)
        end = start;
    const QString body = source.mid(start, end - start);
    static const QRegularExpression tags(QStringLiteral("<[^>]*>"));
    const qsizetype visible = QString(body).remove(tags).size();
    const qsizetype padding = std::max<qsizetype>(1, (visible * 3 + 9) / 10 - 2);
    // The padding in words of up to five, so that word-wrapped labels can still break it.
    QString pad;
    for (qsizetype i = 0; i < padding; ++i)
        pad += (i > 0 && i % 5 == 0) ? QStringLiteral(" ~") : QStringLiteral("~");
    return source.left(start) + QLatin1Char('[') + accent(body) + QLatin1Char(' ') + pad + QLatin1Char(']') + source.mid(end);
}

// English forms of a plural source: "%n host(s)" → "%n host" / "%n hosts"; "(es)" and
// "is/are"-style pairs written as "{is|are}" are handled the same way.
QStringList englishPlurals(const QString &source)
{
    static const QRegularExpression choice(QStringLiteral("\\{([^|{}]*)\\|([^|{}]*)\\}"));
    QString one = source, many = source;
    one.replace(QStringLiteral("(s)"), QString()).replace(QStringLiteral("(es)"), QString()).replace(choice, QStringLiteral("\\1"));
    many.replace(QStringLiteral("(s)"), QStringLiteral("s")).replace(QStringLiteral("(es)"), QStringLiteral("es")).replace(choice, QStringLiteral("\\2"));
    return {one, many};
}

struct Message {
    QString source;
    bool numerus = false;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 4 || (args[1] != QLatin1String("--pseudo") && args[1] != QLatin1String("--english"))) {
        std::fprintf(stderr, "usage: pseudo-translate --pseudo|--english IN.ts OUT.ts\n");
        return 2;
    }
    const bool english = args[1] == QLatin1String("--english");
    QFile in(args[2]);
    QFile out(args[3]);
    if (!in.open(QIODevice::ReadOnly) || !out.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        std::fprintf(stderr, "pseudo-translate: cannot read %s or write %s\n", qPrintable(args[2]), qPrintable(args[3]));
        return 1;
    }
    // Copies the file element by element; each <translation> is replaced by a generated one.
    QXmlStreamReader r(&in);
    QXmlStreamWriter w(&out);
    w.setAutoFormatting(true);
    Message message;
    int count = 0;
    while (!r.atEnd()) {
        r.readNext();
        if (r.isStartDocument()) {
            w.writeStartDocument();
        } else if (r.isDTD()) {
            w.writeDTD(r.text().toString());
        } else if (r.isStartElement()) {
            const QString name = r.name().toString();
            if (name == QLatin1String("translation")) {
                r.skipCurrentElement();  // the old translation, replaced below
                w.writeStartElement(QStringLiteral("translation"));
                if (message.numerus) {
                    const QStringList forms = englishPlurals(message.source);
                    for (const QString &form : forms)
                        w.writeTextElement(QStringLiteral("numerusform"), english ? form : pseudo(form));
                } else if (english) {
                    w.writeAttribute(QStringLiteral("type"), QStringLiteral("unfinished"));
                } else {
                    w.writeCharacters(pseudo(message.source));
                }
                w.writeEndElement();
                ++count;
                continue;
            }
            w.writeStartElement(name);
            QXmlStreamAttributes attributes = r.attributes();
            if (name == QLatin1String("TS")) {  // plural rules of the file's language: English (2 forms)
                QXmlStreamAttributes a;
                for (const auto &attribute : std::as_const(attributes))
                    if (attribute.name() != QLatin1String("language"))
                        a.append(attribute);
                a.append(QStringLiteral("language"), QStringLiteral("en"));
                attributes = a;
            }
            if (name == QLatin1String("message"))
                message = Message{{}, attributes.value(QLatin1String("numerus")) == QLatin1String("yes")};
            w.writeAttributes(attributes);
            if (name == QLatin1String("source")) {
                message.source = r.readElementText();
                w.writeCharacters(message.source);
                w.writeEndElement();
            }
        } else if (r.isEndElement()) {
            w.writeEndElement();
        } else if (r.isCharacters() && !r.isWhitespace()) {
            w.writeCharacters(r.text().toString());
        }
    }
    w.writeEndDocument();
    if (r.hasError()) {
        std::fprintf(stderr, "pseudo-translate: %s: %s\n", qPrintable(args[2]), qPrintable(r.errorString()));
        return 1;
    }
    std::fprintf(stderr, "pseudo-translate: %d messages\n", count);
    return 0;
}
