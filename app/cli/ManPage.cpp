#include "ManPage.h"

#include "CommandCatalog.h"

namespace smtls::cli {

namespace {

// Text as roff reads it literally: backslashes, quotes that would turn into typographic ones,
// a control character at the start of a line, and the dashes of options (a hyphen elsewhere).
QString roff(const QString &text)
{
    QString out;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        const QChar before = i > 0 ? text[i - 1] : QChar(QLatin1Char(' '));
        if (c == QLatin1Char('\\'))
            out += QStringLiteral("\\e");
        else if (c == QLatin1Char('-') && (before.isSpace() || before == QLatin1Char('-') || before == QLatin1Char('(')
                                           || before == QLatin1Char('[') || before == QLatin1Char('|')))
            out += QStringLiteral("\\-");
        else if (c == QLatin1Char('`'))
            out += QStringLiteral("\\(ga");
        else if (c == QLatin1Char('\''))
            out += QStringLiteral("\\(aq");
        else
            out += c;
    }
    if (out.startsWith(QLatin1Char('.')))
        out.prepend(QStringLiteral("\\&"));
    return out;
}

// Paragraphs at the margin (.PP), or inside a .TP item, where .IP keeps the item's indent.
QString paragraphs(const QString &text, const QString &separator = QStringLiteral(".PP"))
{
    QStringList parts;
    for (const QString &p : text.split(QStringLiteral("\n\n")))
        parts.append(roff(p));
    return parts.join(QLatin1Char('\n') + separator + QLatin1Char('\n')) + QLatin1Char('\n');
}

QString bold(const QString &text) { return QStringLiteral("\\fB") + roff(text) + QStringLiteral("\\fR"); }

QString optionHead(const OptionDoc &o)
{
    QStringList names;
    for (const QString &n : o.names)
        names.append(bold((n.size() == 1 ? QStringLiteral("-") : QStringLiteral("--")) + n));
    QString head = names.join(QStringLiteral(", "));
    if (!o.valueName.isEmpty())
        head += QStringLiteral(" \\fI") + roff(o.valueName) + QStringLiteral("\\fR");
    return head;
}

QString optionList(const QList<OptionDoc> &options)
{
    QString out;
    for (const OptionDoc &o : options)
        out += QStringLiteral(".TP\n") + optionHead(o) + QLatin1Char('\n') + roff(o.description) + QLatin1Char('\n');
    return out;
}

QString entryList(const QList<EntryDoc> &entries, const char *font)
{
    QString out;
    for (const EntryDoc &e : entries)
        out += QStringLiteral(".TP\n.%1 %2\n%3\n").arg(QLatin1String(font), roff(e.name), roff(e.description));
    return out;
}

QString examples(const QString &program, const QList<ExampleDoc> &list)
{
    QString out;
    for (const ExampleDoc &e : list) {
        out += QStringLiteral(".PP\n.RS 4\n.nf\n") + roff(program + QLatin1Char(' ') + e.command) + QStringLiteral("\n.fi\n.RE\n");
        if (!e.comment.isEmpty())
            out += QStringLiteral(".RS 8\n") + roff(e.comment) + QStringLiteral("\n.RE\n");
    }
    return out;
}

// NAME to OPTIONS' start, the same for both pages.
QString head(const ProgramDoc &p, const QString &version, const QString &synopsis)
{
    QString out = QStringLiteral(".TH %1 1 \"\" \"%2 %3\" \"User Commands\"\n").arg(p.name.toUpper(), p.name, version);
    // No hyphenation, ragged right: option names and paths must not be split or spread.
    out += QStringLiteral(".nh\n.ad l\n");
    out += QStringLiteral(".SH NAME\n%1 \\- %2\n").arg(roff(p.name), roff(p.summary));
    out += QStringLiteral(".SH SYNOPSIS\n") + synopsis;
    out += QStringLiteral(".SH DESCRIPTION\n") + paragraphs(p.description);
    return out;
}

QString tail(const ProgramDoc &p, const QList<ExampleDoc> &exampleList)
{
    QString out = QStringLiteral(".SH EXIT STATUS\n");
    for (const ExitCodeDoc &e : p.exitCodes)
        out += QStringLiteral(".TP\n.B %1\n%2\n").arg(e.code).arg(roff(e.meaning));
    out += QStringLiteral(".SH FILES\n") + entryList(p.files, "I");
    out += QStringLiteral(".SH ENVIRONMENT\n") + entryList(p.environment, "B");
    out += QStringLiteral(".SH EXAMPLES\n") + examples(p.name, exampleList);
    out += QStringLiteral(".SH SEE ALSO\n");
    for (qsizetype i = 0; i < p.seeAlso.size(); ++i) {
        const QString page = p.seeAlso[i];
        const qsizetype paren = page.indexOf(QLatin1Char('('));
        out += QStringLiteral(".BR %1 %2%3\n").arg(roff(page.left(paren)), page.mid(paren),
                                                  i + 1 < p.seeAlso.size() ? QStringLiteral(",") : QString());
    }
    return out;
}

} // namespace

QString cliManPage(const QString &version)
{
    const ProgramDoc p = cliProgram();
    QString out = head(p, version,
                       QStringLiteral(".B sendmail-tls\n[\\fIGLOBAL OPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGUMENTS\\fR] "
                                      "[\\fIOPTIONS\\fR]\n.br\n.B sendmail-tls\n\\fICOMMAND\\fR \\fB\\-\\-help\\fR\n"));
    out += QStringLiteral(".SH COMMANDS\n");
    QList<ExampleDoc> allExamples;
    for (const CommandDoc &c : commandCatalog()) {
        QStringList forms;
        for (const QString &form : c.synopsis)
            forms.append(QStringLiteral("\\fB%1\\fR %2").arg(roff(c.name), roff(form)).trimmed());
        out += QStringLiteral(".TP\n") + forms.join(QStringLiteral("\n.br\n")) + QLatin1Char('\n');
        out += paragraphs(c.summary.left(1).toUpper() + c.summary.mid(1) + QStringLiteral(".\n\n") + c.description,
                          QStringLiteral(".IP"));
        const QList<OptionDoc> own = optionsOf(c);
        if (!own.isEmpty())
            out += QStringLiteral(".RS\n") + optionList(own) + QStringLiteral(".RE\n");
        allExamples += c.examples;
    }
    out += QStringLiteral(".SH OPTIONS\nGlobal options go before or after the command.\n") + optionList(p.options);
    return out + tail(p, allExamples);
}

QString guiManPage(const QString &version)
{
    const ProgramDoc p = guiProgram();
    QString out = head(p, version, QStringLiteral(".B sendmail-tls-gui\n[\\fIOPTIONS\\fR]\n"));
    out += QStringLiteral(".SH OPTIONS\n") + optionList(p.options);
    return out + tail(p, p.examples);
}

} // namespace smtls::cli
