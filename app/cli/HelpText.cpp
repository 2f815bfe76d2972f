#include "HelpText.h"

#include "Destination.h"  // printableInput

namespace smtls::cli {

namespace {

const QString Program = QStringLiteral("sendmail-tls");

// "  --root DIR          description…": the description in a column of its own, or on the next
// line when the name is too long for it.
QString optionLines(const QList<OptionDoc> &options)
{
    constexpr int column = 28;
    QString out;
    for (const OptionDoc &o : options) {
        QString head = QStringLiteral("  ") + optionUsage(o);
        QString body = wrapText(o.description, column);
        if (head.size() + 2 <= column)
            out += head + body.mid(head.size());
        else
            out += head + QLatin1Char('\n') + body;
    }
    return out;
}

// The words of a synopsis form, an optional part ("[--via access|client-options]") as one.
QStringList bracketGroups(const QString &form)
{
    QStringList groups;
    int depth = 0;
    for (const QString &word : form.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (depth > 0)
            groups.last() += QLatin1Char(' ') + word;
        else
            groups.append(word);
        depth += int(word.count(QLatin1Char('['))) - int(word.count(QLatin1Char(']')));
    }
    return groups;
}

QString exampleLines(const QList<ExampleDoc> &examples)
{
    QString out;
    for (const ExampleDoc &e : examples) {
        out += QStringLiteral("  %1 %2\n").arg(Program, e.command);
        if (!e.comment.isEmpty())
            out += wrapText(e.comment, 6);
    }
    return out;
}

} // namespace

QString wrapText(const QString &text, int indent, int width)
{
    const QString margin(indent, QLatin1Char(' '));
    QString out;
    const QStringList paragraphs = text.split(QStringLiteral("\n\n"));
    for (qsizetype p = 0; p < paragraphs.size(); ++p) {
        if (p > 0)
            out += QLatin1Char('\n');
        QString line;
        for (const QString &word : paragraphs[p].split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            if (!line.isEmpty() && margin.size() + line.size() + 1 + word.size() > width) {
                out += margin + line + QLatin1Char('\n');
                line.clear();
            }
            line += (line.isEmpty() ? QString() : QStringLiteral(" ")) + word;
        }
        out += margin + line + QLatin1Char('\n');
    }
    return out;
}

QString generalHelp()
{
    const ProgramDoc program = cliProgram();
    QString out = QStringLiteral("Usage: %1 [GLOBAL OPTIONS] COMMAND [ARGUMENTS] [OPTIONS]\n\n").arg(Program);
    out += wrapText(program.summary.left(1).toUpper() + program.summary.mid(1) + QLatin1Char('.'), 0);
    out += QStringLiteral("\nCommands:\n");
    for (const CommandDoc &c : commandCatalog())
        out += QStringLiteral("  %1%2\n").arg(c.name.leftJustified(10), c.summary);
    out += QStringLiteral("\nGlobal options (before or after the command):\n") + optionLines(program.options);
    QStringList codes;
    for (const ExitCodeDoc &e : program.exitCodes)
        codes.append(QStringLiteral("%1 %2").arg(e.code).arg(e.brief));
    out += QLatin1Char('\n') + wrapText(QStringLiteral("Exit codes: ") + codes.join(QStringLiteral(", ")) + QLatin1Char('.'), 0);
    out += QLatin1Char('\n');
    out += wrapText(QStringLiteral("'%1 COMMAND --help' (or '%1 help COMMAND') shows a command's options and examples; "
                                   "'man %1' shows everything.").arg(Program), 0);
    return out;
}

QString commandHelp(const CommandDoc &command)
{
    QString out;
    for (qsizetype i = 0; i < command.synopsis.size(); ++i) {
        // A form too long for a terminal goes on over lines of its own, indented.
        QString line = (i == 0 ? QStringLiteral("Usage: ") : QStringLiteral("       ")) + Program
            + QStringLiteral(" [GLOBAL OPTIONS] ") + command.name;
        for (const QString &word : bracketGroups(command.synopsis[i])) {
            if (line.size() + 1 + word.size() > 79) {
                out += line + QLatin1Char('\n');
                line = QString(11, QLatin1Char(' ')) + word;
            } else {
                line += QLatin1Char(' ') + word;
            }
        }
        out += line + QLatin1Char('\n');
    }
    out += QLatin1Char('\n') + wrapText(command.summary.left(1).toUpper() + command.summary.mid(1) + QLatin1Char('.'), 0);
    out += QLatin1Char('\n') + wrapText(command.description, 0);
    const QList<OptionDoc> own = optionsOf(command);
    if (!own.isEmpty())
        out += QStringLiteral("\nOptions:\n") + optionLines(own);
    out += QLatin1Char('\n')
        + wrapText(QStringLiteral("Global options: --host, --root, --mc, --access, --snapshot-dir and more (%1 --help).").arg(Program), 0);
    if (!command.examples.isEmpty())
        out += QStringLiteral("\nExamples:\n") + exampleLines(command.examples);
    return out;
}

QString unknownCommandMessage(const QString &typed)
{
    const QString suggestion = suggestCommand(typed);
    if (!suggestion.isEmpty())
        return QStringLiteral("Unknown command '%1'. Did you mean '%2'?").arg(printableInput(typed), suggestion);
    return QStringLiteral("Unknown command '%1'; the commands are %2").arg(printableInput(typed), commandNames().join(QStringLiteral(", ")));
}

} // namespace smtls::cli
