// A Change: one wording for every caller, plans on the files it is given (batches in order),
// stored in snapshots as data; one snapshot store that still lists the older folders.
#include "Change.h"
#include "Expiry.h"
#include "ProblemFix.h"
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

    // ------------------------------------------------------------------ expiry (issue 11)

    void expiryFromDuration_acceptsDaysAndHoursWithinAYear_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("iso");  // empty: refused
        QTest::newRow("7d") << QStringLiteral("7d") << QStringLiteral("2026-12-09T10:30:00Z");
        QTest::newRow("12h") << QStringLiteral("12h") << QStringLiteral("2026-12-02T22:30:00Z");
        QTest::newRow("365d") << QStringLiteral("365d") << QStringLiteral("2027-12-02T10:30:00Z");
        QTest::newRow("8760h") << QStringLiteral("8760h") << QStringLiteral("2027-12-02T10:30:00Z");
        QTest::newRow("0d") << QStringLiteral("0d") << QString();
        QTest::newRow("0h") << QStringLiteral("0h") << QString();
        QTest::newRow("-3d") << QStringLiteral("-3d") << QString();
        QTest::newRow("99999d") << QStringLiteral("99999d") << QString();
        QTest::newRow("366d") << QStringLiteral("366d") << QString();
        QTest::newRow("8761h") << QStringLiteral("8761h") << QString();
        QTest::newRow("weeks") << QStringLiteral("2w") << QString();
        QTest::newRow("fraction") << QStringLiteral("1.5d") << QString();
        QTest::newRow("no unit") << QStringLiteral("7") << QString();
        QTest::newRow("upper case") << QStringLiteral("7D") << QString();
        QTest::newRow("blank") << QStringLiteral(" 7d") << QString();
        QTest::newRow("huge number") << QStringLiteral("99999999999999999999d") << QString();
    }
    void expiryFromDuration_acceptsDaysAndHoursWithinAYear()
    {
        QFETCH(QString, text);
        QFETCH(QString, iso);
        const QDateTime now(QDate(2026, 12, 2), QTime(10, 30, 17), Qt::UTC);
        const Result<Expiry> e = expiryFromDuration(text, now.addMSecs(0));
        QCOMPARE(e ? QString() : QStringLiteral("refused"), iso.isEmpty() ? QStringLiteral("refused") : QString());
        if (e) {
            // Whole seconds as the note holds them (the input's seconds are kept).
            QCOMPARE(e->iso().left(16), iso.left(16));
            QVERIFY(!e->passed(now));
            QCOMPARE(Expiry::fromIso(e->iso()), std::optional<Expiry>(*e));
        } else {
            QCOMPARE(e.error().kind, ErrorKind::InvalidInput);
        }
    }

    void expiryFromDate_takesAFutureDayWithinAYear_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("tomorrow") << QStringLiteral("2026-12-03") << true;
        QTest::newRow("in a year") << QStringLiteral("2027-12-02") << true;
        QTest::newRow("today") << QStringLiteral("2026-12-02") << false;
        QTest::newRow("in the past") << QStringLiteral("2026-01-01") << false;
        QTest::newRow("over a year") << QStringLiteral("2027-12-03") << false;
        QTest::newRow("no such day") << QStringLiteral("2027-02-30") << false;
        QTest::newRow("month 13") << QStringLiteral("2027-13-01") << false;
        QTest::newRow("other format") << QStringLiteral("03.12.2026") << false;
        QTest::newRow("with a time") << QStringLiteral("2026-12-03T10:00") << false;
        QTest::newRow("words") << QStringLiteral("tomorrow") << false;
    }
    void expiryFromDate_takesAFutureDayWithinAYear()
    {
        QFETCH(QString, text);
        QFETCH(bool, accepted);
        const Result<Expiry> e = expiryFromDate(text, QDate(2026, 12, 2));
        QCOMPARE(e.ok(), accepted);
        if (e) {
            QCOMPARE(e->iso(), text);
            // It ends when that day begins (local time).
            QVERIFY(!e->passed(QDateTime(QDate(2026, 12, 2), QTime(23, 59)).toUTC()));
            QVERIFY(e->passed(QDateTime(QDate::fromString(text, Qt::ISODate), QTime(0, 0)).toUTC()));
        } else {
            QCOMPARE(e.error().kind, ErrorKind::InvalidInput);
        }
    }

    void expiryOfNote_readsOursAndReportsWhatItCannotRead_data()
    {
        QTest::addColumn<QString>("note");
        QTest::addColumn<QString>("iso");
        QTest::addColumn<bool>("error");
        QTest::newRow("none") << QStringLiteral("2026-12-02 TLS off: broken peer") << QString() << false;
        QTest::newRow("moment") << QStringLiteral("2026-12-02 TLS off (expires 2026-12-09T10:30:00Z): broken peer")
                                << QStringLiteral("2026-12-09T10:30:00Z") << false;
        QTest::newRow("date") << QStringLiteral("2026-12-02 TLS fallback (expires 2026-12-31)") << QStringLiteral("2026-12-31") << false;
        QTest::newRow("reason mentions expiry") << QStringLiteral("2026-12-02 TLS off: their cert expires soon") << QString() << false;
        QTest::newRow("reason has (expires …)") << QStringLiteral("2026-12-02 TLS off: (expires 2020-01-01)") << QString() << false;
        QTest::newRow("no such day") << QStringLiteral("2026-12-02 TLS off (expires 2026-02-30)") << QString() << true;
        QTest::newRow("words") << QStringLiteral("2026-12-02 TLS off (expires next week)") << QString() << true;
        QTest::newRow("no parenthesis") << QStringLiteral("2026-12-02 TLS off expires 2026-12-09") << QString() << true;
        QTest::newRow("marker in sendmail.mc") << QString::fromUtf8(SendmailMc::fallbackMarker().mid(19) + " (expires 2027-01-05)")
                                               << QStringLiteral("2027-01-05") << false;
    }
    void expiryOfNote_readsOursAndReportsWhatItCannotRead()
    {
        QFETCH(QString, note);
        QFETCH(QString, iso);
        QFETCH(bool, error);
        const NoteExpiry e = expiryOfNote(note);
        QCOMPARE(e.expiry ? e.expiry->iso() : QString(), iso);
        QCOMPARE(!e.error.isEmpty(), error);
    }

    void expiringChange_writesItsExpiryInTheNoteAndSaysSo()
    {
        const Expiry week = Expiry::onDate(QDate::currentDate().addDays(7));
        const Change c = Change::destination(*parseDestination(QStringLiteral("mx.example.com")), TlsSetting::Off, {}, week);
        QCOMPARE(c.description(), QStringLiteral("set destination mx.example.com off (expires %1)").arg(week.iso()));
        QCOMPARE(c.toJson().value(QStringLiteral("expires")).toString(), week.iso());
        const Result<ConfigChange> planned = c.plan(demoConfig());
        QVERIFY(planned);
        QVERIFY2(planned->access.after.contains(" TLS off (expires " + week.iso().toUtf8() + ")\nTry_TLS:mx.example.com\tNO\n"),
                 planned->access.after.right(200).constData());
    }

    // `expire` on files with two expired exceptions, one still running and one unreadable:
    // the two go, with their notes, the others stay.
    void expireAll_removesOnlyWhatHasExpired()
    {
        MailConfig c = demoConfig();
        c.mc = SendmailMc("FEATURE(`access_db')dnl\nFEATURE(`tls_session_features')dnl\nMAILER(`smtp')dnl\n", QStringLiteral("/etc/mail/sendmail.mc"));
        const QByteArray access = "# sendmail-tls: 2026-11-01 TLS off (expires 2026-11-08): gone\nTry_TLS:old.test\tNO\n"
                                  "# sendmail-tls: 2026-11-30 TLS off (expires 2027-01-01)\nTry_TLS:running.test\tNO\n"
                                  "# sendmail-tls: 2026-11-30 TLS off (expires someday)\nTry_TLS:unreadable.test\tNO\n"
                                  "# sendmail-tls: 2026-11-01 TLS fallback (expires 2026-11-20T08:00:00Z)\n"
                                  "TLS_Clt_Features:mx.fb.test\tCipherList=HIGH; Flags=C\n";
        c.access = AccessMap(access, QStringLiteral("/etc/mail/access"));
        c.now = QDateTime(QDate(2026, 12, 2), QTime(12, 0), Qt::UTC);
        int expired = 0;
        for (const Problem &p : c.policy().problems())
            expired += p.fix == FixKind::RevertExpired;
        QCOMPARE(expired, 2);
        const Result<ConfigChange> planned = Change::expireAll(c.now).plan(c);
        QVERIFY(planned);
        QCOMPARE(planned->access.after, QByteArray("# sendmail-tls: 2026-11-30 TLS off (expires 2027-01-01)\nTry_TLS:running.test\tNO\n"
                                                   "# sendmail-tls: 2026-11-30 TLS off (expires someday)\nTry_TLS:unreadable.test\tNO\n"
                                                   "TLS_Clt_Features:mx.fb.test\tCipherList=HIGH\n"));
        QCOMPARE(planned->notes.size(), 2);
        // A day before the first one ends: nothing to do.
        const Result<ConfigChange> early = Change::expireAll(QDateTime(QDate(2026, 11, 5), QTime(0, 0), Qt::UTC)).plan(c);
        QVERIFY(early);
        QVERIFY(!early->changed());
        QCOMPARE(early->notes, QStringList{QStringLiteral("No exception has expired; nothing to change.")});
        QCOMPARE(Change::expireAll().description(), QStringLiteral("remove the expired exceptions"));
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
        QVERIFY2(refused.error().message.contains(QStringLiteral("--discard-later")), qPrintable(refused.error().message));
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
