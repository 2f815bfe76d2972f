// A Change: one wording for every caller, plans on the files it is given (batches in order),
// stored in snapshots as data; one snapshot store that still lists the older folders.
#include "Change.h"
#include "SendmailVersion.h"
#include "SnapshotStore.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace smtls;

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

MailConfig demoConfig()
{
    const QString mail = QStringLiteral(SMTLS_SOURCE_DIR "/resources/demo/etc/mail");
    return MailConfig{SendmailMc(readAll(mail + QStringLiteral("/sendmail.mc")), QStringLiteral("/etc/mail/sendmail.mc")),
                      AccessMap(readAll(mail + QStringLiteral("/access")), QStringLiteral("/etc/mail/access")),
                      QStringLiteral("/etc/mail/access")};
}

Change destination(const char *name, TlsSetting setting, const QString &reason = {})
{
    return Change::destination(*parseDestination(QString::fromLatin1(name)), setting, reason);
}

} // namespace

class TestChange : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void description_isOneWordingPerKind_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("description");
        QTest::addColumn<QString>("kind");
        QTest::newRow("destination off") << 0 << QStringLiteral("set destination mx.example.com off") << QStringLiteral("destination");
        QTest::newRow("destination inherit") << 1 << QStringLiteral("set destination mx.example.com inherit") << QStringLiteral("destination");
        QTest::newRow("global on") << 2 << QStringLiteral("set global on") << QStringLiteral("global");
        QTest::newRow("global off via M=S") << 3 << QStringLiteral("set global off via client-options") << QStringLiteral("global");
        QTest::newRow("global off, chosen") << 4 << QStringLiteral("set global off") << QStringLiteral("global");
        QTest::newRow("batch") << 5 << QStringLiteral("set destination a.example off; set global on") << QStringLiteral("batch");
        QTest::newRow("restore") << 6 << QStringLiteral("roll back to before snapshot S1 (set global on)") << QStringLiteral("restore");
        QTest::newRow("global fallback") << 7 << QStringLiteral("set global fallback") << QStringLiteral("global");
        QTest::newRow("destination fallback") << 8 << QStringLiteral("set destination mx.example.com fallback") << QStringLiteral("destination");
    }
    void description_isOneWordingPerKind()
    {
        QFETCH(int, which);
        QFETCH(QString, description);
        QFETCH(QString, kind);
        Snapshot snapshot;
        snapshot.id = QStringLiteral("S1");
        snapshot.change = QStringLiteral("set global on");
        const QList<Change> changes{destination("mx.example.com", TlsSetting::Off),
                                    destination("MX.Example.COM", TlsSetting::Inherit),
                                    Change::global(true),
                                    Change::global(false, Mechanism::ClientOptions),
                                    Change::global(false),
                                    Change::batch({destination("a.example", TlsSetting::Off), Change::global(true)}),
                                    Change::restore(snapshot),
                                    Change::global(GlobalSetting::Fallback, Mechanism::ClientOptions),  // --via means nothing here
                                    destination("mx.example.com", TlsSetting::Fallback)};
        const Change &c = changes.at(which);
        QCOMPARE(c.description(), description);
        QCOMPARE(c.toJson().value(QStringLiteral("kind")).toString(), kind);
        QCOMPARE(c.toJson().value(QStringLiteral("description")).toString(), description);
    }

    // What an older sendmail cannot do: asked for anywhere in the change, refused by version.
    void asksForFallback_isFoundInBatchesToo()
    {
        QVERIFY(Change::global(GlobalSetting::Fallback).asksForFallback());
        QVERIFY(!Change::global(GlobalSetting::On).asksForFallback());
        QVERIFY(destination("a.example", TlsSetting::Fallback).asksForFallback());
        QVERIFY(!destination("a.example", TlsSetting::On).asksForFallback());
        QVERIFY(Change::batch({destination("a.example", TlsSetting::Off), destination("b.example", TlsSetting::Fallback)}).asksForFallback());
        QVERIFY(!Change::batch({destination("a.example", TlsSetting::Off), Change::global(true)}).asksForFallback());
    }

    void requireTlsFallback_refusesSendmailOlderThan816_data()
    {
        QTest::addColumn<QString>("version");
        QTest::addColumn<bool>("supported");
        QTest::newRow("Debian 12") << QStringLiteral("8.17.1.9") << true;
        QTest::newRow("8.16.1") << QStringLiteral("8.16.1") << true;
        QTest::newRow("8.16") << QStringLiteral("8.16") << true;
        QTest::newRow("8.18 beta") << QStringLiteral("8.18.0.2-beta") << true;
        QTest::newRow("Debian 11") << QStringLiteral("8.15.2") << false;
        QTest::newRow("RHEL 7") << QStringLiteral("8.14.7") << false;
        QTest::newRow("8.9.3 is not 8.90") << QStringLiteral("8.9.3") << false;
        QTest::newRow("unknown") << QString() << true;
        QTest::newRow("unreadable") << QStringLiteral("?") << true;
    }
    void requireTlsFallback_refusesSendmailOlderThan816()
    {
        QFETCH(QString, version);
        QFETCH(bool, supported);
        QCOMPARE(supportsTlsFallback(version), supported);
        const Status refused = requireTlsFallback(version, QStringLiteral("mx1"));
        QCOMPARE(!refused.has_value(), supported);
        if (refused) {
            QCOMPARE(refused->kind, ErrorKind::InvalidConfig);  // exit 4: an edit that cannot work there
            QVERIFY2(refused->message.startsWith(QStringLiteral("mx1: sendmail ") + version), qPrintable(refused->message));
            QVERIFY(refused->message.contains(QStringLiteral("8.16")));
        }
    }

    void batchOfOne_isThatChange()
    {
        const Change one = Change::batch({destination("a.example", TlsSetting::Off, QStringLiteral("why"))});
        QCOMPARE(one.kind(), ChangeKind::Destination);
        QCOMPARE(one.reason(), QStringLiteral("why"));
    }

    void batchOfOne_withAReason_keepsThePartsOwnForItsNote()
    {
        const Change b = Change::batch({destination("noted.example", TlsSetting::Off, QStringLiteral("cert expired"))},
                                       QStringLiteral("maintenance window"));
        QCOMPARE(b.kind(), ChangeKind::Batch);
        QCOMPARE(b.reason(), QStringLiteral("maintenance window"));
        QCOMPARE(b.description(), QStringLiteral("set destination noted.example off"));
        const Result<ConfigChange> change = b.plan(demoConfig());
        QVERIFY(change.ok());
        QVERIFY(change->access.after.contains("TLS off: cert expired"));
        QVERIFY(!change->access.after.contains("maintenance"));
    }

    void batch_carriesItsPartsReasonsUnlessGivenOne()
    {
        const Change b = Change::batch({destination("a.example", TlsSetting::Off, QStringLiteral("expired cert")),
                                        destination("b.example", TlsSetting::Off, QStringLiteral("ticket 42")),
                                        destination("c.example", TlsSetting::Off, QStringLiteral("expired cert"))});
        QCOMPARE(b.reason(), QStringLiteral("expired cert; ticket 42"));
        Change given = b;
        given.setReason(QStringLiteral("maintenance"));
        QCOMPARE(given.reason(), QStringLiteral("maintenance"));
    }

    void batch_plansInOrderFromTheReadState()
    {
        const MailConfig config = demoConfig();
        QVERIFY(config.access.has_value());
        const Result<ConfigChange> change = Change::batch({destination("a.example", TlsSetting::Off), destination("b.example", TlsSetting::Off),
                                                           destination("a.example", TlsSetting::Inherit)})
                                                .plan(config);
        QVERIFY(change.ok());
        QCOMPARE(change->access.before, config.access->bytes());
        QVERIFY(change->access.after.contains("Try_TLS:b.example\tNO"));
        QVERIFY(!change->access.after.contains("Try_TLS:a.example"));
        QCOMPARE(change->touched.size(), 2);
        QVERIFY(!change->mc.changed());
    }

    void emptyBatch_changesNothing()
    {
        const Result<ConfigChange> change = Change::batch({}).plan(demoConfig());
        QVERIFY(change.ok());
        QVERIFY(!change->changed());
    }

    void batch_stopsAtTheFirstError()
    {
        const Change failing = Change::custom(QStringLiteral("broken"), [](const MailConfig &) -> Result<ConfigChange> {
            return makeError(ErrorKind::InvalidInput, QStringLiteral("no"));
        });
        const Result<ConfigChange> r = Change::batch({destination("a.example", TlsSetting::Off), failing}).plan(demoConfig());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().message, QStringLiteral("no"));
    }

    void restore_setsTheBeforeBytesBackAndMatchesHostPrefixedPaths()
    {
        const MailConfig config = demoConfig();
        Snapshot s;
        s.id = QStringLiteral("x");
        s.files.append(SnapshotFile{QStringLiteral("mta1:") + config.accessPath, QByteArray("# old\n"), config.access->bytes(), true});  // after = now
        const Result<ConfigChange> change = Change::restore(s).plan(config);
        QVERIFY(change.ok());
        QCOMPARE(change->access.after, QByteArray("# old\n"));
        QVERIFY(!change->mc.changed());
        Snapshot other;
        other.id = QStringLiteral("y");
        other.files.append(SnapshotFile{QStringLiteral("/elsewhere"), {}, {}, true});
        const Result<ConfigChange> refused = Change::restore(other).plan(config);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(QStringLiteral("snapshot y")), qPrintable(refused.error().message));
    }

    // Rolling back A after B would silently undo B: refused unless forced.
    void restore_refusesWhenTheFileChangedSinceUnlessForced()
    {
        const MailConfig config = demoConfig();
        Snapshot a;
        a.id = QStringLiteral("A");
        a.files.append(SnapshotFile{config.accessPath, QByteArray("# before A\n"), QByteArray("# after A\n"), true});
        const Result<ConfigChange> refused = Change::restore(a).plan(config);  // the file now is not "# after A"
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().kind, ErrorKind::Refused);
        QVERIFY2(refused.error().message.contains(QStringLiteral("--force")), qPrintable(refused.error().message));
        const Result<ConfigChange> forced = Change::restore(a, sameFileByName, true).plan(config);
        QVERIFY(forced.ok());
        QCOMPARE(forced->access.after, QByteArray("# before A\n"));
    }

    void destination_plansWithItsReasonInTheNote()
    {
        const Result<ConfigChange> change = destination("noted.example", TlsSetting::Off, QStringLiteral("cert expired")).plan(demoConfig());
        QVERIFY(change.ok());
        QVERIFY2(change->access.after.contains("TLS off: cert expired"), change->access.after.right(200).constData());
    }

    void sameChangeRecord_comparesKindTargetAndSetting()
    {
        const QJsonObject a = destination("a.example", TlsSetting::Off, QStringLiteral("x")).toJson();
        QVERIFY(sameChangeRecord(a, destination("a.example", TlsSetting::Off, QStringLiteral("x")).toJson()));
        QVERIFY(!sameChangeRecord(a, destination("a.example", TlsSetting::On, QStringLiteral("x")).toJson()));
        QVERIFY(!sameChangeRecord(a, destination("b.example", TlsSetting::Off, QStringLiteral("x")).toJson()));
        QVERIFY(!sameChangeRecord(a, Change::global(false).toJson()));
    }

    void snapshot_storesTheChangeAsData()
    {
        QTemporaryDir dir;
        const SnapshotStore store(dir.path());
        Snapshot s;
        s.host = QStringLiteral("mta1");
        const Change change = destination("mx.example.com", TlsSetting::Off, QStringLiteral("expired"));
        s.change = change.description();
        s.changeRecord = change.toJson();
        s.files.append(SnapshotFile{dir.filePath(QStringLiteral("not-there/access")), "a\n", "b\n", true});
        const Result<QString> id = store.save(s);
        QVERIFY(id.ok());
        const Result<Snapshot> loaded = store.load(*id);
        QVERIFY(loaded.ok());
        QCOMPARE(loaded->changeRecord.value(QStringLiteral("kind")).toString(), QStringLiteral("destination"));
        QCOMPARE(loaded->changeRecord.value(QStringLiteral("target")).toString(), QStringLiteral("mx.example.com"));
        QCOMPARE(loaded->changeRecord.value(QStringLiteral("setting")).toString(), QStringLiteral("off"));
        QCOMPARE(loaded->changeRecord.value(QStringLiteral("reason")).toString(), QStringLiteral("expired"));
    }

    // Both programs save into one folder; what older versions saved per program is still listed.
    void userStore_isOneFolderAndListsTheOlderOnes()
    {
        QStandardPaths::setTestModeEnabled(true);
        const QString data = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
        QDir(data + QStringLiteral("/sendmail-tls")).removeRecursively();
        const QString current = SnapshotStore::defaultDirectory();
        QVERIFY2(current.endsWith(QStringLiteral("/sendmail-tls/snapshots")), qPrintable(current));
        QCOMPARE(SnapshotStore::olderDefaultDirectories().size(), 2);
        Snapshot old;
        old.host = QStringLiteral("gui-era");
        old.time = QDateTime::currentDateTimeUtc().addDays(-1);
        QVERIFY(SnapshotStore(SnapshotStore::olderDefaultDirectories().at(1)).save(old).ok());
        Snapshot now;
        now.host = QStringLiteral("today");
        QVERIFY(SnapshotStore::userStore().save(now).ok());
        QVERIFY(QDir(current).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size() == 1);
        const Result<QList<Snapshot>> listed = SnapshotStore::userStore().list();
        QVERIFY(listed.ok());
        QCOMPARE(listed->size(), 2);
        QCOMPARE(listed->at(0).host, QStringLiteral("today"));  // newest first across folders
        QCOMPARE(listed->at(1).host, QStringLiteral("gui-era"));
        QVERIFY(SnapshotStore::userStore().load(listed->at(1).id).ok());
        QDir(data + QStringLiteral("/sendmail-tls")).removeRecursively();
    }
};

QTEST_GUILESS_MAIN(TestChange)
#include "tst_change.moc"
