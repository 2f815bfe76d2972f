// Staged work is safe and visible (issue 13, item 2) and reasons go everywhere (item 3), on the
// Demo host through the real widgets, offscreen: quitting with staged edits asks; Keep brings
// them back in a SECOND process start (this test program run again as a child, on the same data
// folder), planned on the files it reads then, and an edit whose rule was changed by hand in
// between is shown as a conflict, not staged. Pending rows are marked in words, the Pending tab
// counts, the heading says "staged" only when so; the reason typed in the exception dialog
// reaches the note line, the snapshot and History; editing a rule shows its note.
#include "ApplyDialog.h"
#include "ApplyProgressModel.h"
#include "DestinationDialog.h"
#include "DestinationRulesModel.h"
#include "DiffPreviewDialog.h"
#include "HistoryPanel.h"
#include "HostConnector.h"
#include "HostSession.h"
#include "MainWindow.h"
#include "PolicyPanel.h"
#include "SnapshotModel.h"
#include "StagedEditsStore.h"

#include "GuiFlows.h"
#include "GuiTestSetup.h"

#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QStatusBar>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTimer>

#include <unistd.h>

using namespace smtls;
using namespace smtls::gui;
using namespace smtls::testing;

namespace {

const char *SecondStartVariable = "SMTLS_TEST_SECOND_START";

QString accessPath() { return HostConnector::demoRoot() + QStringLiteral("/etc/mail/access"); }

QByteArray demoAccess()
{
    QFile f(accessPath());
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeDemoAccess(const QByteArray &bytes)
{
    QFile f(accessPath());
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}




QTableView *rulesTable(MainWindow &w) { return w.findChild<QTableView *>(QStringLiteral("rulesTable")); }


QString lineCell(QTableView *rules, const QString &destination)
{
    const int row = ruleRow(rules, destination);
    return row < 0 ? QStringLiteral("<no row>") : rules->model()->index(row, DestinationRulesModel::LineColumn).data().toString();
}

QString pendingTabText(MainWindow &w)
{
    for (int i = 0; i < w.tabs()->count(); ++i)
        if (w.tabs()->tabText(i).contains(QStringLiteral("nding changes")))
            return w.tabs()->tabText(i);
    return {};
}

QString heading(MainWindow &w) { return w.findChild<QLabel *>(QStringLiteral("policyTitle"))->text(); }

// Closes the window, answering the question about staged edits with the button named BUTTON
// (as a click on it would); returns whether the window closed and whether the question came.
std::pair<bool, bool> closeAnswering(MainWindow &w, const QString &button)
{
    bool asked = false;
    QTimer::singleShot(0, &w, [&asked, button] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box || box->objectName() != QLatin1String("stagedAtQuit"))
            return;
        asked = true;
        if (auto *b = box->findChild<QPushButton *>(button))
            b->click();
        else
            box->reject();
    });
    const bool closed = w.close();
    return {closed, asked};
}

} // namespace

class TestGuiStaged : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        initGuiResources();
        if (qEnvironmentVariableIsSet(SecondStartVariable)) {
            // The same folders as the first start, not emptied: what was kept must be there.
            QStandardPaths::setTestModeEnabled(true);
            QCoreApplication::setOrganizationName(QStringLiteral("sendmail-tls-test-tst_guistaged"));
            QCoreApplication::setApplicationName(QStringLiteral("tst_guistaged"));
        } else {
            useEmptyTestDataFolder(QStringLiteral("tst_guistaged"));
        }
    }

    void init()
    {
        if (!qEnvironmentVariableIsSet(SecondStartVariable))
            useEmptyTestDataFolder(QStringLiteral("tst_guistaged"));
    }

    void stagedEdits_markedCountedKeptAndBackInASecondStart()
    {
        if (qEnvironmentVariableIsSet(SecondStartVariable))
            QSKIP("the first start; this process is the second");
        {
            MainWindow w;
            HostSession *demo = openHost(w, QStringLiteral("demo"), 30000);
            QVERIFY(demo);
            QTableView *rules = rulesTable(w);
            // Nothing staged: the heading says no more than the host, the tab no count.
            QCOMPARE(heading(w), QStringLiteral("Policy of Demo"));
            QCOMPARE(pendingTabText(w), QStringLiteral("Pe&nding changes"));
            QTRY_VERIFY(ruleRow(rules, QStringLiteral("legacy.example.net")) >= 0);
            QVERIFY(lineCell(rules, QStringLiteral("legacy.example.net")).toInt() > 0);

            // Three edits: an exception added, one removed, one changed (its reason).
            QVERIFY(addException(w, QStringLiteral("kept.example.com"), TlsSetting::Off, QStringLiteral("kept for tomorrow")));
            rules->selectRow(ruleRow(rules, QStringLiteral("legacy.example.net")));
            QTest::mouseClick(w.findChild<QPushButton *>(QStringLiteral("removeException")), Qt::LeftButton);
            QVERIFY(addException(w, QStringLiteral("mx1.broken-tls.example"), TlsSetting::Off, QStringLiteral("still broken, ticket 7")));
            QCOMPARE(demo->pendingCount(), 3);
            QTRY_VERIFY_WITH_TIMEOUT(!demo->policyViewPending() && ruleRow(rules, QStringLiteral("kept.example.com")) >= 0, 30000);

            // Marked in words (and an icon), the removal struck through and still listed.
            QTRY_COMPARE(lineCell(rules, QStringLiteral("kept.example.com")), QStringLiteral("added (staged)"));
            QCOMPARE(lineCell(rules, QStringLiteral("legacy.example.net")), QStringLiteral("removed (staged)"));
            QCOMPARE(lineCell(rules, QStringLiteral("mx1.broken-tls.example")), QStringLiteral("changed (staged)"));
            QVERIFY(lineCell(rules, QStringLiteral("192.0.2")).toInt() > 0);  // untouched: its line
            const QModelIndex removed = rules->model()->index(ruleRow(rules, QStringLiteral("legacy.example.net")), 0);
            QVERIFY(removed.data(Qt::FontRole).value<QFont>().strikeOut());
            QVERIFY(removed.data(Qt::ToolTipRole).toString().contains(QStringLiteral("removed")));
            QVERIFY(!removed.data(Qt::DecorationRole).isNull());
            rules->selectRow(removed.row());
            QVERIFY(!w.findChild<QPushButton *>(QStringLiteral("removeException"))->isEnabled());
            QCOMPARE(heading(w), QStringLiteral("Policy of Demo (with staged changes)"));
            QCOMPARE(pendingTabText(w), QStringLiteral("Pe&nding changes (3)"));

            // Cancel stays; Keep closes and saves them (nothing written to the host).
            const QByteArray before = demoAccess();
            auto [closed, asked] = closeAnswering(w, QString());
            QVERIFY(asked);
            QVERIFY(!closed);
            std::tie(closed, asked) = closeAnswering(w, QStringLiteral("keepStaged"));
            QVERIFY(asked);
            QVERIFY(closed);
            QVERIFY(StagedEditsStore::has(QStringLiteral("demo")));
            QCOMPARE(demoAccess(), before);
        }
        // Between the two starts the admin edits the access file by hand: mx1.broken-tls.example's
        // rule (and its note) are gone. The kept edit about it no longer applies as it was made.
        QByteArray access = demoAccess();
        const qsizetype note = access.indexOf("# sendmail-tls: 2026-11-20 TLS off: peer announces");
        const qsizetype ruleEnd = access.indexOf('\n', access.indexOf("Try_TLS:mx1.broken-tls.example"));
        QVERIFY(note > 0 && ruleEnd > note);
        access.remove(note, ruleEnd + 1 - note);
        QVERIFY(writeDemoAccess(access));

        // The second start: this program again, as a child, on the same data folder.
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QLatin1String(SecondStartVariable), QStringLiteral("1"));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        child.setProcessEnvironment(env);
        child.setProcessChannelMode(QProcess::MergedChannels);
        child.start(QCoreApplication::applicationFilePath(), {QStringLiteral("secondStart_keptEditsStagedAgain")});
        QVERIFY(child.waitForFinished(120000));
        const QByteArray output = child.readAll();
        QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0, output.constData());
        QVERIFY2(output.contains("PASS   : TestGuiStaged::secondStart_keptEditsStagedAgain"), output.constData());
        // Staged again, not applied: the file is as the admin left it.
        QCOMPARE(demoAccess(), access);
    }

    void secondStart_keptEditsStagedAgain()
    {
        if (!qEnvironmentVariableIsSet(SecondStartVariable))
            QSKIP("run as the second process start by stagedEdits_markedCountedKeptAndBackInASecondStart");
        QVERIFY(StagedEditsStore::has(QStringLiteral("demo")));
        MainWindow w;
        HostSession *demo = openHost(w, QStringLiteral("demo"), 30000);
        QVERIFY(demo);
        // The two edits that still apply, planned on the re-read files; the third is a conflict.
        QTRY_COMPARE_WITH_TIMEOUT(demo->pendingCount(), 2, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(!demo->policyViewPending(), 30000);
        QTableView *rules = rulesTable(w);
        QTRY_COMPARE(lineCell(rules, QStringLiteral("kept.example.com")), QStringLiteral("added (staged)"));
        QCOMPARE(lineCell(rules, QStringLiteral("legacy.example.net")), QStringLiteral("removed (staged)"));
        QCOMPARE(ruleRow(rules, QStringLiteral("mx1.broken-tls.example")), -1);  // neither applied nor staged
        const int kept = ruleRow(rules, QStringLiteral("kept.example.com"));
        QCOMPARE(rules->model()->index(kept, DestinationRulesModel::WhyColumn).data().toString(), QStringLiteral("kept for tomorrow"));
        QCOMPARE(pendingTabText(w), QStringLiteral("Pe&nding changes (2, 1 conflict)"));
        QCOMPARE(demo->keptConflicts().size(), 1);
        auto *conflicts = w.findChild<QLabel *>(QStringLiteral("keptConflicts"));
        QVERIFY(conflicts && !conflicts->isHidden());
        QVERIFY2(conflicts->text().contains(QStringLiteral("set destination mx1.broken-tls.example off"))
                     && conflicts->text().contains(QStringLiteral("no rule")),
                 qPrintable(conflicts->text()));
        // Restored into the undo stack, so the file is gone; discarding at quit leaves nothing.
        QVERIFY(!StagedEditsStore::has(QStringLiteral("demo")));
        auto [closed, asked] = closeAnswering(w, QStringLiteral("discardStaged"));
        QVERIFY(asked && closed);
        QVERIFY(!StagedEditsStore::has(QStringLiteral("demo")));
    }

    void nothingStaged_quitsWithoutAsking()
    {
        if (qEnvironmentVariableIsSet(SecondStartVariable))
            QSKIP("first-start test");
        MainWindow w;
        QVERIFY(openHost(w, QStringLiteral("demo"), 30000));
        auto [closed, asked] = closeAnswering(w, QStringLiteral("keepStaged"));
        QVERIFY(closed);
        QVERIFY(!asked);
    }

    void statusBar_problemCountAgreesWithTheProblemsPanel()
    {
        if (qEnvironmentVariableIsSet(SecondStartVariable))
            QSKIP("first-start test");
        MainWindow w;
        HostSession *demo = openHost(w, QStringLiteral("demo"), 30000);
        QVERIFY(demo);
        auto *problems = w.findChild<QListView *>(QStringLiteral("problems"));
        QTRY_VERIFY(problems->model()->rowCount() == 1 && problems->model()->index(0, 0).data().toString() != QStringLiteral("No problems found."));
        QVERIFY2(w.statusBar()->currentMessage().contains(QStringLiteral("1 problem")), qPrintable(w.statusBar()->currentMessage()));
        // Its fix staged: the panel shows the staged files' problems (none), and so does the status bar.
        problems->setCurrentIndex(problems->model()->index(0, 0));
        auto *fix = w.findChild<QPushButton *>(QStringLiteral("fixProblem"));
        QVERIFY(fix->isEnabled());
        QTest::mouseClick(fix, Qt::LeftButton);
        QCOMPARE(demo->pendingCount(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(!demo->policyViewPending(), 30000);
        QTRY_COMPARE(problems->model()->index(0, 0).data().toString(), QStringLiteral("No problems found."));
        QVERIFY2(w.statusBar()->currentMessage().contains(QStringLiteral("0 problems with the staged changes")),
                 qPrintable(w.statusBar()->currentMessage()));
        // Kept and brought back (same process here): a fix is kept with its problem.
        const QList<KeptEdit> kept = demo->editsToKeep();
        QCOMPARE(kept.size(), 1);
        QVERIFY(StagedEditsStore::save(QStringLiteral("demo"), kept) == std::nullopt);
        const QList<KeptEdit> loaded = StagedEditsStore::load(QStringLiteral("demo"));
        QCOMPARE(loaded.size(), 1);
        QCOMPARE(loaded.first().change.description(), kept.first().change.description());
        QCOMPARE(loaded.first().before, kept.first().before);
        StagedEditsStore::remove(QStringLiteral("demo"));
        // Apply at quit: the window stays, with the preview of the edits open (Apply is there).
        auto [closed, asked] = closeAnswering(w, QStringLiteral("applyStaged"));
        QVERIFY(asked && !closed);
        auto *preview = w.findChild<DiffPreviewDialog *>();
        QVERIFY(preview && preview->isVisible());
        preview->reject();
        std::tie(closed, asked) = closeAnswering(w, QStringLiteral("discardStaged"));
        QVERIFY(asked && closed);
    }

    void editingARule_showsItsNoteAndThatItIsReplaced()
    {
        if (qEnvironmentVariableIsSet(SecondStartVariable))
            QSKIP("first-start test");
        MainWindow w;
        QVERIFY(openHost(w, QStringLiteral("demo"), 30000));
        QTableView *rules = rulesTable(w);
        QTRY_VERIFY(ruleRow(rules, QStringLiteral("mx1.broken-tls.example")) >= 0);
        rules->selectRow(ruleRow(rules, QStringLiteral("mx1.broken-tls.example")));
        QTest::mouseClick(w.findChild<QPushButton *>(QStringLiteral("editException")), Qt::LeftButton);
        auto *dialog = w.findChild<DestinationDialog *>(QStringLiteral("destinationDialog"));
        QVERIFY(dialog && dialog->isVisible());
        QCOMPARE(dialog->findChild<QLineEdit *>(QStringLiteral("reason"))->text(),
                 QStringLiteral("peer announces STARTTLS but its certificate store is broken"));
        auto *replaced = dialog->findChild<QLabel *>(QStringLiteral("noteReplaced"));
        QVERIFY(replaced && replaced->isVisible());
        QVERIFY2(replaced->text().contains(QStringLiteral("replaces the note"))
                     && replaced->text().contains(QStringLiteral("2026-11-20 TLS off: peer announces")),
                 qPrintable(replaced->text()));
        dialog->reject();
    }

    void reasonFromTheDialog_reachesNoteSnapshotAndHistory()
    {
        if (qEnvironmentVariableIsSet(SecondStartVariable))
            QSKIP("first-start test");
        if (const QString why = testing::whyTheDemoCannotApply(); !why.isEmpty())
            QSKIP(qPrintable(why));
        MainWindow w;
        HostSession *demo = openHost(w, QStringLiteral("demo"), 30000);
        QVERIFY(demo);
        QVERIFY(addException(w, QStringLiteral("reasoned.example.com"), TlsSetting::Off, QStringLiteral("their TLS is broken, ticket 42")));
        QCOMPARE(demo->pendingCount(), 1);
        // Preview, Apply with the preview's reason left empty (the usual case).
        QVERIFY(previewAndApply(w, demo, QString()).succeeded() && demo->pendingCount() == 0);
        // The note line above the rule.
        QVERIFY2(demoAccess().contains("TLS off (expires"), demoAccess().constData());
        QVERIFY(demoAccess().contains(": their TLS is broken, ticket 42\nTry_TLS:reasoned.example.com"));
        // The snapshot, and History's Reason column.
        QVERIFY(w.snapshots().list());
        QCOMPARE(w.snapshots().list()->value(0).reason, QStringLiteral("their TLS is broken, ticket 42"));
        HistoryPanel *history = w.historyPanel();
        history->reload();
        QTRY_VERIFY_WITH_TIMEOUT(history->model()->rowCount() >= 1, 10000);
        QCOMPARE(history->model()->index(0, SnapshotModel::ReasonColumn).data().toString(), QStringLiteral("their TLS is broken, ticket 42"));

        // A reason typed in the preview too: History says both, the note keeps the edit's own.
        QVERIFY(addException(w, QStringLiteral("both.example.com"), TlsSetting::Off, QStringLiteral("ticket 43")));
        QVERIFY(previewAndApply(w, demo, QStringLiteral("maintenance window")).succeeded() && demo->pendingCount() == 0);
        QVERIFY(demoAccess().contains(": ticket 43\nTry_TLS:both.example.com"));
        history->reload();
        QTRY_VERIFY_WITH_TIMEOUT(history->model()->rowCount() >= 2, 10000);
        QCOMPARE(history->model()->index(0, SnapshotModel::ReasonColumn).data().toString(), QStringLiteral("maintenance window (ticket 43)"));
    }
};

QTEST_MAIN(TestGuiStaged)
#include "tst_guistaged.moc"
