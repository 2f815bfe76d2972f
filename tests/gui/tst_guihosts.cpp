// Hosts as an SSH user expects them (issue 13, item 5), through the real widgets:
// - File → Add host… (and its shortcut) opens the host dialog; what it says is kept, the
//   per-host ssh_config and known_hosts files included;
// - File → Import hosts from ssh_config… is a checklist: an Include is followed, wildcards are
//   not offered, hosts already listed cannot be checked again, and only the checked ones come in;
// - Test connection runs on a worker (the dialog stays responsive) and says clearly what
//   happened: a closed port fails with the cause (no root needed);
// - with root (ctest tst_guihosts_hosts, label integration): against a real sshd test host
//   (tests/hosts/testhosts) in a private network namespace, with a private passwd home covering
//   the real one: the test host's own ssh_config and known_hosts as the per-host files → "Connected";
//   an empty known_hosts → a clear failure naming the host key; the import through the menu
//   from ~/.ssh/config in that (private) passwd home, where the connection reads it too.
#include "HostConnector.h"
#include "HostDialog.h"
#include "HostImportDialog.h"
#include "HostListModel.h"
#include "HostSession.h"
#include "HostStore.h"
#include "MainWindow.h"

#include "GuiFlows.h"
#include "GuiTestSetup.h"
#include "PrivateHome.h"
#ifdef SMTLS_GUIHOSTS_HOSTS
#include "TestHosts.h"
#endif

#include <QAction>
#include <QApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <cstring>
#include <pwd.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

using namespace smtls;
using namespace smtls::gui;

namespace {

bool writeFile(const QString &path, const QByteArray &text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
}


QAction *action(MainWindow &w, const char *name) { return w.findChild<QAction *>(QLatin1String(name)); }

// A port on the loopback where nothing listens (bound, then closed).
quint16 closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

} // namespace

class TestGuiHosts : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { useEmptyTestDataFolder(QStringLiteral("tst_guihosts")); }

    void addHostFromTheMenu()
    {
        MainWindow w;
        w.show();
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QAction *add = action(w, "addHostAction");
        QVERIFY(add);
        QCOMPARE(add->text(), QStringLiteral("&Add host…"));
        QCOMPARE(add->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_N));
        // The shortcut, as a user presses it.
        QTest::keyClick(&w, Qt::Key_N, Qt::ControlModifier);
        auto *dialog = testing::visibleDialog<HostDialog>(QStringLiteral("hostDialog"));
        QVERIFY2(dialog, "Ctrl+N opened no host dialog");
        auto *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        QVERIFY(!ok->isEnabled());  // nothing typed yet
        QVERIFY(ok->isDefault());
        QCOMPARE(ok->text(), QStringLiteral("Add host"));  // Enter says what it does
        QVERIFY(dialog->findChild<QPushButton *>(QStringLiteral("chooseKeyFile")));
        QVERIFY(dialog->findChild<QPushButton *>(QStringLiteral("testConnection"))->isVisible());
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("hostName")), QStringLiteral("Relay two"));
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("hostAddress")), QStringLiteral("relay2"));
        dialog->findChild<QLineEdit *>(QStringLiteral("hostSshConfig"))->setText(QStringLiteral("/srv/ssh/relay.conf"));
        dialog->findChild<QLineEdit *>(QStringLiteral("hostKnownHosts"))->setText(QStringLiteral("/srv/ssh/known_hosts"));
        QVERIFY(ok->isEnabled());
        QTest::mouseClick(ok, Qt::LeftButton);

        HostSession *added = nullptr;
        for (HostSession *s : w.findChildren<HostSession *>())
            if (s->entry().name == QStringLiteral("Relay two"))
                added = s;
        QVERIFY2(added, "the host was not added to the list");
        QCOMPARE(added->entry().address, QStringLiteral("relay2"));
        // Saved with its own files, and read back so.
        bool saved = false;
        for (const HostEntry &e : HostStore::load())
            if (e.name == QStringLiteral("Relay two")) {
                saved = true;
                QCOMPARE(e.sshConfigFile, QStringLiteral("/srv/ssh/relay.conf"));
                QCOMPARE(e.knownHostsFile, QStringLiteral("/srv/ssh/known_hosts"));
            }
        QVERIFY(saved);
    }

    void importIsAChecklist()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString more = dir.filePath(QStringLiteral("more.conf"));
        QVERIFY(writeFile(more, "Host gamma\n    Port 2222\n    User mailadm\n"));
        const QString config = dir.filePath(QStringLiteral("config"));
        // The Include outside any block (as ssh, an Include under "Host *.wild" would apply only there).
        QVERIFY(writeFile(config, "Host alpha\n    HostName 192.0.2.1\nHost beta\n    IdentityFile ~/.ssh/beta_key\nHost *.wild\n    User nobody\n"
                                  "Match all\nInclude " + more.toUtf8() + "\n"));
        HostImportDialog dialog(config, {QStringLiteral("alpha")});
        dialog.show();
        QStandardItemModel *model = dialog.model();
        QCOMPARE(model->rowCount(), 3);  // alpha, beta, and gamma from the Include; no wildcard
        QStringList names;
        for (int row = 0; row < model->rowCount(); ++row)
            names << model->item(row)->data(Qt::UserRole).toString();
        QCOMPARE(names, (QStringList{QStringLiteral("alpha"), QStringLiteral("beta"), QStringLiteral("gamma")}));
        QVERIFY2(!model->item(0)->isCheckable(), "a host already listed can be imported twice");
        QVERIFY(model->item(0)->text().contains(QStringLiteral("already in the list")));
        QVERIFY(dialog.chosen().isEmpty());  // nothing is checked for the user
        auto *import = dialog.findChild<QPushButton *>(QStringLiteral("importButton"));
        QVERIFY(!import->isEnabled());
        QVERIFY(import->isDefault());
        QVERIFY(!dialog.check(QStringLiteral("alpha")));
        QVERIFY(dialog.check(QStringLiteral("gamma")));
        QCOMPARE(import->text(), QStringLiteral("&Import 1 host"));
        const QList<HostEntry> chosen = dialog.chosen();
        QCOMPARE(chosen.size(), 1);
        QCOMPARE(chosen.first().name, QStringLiteral("gamma"));
        QCOMPARE(chosen.first().port, 2222);
        QCOMPARE(chosen.first().user, QStringLiteral("mailadm"));
        QCOMPARE(chosen.first().sshConfigFile, config);  // resolved later with the same file
        // A broken Include says so instead of importing half.
        QVERIFY(writeFile(config, "Include " + config.toUtf8() + "\nHost loop\n"));
        HostImportDialog broken(config, {});
        QCOMPARE(broken.model()->rowCount(), 0);
        QVERIFY2(broken.findChild<QLabel *>(QStringLiteral("importSummary"))->text().contains(QStringLiteral("cannot be used")),
                 qPrintable(broken.findChild<QLabel *>(QStringLiteral("importSummary"))->text()));
    }

    void importFromTheMenuOpensTheChecklist()
    {
        MainWindow w;
        w.show();
        const int before = int(w.findChildren<HostSession *>().size());
        QAction *import = action(w, "importHostsAction");
        QVERIFY(import);
        QCOMPARE(import->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I));
        import->trigger();
        auto *dialog = testing::visibleDialog<HostImportDialog>(QStringLiteral("hostImportDialog"));
        QVERIFY2(dialog, "the menu imported without asking");
        QCOMPARE(int(w.findChildren<HostSession *>().size()), before);  // nothing before the user chose
        dialog->reject();
        QCOMPARE(int(w.findChildren<HostSession *>().size()), before);
    }

    void testConnectionToAClosedPortFailsClearly()
    {
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("ssh_config"));
        QVERIFY(writeFile(config, "Host closed\n    HostName 127.0.0.1\n"));
        const quint16 port = closedPort();
        QVERIFY(port != 0);
        HostEntry entry;
        entry.id = HostStore::newId();
        entry.name = QStringLiteral("closed");
        entry.address = QStringLiteral("closed");
        entry.port = port;
        entry.sshConfigFile = config;
        entry.knownHostsFile = dir.filePath(QStringLiteral("known_hosts"));
        HostDialog dialog(entry, std::make_shared<const HostConnector>());
        dialog.show();
        QSignalSpy finished(&dialog, &HostDialog::testFinished);
        auto *test = dialog.findChild<QPushButton *>(QStringLiteral("testConnection"));
        QTest::mouseClick(test, Qt::LeftButton);
        QVERIFY(dialog.testRunning());  // on a worker: the click returned at once
        QVERIFY(!test->isEnabled());
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY2(dialog.testResult().startsWith(QStringLiteral("Failed: ")), qPrintable(dialog.testResult()));
        QVERIFY2(dialog.testResult().contains(QString::number(port)) || dialog.testResult().contains(QStringLiteral("refused"), Qt::CaseInsensitive),
                 qPrintable(dialog.testResult()));
        QVERIFY(test->isEnabled());
        qInfo("closed port: %s", qPrintable(dialog.testResult()));
    }
};

#ifdef SMTLS_GUIHOSTS_HOSTS
namespace {
QString g_home;
QString g_homeProblem;

// A private home (tests/support/PrivateHome.h): libssh and the import read ~/.ssh there.
void privateHome()
{
    const testing::PrivateHome home = testing::enterPrivateHome("guihosts", QStringLiteral("needs root: the test starts a real sshd host (tests/hosts/testhosts)"));
    g_home = home.dir;
    g_homeProblem = home.problem;
}
} // namespace

class TestGuiHostsOnHosts : public QObject {
    Q_OBJECT
    smtls::testing::TestHosts m_hosts;

    HostEntry testHost() const
    {
        HostEntry e;
        e.id = HostStore::newId();
        e.name = QStringLiteral("Test host one");
        e.address = QStringLiteral("mta1");
        e.sshConfigFile = m_hosts.sshConfig();
        e.knownHostsFile = m_hosts.knownHosts();
        return e;
    }

    bool runTest(HostDialog &dialog)
    {
        QSignalSpy finished(&dialog, &HostDialog::testFinished);
        dialog.testConnection();
        return finished.wait(60000) && finished.first().first().toBool();
    }

private Q_SLOTS:
    void initTestCase()
    {
        useEmptyTestDataFolder(QStringLiteral("tst_guihosts_hosts"));
        if (!g_homeProblem.isEmpty())
            QSKIP(qPrintable(g_homeProblem));
        const QString why = m_hosts.up(1);
        if (!why.isEmpty())
            QSKIP(qPrintable(why));
    }
    void cleanupTestCase() { m_hosts.down(); }

    void testConnectionLogsIn()
    {
        HostDialog dialog(testHost(), std::make_shared<const HostConnector>());
        dialog.show();
        QVERIFY2(runTest(dialog), qPrintable(dialog.testResult()));
        QVERIFY2(dialog.testResult().startsWith(QStringLiteral("Connected: logged in to ")), qPrintable(dialog.testResult()));
        qInfo("test host: %s", qPrintable(dialog.testResult()));
    }

    void unknownHostKeyIsAClearFailure()
    {
        HostEntry e = testHost();
        QTemporaryDir dir;
        e.knownHostsFile = dir.filePath(QStringLiteral("known_hosts"));  // the per-host field counts
        QVERIFY(writeFile(e.knownHostsFile, ""));
        HostDialog dialog(e, std::make_shared<const HostConnector>());  // nobody to ask: the key is refused
        dialog.show();
        QVERIFY(!runTest(dialog));
        QVERIFY2(dialog.testResult().startsWith(QStringLiteral("Failed: ")), qPrintable(dialog.testResult()));
        QVERIFY2(dialog.testResult().contains(QStringLiteral("key"), Qt::CaseInsensitive), qPrintable(dialog.testResult()));
        qInfo("unknown key: %s", qPrintable(dialog.testResult()));
    }

    void importFromThePasswdHome()
    {
        // ~/.ssh/config in the passwd home (covered by the private one): what ssh reads.
        QVERIFY(writeFile(g_home + QStringLiteral("/.ssh/config"), "Include " + m_hosts.sshConfig().toUtf8() + "\nHost extra\n"));
        MainWindow w;
        w.show();
        const int before = int(w.findChildren<HostSession *>().size());
        action(w, "importHostsAction")->trigger();
        auto *dialog = testing::visibleDialog<HostImportDialog>(QStringLiteral("hostImportDialog"));
        QVERIFY(dialog);
        QVERIFY2(dialog->model()->rowCount() >= 3, "the Include of the test hosts' config was not followed");
        QVERIFY(dialog->check(QStringLiteral("mta1")));
        dialog->findChild<QPushButton *>(QStringLiteral("importButton"))->click();
        QTRY_COMPARE(int(w.findChildren<HostSession *>().size()), before + 1);
        HostSession *mta1 = nullptr;
        for (HostSession *s : w.findChildren<HostSession *>())
            if (s->entry().name == QStringLiteral("mta1"))
                mta1 = s;
        QVERIFY2(mta1, "only the checked host should have come in, and it did not");
    }
};
#endif

int main(int argc, char **argv)
{
    const bool hosts = argc > 1 && qstrcmp(argv[1], "hosts") == 0;
#ifdef SMTLS_GUIHOSTS_HOSTS
    if (hosts) {
        smtls::testing::TestHosts::enterPrivateNetwork(argc, argv);  // re-runs this with the same arguments
        privateHome();
        --argc;
        for (int i = 1; i < argc; ++i)
            argv[i] = argv[i + 1];
        QApplication app(argc, argv);
        initGuiResources();
        int rc = 0;
        {
            TestGuiHostsOnHosts test;
            rc = QTest::qExec(&test, argc, argv);
        }
        if (!g_home.isEmpty())
            QDir(g_home).removeRecursively();
        return rc;
    }
#else
    if (hosts) {
        std::fprintf(stderr, "tst_guihosts: built without the test hosts\n");
        return 0;
    }
#endif
    QApplication app(argc, argv);
    initGuiResources();
    TestGuiHosts test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_guihosts.moc"
