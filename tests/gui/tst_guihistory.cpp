// History's two kinds of going back, through the real widgets on the Demo host (offscreen, the
// real apply pipeline): apply A, apply B, *Undo this change* on A keeps B (byte for byte as if A
// had never been made) and marks A as undone; *Restore files as before this change…* on A shows
// the diff and the later changes it discards, Enter keeps the files, and restoring gives the
// bytes from before A back.
#include "ApplyDialog.h"
#include "ApplyProgressModel.h"
#include "DestinationDialog.h"
#include "DiffPreviewDialog.h"
#include "HistoryPanel.h"
#include "HostConnector.h"
#include "HostSession.h"
#include "MainWindow.h"
#include "SnapshotModel.h"

#include "ChangeUndo.h"
#include "UnifiedDiff.h"
#include "GuiTestSetup.h"

#include <QFile>
#include <QJsonObject>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QTableView>
#include <QTest>

#include <unistd.h>

using namespace smtls;
using namespace smtls::gui;

namespace {

QByteArray demoFile(const char *name)
{
    QFile f(HostConnector::demoRoot() + QStringLiteral("/etc/mail/") + QLatin1String(name));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Waits for the apply (or undo, or restore) dialog to finish and for the re-read after it.
ApplyReport waitForApply(MainWindow &w, HostSession *demo)
{
    ApplyDialog *apply = nullptr;
    if (!QTest::qWaitFor([&] { return (apply = w.findChild<ApplyDialog *>(QStringLiteral("applyDialog"))) != nullptr; }, 10000)
        || !QTest::qWaitFor([apply] { return apply->finished(); }, 120000))
        return {};
    ApplyReport report = apply->model()->reportFor(demo->entry().name).value_or(ApplyReport{});
    apply->accept();
    delete apply;
    (void)QTest::qWaitFor([demo] { return !demo->busy() && demo->state() && !demo->policyViewPending(); }, 30000);
    return report;
}

// Stages "DESTINATION off" through the exception dialog, previews and applies it.
ApplyReport applyException(MainWindow &w, HostSession *demo, const QString &destination)
{
    QTest::mouseClick(w.findChild<QPushButton *>(QStringLiteral("addException")), Qt::LeftButton);
    auto *dialog = w.findChild<DestinationDialog *>(QStringLiteral("destinationDialog"));
    if (!dialog)
        return {};
    dialog->setValues(destination, TlsSetting::Off, QStringLiteral("test ") + destination);
    dialog->accept();
    delete dialog;
    DiffPreviewDialog *preview = w.preview();
    if (!QTest::qWaitFor([preview] { return preview->isReady(); }, 30000))
        return {};
    QTest::mouseClick(preview->findChild<QPushButton *>(QStringLiteral("applyButton")), Qt::LeftButton);
    return waitForApply(w, demo);
}

// The History row whose change starts with `text` (newest first), or -1.
int historyRow(HistoryPanel *history, const QString &text)
{
    for (int row = 0; row < history->model()->rowCount(); ++row)
        if (history->model()->index(row, SnapshotModel::ChangeColumn).data().toString().startsWith(text))
            return row;
    return -1;
}

// Reloads History and selects the row of `text`, waiting until its snapshot is shown.
bool selectChange(HistoryPanel *history, const QString &text, int rows)
{
    history->reload();
    if (!QTest::qWaitFor([&] { return history->model()->rowCount() == rows; }, 10000))
        return false;
    const int row = historyRow(history, text);
    if (row < 0)
        return false;
    auto *table = history->findChild<QTableView *>(QStringLiteral("snapshotTable"));
    table->setCurrentIndex(table->model()->index(row, 0));
    auto *diff = history->findChild<QPlainTextEdit *>(QStringLiteral("snapshotDiff"));
    return QTest::qWaitFor([&] { return diff->toPlainText().contains(text); }, 10000)
        && QTest::qWaitFor([&] { return history->findChild<QPushButton *>(QStringLiteral("restoreButton"))->isEnabled(); }, 10000);
}

} // namespace

class TestGuiHistory : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        initGuiResources();
        useEmptyTestDataFolder(QStringLiteral("tst_guihistory"));
        for (const char *tool : {"/usr/bin/m4", "/usr/sbin/makemap", "/usr/sbin/sendmail"})
            if (!QFile::exists(QLatin1String(tool)))
                QSKIP("m4/makemap/sendmail not installed (installer/setup.sh test installs them)");
        if (::geteuid() != 0 && HostConnector::demoProfile().sendmailWrapper.contains(QStringLiteral("--map-root-user"))
            && QProcess::execute(QStringLiteral("unshare"), {QStringLiteral("--map-root-user"), QStringLiteral("--uts"), QStringLiteral("true")}) != 0)
            QSKIP("not root and no user namespaces: sendmail -bt would sleep 60 s on this unqualified host name");
    }

    void init()
    {
        // A fresh Demo copy and no snapshots for every test.
        useEmptyTestDataFolder(QStringLiteral("tst_guihistory"));
    }

    void undoA_keepsB_thenRestoreBeforeA()
    {
        MainWindow w;
        w.show();
        w.selectHost(QStringLiteral("demo"));
        HostSession *demo = w.sessionById(QStringLiteral("demo"));
        QVERIFY(demo);
        QTRY_VERIFY_WITH_TIMEOUT(demo->state() != nullptr, 30000);
        const QByteArray original = demoFile("access");

        const ApplyReport a = applyException(w, demo, QStringLiteral("a.undo.example"));
        QVERIFY2(a.outcome == ApplyOutcome::Applied, qPrintable(a.summary));
        const ApplyReport b = applyException(w, demo, QStringLiteral("b.undo.example"));
        QVERIFY2(b.outcome == ApplyOutcome::Applied, qPrintable(b.summary));
        QVERIFY(demoFile("access").contains("Try_TLS:a.undo.example"));
        QVERIFY(demoFile("access").contains("Try_TLS:b.undo.example"));
        const QByteArray withBoth = demoFile("access");

        // Undo A: the confirmation's default button is named and is the undo (it keeps B).
        HistoryPanel *history = w.historyPanel();
        QVERIFY(selectChange(history, QStringLiteral("set destination a.undo.example"), 2));
        auto *undo = history->findChild<QPushButton *>(QStringLiteral("rollbackButton"));
        QTRY_VERIFY(undo->isEnabled());
        QTest::mouseClick(undo, Qt::LeftButton);
        QMessageBox *confirm = nullptr;
        QTRY_VERIFY((confirm = history->findChild<QMessageBox *>(QStringLiteral("rollbackConfirm"))) != nullptr);
        QVERIFY2(confirm->text().contains(QStringLiteral("1 later change stays")), qPrintable(confirm->text()));
        QCOMPARE(confirm->defaultButton(), confirm->button(QMessageBox::Yes));
        QCOMPARE(confirm->defaultButton()->text(), QStringLiteral("Undo on Demo"));
        QVERIFY2(confirm->detailedText().contains(QStringLiteral("-Try_TLS:a.undo.example")), qPrintable(confirm->detailedText()));
        QVERIFY(!confirm->detailedText().contains(QStringLiteral("-Try_TLS:b.undo.example")));
        QTest::keyClick(confirm, Qt::Key_Return);
        const ApplyReport undone = waitForApply(w, demo);
        QVERIFY2(undone.outcome == ApplyOutcome::Applied, qPrintable(undone.summary));
        const QByteArray afterUndo = demoFile("access");
        QVERIFY(!afterUndo.contains("a.undo.example"));
        QVERIFY(afterUndo.contains("Try_TLS:b.undo.example"));
        // As if only A's two lines (its note and its rule) had never been written: B's stay, byte for byte.
        QByteArray expected;
        for (const QByteArray &line : withBoth.split('\n'))
            if (!line.contains("a.undo.example"))
                expected += line + '\n';
        expected.chop(1);
        QVERIFY2(afterUndo == expected, unifiedDiff(expected, afterUndo, QStringLiteral("expected"), QStringLiteral("undone")).constData());
        QVERIFY(afterUndo.startsWith(original));

        // History: A is marked undone and is not offered for undo again; the undo has its own row.
        QVERIFY(selectChange(history, QStringLiteral("set destination a.undo.example"), 3));
        const int rowA = historyRow(history, QStringLiteral("set destination a.undo.example"));
        QVERIFY2(history->model()->index(rowA, SnapshotModel::StateColumn).data().toString().startsWith(QStringLiteral("Undone on")),
                 qPrintable(history->model()->index(rowA, SnapshotModel::StateColumn).data().toString()));
        QCOMPARE(history->model()->index(historyRow(history, QStringLiteral("set destination b.undo.example")), SnapshotModel::StateColumn).data().toString(),
                 QStringLiteral("In the files"));
        QVERIFY(!undo->isEnabled());

        // Restore before A: the dialog lists B and the undo of A (both are in the files; A itself
        // is not, it is marked undone) and the diff; Enter keeps the files.
        auto *restore = history->findChild<QPushButton *>(QStringLiteral("restoreButton"));
        QVERIFY(restore->isEnabled());
        QTest::mouseClick(restore, Qt::LeftButton);
        QDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = history->findChild<QDialog *>(QStringLiteral("restoreConfirm"))) != nullptr);
        auto *discarded = dialog->findChild<QListWidget *>(QStringLiteral("restoreDiscarded"));
        QVERIFY(discarded);
        QStringList listed;
        for (int i = 0; i < discarded->count(); ++i)
            listed << discarded->item(i)->text();
        QCOMPARE(listed.size(), 2);
        QVERIFY2(listed.join(QLatin1Char('\n')).contains(QStringLiteral("set destination b.undo.example off")), qPrintable(listed.join(QLatin1Char('\n'))));
        QVERIFY2(listed.join(QLatin1Char('\n')).contains(QStringLiteral("undo snapshot")), qPrintable(listed.join(QLatin1Char('\n'))));
        QVERIFY2(dialog->findChild<QPlainTextEdit *>(QStringLiteral("restoreDiff"))->toPlainText().contains(QStringLiteral("-Try_TLS:b.undo.example")),
                 qPrintable(dialog->findChild<QPlainTextEdit *>(QStringLiteral("restoreDiff"))->toPlainText()));
        auto *keep = dialog->findChild<QPushButton *>(QStringLiteral("restoreKeep"));
        QVERIFY(keep->isDefault());
        QTest::keyClick(dialog, Qt::Key_Return);
        QTRY_VERIFY(!history->findChild<QDialog *>(QStringLiteral("restoreConfirm")) || !dialog->isVisible());
        QCOMPARE(demoFile("access"), afterUndo);

        // And through: the bytes from before A.
        QTest::mouseClick(restore, Qt::LeftButton);
        QTRY_VERIFY((dialog = history->findChild<QDialog *>(QStringLiteral("restoreConfirm"))) != nullptr && dialog->isVisible());
        auto *accept = dialog->findChild<QPushButton *>(QStringLiteral("restoreAccept"));
        QVERIFY2(accept->text().contains(QStringLiteral("discard 2 later change")), qPrintable(accept->text()));
        QTest::mouseClick(accept, Qt::LeftButton);
        const ApplyReport restored = waitForApply(w, demo);
        QVERIFY2(restored.outcome == ApplyOutcome::Applied, qPrintable(restored.summary));
        QCOMPARE(demoFile("access"), original);
        QVERIFY(selectChange(history, QStringLiteral("set destination b.undo.example"), 4));
        QVERIFY(history->model()->index(historyRow(history, QStringLiteral("set destination b.undo.example")), SnapshotModel::StateColumn)
                    .data().toString().startsWith(QStringLiteral("Discarded by the restore")));
    }

    // What became of each change, from the later snapshots' records: undone, discarded by a
    // restore, or a failed attempt (never an ordinary change).
    void model_marksUndoneDiscardedAndFailed()
    {
        const auto item = [](const char *id, int minute, const QString &kind, const QString &target = {}, const QString &outcome = {}) {
            Snapshot s;
            s.id = QString::fromLatin1(id);
            s.host = QStringLiteral("Demo");
            s.time = QDateTime(QDate(2026, 12, 2), QTime(8, minute), Qt::UTC);
            s.change = s.id;
            s.changeRecord = QJsonObject{{QStringLiteral("kind"), kind}, {QStringLiteral("target"), target}};
            s.outcome = outcome;
            return HistoryItem{s, s.id, {}};
        };
        SnapshotModel model;
        // Newest first: R restores to before B (discarding B, C and F); U undid A; F failed.
        model.setItems({item("R", 9, QStringLiteral("restore"), QStringLiteral("B")), item("F", 8, QStringLiteral("global"), {}, QStringLiteral("rolled back")),
                        item("C", 7, QStringLiteral("destination"), QStringLiteral("c.example")),
                        item("U", 6, QStringLiteral("undo"), QStringLiteral("A")), item("B", 5, QStringLiteral("destination"), QStringLiteral("b.example")),
                        item("A", 4, QStringLiteral("destination"), QStringLiteral("a.example")), item("Z", 1, QStringLiteral("destination"), QStringLiteral("z.example"))});
        const auto state = [&model](int row) { return model.index(row, SnapshotModel::StateColumn).data().toString(); };
        QCOMPARE(state(0), QStringLiteral("In the files"));
        QCOMPARE(state(1), QStringLiteral("Not applied: rolled back"));
        QVERIFY2(state(2).startsWith(QStringLiteral("Discarded by the restore on")), qPrintable(state(2)));
        QVERIFY2(state(3).startsWith(QStringLiteral("Discarded by the restore on")), qPrintable(state(3)));
        QVERIFY2(state(4).startsWith(QStringLiteral("Discarded by the restore on")), qPrintable(state(4)));
        QVERIFY2(state(5).startsWith(QStringLiteral("Undone on")), qPrintable(state(5)));
        QCOMPARE(state(6), QStringLiteral("In the files"));
        QVERIFY(model.fateOf(model.itemAt(0)).isEmpty());
        QVERIFY(!model.fateOf(model.itemAt(5)).isEmpty());
    }

    // B changed A's own lines: Undo is refused naming B, and offers the restore.
    void undo_refusedWhenALaterChangeTouchedTheSameLines()
    {
        MainWindow w;
        w.show();
        w.selectHost(QStringLiteral("demo"));
        HostSession *demo = w.sessionById(QStringLiteral("demo"));
        QTRY_VERIFY_WITH_TIMEOUT(demo->state() != nullptr, 30000);
        QVERIFY(applyException(w, demo, QStringLiteral("c.undo.example")).outcome == ApplyOutcome::Applied);
        // B: the same destination again, with another reason (its note line changes).
        QTest::mouseClick(w.findChild<QPushButton *>(QStringLiteral("addException")), Qt::LeftButton);
        auto *dialog = w.findChild<DestinationDialog *>(QStringLiteral("destinationDialog"));
        dialog->setValues(QStringLiteral("c.undo.example"), TlsSetting::On, QStringLiteral("fixed"));
        dialog->accept();
        delete dialog;
        DiffPreviewDialog *preview = w.preview();
        QTRY_VERIFY_WITH_TIMEOUT(preview->isReady(), 30000);
        QTest::mouseClick(preview->findChild<QPushButton *>(QStringLiteral("applyButton")), Qt::LeftButton);
        QVERIFY(waitForApply(w, demo).outcome == ApplyOutcome::Applied);
        const QByteArray before = demoFile("access");

        HistoryPanel *history = w.historyPanel();
        QVERIFY(selectChange(history, QStringLiteral("set destination c.undo.example off"), 2));
        QTest::mouseClick(history->findChild<QPushButton *>(QStringLiteral("rollbackButton")), Qt::LeftButton);
        QMessageBox *refused = nullptr;
        QTRY_VERIFY((refused = history->findChild<QMessageBox *>(QStringLiteral("undoRefused"))) != nullptr);
        QVERIFY2(refused->text().contains(QStringLiteral("set destination c.undo.example on")), qPrintable(refused->text()));
        QVERIFY(refused->defaultButton() && refused->defaultButton()->text() == QStringLiteral("Leave the files as they are"));
        auto *offer = refused->findChild<QPushButton *>(QStringLiteral("undoRefusedRestore"));
        QVERIFY(offer);
        QTest::mouseClick(offer, Qt::LeftButton);
        QDialog *restore = nullptr;
        QTRY_VERIFY((restore = history->findChild<QDialog *>(QStringLiteral("restoreConfirm"))) != nullptr);
        restore->reject();
        QCOMPARE(demoFile("access"), before);
    }
};

QTEST_MAIN(TestGuiHistory)
#include "tst_guihistory.moc"
