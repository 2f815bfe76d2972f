// Undo one change on the current files, keeping later work: the line merge is tried on the cases
// that break naive ones (neighbouring lines, the same line again, an insertion where the change
// removed a line, CRLF, no final newline, bytes that are not UTF-8, empty and created files) and
// on real plans (two destination changes, one touching sendmail.mc and the access file).
#include "ChangeUndo.h"

#include <QFile>
#include <QRandomGenerator>
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

MailConfig configWith(const QByteArray &mc, const std::optional<QByteArray> &access)
{
    MailConfig c{SendmailMc(mc, QStringLiteral("/etc/mail/sendmail.mc")), std::nullopt, QStringLiteral("/etc/mail/access")};
    if (access)
        c.access = AccessMap(*access, QStringLiteral("/etc/mail/access"));
    return c;
}

ConfigChange plan(const MailConfig &config, const char *name, TlsSetting setting)
{
    const Result<ConfigChange> planned = planDestination(config, *parseDestination(QString::fromLatin1(name)), setting,
                                                         QStringLiteral("test"), QDate(2026, 12, 2));
    if (!planned)
        qFatal("plan failed: %s", qPrintable(planned.error().message));
    return *planned;
}

// A snapshot of what `change` did, as the pipeline takes it.
Snapshot snapshotOf(const QString &id, const ConfigChange &change, int minute)
{
    Snapshot s;
    s.id = id;
    s.host = QStringLiteral("mx1");
    s.time = QDateTime(QDate(2026, 12, 2), QTime(8, minute), Qt::UTC);
    s.change = QStringLiteral("change ") + id;
    for (const FileChange *f : {&change.mc, &change.access})
        if (f->changed())
            s.files.append(SnapshotFile{f->path, f->before, f->after, f->existedBefore});
    return s;
}

QByteArray undone(const QByteArray &before, const QByteArray &after, const QByteArray &current)
{
    const LineUndo u = undoLines(before, after, current);
    if (u.conflict)
        return QByteArray("CONFLICT at line ") + QByteArray::number(u.conflict->line);
    return u.bytes;
}

} // namespace

class TestChangeUndo : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void lineMerge_data()
    {
        QTest::addColumn<QByteArray>("before");
        QTest::addColumn<QByteArray>("after");
        QTest::addColumn<QByteArray>("current");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("nothing since") << QByteArray("1\n2\n") << QByteArray("1\nX\n") << QByteArray("1\nX\n") << QByteArray("1\n2\n");
        QTest::newRow("later edit far away") << QByteArray("1\n2\n3\n4\n5\n") << QByteArray("1\nX\n3\n4\n5\n")
                                             << QByteArray("1\nX\n3\n4\nY\n") << QByteArray("1\n2\n3\n4\nY\n");
        QTest::newRow("adjacent edit on the next line") << QByteArray("1\n2\n3\n4\n") << QByteArray("1\nX\n3\n4\n")
                                                        << QByteArray("1\nX\nY\n4\n") << QByteArray("1\n2\nY\n4\n");
        QTest::newRow("adjacent edit on the line before") << QByteArray("1\n2\n3\n") << QByteArray("1\nX\n3\n")
                                                          << QByteArray("Y\nX\n3\n") << QByteArray("Y\n2\n3\n");
        QTest::newRow("same line edited later") << QByteArray("1\n2\n3\n4\n") << QByteArray("1\nX\n3\n4\n")
                                                << QByteArray("1\nZ\n3\n4\n") << QByteArray("CONFLICT at line 2");
        QTest::newRow("added line removed later") << QByteArray("1\n3\n") << QByteArray("1\nX\n3\n") << QByteArray("1\n3\n")
                                                  << QByteArray("CONFLICT at line 2");
        QTest::newRow("line added where the change removed one")
            << QByteArray("1\n2\n3\n") << QByteArray("1\n3\n") << QByteArray("1\nN\n3\n") << QByteArray("CONFLICT at line 2");
        QTest::newRow("line added after the next line") << QByteArray("1\n2\n3\n") << QByteArray("1\n3\n") << QByteArray("1\n3\nN\n")
                                                        << QByteArray("1\n2\n3\nN\n");
        QTest::newRow("insertion inside the added block") << QByteArray("1\n4\n") << QByteArray("1\nA\nB\n4\n")
                                                           << QByteArray("1\nA\nN\nB\n4\n") << QByteArray("CONFLICT at line 3");
        QTest::newRow("insertion right after the added block") << QByteArray("1\n4\n") << QByteArray("1\nA\nB\n4\n")
                                                               << QByteArray("1\nA\nB\nN\n4\n") << QByteArray("1\nN\n4\n");
        QTest::newRow("appended after an appended block") << QByteArray("1\n") << QByteArray("1\nA\n") << QByteArray("1\nA\nB\n")
                                                          << QByteArray("1\nB\n");
        QTest::newRow("CRLF kept") << QByteArray("a\r\nb\r\nc\r\n") << QByteArray("a\r\nB\r\nc\r\n")
                                   << QByteArray("a\r\nB\r\nc\r\nd\r\n") << QByteArray("a\r\nb\r\nc\r\nd\r\n");
        QTest::newRow("only a line ending changed") << QByteArray("a\r\nb\n") << QByteArray("a\nb\n") << QByteArray("a\nb\nc\n")
                                                    << QByteArray("a\r\nb\nc\n");
        QTest::newRow("no final newline kept") << QByteArray("x\nlast") << QByteArray("X\nlast") << QByteArray("X\nlast2")
                                               << QByteArray("x\nlast2");
        QTest::newRow("a line after one without newline would join")
            << QByteArray("a\nb") << QByteArray("a\nb\nc\n") << QByteArray("a\nb\nc\nd\n") << QByteArray("CONFLICT at line 2");
        QTest::newRow("not UTF-8") << QByteArray("\xff\xfe\n\x80 x\n") << QByteArray("\xff\xfe\n\x81 y\n")
                                   << QByteArray("\xc0\n\xff\xfe\n\x81 y\n") << QByteArray("\xc0\n\xff\xfe\n\x80 x\n");
        QTest::newRow("empty before") << QByteArray() << QByteArray("a\n") << QByteArray("a\nb\n") << QByteArray("b\n");
        QTest::newRow("empty after, nothing since") << QByteArray("a\n") << QByteArray() << QByteArray() << QByteArray("a\n");
        QTest::newRow("empty after, something added") << QByteArray("a\n") << QByteArray() << QByteArray("b\n")
                                                      << QByteArray("CONFLICT at line 1");
        QTest::newRow("emptied since") << QByteArray("1\n2\n") << QByteArray("1\nX\n") << QByteArray() << QByteArray("CONFLICT at line 1");
        QTest::newRow("already undone by hand") << QByteArray("1\n2\n") << QByteArray("1\nX\n") << QByteArray("1\n2\n")
                                                << QByteArray("CONFLICT at line 2");
        QTest::newRow("repeated lines") << QByteArray("x\nx\nx\n") << QByteArray("x\nx\nx\nx\n") << QByteArray("y\nx\nx\nx\nx\n")
                                        << QByteArray("y\nx\nx\nx\n");
    }
    void lineMerge()
    {
        QFETCH(QByteArray, before);
        QFETCH(QByteArray, after);
        QFETCH(QByteArray, current);
        QFETCH(QByteArray, expected);
        QCOMPARE(undone(before, after, current), expected);
    }

    // Unique lines, the change in one region, random later edits in another: the result is the
    // later edits on the old bytes, whatever the diff's alignment.
    void lineMerge_randomFarEdits()
    {
        QRandomGenerator rng(13);
        for (int round = 0; round < 300; ++round) {
            QList<QByteArray> base;
            for (int i = 0; i < 60; ++i)
                base << QByteArray("line ") + QByteArray::number(i) + (i % 7 == 0 ? "\r\n" : "\n");
            const auto edit = [&](QList<QByteArray> lines, int from, int to, const QByteArray &tag) {
                const int ops = 1 + int(rng.bounded(4));
                for (int k = 0; k < ops; ++k) {
                    const int at = from + int(rng.bounded(to - from));
                    switch (rng.bounded(3)) {
                    case 0: lines.insert(at, tag + QByteArray::number(k) + "\n"); break;
                    case 1: lines[at] = tag + QByteArray::number(k) + " changed\n"; break;
                    default: lines.removeAt(at); break;
                    }
                    to = std::min<int>(to, int(lines.size()) - 1);
                }
                return lines;
            };
            // The change touches lines 10..20; the later work 40..50 (indices shift with the change).
            const QList<QByteArray> before = base;
            const QList<QByteArray> after = edit(before, 10, 20, "A");
            const int shift = int(after.size()) - int(before.size());
            const QList<QByteArray> current = edit(after, 40 + shift, 50 + shift, "B");
            QList<QByteArray> expected = before;
            expected = QList<QByteArray>(before.begin(), before.begin() + 40)
                + QList<QByteArray>(current.begin() + 40 + shift, current.end());
            const QByteArray got = undone(before.join(), after.join(), current.join());
            QCOMPARE(got, expected.join());
        }
    }

    // A and B are two real destination changes (each a note line and a rule); undoing A keeps B,
    // byte for byte as if A had never been made.
    void planUndo_keepsALaterDestinationChange()
    {
        const MailConfig original = demoConfig();
        const ConfigChange a = plan(original, "a.example", TlsSetting::Off);
        const MailConfig afterA = configAfter(original, a);
        const ConfigChange b = plan(afterA, "b.example", TlsSetting::Off);
        const MailConfig afterB = configAfter(afterA, b);
        const Result<ConfigChange> undo = planUndo(afterB, snapshotOf(QStringLiteral("A"), a, 0), sameFileByName);
        QVERIFY2(undo, qPrintable(undo ? QString() : undo.error().message));
        const ConfigChange onlyB = plan(original, "b.example", TlsSetting::Off);
        QCOMPARE(undo->access.after, onlyB.access.after);
        QVERIFY(!undo->mc.changed());
        QVERIFY(undo->access.after.contains("b.example"));
        QVERIFY(!undo->access.after.contains("a.example"));
    }

    // A changes sendmail.mc and the access file (fallback adds the FEATURE); B the access file only.
    void planUndo_mcAndAccessBoth()
    {
        const MailConfig original = demoConfig();
        const ConfigChange a = plan(original, "a.example", TlsSetting::Fallback);
        QVERIFY(a.mc.changed());
        QVERIFY(a.access.changed());
        const MailConfig afterA = configAfter(original, a);
        const ConfigChange b = plan(afterA, "b.example", TlsSetting::Off);
        const Result<ConfigChange> undo = planUndo(configAfter(afterA, b), snapshotOf(QStringLiteral("A"), a, 0), sameFileByName);
        QVERIFY2(undo, qPrintable(undo ? QString() : undo.error().message));
        QCOMPARE(undo->mc.after, original.mc.bytes());
        QCOMPARE(undo->access.after, plan(original, "b.example", TlsSetting::Off).access.after);
        QVERIFY(undo->needsRestart());
    }

    // The same destination changed again later: refused, naming that later snapshot (id, time,
    // description) and offering the restore.
    void planUndo_refusesNamingTheLaterChange()
    {
        const MailConfig original = demoConfig();
        const ConfigChange a = plan(original, "a.example", TlsSetting::Off);
        const MailConfig afterA = configAfter(original, a);
        const ConfigChange b = plan(afterA, "b.example", TlsSetting::Off);
        const MailConfig afterB = configAfter(afterA, b);
        const ConfigChange c = plan(afterB, "a.example", TlsSetting::Fallback);
        const MailConfig afterC = configAfter(afterB, c);
        const Snapshot sa = snapshotOf(QStringLiteral("20261202-0800-A"), a, 0);
        const QList<Snapshot> later{snapshotOf(QStringLiteral("20261202-0805-B"), b, 5), snapshotOf(QStringLiteral("20261202-0810-C"), c, 10)};
        const Result<ConfigChange> undo = planUndo(afterC, sa, sameFileByName, later);
        QVERIFY(!undo);
        QCOMPARE(undo.error().kind, ErrorKind::Refused);
        const QString m = undo.error().message;
        QVERIFY2(m.contains(QStringLiteral("snapshot 20261202-0810-C (2026-12-02 08:10 UTC, change 20261202-0810-C)")), qPrintable(m));
        QVERIFY2(!m.contains(QStringLiteral("0805-B (")), qPrintable(m));
        QVERIFY2(m.contains(QStringLiteral("restore 20261202-0800-A --discard-later")), qPrintable(m));
        QCOMPARE(undo.error().file, QStringLiteral("/etc/mail/access"));

        // Without a later snapshot, the edit is a hand edit.
        const Result<ConfigChange> byHand = planUndo(afterC, sa, sameFileByName, {later.first()});
        QVERIFY(!byHand);
        QVERIFY2(byHand.error().message.contains(QStringLiteral("by hand")), qPrintable(byHand.error().message));
    }

    // An access file the change created: undone to empty (kept, for makemap); with later rules,
    // the later rules stay.
    void planUndo_fileCreatedByTheChange()
    {
        const QByteArray mc = demoConfig().mc.bytes();
        const MailConfig none = configWith(mc, std::nullopt);
        const ConfigChange a = plan(none, "a.example", TlsSetting::Off);
        QVERIFY(!a.access.existedBefore);
        const Snapshot sa = snapshotOf(QStringLiteral("A"), a, 0);
        QCOMPARE(sa.files.last().existedBefore, false);
        const MailConfig afterA = configAfter(none, a);
        const Result<ConfigChange> alone = planUndo(afterA, sa, sameFileByName);
        QVERIFY(alone);
        QCOMPARE(alone->access.after, QByteArray());
        const ConfigChange b = plan(afterA, "b.example", TlsSetting::Off);
        const Result<ConfigChange> keepB = planUndo(configAfter(afterA, b), sa, sameFileByName);
        QVERIFY2(keepB, qPrintable(keepB ? QString() : keepB.error().message));
        QVERIFY(keepB->access.after.contains("b.example"));
        QVERIFY(!keepB->access.after.contains("a.example"));
        // A wrote the header, B's rule lives under it: the header stays, as if only B had been made.
        QCOMPARE(keepB->access.after, plan(none, "b.example", TlsSetting::Off).access.after);
        QVERIFY(keepB->access.after.startsWith(AccessMap::blockHeader()));
    }

    // The same with CRLF line ends and a line of the administrator's at the end: the header comes
    // back with the file's own line end; both blocks (Try_TLS and TLS_Clt_Features) keep theirs.
    void planUndo_keepsTheHeaderOfLaterRules_crlfAndBothBlocks()
    {
        const QByteArray mc = demoConfig().mc.bytes();
        const MailConfig start = configWith(mc, QByteArray("Connect:127.0.0.1\tRELAY\r\n"));
        const ConfigChange a = plan(start, "a.example", TlsSetting::Off);
        const MailConfig afterA = configAfter(start, a);
        const ConfigChange b = plan(afterA, "b.example", TlsSetting::Off);
        const MailConfig afterB = configAfter(afterA, b);
        const Result<ConfigChange> undo = planUndo(afterB, snapshotOf(QStringLiteral("A"), a, 0), sameFileByName);
        QVERIFY2(undo, qPrintable(undo ? QString() : undo.error().message));
        QCOMPARE(undo->access.after, plan(start, "b.example", TlsSetting::Off).access.after);
        QVERIFY(undo->access.after.contains(AccessMap::blockHeader() + "\r\n"));
        // Undoing B (the newest) alone: its lines go, A's header and rule stay.
        const Result<ConfigChange> undoB = planUndo(afterB, snapshotOf(QStringLiteral("B"), b, 1), sameFileByName);
        QVERIFY(undoB);
        QCOMPARE(undoB->access.after, afterA.access->bytes());
        // Undoing the only change of the block: the header goes with it.
        const Result<ConfigChange> undoA = planUndo(afterA, snapshotOf(QStringLiteral("A"), a, 0), sameFileByName);
        QVERIFY(undoA);
        QCOMPARE(undoA->access.after, start.access->bytes());
    }

    void planUndo_snapshotOfOtherFiles()
    {
        Snapshot s;
        s.id = QStringLiteral("X");
        s.files.append(SnapshotFile{QStringLiteral("/elsewhere/access"), "a\n", "b\n", true});
        QCOMPARE(planUndo(demoConfig(), s, sameFileByName).error().kind, ErrorKind::InvalidInput);
    }

    void undoChange_isItsOwnKind()
    {
        Snapshot s;
        s.id = QStringLiteral("S1");
        s.change = QStringLiteral("set destination a.example off");
        const Change c = undoChange(s);
        QCOMPARE(c.kind(), ChangeKind::Undo);
        QCOMPARE(c.description(), QStringLiteral("undo snapshot S1 (set destination a.example off)"));
        QCOMPARE(c.toJson().value(QStringLiteral("kind")).toString(), QStringLiteral("undo"));
        QCOMPARE(c.toJson().value(QStringLiteral("target")).toString(), QStringLiteral("S1"));
    }

    // A failed attempt whose snapshot stays is marked, and the mark is read back.
    void snapshotStore_outcomeOfAFailedAttempt()
    {
        QTemporaryDir dir;
        const SnapshotStore store(dir.path());
        Snapshot s;
        s.host = QStringLiteral("mx1");
        s.time = QDateTime::currentDateTimeUtc();
        s.change = QStringLiteral("set global off");
        s.files.append(SnapshotFile{QStringLiteral("/etc/mail/access"), "a\n", "b\n", true});
        const Result<QString> id = store.save(s);
        QVERIFY(id);
        QCOMPARE(store.load(*id)->outcome, QString());
        QVERIFY(!store.setOutcome(*id, QStringLiteral("rolled back")));
        QCOMPARE(store.load(*id)->outcome, QStringLiteral("rolled back"));
        QCOMPARE(store.load(*id)->files.first().after, QByteArray("b\n"));
        QVERIFY(store.setOutcome(QStringLiteral("../x"), QStringLiteral("failed")));
    }

    void snapshotsAfter_sameHostOldestFirst()
    {
        const auto make = [](const char *id, const char *host, int minute) {
            Snapshot s;
            s.id = QString::fromLatin1(id);
            s.host = QString::fromLatin1(host);
            s.time = QDateTime(QDate(2026, 12, 2), QTime(8, minute), Qt::UTC);
            s.files.append(SnapshotFile{QStringLiteral("/etc/mail/access"), {}, {}, true});
            return s;
        };
        QList<Snapshot> all{make("d", "mx1", 9), make("c", "mx2", 8), make("b", "mx1", 7), make("a", "mx1", 5), make("z", "mx1", 1),
                            make("other file", "mx1", 8)};
        all.last().files.first().path = QStringLiteral("/other/access");
        const QList<Snapshot> later = snapshotsAfter(all[3], all);
        QCOMPARE(later.size(), 2);
        QCOMPARE(later[0].id, QStringLiteral("b"));
        QCOMPARE(later[1].id, QStringLiteral("d"));
    }
};

QTEST_GUILESS_MAIN(TestChangeUndo)
#include "tst_changeundo.moc"
