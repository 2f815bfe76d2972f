// History's two kinds of going back, through the real widgets (offscreen, the real apply
// pipeline): apply A, apply B, *Undo this change* on A keeps B (byte for byte as if A had never
// been made) and marks A as undone; *Restore files as before this change…* on A shows the diff
// and the later changes it discards, Enter keeps the files, and restoring gives the bytes from
// before A back. On the Demo host; with the argument "hosts" (ctest: tst_guihistory_hosts, root
// only) the same tests on a real test host over SSH (tests/hosts/testhosts: sshd, sendmail).
#include "ApplyDialog.h"
#include "ApplyProgressModel.h"
#include "DestinationDialog.h"
#include "DiffPreviewDialog.h"
#include "HistoryPanel.h"
#include "HostConnector.h"
#include "HostListModel.h"
#include "HostSession.h"
#include "MainWindow.h"
#include "SnapshotModel.h"
#include "SnapshotStore.h"

#include "ChangeUndo.h"
#include "UnifiedDiff.h"
#include "GuiFlows.h"
#include "GuiTestSetup.h"
#ifdef SMTLS_GUIHISTORY_HOSTS
#include "MailHosts.h"
#include "PrivateHome.h"
#include "HostStore.h"
#endif

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QTableView>
#include <QTest>
#include <QTreeView>

#include <cstdio>
#include <cstdlib>
#include <unistd.h>

using namespace smtls;
using namespace smtls::gui;
using namespace smtls::testing;

namespace {

QByteArray demoAccess()
{
    QFile f(HostConnector::demoRoot() + QStringLiteral("/etc/mail/access"));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestGuiHistory : public QObject {
    Q_OBJECT
    // Where the tests run: the Demo host, or test host 1 over SSH ("hosts").
    QString m_hostId = QStringLiteral("demo");
#ifdef SMTLS_GUIHISTORY_HOSTS
    MailHosts *m_hosts = nullptr;
#endif

    QByteArray access() const
    {
#ifdef SMTLS_GUIHISTORY_HOSTS
        if (m_hosts)
            return m_hosts->file(1, QStringLiteral("access"));
#endif
        return demoAccess();
    }

public:
#ifdef SMTLS_GUIHISTORY_HOSTS
    // On test host 1 (already up, its alias in the private ~/.ssh/config).
    explicit TestGuiHistory(MailHosts *hosts = nullptr)
        : m_hosts(hosts)
    {
        if (hosts)
            m_hostId = QStringLiteral("mta1");
    }
#endif

private Q_SLOTS:
    void initTestCase()
    {
        initGuiResources();
#ifdef SMTLS_GUIHISTORY_HOSTS
        if (m_hosts)
            return;
#endif
        useEmptyTestDataFolder(QStringLiteral("tst_guihistory"));
        if (const QString why = testing::whyTheDemoCannotApply(); !why.isEmpty())
            QSKIP(qPrintable(why));
    }

    void init()
    {
#ifdef SMTLS_GUIHISTORY_HOSTS
        if (m_hosts) {
            // The host's files, snapshots and queue as testhosts made them, for every test.
            const QString why = m_hosts->restore(1);
            QVERIFY2(why.isEmpty(), qPrintable(why));
            QDir(SnapshotStore::defaultDirectory()).removeRecursively();
            return;
        }
#endif
        // A fresh Demo copy and no snapshots for every test.
        useEmptyTestDataFolder(QStringLiteral("tst_guihistory"));
    }

    void undoA_keepsB_thenRestoreBeforeA()
    {
        MainWindow w;
        w.resize(1366, 740);  // a laptop screen, for the host list's state below
        HostSession *demo = openHost(w, m_hostId);
        QVERIFY(demo);
        const QByteArray original = access();

        const ApplyReport a = applyException(w, demo, QStringLiteral("a.undo.example"));
        QVERIFY2(a.outcome == ApplyOutcome::Applied, qPrintable(a.summary));
        const ApplyReport b = applyException(w, demo, QStringLiteral("b.undo.example"));
        QVERIFY2(b.outcome == ApplyOutcome::Applied, qPrintable(b.summary));
        QVERIFY(access().contains("Try_TLS:a.undo.example"));
        QVERIFY(access().contains("Try_TLS:b.undo.example"));
        const QByteArray withBoth = access();

        // Undo A: the confirmation's default button is named and is the undo (it keeps B).
        HistoryPanel *history = w.historyPanel();
        QVERIFY(selectHistoryChange(history, QStringLiteral("set destination a.undo.example"), 2));
        auto *undo = history->findChild<QPushButton *>(QStringLiteral("rollbackButton"));
        QTRY_VERIFY(undo->isEnabled());
        QTest::mouseClick(undo, Qt::LeftButton);
        QMessageBox *confirm = nullptr;
        QTRY_VERIFY((confirm = history->findChild<QMessageBox *>(QStringLiteral("rollbackConfirm"))) != nullptr);
        QVERIFY2(confirm->text().contains(QStringLiteral("1 later change stays")), qPrintable(confirm->text()));
        QCOMPARE(confirm->defaultButton(), confirm->button(QMessageBox::Yes));
        QCOMPARE(confirm->defaultButton()->text(), QStringLiteral("Undo on ") + demo->entry().name);
        QVERIFY2(confirm->detailedText().contains(QStringLiteral("-Try_TLS:a.undo.example")), qPrintable(confirm->detailedText()));
        QVERIFY(!confirm->detailedText().contains(QStringLiteral("-Try_TLS:b.undo.example")));
        QTest::keyClick(confirm, Qt::Key_Return);
        const ApplyReport undone = waitForApply(w, demo);
        QVERIFY2(undone.outcome == ApplyOutcome::Applied, qPrintable(undone.summary));
        const QByteArray afterUndo = access();
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
        QVERIFY(selectHistoryChange(history, QStringLiteral("set destination a.undo.example"), 3));
        const int rowA = historyRow(history, QStringLiteral("set destination a.undo.example"));
        QVERIFY2(history->model()->index(rowA, SnapshotModel::StateColumn).data().toString().startsWith(QStringLiteral("Undone on")),
                 qPrintable(history->model()->index(rowA, SnapshotModel::StateColumn).data().toString()));
        QCOMPARE(history->model()->index(historyRow(history, QStringLiteral("set destination b.undo.example")), SnapshotModel::StateColumn).data().toString(),
                 QStringLiteral("In the files"));
        QVERIFY(!undo->isEnabled());

        // The host list says all of it at 1366 px, nothing cut: read, one edit pending, the last apply.
        QVERIFY(addException(w, QStringLiteral("pending.undo.example"), TlsSetting::Off, QStringLiteral("staged only")));
        QTRY_COMPARE(demo->pendingCount(), 1);
        const QString state = HostListModel::stateSummary(*demo);
        QVERIFY2(state.contains(QStringLiteral("1 pending · last: applied")), qPrintable(state));
        const QStringList cut = cutHostCells(w.findChild<QTreeView *>(QStringLiteral("hostTree")));
        QVERIFY2(cut.isEmpty(), qPrintable(cut.join(QLatin1Char('\n'))));
        demo->undoStack()->undo();
        QTRY_COMPARE(demo->pendingCount(), 0);
        QTRY_VERIFY(!demo->policyViewPending());

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
        QCOMPARE(access(), afterUndo);

        // And through: the bytes from before A.
        QTest::mouseClick(restore, Qt::LeftButton);
        QTRY_VERIFY((dialog = history->findChild<QDialog *>(QStringLiteral("restoreConfirm"))) != nullptr && dialog->isVisible());
        auto *accept = dialog->findChild<QPushButton *>(QStringLiteral("restoreAccept"));
        QVERIFY2(accept->text().contains(QStringLiteral("discard 2 later change")), qPrintable(accept->text()));
        QTest::mouseClick(accept, Qt::LeftButton);
        const ApplyReport restored = waitForApply(w, demo);
        QVERIFY2(restored.outcome == ApplyOutcome::Applied, qPrintable(restored.summary));
        QCOMPARE(access(), original);
        QVERIFY(selectHistoryChange(history, QStringLiteral("set destination b.undo.example"), 4));
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
        HostSession *demo = openHost(w, m_hostId);
        QVERIFY(demo);
        QVERIFY(applyException(w, demo, QStringLiteral("c.undo.example")).outcome == ApplyOutcome::Applied);
        // B: the same destination again, with another reason (its note line changes).
        QVERIFY(applyException(w, demo, QStringLiteral("c.undo.example"), TlsSetting::On, QStringLiteral("fixed")).outcome == ApplyOutcome::Applied);
        const QByteArray before = access();

        HistoryPanel *history = w.historyPanel();
        QVERIFY(selectHistoryChange(history, QStringLiteral("set destination c.undo.example off"), 2));
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
        QCOMPARE(access(), before);
    }
};

int main(int argc, char **argv)
{
    // "tst_guihistory hosts": the same tests on test host 1 (ctest: tst_guihistory_hosts).
    const bool hosts = argc > 1 && qstrcmp(argv[1], "hosts") == 0;
    if (!hosts) {
        QApplication app(argc, argv);
        TestGuiHistory test;
        return QTest::qExec(&test, argc, argv);
    }
#ifdef SMTLS_GUIHISTORY_HOSTS
    TestHosts::enterPrivateNetwork(argc, argv);  // re-runs this with the same arguments
    unsetenv("DBUS_SESSION_BUS_ADDRESS");        // no keychain: the host is reached with a key file
    const PrivateHome home = enterPrivateHome("guihistory", QStringLiteral("needs root: the test starts real sshd + sendmail hosts (tests/hosts/testhosts)"));
    --argc;
    for (int i = 1; i < argc; ++i)
        argv[i] = argv[i + 1];
    QApplication app(argc, argv);
    // The programs' own organisation (the home is private): snapshots land where the command line looks.
    QCoreApplication::setOrganizationName(QStringLiteral("sendmail-tls"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_guihistory_hosts"));
    if (!home.problem.isEmpty()) {
        std::printf("SKIP   : tst_guihistory_hosts: %s\n", qPrintable(home.problem));
        home.remove();
        return 0;
    }
    MailHosts mailHosts;
    int rc = 0;
    if (const QString why = mailHosts.up(1); !why.isEmpty()) {
        std::printf("SKIP   : tst_guihistory_hosts: %s\n", qPrintable(why));
    } else {
        // The host's alias (mta1: root, the test key, DIR/known_hosts) in the private ~/.ssh/config.
        QFile config(home.dir + QStringLiteral("/.ssh/config"));
        QFile hostsConfig(mailHosts.sshConfig());
        if (!config.open(QIODevice::WriteOnly) || !hostsConfig.open(QIODevice::ReadOnly) || config.write(hostsConfig.readAll()) < 0) {
            std::fprintf(stderr, "cannot write %s\n", qPrintable(config.fileName()));
            rc = 1;
        } else {
            config.close();
            HostEntry e;
            e.id = e.name = e.address = QStringLiteral("mta1");
            e.group = QStringLiteral("Test hosts");
            e.kind = HostKind::Ssh;
            e.user = QStringLiteral("root");
            e.auth = AuthMethod::KeyFile;
            e.identityFile = mailHosts.dir() + QStringLiteral("/keys/id_ed25519");
            HostStore::save({e});
            TestGuiHistory test(&mailHosts);
            rc = QTest::qExec(&test, argc, argv);
        }
        mailHosts.down();
    }
    home.remove();
    return rc;
#else
    std::fprintf(stderr, "tst_guihistory: built without the test hosts (SMTLS_TEST_GROUPS without ssh or integration)\n");
    return 0;
#endif
}

#include "tst_guihistory.moc"
