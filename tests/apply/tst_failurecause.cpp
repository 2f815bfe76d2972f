// Why an apply failed, from real captured host output (tests/apply/samples, captured on the
// test hosts: `testhosts break-restart DIR 1 on`, then Debian's `make -C /etc/mail` and
// `service sendmail restart` as the activate step runs them, stdout and stderr merged), and the
// state after a failure as the check-state step reads it.

#include "apply/ApplyReport.h"
#include "apply/FailureCause.h"
#include "apply/StateAfter.h"

#include <QFile>
#include <QTest>

using namespace smtls;

namespace {

QByteArray sample(const char *name)
{
    QFile f(QStringLiteral(SMTLS_SOURCE_DIR "/tests/apply/samples/") + QLatin1String(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing sample %s", name);
    return f.readAll();
}

} // namespace

class FailureCauseTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // The activate step's output when the restart fails after Debian's make: the init
    // script's line, not make's first ("make: Entering directory '/etc/mail'").
    void restartAfterMake_causeIsTheInitScriptsLine()
    {
        const QByteArray out = sample("debian-make-then-restart-broken.txt");
        QVERIFY(out.startsWith("make: Entering directory"));
        QCOMPARE(failureCause(out), QStringLiteral("sendmail: restart failed (broken on purpose by testhosts break-restart)"));
        // As the pipeline sees it: the script merges everything into stdout.
        const CommandResult r{1, out, {}};
        QCOMPARE(failureCause(r), QStringLiteral("sendmail: restart failed (broken on purpose by testhosts break-restart)"));
        QVERIFY(r.firstErrorLine().startsWith(QStringLiteral("make: Entering directory")));  // what the report used to quote
    }
    void initScriptAlone_causeIsItsStderr()
    {
        const CommandResult r{1, {}, sample("init-restart-broken.txt")};
        QCOMPARE(failureCause(r), QStringLiteral("sendmail: restart failed (broken on purpose by testhosts break-restart)"));
    }
    // make's own "*** [Makefile:2: all] Error 1" only repeats that m4 failed: m4's line is the
    // cause.
    void failedRecipe_causeIsTheRecipesLine()
    {
        const QString cause = failureCause(sample("make-m4-fails.txt"));
        QCOMPARE(cause, QStringLiteral("m4: cannot open `/nonexistent.mc': No such file or directory"));
    }
    void makeItself_failing_isQuoted()
    {
        QCOMPARE(failureCause(sample("debian-make-no-rule.txt")), QStringLiteral("make: *** No rule to make target 'sendmail.cf.nosuch'.  Stop."));
    }
    // Debian's make with a broken .mc: the m4 errors, both, and not the progress lines.
    void brokenMc_bothM4LinesAreQuoted()
    {
        const QString cause = failureCause(sample("debian-make-mc-error-exit0.txt"));
        QCOMPARE(cause, QStringLiteral("*** ERROR: FEATURE() should be before MAILER() / m4:/etc/mail/sendmail.mc:106: cannot open "
                                       "`/usr/share/sendmail/cf/feature/nosuchfeature.m4': No such file or directory"));
    }
    // Nothing that names a failure: the last lines, never make's directory lines.
    void noTellingLine_lastLines()
    {
        QCOMPARE(failureCause(QByteArray("make: Entering directory '/etc/mail'\nstep one\nstep two\nmake: Leaving directory '/etc/mail'\n"), 1),
                 QStringLiteral("step two"));
        QCOMPARE(failureCause(CommandResult{3, {}, {}}), QStringLiteral("exit status 3, no output"));
    }

    // The check-state step's output, as its script prints it on a Debian host whose restart is
    // broken for good: the old files back, the daemon that ran before the apply still running.
    void stateAfter_oldFilesAndTheOldDaemon()
    {
        const QList<ExpectedFile> expected{{QStringLiteral("/etc/mail/sendmail.mc"), QStringLiteral("aa"), QStringLiteral("bb")},
                                           {QStringLiteral("/etc/mail/sendmail.cf"), QStringLiteral("cc"), QString()}};
        const QByteArray out = "@@file aa /etc/mail/sendmail.mc\n@@file cc /etc/mail/sendmail.cf\n@@running 6550 94\n";
        const StateAfter s = parseStateAfter(out, expected);
        QVERIFY(s.oldFilesActive());
        QVERIFY(s.running && s.daemonChecked);
        QCOMPARE(s.pid, 6550);
        QVERIFY(s.startedBefore(12.3));
        QVERIFY(!s.startedBefore(94.0));  // within the second of the install: cannot be told
        QCOMPARE(s.sentence(12.3), QStringLiteral("The old files are active again; sendmail is running (pid 6550, started before this "
                                                  "apply, so it never loaded the new files)."));
        QCOMPARE(s.sentence(120), QStringLiteral("The old files are active again; sendmail is running (pid 6550, started 94 s ago)."));
    }
    void stateAfter_newAndForeignFiles_daemonDown()
    {
        const QList<ExpectedFile> expected{{QStringLiteral("/etc/mail/sendmail.mc"), QStringLiteral("aa"), QStringLiteral("bb")},
                                           {QStringLiteral("/etc/mail/access"), QStringLiteral("-"), QStringLiteral("dd")},
                                           {QStringLiteral("/etc/mail/sendmail.cf"), QStringLiteral("cc"), QString()}};
        const StateAfter s = parseStateAfter("@@file bb /etc/mail/sendmail.mc\n@@file - /etc/mail/access\n@@file ee /etc/mail/sendmail.cf\n@@notrunning\n",
                                             expected);
        QVERIFY(!s.oldFilesActive());
        QVERIFY(s.daemonChecked && !s.running);
        const StateAfter back = parseStateAfter("@@file aa /etc/mail/sendmail.mc\n@@notrunning\n", expected.mid(0, 1));
        QCOMPARE(back.sentence(5), QStringLiteral("The old files are back in place; sendmail is not running."));
        QCOMPARE(s.sentence(5), QStringLiteral("/etc/mail/sendmail.mc still holds the new version; /etc/mail/sendmail.cf holds neither the "
                                               "old nor the new version; sendmail is not running."));
        // A tree: no daemon to check, only the files.
        const StateAfter tree = parseStateAfter("@@file aa /etc/mail/sendmail.mc\n", expected.mid(0, 1));
        QCOMPARE(tree.sentence(5), QStringLiteral("The old files are active again."));
    }

    void texts_areSentencesAndTitles()
    {
        QCOMPARE(asSentence(QStringLiteral("restoring failed: x")), QStringLiteral("Restoring failed: x."));
        QCOMPARE(asSentence(QStringLiteral("/etc/mail/access was changed.")), QStringLiteral("/etc/mail/access was changed."));
        QCOMPARE(outcomeTitle(ApplyOutcome::RolledBack), QStringLiteral("Rolled back"));
        QCOMPARE(outcomeName(ApplyOutcome::RolledBack), QStringLiteral("rolled back"));  // JSON keeps its word
        QCOMPARE(stepTitle(Step::HealthCheck), QStringLiteral("Health check"));
    }
};

QTEST_GUILESS_MAIN(FailureCauseTest)
#include "tst_failurecause.moc"
