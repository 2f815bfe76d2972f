// Undo one change on a real test host over SSH (root, integration; skipped otherwise): with the
// real program, `set` A then B on mta1, `rollback A` undoes A alone — B stays, in the file and in
// what the host's sendmail answers — while `restore A` is refused until --discard-later, then
// gives the file as `up` left it. Both go through the whole pipeline (validation, snapshot).
#include "AccessMap.h"
#include "MailHosts.h"
#include "TestHosts.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using smtls::testing::MailHosts;

namespace {
const QString A = QStringLiteral("mx.undo-a.test");
const QString B = QStringLiteral("mx.undo-b.test");
const QString AddrA = QStringLiteral("192.0.2.71");
const QString AddrB = QStringLiteral("192.0.2.72");

using Run = smtls::testing::MailHosts::CliRun;
} // namespace

class UndoHostsTest : public QObject {
    Q_OBJECT
    MailHosts m_hosts;
    QString m_skip;
    QTemporaryDir m_home;

    Run cli(const QStringList &arguments) { return m_hosts.runCli({1}, m_home.path(), arguments); }
    QString setOff(const QString &name)
    {
        const Run r = cli({QStringLiteral("set"), QStringLiteral("destination"), name, QStringLiteral("off"), QStringLiteral("--json")});
        if (r.code != 0)
            qWarning("%s", (r.out + r.err).constData());
        // The id printed is this computer's copy; rollback --host takes it (see loadSnapshot).
        return QJsonDocument::fromJson(r.out).object().value(QStringLiteral("hosts")).toArray().first().toObject()
            .value(QStringLiteral("snapshot")).toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_skip = m_hosts.up(1);
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
    }
    void cleanupTestCase()
    {
        if (m_skip.isEmpty())
            m_hosts.down();
    }

    void undoA_keepsB_restoreNeedsDiscardLater()
    {
        const QByteArray pristine = m_hosts.file(1, QStringLiteral("access"));
        const QString idA = setOff(A);
        QVERIFY(!idA.isEmpty());
        const QByteArray afterA = m_hosts.file(1, QStringLiteral("access"));
        QVERIFY(!setOff(B).isEmpty());
        QVERIFY(m_hosts.tryTls(1, A, AddrA).startsWith(QLatin1String("$# error")));
        QVERIFY(m_hosts.tryTls(1, B, AddrB).startsWith(QLatin1String("$# error")));
        const QByteArray withBoth = m_hosts.file(1, QStringLiteral("access"));

        // restore A without --discard-later: refused, naming B; nothing changes.
        const Run refused = cli({QStringLiteral("restore"), idA});
        QVERIFY2(refused.code == 8, (refused.out + refused.err).constData());
        QVERIFY2(refused.err.contains("set destination mx.undo-b.test off"), refused.err.constData());
        QCOMPARE(m_hosts.file(1, QStringLiteral("access")), withBoth);

        // rollback A: A's lines go, B's stay, and the host's sendmail answers so.
        const Run undo = cli({QStringLiteral("rollback"), idA, QStringLiteral("--json")});
        QVERIFY2(undo.code == 0, (undo.out + undo.err).constData());
        const QJsonObject host = QJsonDocument::fromJson(undo.out).object().value(QStringLiteral("hosts")).toArray().first().toObject();
        QCOMPARE(host.value(QStringLiteral("outcome")).toString(), QStringLiteral("applied"));
        const QByteArray afterUndo = m_hosts.file(1, QStringLiteral("access"));
        QVERIFY(!afterUndo.contains("mx.undo-a.test"));
        QVERIFY(afterUndo.contains("Try_TLS:mx.undo-b.test"));
        // B was appended after A's lines: undoing A alone gives the file before A plus B's lines,
        // under the header comment A wrote (B's rule still lives under it): as if only B was made.
        QVERIFY(withBoth.startsWith(afterA));
        QCOMPARE(afterUndo, pristine + smtls::AccessMap::blockHeader() + '\n' + withBoth.mid(afterA.size()));
        QCOMPARE(m_hosts.tryTls(1, A, AddrA), QStringLiteral("OK"));
        QVERIFY(m_hosts.tryTls(1, B, AddrB).startsWith(QLatin1String("$# error")));

        // restore A --discard-later: the file as `up` left it.
        const Run restored = cli({QStringLiteral("restore"), idA, QStringLiteral("--discard-later")});
        QVERIFY2(restored.code == 0, (restored.out + restored.err).constData());
        QCOMPARE(m_hosts.file(1, QStringLiteral("access")), pristine);
        QCOMPARE(m_hosts.tryTls(1, B, AddrB), QStringLiteral("OK"));
    }
};

int main(int argc, char **argv)
{
    smtls::testing::TestHosts::enterPrivateNetwork(argc, argv);
    QCoreApplication app(argc, argv);
    UndoHostsTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_undohosts.moc"
