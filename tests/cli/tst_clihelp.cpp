// The documentation of sendmail-tls against what the program does: the catalogue
// (app/cli/CommandCatalog) against the dispatcher and the parser, per-command help and "did you
// mean" from the real binary, the generated man pages through man-db's own checks, the generated
// bash completion run in a real bash, and what `cmake --install --component cli` installs.

#include "Cli.h"
#include "CliOptions.h"
#include "CommandCatalog.h"
#include "HelpText.h"
#include "ManPage.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace smtls;
using namespace smtls::cli;

namespace {

struct Ran {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Ran runProgram(const QString &program, const QStringList &arguments, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, arguments);
    Ran r;
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

Ran runCli(const QStringList &arguments)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
    return runProgram(QStringLiteral(SMTLS_BIN_DIR "/sendmail-tls"), arguments, env);
}

QString dashed(const QString &name) { return (name.size() == 1 ? QStringLiteral("-") : QStringLiteral("--")) + name; }

// A value the parser takes for OPTION, and an option it needs alongside (--keep needs --prune).
QStringList optionWithValue(const OptionDoc &option)
{
    QStringList words{dashed(option.longName())};
    if (!option.valueName.isEmpty())
        words.append(option.choices.value(0, QStringLiteral("7")));
    if (option.longName() == QLatin1String("keep") || option.longName() == QLatin1String("older-than"))
        words.append(QStringLiteral("--prune"));
    if (option.longName() == QLatin1String("prune"))
        words.append({QStringLiteral("--keep"), QStringLiteral("1")});
    if (option.longName() == QLatin1String("nameserver"))
        words.append(QStringLiteral("--from-here"));
    return words;
}

QString manText(const QString &page)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("MANWIDTH"), QStringLiteral("200"));  // one option name never split
    env.insert(QStringLiteral("MAN_KEEP_FORMATTING"), QString());
    const Ran r = runProgram(QStringLiteral("man"), {QStringLiteral("-E"), QStringLiteral("UTF-8"), QStringLiteral("-l"), page}, env);
    // man marks bold and underline with overstrikes when its output is not a terminal: drop them.
    return QString::fromUtf8(r.out).remove(QRegularExpression(QStringLiteral(".\\x08")));
}

} // namespace

class TestCliHelp : public QObject {
    Q_OBJECT

    QString m_docs = QStringLiteral(SMTLS_DOCS_DIR);

private Q_SLOTS:
    void catalogue_matchesTheDispatcher()
    {
        const QStringList dispatched = dispatchedCommands();
        const QStringList documented = commandNames();
        QCOMPARE(QSet<QString>(dispatched.begin(), dispatched.end()), QSet<QString>(documented.begin(), documented.end()));
        QCOMPARE(dispatched.size(), documented.size());
        // The parser accepts exactly these: each name parses as a command, a near miss does not.
        for (const QString &name : documented) {
            const Result<CliOptions> parsed = parseCommandLine({QStringLiteral("sendmail-tls"), name});
            QVERIFY2(parsed || !parsed.error().message.startsWith(QStringLiteral("Unknown command")), qPrintable(name));
            QVERIFY(!parseCommandLine({QStringLiteral("sendmail-tls"), name + QStringLiteral("x")}));
        }
    }

    // The parse code asks for options by name; a name the catalogue lacks would make Qt warn
    // "option not defined" and read it as never set.
    void parser_asksOnlyForCatalogueOptions()
    {
        static QStringList warnings;
        warnings.clear();
        const QtMessageHandler previous = qInstallMessageHandler([](QtMsgType, const QMessageLogContext &, const QString &message) {
            warnings.append(message);
        });
        for (const QStringList &line : {QStringList{QStringLiteral("status")},
                                        QStringList{QStringLiteral("history"), QStringLiteral("--prune"), QStringLiteral("--keep"),
                                                    QStringLiteral("3"), QStringLiteral("--older-than"), QStringLiteral("9")},
                                        QStringList{QStringLiteral("mx"), QStringLiteral("a.example"), QStringLiteral("--from-here"),
                                                    QStringLiteral("--nameserver"), QStringLiteral("192.0.2.1"), QStringLiteral("--timeout"),
                                                    QStringLiteral("5")},
                                        QStringList{QStringLiteral("--host"), QStringLiteral("h"), QStringLiteral("--parallel"),
                                                    QStringLiteral("2"), QStringLiteral("--profile"), QStringLiteral("custom"),
                                                    QStringLiteral("--profile-file"), QStringLiteral("p.json"), QStringLiteral("status")}})
            parseCommandLine(QStringList{QStringLiteral("sendmail-tls")} + line);
        qInstallMessageHandler(previous);
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(QLatin1Char('\n'))));
    }

    void everyOption_appliesExactlyToItsCommands()
    {
        for (const OptionDoc &option : optionCatalog()) {
            if (option.longName() == QLatin1String("help") || option.longName() == QLatin1String("version"))
                continue;
            for (const QString &command : commandNames()) {
                const QStringList line = QStringList{QStringLiteral("sendmail-tls"), command} + optionWithValue(option);
                const Result<CliOptions> parsed = parseCommandLine(line);
                const QString error = parsed ? QString() : parsed.error().message;
                QVERIFY2(!error.startsWith(QStringLiteral("Unknown option")), qPrintable(line.join(QLatin1Char(' ')) + QStringLiteral(": ") + error));
                const bool applies = option.isGlobal() || option.commands.contains(command);
                QVERIFY2(error.contains(QStringLiteral("does not apply")) != applies,
                         qPrintable(line.join(QLatin1Char(' ')) + QStringLiteral(": ") + error));
            }
        }
    }

    void everyOption_isInTheHelpAndTheManPage()
    {
        const QString man = manText(m_docs + QStringLiteral("/sendmail-tls.1"));
        QVERIFY2(man.contains(QStringLiteral("EXIT STATUS")), qPrintable(man.left(300)));
        const QString general = QString::fromUtf8(runCli({QStringLiteral("--help")}).out);
        for (const OptionDoc &option : optionCatalog()) {
            const QString usage = optionUsage(option);
            QVERIFY2(man.contains(usage), qPrintable(usage));
            if (option.isGlobal()) {
                QVERIFY2(general.contains(usage), qPrintable(usage));
                continue;
            }
            for (const QString &command : option.commands) {
                const QString help = QString::fromUtf8(runCli({command, QStringLiteral("--help")}).out);
                QVERIFY2(help.contains(QStringLiteral("  ") + usage), qPrintable(command + QLatin1Char(' ') + usage));
            }
        }
        for (const CommandDoc &command : commandCatalog()) {
            QVERIFY2(general.contains(QStringLiteral("  ") + command.name + QLatin1Char(' ')), qPrintable(command.name));
            for (const QString &form : command.synopsis)
                QVERIFY2(man.contains((command.name + QLatin1Char(' ') + form).trimmed()), qPrintable(command.name + form));
        }
        for (const ExitCodeDoc &e : cliProgram().exitCodes)
            QVERIFY2(man.contains(QStringLiteral("%1 %2").arg(e.code).arg(e.meaning.left(20))) || man.contains(e.meaning.left(30)),
                     qPrintable(e.meaning));
    }

    void manPages_haveEverySectionAndNoWarnings_data()
    {
        QTest::addColumn<QString>("page");
        QTest::addColumn<QStringList>("mustMention");
        QTest::newRow("sendmail-tls(1)") << QStringLiteral("sendmail-tls.1")
                                         << QStringList{QStringLiteral("COMMANDS"), QStringLiteral("snapshots"), QStringLiteral("XDG_DATA_HOME")};
        QTest::newRow("sendmail-tls-gui(1)") << QStringLiteral("sendmail-tls-gui.1")
                                             << QStringList{QStringLiteral("--screenshot DIR"), QStringLiteral("--dark"),
                                                            QStringLiteral("sendmail-tls-gui.conf"), QStringLiteral("staged"),
                                                            QStringLiteral("keychain")};
    }

    void manPages_haveEverySectionAndNoWarnings()
    {
        QFETCH(QString, page);
        QFETCH(QStringList, mustMention);
        if (QStandardPaths::findExecutable(QStringLiteral("man")).isEmpty())
            QSKIP("man (man-db) is not installed: installer/setup.sh deps installs it");
        const QString path = m_docs + QLatin1Char('/') + page;
        // The file the build installs is the one the catalogue prints now (no stale page).
        QFile file(path);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
        const QString version = QStringLiteral(SMTLS_VERSION);
        QCOMPARE(QString::fromUtf8(file.readAll()), page.contains(QStringLiteral("gui")) ? guiManPage(version) : cliManPage(version));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("MANWIDTH"), QStringLiteral("80"));
        const Ran r = runProgram(QStringLiteral("man"), {QStringLiteral("--warnings"), QStringLiteral("-E"), QStringLiteral("UTF-8"),
                                                         QStringLiteral("-l"), path}, env);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.isEmpty(), r.err.constData());
        const QString text = manText(path);
        for (const QString &section : {QStringLiteral("NAME"), QStringLiteral("SYNOPSIS"), QStringLiteral("DESCRIPTION"),
                                       QStringLiteral("OPTIONS"), QStringLiteral("EXIT STATUS"), QStringLiteral("FILES"),
                                       QStringLiteral("ENVIRONMENT"), QStringLiteral("EXAMPLES"), QStringLiteral("SEE ALSO")})
            QVERIFY2(text.contains(QLatin1Char('\n') + section + QLatin1Char('\n')), qPrintable(section));
        for (const QString &word : mustMention)
            QVERIFY2(text.contains(word), qPrintable(word));
    }

    // The GUI page lists the options the GUI's own parser prints (ui/GuiApplication.cpp).
    void guiManPage_listsTheGuiOptions()
    {
        const QString gui = QStringLiteral(SMTLS_BIN_DIR "/sendmail-tls-gui");
        if (!QFileInfo::exists(gui))
            QSKIP("sendmail-tls-gui is not built in this build tree");
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        const Ran r = runProgram(gui, {QStringLiteral("--help")}, env);
        QCOMPARE(r.exitCode, 0);
        QSet<QString> printed;
        const QRegularExpression option(QStringLiteral("^\\s+((?:-{1,2}[\\w-]+(?:, )?)+)"), QRegularExpression::MultilineOption);
        for (auto it = option.globalMatch(QString::fromUtf8(r.out)); it.hasNext();)
            for (const QString &name : it.next().captured(1).split(QStringLiteral(", ")))
                printed.insert(name.trimmed());
        QSet<QString> documented;
        for (const OptionDoc &o : guiProgram().options)
            for (const QString &name : o.names)
                documented.insert(dashed(name));
        QCOMPARE(printed, documented);
    }

    void commandHelp_showsItsOptionsAndExamples()
    {
        for (const CommandDoc &command : commandCatalog()) {
            const Ran viaOption = runCli({command.name, QStringLiteral("--help")});
            QCOMPARE(viaOption.exitCode, 0);
            QVERIFY(viaOption.err.isEmpty());
            const QString text = QString::fromUtf8(viaOption.out);
            QVERIFY2(text.startsWith(QStringLiteral("Usage: sendmail-tls [GLOBAL OPTIONS] ") + command.name), qPrintable(text));
            QVERIFY2(text.contains(QStringLiteral("\nExamples:\n")), qPrintable(command.name));
            QVERIFY(!command.examples.isEmpty());
            for (const ExampleDoc &e : command.examples)
                QVERIFY2(text.contains(QStringLiteral("  sendmail-tls ") + e.command + QLatin1Char('\n')), qPrintable(e.command));
            // The same page three ways; never the general help.
            QCOMPARE(runCli({QStringLiteral("help"), command.name}).out, viaOption.out);
            QCOMPARE(runCli({QStringLiteral("--help"), command.name}).out, viaOption.out);
            QVERIFY(!text.contains(QStringLiteral("\nCommands:\n")));
            for (const QString &line : text.split(QLatin1Char('\n')))
                QVERIFY2(line.size() <= 80, qPrintable(line));
        }
        const Ran general = runCli({QStringLiteral("--help")});
        QCOMPARE(general.exitCode, 0);
        QCOMPARE(runCli({QStringLiteral("help")}).out, general.out);
        QVERIFY(general.out.contains("\nCommands:\n"));
    }

    void mistypedCommand_getsASuggestion_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("meant");
        QTest::newRow("missing letter") << QStringLiteral("staus") << QStringLiteral("status");
        QTest::newRow("swapped letters") << QStringLiteral("stauts") << QStringLiteral("status");
        QTest::newRow("rollbak") << QStringLiteral("rollbak") << QStringLiteral("rollback");
        QTest::newRow("prefix") << QStringLiteral("hist") << QStringLiteral("history");
        QTest::newRow("capitals") << QStringLiteral("Explain") << QStringLiteral("explain");
        QTest::newRow("qeue") << QStringLiteral("qeue") << QStringLiteral("queue");
        QTest::newRow("nothing close") << QStringLiteral("frobnicate") << QString();
        QTest::newRow("too far") << QStringLiteral("sxyz") << QString();
    }

    void mistypedCommand_getsASuggestion()
    {
        QFETCH(QString, typed);
        QFETCH(QString, meant);
        QCOMPARE(suggestCommand(typed), meant);
        for (const QStringList &line : {QStringList{typed}, QStringList{QStringLiteral("help"), typed}, QStringList{typed, QStringLiteral("--help")}}) {
            const Ran r = runCli(line);
            QCOMPARE(r.exitCode, 2);
            QVERIFY(r.out.isEmpty());
            const QByteArray expected = meant.isEmpty()
                ? QByteArray("sendmail-tls: Unknown command '" + typed.toUtf8() + "'; the commands are status, explain")
                : QByteArray("sendmail-tls: Unknown command '" + typed.toUtf8() + "'. Did you mean '" + meant.toUtf8()
                             + "'? (see sendmail-tls --help)\n");
            QVERIFY2(r.err.startsWith(expected), r.err.constData());
        }
    }

    void misplacedOption_pointsToTheCommandsHelp()
    {
        const Ran r = runCli({QStringLiteral("status"), QStringLiteral("--dry-run")});
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.err, QByteArray("sendmail-tls: --dry-run does not apply to 'status' (see sendmail-tls status --help)\n"));
    }

    void completion_data()
    {
        QTest::addColumn<QStringList>("words");  // the last one is being completed
        QTest::addColumn<QStringList>("expected");
        QTest::addColumn<bool>("exact");
        QTest::newRow("commands") << QStringList{QStringLiteral("")} << commandNames() << true;
        QTest::newRow("command prefix") << QStringList{QStringLiteral("re")}
                                        << QStringList{QStringLiteral("restore"), QStringLiteral("retry")} << true;
        QTest::newRow("set's first word") << QStringList{QStringLiteral("set"), QString()}
                                          << QStringList{QStringLiteral("global"), QStringLiteral("destination")} << true;
        QTest::newRow("set global") << QStringList{QStringLiteral("--root"), QStringLiteral("/x"), QStringLiteral("set"), QStringLiteral("global"), QString()}
                                    << QStringList{QStringLiteral("on"), QStringLiteral("fallback"), QStringLiteral("off")} << true;
        QTest::newRow("set destination NAME")
            << QStringList{QStringLiteral("set"), QStringLiteral("destination"), QStringLiteral("mx.example"), QString()}
            << QStringList{QStringLiteral("on"), QStringLiteral("fallback"), QStringLiteral("off"), QStringLiteral("inherit")} << true;
        QTest::newRow("help COMMAND") << QStringList{QStringLiteral("help"), QStringLiteral("pr")} << QStringList{QStringLiteral("probe")} << true;
        QTest::newRow("probe's options")
            << QStringList{QStringLiteral("probe"), QStringLiteral("mx"), QStringLiteral("--")}
            << QStringList{QStringLiteral("--port"), QStringLiteral("--from-here"), QStringLiteral("--timeout"), QStringLiteral("--json"),
                           QStringLiteral("--host"), QStringLiteral("--root")} << false;
        QTest::newRow("--profile") << QStringList{QStringLiteral("--profile"), QString()}
                                   << QStringList{QStringLiteral("debian"), QStringLiteral("rhel"), QStringLiteral("freebsd"), QStringLiteral("custom")} << true;
        // ~/.ssh/config: mx1 mx2 (and a pattern, not offered), Include conf.d/*.conf with relay-a,
        // relay-b (and a negated pattern), Host=eq-form; the GUI's saved host.
        QTest::newRow("--host") << QStringList{QStringLiteral("--host"), QString()}
                                << QStringList{QStringLiteral("mx1"), QStringLiteral("mx2"), QStringLiteral("relay-a"), QStringLiteral("relay-b"),
                                               QStringLiteral("eq-form"), QStringLiteral("saved.example.net")} << true;
        QTest::newRow("snapshot ids") << QStringList{QStringLiteral("rollback"), QString()}
                                      << QStringList{QStringLiteral("20261202-081000-123-localhost"), QStringLiteral("20261202-091500-007-mx1")} << true;
        QTest::newRow("--host after a command") << QStringList{QStringLiteral("status"), QStringLiteral("--host"), QStringLiteral("rel")}
                                                << QStringList{QStringLiteral("relay-a"), QStringLiteral("relay-b")} << true;
    }

    void completion()
    {
        QFETCH(QStringList, words);
        QFETCH(QStringList, expected);
        QFETCH(bool, exact);
        if (QStandardPaths::findExecutable(QStringLiteral("bash")).isEmpty())
            QSKIP("no bash");
        QTemporaryDir home;
        QVERIFY(QDir(home.path()).mkpath(QStringLiteral(".ssh/conf.d")));
        QVERIFY(QDir(home.path()).mkpath(QStringLiteral(".config/sendmail-tls")));
        for (const char *id : {"20261202-081000-123-localhost", "20261202-091500-007-mx1"})
            QVERIFY(QDir(home.path()).mkpath(QStringLiteral(".local/share/sendmail-tls/snapshots/") + QLatin1String(id)));
        const auto write = [&](const QString &name, const QByteArray &text) {
            QFile f(home.filePath(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(text);
        };
        write(QStringLiteral(".ssh/config"), "Host mx1 mx2 *.wild\n    HostName 192.0.2.1\nInclude conf.d/*.conf\nHost=eq-form\n");
        write(QStringLiteral(".ssh/conf.d/a.conf"), "host relay-a\n  User admin\nHost !negated relay-b\n");
        write(QStringLiteral(".config/sendmail-tls/sendmail-tls-gui.conf"),
              "[General]\n\n[hosts]\n1\\address=saved.example.net\n1\\name=Saved\nsize=1\n");
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), home.path());
        env.remove(QStringLiteral("XDG_CONFIG_HOME"));
        env.remove(QStringLiteral("XDG_DATA_HOME"));
        const QString script = QStringLiteral("source \"$1\"; shift; COMP_WORDS=(sendmail-tls \"$@\"); "
                                              "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); _sendmail_tls; "
                                              "printf '%s\\n' \"${COMPREPLY[@]}\"");
        const Ran r = runProgram(QStringLiteral("bash"),
                                 QStringList{QStringLiteral("-c"), script, QStringLiteral("bash"), m_docs + QStringLiteral("/sendmail-tls.bash")} + words, env);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.isEmpty(), r.err.constData());
        const QStringList offered = QString::fromUtf8(r.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        for (const QString &e : expected)
            QVERIFY2(offered.contains(e), qPrintable(e + QStringLiteral(" not in: ") + offered.join(QLatin1Char(' '))));
        if (exact)
            QCOMPARE(offered.size(), expected.size());
        if (words.constLast() == QLatin1String("--") && words.first() == QLatin1String("probe"))
            QVERIFY2(!offered.contains(QStringLiteral("--via")), qPrintable(offered.join(QLatin1Char(' '))));
    }

    void install_putsManPageAndCompletionIntoComponentCli()
    {
        QTemporaryDir prefix;
        const Ran r = runProgram(QStringLiteral(SMTLS_CMAKE_COMMAND),
                                 {QStringLiteral("--install"), QStringLiteral(SMTLS_BUILD_DIR), QStringLiteral("--component"), QStringLiteral("cli"),
                                  QStringLiteral("--prefix"), prefix.path()});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QStringList installed;
        for (QDirIterator it(prefix.path(), QDir::Files, QDirIterator::Subdirectories); it.hasNext();)
            installed.append(QDir(prefix.path()).relativeFilePath(it.next()));
        QVERIFY2(installed.contains(QStringLiteral("share/man/man1/sendmail-tls.1.gz")), qPrintable(installed.join(QLatin1Char(' '))));
        QVERIFY2(installed.contains(QStringLiteral("share/bash-completion/completions/sendmail-tls")), qPrintable(installed.join(QLatin1Char(' '))));
        QVERIFY(!installed.contains(QStringLiteral("share/man/man1/sendmail-tls-gui.1.gz")));  // component gui
        const Ran gunzip = runProgram(QStringLiteral("gzip"), {QStringLiteral("-dc"), prefix.filePath(QStringLiteral("share/man/man1/sendmail-tls.1.gz"))});
        QCOMPARE(QString::fromUtf8(gunzip.out), cliManPage(QStringLiteral(SMTLS_VERSION)));
    }
};

QTEST_GUILESS_MAIN(TestCliHelp)
#include "tst_clihelp.moc"
