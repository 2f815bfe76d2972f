// CommandLine against real shells: every word, however hostile, reaches the program as it was
// given, through toShellCommand(), shellScript() and sequence(); a sequence stops at the first
// failing command with its status, and a wrapper around it sees all of its output.
#include "transport/CommandLine.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace smtls;

namespace {

struct ShellRun {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// What the SSH transport does on the host: the login shell runs toShellCommand() as text.
ShellRun runInShell(const QString &shell, const CommandLine &command)
{
    QProcess p;
    p.start(shell, {QStringLiteral("-c"), QString::fromUtf8(command.toShellCommand())});
    p.closeWriteChannel();
    if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit)
        return {};
    return ShellRun{p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}

// The words the echo programs print, each ended by a NUL.
QStringList nulSeparated(const QByteArray &out)
{
    QStringList words;
    qsizetype start = 0;
    for (qsizetype end = out.indexOf('\0'); end >= 0; start = end + 1, end = out.indexOf('\0', start))
        words << QString::fromUtf8(out.mid(start, end - start));
    return words;
}

// The shells a command meets: /bin/sh (dash on Debian) and bash, a common login shell.
QStringList shells()
{
    QStringList out{QStringLiteral("/bin/sh")};
    if (QFile::exists(QStringLiteral("/bin/bash")))
        out << QStringLiteral("/bin/bash");
    return out;
}

// The wrapper ApplyRun::activate puts around rebuild + restart: immune to a dropped connection,
// output collected in a file and printed at the end, the sequence's status as exit status.
const QString DetachedWrapper = QStringLiteral("trap '' HUP PIPE\nlog=$(mktemp)\n{ run_sequence \"$@\"; } > \"$log\" 2>&1 < /dev/null\n"
                                               "rc=$?\ncat -- \"$log\"; rm -f -- \"$log\"\nexit $rc\n");

} // namespace

class TestCommandLine : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    // A program whose own name would be shell code, printing its arguments NUL-separated.
    QString m_echo;
    // Where an argument that got executed would leave a trace.
    QString m_pwned;

    void addHostileArguments()
    {
        QTest::addColumn<QStringList>("arguments");
        const QString touch = QStringLiteral("touch ") + m_pwned;
        QTest::newRow("plain") << QStringList{QStringLiteral("simple"), QStringLiteral("/etc/mail/access"), QStringLiteral("a=b,c@d:e+f")};
        QTest::newRow("empty") << QStringList{QString(), QStringLiteral("between"), QString()};
        QTest::newRow("spaces and tabs") << QStringList{QStringLiteral("two words"), QStringLiteral(" lead"), QStringLiteral("tab\there"), QStringLiteral("  ")};
        QTest::newRow("single quotes") << QStringList{QStringLiteral("'"), QStringLiteral("it's"), QStringLiteral("'\\''"), QStringLiteral("''")};
        QTest::newRow("double quotes and backslashes") << QStringList{QStringLiteral("\""), QStringLiteral("\"a b\""), QStringLiteral("\\"), QStringLiteral("a\\nb\\")};
        QTest::newRow("command substitution") << QStringList{QStringLiteral("$(") + touch + QLatin1Char(')'), QStringLiteral("`") + touch + QLatin1Char('`')};
        QTest::newRow("command separators") << QStringList{QStringLiteral("; ") + touch, QStringLiteral("&& ") + touch, QStringLiteral("|| ") + touch,
                                                           QStringLiteral("| ") + touch, QStringLiteral("& ") + touch};
        QTest::newRow("newlines") << QStringList{QStringLiteral("line1\nline2"), QStringLiteral("\n") + touch + QLatin1Char('\n'), QStringLiteral("\r\n")};
        QTest::newRow("expansions") << QStringList{QStringLiteral("$HOME"), QStringLiteral("${PATH}"), QStringLiteral("$1"), QStringLiteral("$@"),
                                                   QStringLiteral("$#"), QStringLiteral("~"), QStringLiteral("~root"), QStringLiteral("$((1+1))")};
        QTest::newRow("globs") << QStringList{QStringLiteral("*"), QStringLiteral("/*"), QStringLiteral("?"), QStringLiteral("[a-z]*")};
        QTest::newRow("options") << QStringList{QStringLiteral("-n"), QStringLiteral("--"), QStringLiteral("-e"), QStringLiteral("--help"), QStringLiteral("-")};
        QTest::newRow("redirections and comments") << QStringList{QStringLiteral("> ") + m_pwned, QStringLiteral("<"), QStringLiteral("#"), QStringLiteral("a #b"),
                                                                  QStringLiteral("!"), QStringLiteral("{"), QStringLiteral("}"), QStringLiteral("(x)")};
        QTest::newRow("printf formats") << QStringList{QStringLiteral("%s"), QStringLiteral("%d%n"), QStringLiteral("\\0")};
        QTest::newRow("non-ASCII") << QStringList{QStringLiteral("Grüße"), QStringLiteral("✉ mx.例え.jp")};
        QTest::newRow("long") << QStringList{QStringLiteral("a'b\"c$(d) `e`;\n").repeated(2000)};
        QTest::newRow("many (past ${9})") << QStringList{QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"), QStringLiteral("4"), QStringLiteral("5"),
                                                       QStringLiteral("6"), QStringLiteral("7"), QStringLiteral("8"), QStringLiteral("9"), QStringLiteral("10"),
                                                       QStringLiteral("11")};
        QTest::newRow("none") << QStringList{};
    }

    void verifyRoundTrip(const CommandLine &command, const QStringList &expected)
    {
        for (const QString &shell : shells()) {
            const ShellRun r = runInShell(shell, command);
            QVERIFY2(r.exitCode == 0, qPrintable(shell + QStringLiteral(": ") + QString::fromUtf8(r.err)));
            QCOMPARE(nulSeparated(r.out), expected);
            QVERIFY2(!QFile::exists(m_pwned), qPrintable(shell + QStringLiteral(" ran an argument as code")));
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_pwned = m_dir.filePath(QStringLiteral("pwned"));
        m_echo = m_dir.filePath(QStringLiteral("say 'it' \"$(x)\" `y`; *"));
        QFile echo(m_echo);
        QVERIFY(echo.open(QIODevice::WriteOnly));
        echo.write("#!/bin/sh\nfor a; do printf '%s\\0' \"$a\"; done\n");
        echo.close();
        QVERIFY(echo.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    }

    void toShellCommand_passesEveryWordUnchanged_data() { addHostileArguments(); }
    void toShellCommand_passesEveryWordUnchanged()
    {
        QFETCH(QStringList, arguments);
        verifyRoundTrip(CommandLine{m_echo, arguments}, arguments);
    }

    void shellScript_passesParametersAsData_data() { addHostileArguments(); }
    void shellScript_passesParametersAsData()
    {
        QFETCH(QStringList, arguments);
        verifyRoundTrip(CommandLine::shellScript(QStringLiteral("for a; do printf '%s\\0' \"$a\"; done"), arguments), arguments);
    }

    void sequence_passesEveryWordUnchanged_data() { addHostileArguments(); }
    void sequence_passesEveryWordUnchanged()
    {
        QFETCH(QStringList, arguments);
        // Three commands over the same words: each sees exactly its own, in order.
        const QStringList reversed(arguments.rbegin(), arguments.rend());
        const CommandLine sequence = CommandLine::sequence(
            {CommandLine{m_echo, arguments}, CommandLine{m_echo, {QStringLiteral("--between--")}}, CommandLine{m_echo, reversed}});
        verifyRoundTrip(sequence, arguments + QStringList{QStringLiteral("--between--")} + reversed);
    }

    void sequence_wrapped_passesEveryWordUnchanged_data() { addHostileArguments(); }
    void sequence_wrapped_passesEveryWordUnchanged()
    {
        QFETCH(QStringList, arguments);
        verifyRoundTrip(CommandLine::sequence({CommandLine{m_echo, arguments}, CommandLine{m_echo, arguments}}, DetachedWrapper),
                        arguments + arguments);
    }

    void sequence_stopsAtFirstFailureWithItsStatus_data()
    {
        QTest::addColumn<QList<int>>("statuses");
        QTest::addColumn<int>("expectedStatus");
        QTest::addColumn<QString>("expectedOutput");
        QTest::newRow("all succeed") << QList<int>{0, 0, 0} << 0 << QStringLiteral("012");
        QTest::newRow("first fails") << QList<int>{3, 0, 0} << 3 << QStringLiteral("0");
        QTest::newRow("middle fails") << QList<int>{0, 7, 0} << 7 << QStringLiteral("01");
        QTest::newRow("last fails") << QList<int>{0, 0, 1} << 1 << QStringLiteral("012");
        QTest::newRow("later failure not reached") << QList<int>{0, 5, 9} << 5 << QStringLiteral("01");
        QTest::newRow("single") << QList<int>{42} << 42 << QStringLiteral("0");
        QTest::newRow("empty") << QList<int>{} << 0 << QString();
    }
    void sequence_stopsAtFirstFailureWithItsStatus()
    {
        QFETCH(QList<int>, statuses);
        QFETCH(int, expectedStatus);
        QFETCH(QString, expectedOutput);
        QList<CommandLine> commands;
        for (qsizetype i = 0; i < statuses.size(); ++i)
            commands << CommandLine::shellScript(QStringLiteral("printf %s \"$1\"; exit \"$2\""), {QString::number(i), QString::number(statuses[i])});
        for (const QString &around : {QString(), DetachedWrapper}) {
            for (const QString &shell : shells()) {
                const ShellRun r = runInShell(shell, CommandLine::sequence(commands, around));
                QCOMPARE(r.exitCode, expectedStatus);
                QCOMPARE(QString::fromUtf8(r.out), expectedOutput);
            }
        }
    }

    void sequence_wrapperSeesCombinedOutput()
    {
        const QList<CommandLine> commands{
            CommandLine::shellScript(QStringLiteral("echo out1; echo err1 >&2")),
            CommandLine::shellScript(QStringLiteral("echo err2 >&2; echo out2; exit 4")),
            CommandLine::shellScript(QStringLiteral("echo never")),
        };
        for (const QString &shell : shells()) {
            const ShellRun r = runInShell(shell, CommandLine::sequence(commands, DetachedWrapper));
            QCOMPARE(r.exitCode, 4);
            QCOMPARE(r.out, QByteArray("out1\nerr1\nerr2\nout2\n"));
            QCOMPARE(r.err, QByteArray());
        }
    }

    void sequence_activateShape_touchesRebuildsAndReportsTheFailingRestart()
    {
        // ApplyRun::activate as a sequence: touch -- MC, the profile's rebuild, its restart.
        const QString mc = m_dir.filePath(QStringLiteral("etc mail/sendmail.mc; $(x)"));
        QVERIFY(QDir().mkpath(QFileInfo(mc).path()));
        const QList<CommandLine> steps{CommandLine{QStringLiteral("touch"), {QStringLiteral("--"), mc}},
                                       CommandLine::shellScript(QStringLiteral("test -f \"$1\" && echo rebuilt"), {mc}),
                                       CommandLine::shellScript(QStringLiteral("echo 'restart failed' >&2; exit 6"))};
        const ShellRun r = runInShell(QStringLiteral("/bin/sh"), CommandLine::sequence(steps, DetachedWrapper));
        QCOMPARE(r.exitCode, 6);
        QCOMPARE(r.out, QByteArray("rebuilt\nrestart failed\n"));
        QVERIFY(QFile::exists(mc));
    }
};

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
