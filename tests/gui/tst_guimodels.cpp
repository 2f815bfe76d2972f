// The GUI's own small pieces without a window: notes split into date and reason, ~/.ssh/config
// import. (Staged edits are core Changes: tests/core/tst_change.)
#include "DestinationRulesModel.h"
#include "HostStore.h"

#include <QTemporaryDir>
#include <QTest>

using namespace smtls;
using namespace smtls::gui;


class TestGuiModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void splitNote_data()
    {
        QTest::addColumn<QString>("note");
        QTest::addColumn<QString>("date");
        QTest::addColumn<QString>("why");
        QTest::newRow("dated with reason") << QStringLiteral("2026-11-25 TLS off: broken cert") << QStringLiteral("2026-11-25") << QStringLiteral("broken cert");
        QTest::newRow("dated without reason") << QStringLiteral("2026-11-25 TLS off") << QStringLiteral("2026-11-25") << QString();
        QTest::newRow("free text") << QStringLiteral("hand written") << QString() << QStringLiteral("hand written");
    }
    void splitNote()
    {
        QFETCH(QString, note);
        QFETCH(QString, date);
        QFETCH(QString, why);
        const auto [d, w] = DestinationRulesModel::splitNote(note);
        QCOMPARE(d, date);
        QCOMPARE(w, why);
    }

    void importSshConfig_skipsWildcardsAndKeepsSettings()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("config"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("Host *\n  User nobody\nHost mta1 mta2\n  HostName 10.0.0.1\n  Port 2222\n  User admin\n"
                "Host relay\n  IdentityFile ~/.ssh/relay\n");
        f.close();
        const QList<HostEntry> hosts = HostStore::importSshConfig(file);
        QCOMPARE(hosts.size(), 3);
        QCOMPARE(hosts[0].name, QStringLiteral("mta1"));
        QCOMPARE(hosts[1].port, 2222);
        QCOMPARE(hosts[1].user, QStringLiteral("admin"));
        QCOMPARE(hosts[2].auth, AuthMethod::KeyFile);
        QCOMPARE(hosts[2].user, QString());
    }
};

QTEST_GUILESS_MAIN(TestGuiModels)
#include "tst_guimodels.moc"
