#pragma once
// The one description of the command-line tool (and of the desktop program's few options):
// commands, options, examples, exit codes, files, environment. The option parser declares its
// options from it and checks which command takes which option against it; `--help`, the man
// pages and the bash completion are printed from it. So a new option or command is written here
// once, and nothing that documents it can drift from what the parser accepts.

#include <QList>
#include <QString>
#include <QStringList>

namespace smtls::cli {

// What the completion offers for an option's value.
enum class ValueCompletion { None, File, Directory, Host, Choices };

struct OptionDoc {
    QStringList names;        // without dashes, the long name last: {"h", "help"}
    QString valueName;        // "DIR"; empty: a switch
    QString description;
    QStringList commands;     // the commands it applies to; empty: every command (a global option)
    ValueCompletion completion = ValueCompletion::None;
    QStringList choices = {}; // ValueCompletion::Choices
    QString longName() const { return names.constLast(); }
    bool isGlobal() const { return commands.isEmpty(); }
};

struct ExampleDoc {
    QString command;          // without "sendmail-tls " in front
    QString comment;
};

struct CommandDoc {
    QString name;
    // One line per form, after the command's name. Lower-case words (and a|b) are typed as they
    // are, UPPER-CASE words are the admin's values: the completion follows these too.
    QStringList synopsis;
    QString summary;          // one line, for the list of commands
    QString description;      // paragraphs separated by an empty line
    QList<ExampleDoc> examples;
};

struct ExitCodeDoc {
    int code;
    QString brief;            // "usage", for the one-line list of --help
    QString meaning;
};

struct EntryDoc {              // a file or an environment variable
    QString name;
    QString description;
};

// A whole program, as its man page shows it.
struct ProgramDoc {
    QString name;
    QString summary;           // the NAME line
    QString description;
    QList<OptionDoc> options;  // the program's own options (the CLI's global ones)
    QList<ExitCodeDoc> exitCodes;
    QList<EntryDoc> files;
    QList<EntryDoc> environment;
    QList<ExampleDoc> examples;
    QStringList seeAlso;       // "sendmail-tls-gui(1)"
};

const QList<CommandDoc> &commandCatalog();
const CommandDoc *findCommand(const QString &name);
QStringList commandNames();

// Every option of sendmail-tls, global ones first.
const QList<OptionDoc> &optionCatalog();
const OptionDoc *findOption(const QString &longName);
QList<OptionDoc> optionsOf(const CommandDoc &command);  // its own options, not the global ones
QString optionUsage(const OptionDoc &option);           // "-h, --help" / "--root DIR"

ProgramDoc cliProgram();
ProgramDoc guiProgram();

// The command most like TYPED (a unique prefix, else within a small edit distance); {} if none.
QString suggestCommand(const QString &typed);
int editDistance(const QString &a, const QString &b);  // Damerau (optimal string alignment)

} // namespace smtls::cli
