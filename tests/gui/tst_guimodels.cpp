// The GUI's own small pieces without a window: staged planners compose in order, notes split
// into date and reason, ~/.ssh/config import, snapshot restore planner.
#include "DestinationRulesModel.h"
#include "HostStore.h"
#include "LocalConfig.h"
#include "StagedPlan.h"

#include <QTemporaryDir>
#include <QTest>

using namespace smtls;
using namespace smtls::gui;

namespace {
MailConfig demoConfig()
{
    LocalPaths paths;
    paths.root = QStringLiteral(SMTLS_SOURCE_DIR "/resources/demo");
    Result<MailConfig> c = loadLocalConfig(paths);
    return c ? *c : MailConfig{};
}
ChangePlanner destination(const char *name, TlsSetting setting)
{
    return [name, setting](const MailConfig &c) { return planDestination(c, *parseDestination(QString::fromLatin1(name)), setting); };
}
} // namespace

class TestGuiModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void composePlanners_appliesInOrderFromTheReadState()
    {
        const MailConfig config = demoConfig();
        QVERIFY(config.access.has_value());
        const Result<ConfigChange> change = composePlanners({destination("a.example", TlsSetting::Off), destination("b.example", TlsSetting::Off),
                                                             destination("a.example", TlsSetting::Inherit)})(config);
        QVERIFY(change.ok());
        QCOMPARE(change->access.before, config.access->bytes());
        QVERIFY(change->access.after.contains("Try_TLS:b.example\tNO"));
        QVERIFY(!change->access.after.contains("Try_TLS:a.example"));
        QCOMPARE(change->touched.size(), 2);
        QVERIFY(!change->mc.changed());
    }

    void composePlanners_nothingStagedChangesNothing()
    {
        const Result<ConfigChange> change = composePlanners({})(demoConfig());
        QVERIFY(change.ok());
        QVERIFY(!change->changed());
    }

    void applyPlanners_stopsAtTheFirstError()
    {
        const ChangePlanner failing = [](const MailConfig &) -> Result<ConfigChange> {
            return makeError(ErrorKind::InvalidInput, QStringLiteral("no"));
        };
        const Result<MailConfig> r = applyPlanners(demoConfig(), {destination("a.example", TlsSetting::Off), failing});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().message, QStringLiteral("no"));
    }

    void restoreSnapshotPlanner_setsTheBeforeBytesBack()
    {
        const MailConfig config = demoConfig();
        Snapshot s;
        s.id = QStringLiteral("x");
        s.files.append(SnapshotFile{config.accessPath, QByteArray("# old\n"), config.access->bytes(), true});
        const Result<ConfigChange> change = restoreSnapshotPlanner(s)(config);
        QVERIFY(change.ok());
        QCOMPARE(change->access.after, QByteArray("# old\n"));
        QVERIFY(!change->mc.changed());
        Snapshot other;
        other.files.append(SnapshotFile{QStringLiteral("/elsewhere"), {}, {}, true});
        QVERIFY(!restoreSnapshotPlanner(other)(config).ok());
    }

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
