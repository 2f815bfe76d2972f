// The Queue view. Two programs from this file:
//
// tst_guiqueue (no root needed): the model on StuckMail values built here (TLS failures first,
// ages, elided ids, thousands of messages as a handful of rows), the action's text for sendmail
// 8.17 and 8.15, and the panel in the window on the Demo host whose tree holds a queue and a
// mail log captured on a test host (tests/core/data/queue) plus thousands of copies: read when
// the tab opens, F5, a refresh never showing an older answer; the fix flow through the real
// preview and apply dialogs (closed preview: nothing retried; applied: the retry runs, and on a
// copied tree says why it cannot).
//
// tst_guiqueue_hosts (root; label integration): the whole story on a real test host over SSH,
// with the test world's DNS and receivers (tests/hosts/README.md). Host 1 sends mail to the
// domains behind the server that breaks the TLS handshake and to the one that refuses
// connections; the Queue view shows the first flagged and the second not; its action goes
// through the real preview and apply dialogs and ends in "2 of 2 delivered", the receiver has
// the messages and the refused one still waits. The time from opening the Queue view to
// "delivered" is printed, and the UI thread never stalls meanwhile. With SMTLS_SCREENSHOT_DIR
// set it saves queue-view.png and queue-delivered.png there (README screenshots, real data).
#include "ApplyDialog.h"
#include "ApplyProgressModel.h"
#include "DiffPreviewDialog.h"
#include "HostConnector.h"
#include "HostSession.h"
#include "HostStore.h"
#include "HostsPanel.h"
#include "MainWindow.h"
#include "ProbeDialog.h"
#include "QueuePanel.h"
#include "QueueReader.h"
#include "RetryResultsModel.h"
#include "StuckServerFix.h"
#include "StuckServersModel.h"
#include "delivery/DeliveryLog.h"

#include "GuiFlows.h"
#include "GuiTestSetup.h"
#include "PrivateHome.h"
#include "StallMeter.h"
#include "TestFiles.h"
#ifdef SMTLS_GUIQUEUE_ON_HOSTS
#include "MailHosts.h"
#endif

#include <QApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

#include <cerrno>
#include <cstring>
#include <pwd.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

using namespace smtls;
using namespace smtls::gui;
using testing::readAll;
using testing::writeAll;

namespace {

// A stall under this is not seen as one (as tst_guibigmap: a frame at 60 Hz is 17 ms; 250 ms is noticed).
constexpr qint64 StallBound = 250;

QString cell(const QAbstractItemModel &model, int row, int column, int role = Qt::DisplayRole)
{
    return model.index(row, column).data(role).toString();
}

QPushButton *fixButton(QueuePanel *panel) { return panel->findChild<QPushButton *>(QStringLiteral("fixStuckServer")); }

// Accepts the fix's preview (after checking its diff) and waits for its apply dialog to finish.
std::optional<ApplyReport> previewAndApply(StuckServerFix *fix, const QString &host, QString *diff)
{
    if (!QTest::qWaitFor([fix] { return fix->preview() && fix->preview()->isReady(); }, 60000))
        return std::nullopt;
    *diff = fix->preview()->diffText();
    QTest::mouseClick(fix->preview()->findChild<QPushButton *>(QStringLiteral("applyButton")), Qt::LeftButton);
    if (!QTest::qWaitFor([fix] { return fix->applyDialog() && fix->applyDialog()->finished(); }, 300000))
        return std::nullopt;
    std::optional<ApplyReport> report = fix->applyDialog()->model()->reportFor(host);
    QTest::mouseClick(fix->applyDialog()->findChild<QPushButton *>(QStringLiteral("closeButton")), Qt::LeftButton);
    return report;
}

} // namespace

#ifndef SMTLS_GUIQUEUE_ON_HOSTS

namespace {

const QDateTime Now = QDateTime(QDate(2026, 12, 2), QTime(12, 0), Qt::UTC);

QueuedMessage message(const QString &id, const QString &recipient, const QDateTime &queued, const QString &status)
{
    QueuedMessage m;
    m.id = id;
    m.queue = QStringLiteral("mta");
    m.directory = QStringLiteral("/var/spool/mqueue");
    m.queued = queued;
    m.lastAttempt = queued.addSecs(60);
    m.attempts = 1;
    m.sender = QStringLiteral("alice@mta1.test");
    m.recipients = {recipient};
    m.status = status;
    return m;
}

// A delivery attempt as sendmail 8.17 logs it (the form of tests/core/data/queue/var/log/mail.log).
QByteArray logLine(const QString &id, const QString &recipient, const QString &server, const QString &address, const QString &dsn,
                   const QString &stat)
{
    return QStringLiteral("Dec  2 07:27:17 mta1 sm-mta[2523]: %1: to=<%2>, delay=00:00:05, xdelay=00:00:01, mailer=esmtp, pri=120019, "
                          "relay=%3. [%4], dsn=%5, stat=%6\n")
        .arg(id, recipient, server, address, dsn, stat)
        .toUtf8();
}

const QString TlsStat = QStringLiteral("Deferred: 454 4.7.0 TLS handshake failed.");
const QString RefusedStat = QStringLiteral("Deferred: Connection refused by mx.dead.test.");

// Grouped by the core, as the reader does (groupStuckMail), from messages and log lines made
// here: TLSCOUNT messages at mx.broken.test, REFUSEDCOUNT at mx.dead.test, UNKNOWNCOUNT not in
// the log (no MX answer: server unknown), each of those to a domain of its own.
std::shared_ptr<const StuckMail> stuckMail(int tlsCount, int refusedCount, int unknownCount)
{
    QueueContents queue;
    QByteArray lines;
    int serial = 0;
    const auto add = [&](const QString &recipient, const QDateTime &queued, const QString &server, const QString &address,
                         const QString &dsn, const QString &stat) {
        const QString id = QStringLiteral("6B2C%1").arg(serial++, 10, 10, QLatin1Char('0'));
        queue.messages << message(id, recipient, queued, stat);
        if (!server.isEmpty())
            lines += logLine(id, recipient, server, address, dsn, stat);
    };
    for (int i = 0; i < tlsCount; ++i)
        add(i % 2 ? QStringLiteral("a%1@stuck.test").arg(i) : QStringLiteral("b%1@hosted.test").arg(i),
            Now.addSecs(-(49 * 3600) + i), QStringLiteral("mx.broken.test"), QStringLiteral("127.0.2.1"), QStringLiteral("4.7.0"), TlsStat);
    for (int i = 0; i < refusedCount; ++i)
        add(QStringLiteral("c%1@dead.test").arg(i), Now.addSecs(-(3 * 3600) - 120 + i), QStringLiteral("mx.dead.test"),
            QStringLiteral("127.0.2.3"), QStringLiteral("4.4.1"), RefusedStat);
    for (int i = 0; i < unknownCount; ++i)
        add(QStringLiteral("d%1@lost%1.test").arg(i), Now.addSecs(-20 * 60), {}, {}, {}, QStringLiteral("Deferred: Connection timed out"));
    QStringList ids;
    for (const QueuedMessage &m : std::as_const(queue.messages))
        ids << m.id;
    DeliveryLog log = parseDeliveryLines(lines, ids);
    log.source = QStringLiteral("/var/log/mail.log");
    return std::make_shared<const StuckMail>(groupStuckMail(queue, log, {}));
}

HostEntry demoEntry()
{
    for (const HostEntry &e : HostStore::builtIns())
        if (e.kind == HostKind::Demo)
            return e;
    return {};
}

// The Demo host as an inspected host would be: connecting also reports a sendmail version.
class VersionedDemoConnector : public HostConnector {
public:
    explicit VersionedDemoConnector(QString version) : m_version(std::move(version)) {}
    Result<Connection> connect(const HostEntry &entry, const CommandLog &log, Details details) const override
    {
        Result<Connection> c = HostConnector::connect(entry, log, details);
        if (c) {
            HostDetails d;
            d.sendmailVersion = m_version;
            d.startTlsCompiled = true;
            d.detectedProfile = c->profile;
            c->details = d;
        }
        return c;
    }

private:
    QString m_version;
};

bool copyTree(const QString &from, const QString &to)
{
    QDirIterator it(from, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString source = it.next();
        const QString target = to + source.mid(from.size());
        if (!QDir().mkpath(QFileInfo(target).path()) || !writeAll(target, readAll(source)))
            return false;
    }
    return true;
}

// The Demo tree gets the queues and mail log captured on a test host (tests/core/data/queue:
// mta2.test breaks the TLS handshake, mta3.test refuses connections) and COPIES more messages
// made from the captured qf files, with their log lines.
bool demoQueue(int copies)
{
    const QString captured = QStringLiteral(SMTLS_SOURCE_DIR "/tests/core/data/queue/var");
    const QString root = HostConnector::demoRoot();
    QDir(root + QStringLiteral("/var")).removeRecursively();
    if (!copyTree(captured, root + QStringLiteral("/var")))
        return false;
    const QByteArray tlsQf = readAll(captured + QStringLiteral("/spool/mqueue/qf6B27RG3p002244"));
    const QByteArray deadQf = readAll(captured + QStringLiteral("/spool/mqueue/qf6B27RG7r002268"));
    QByteArray log = readAll(root + QStringLiteral("/var/log/mail.log"));
    for (int i = 0; i < copies; ++i) {
        const QString id = QStringLiteral("6B28%1").arg(i, 10, 10, QLatin1Char('0'));
        const bool tls = i % 3 != 0;
        // Every tenth one in the submission queue and not in the log: its server is unknown
        // (such a message goes to the local MTA, so no MX is asked: this test makes no DNS query).
        const bool lost = i % 10 == 9;
        if (!writeAll(root + (lost ? QStringLiteral("/var/spool/mqueue-client/qf") : QStringLiteral("/var/spool/mqueue/qf")) + id,
                      tls ? tlsQf : deadQf))
            return false;
        if (lost)
            continue;
        log += tls ? logLine(id, QStringLiteral("a@tls.test"), QStringLiteral("mta2.test"), QStringLiteral("127.0.1.2"), QStringLiteral("4.7.0"), TlsStat)
                   : logLine(id, QStringLiteral("c@dead.test"), QStringLiteral("mta3.test"), QStringLiteral("127.0.1.3"), QStringLiteral("4.4.1"),
                             QStringLiteral("Deferred: Connection refused by mta3.test."));
    }
    return writeAll(root + QStringLiteral("/var/log/mail.log"), log);
}

QTableView *serverTable(QueuePanel *panel) { return panel->findChild<QTableView *>(QStringLiteral("stuckServers")); }
} // namespace

class TestGuiQueue : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        initGuiResources();
        useEmptyTestDataFolder(QStringLiteral("tst_guiqueue"));
    }

    void model_tlsFailuresFirst_agesAndTooltips()
    {
        // More refused messages than TLS failures: the TLS failures still come first.
        const auto stuck = stuckMail(2, 4, 1);
        StuckServersModel model;
        model.setStuckMail(stuck, Now);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(cell(model, 0, StuckServersModel::ServerColumn), QStringLiteral("mx.broken.test"));
        QCOMPARE(model.index(0, 0).data(StuckServersModel::TlsFailureRole).toBool(), true);
        QCOMPARE(cell(model, 0, StuckServersModel::TlsColumn), QStringLiteral("Handshake fails"));
        QVERIFY(!model.index(0, StuckServersModel::TlsColumn).data(Qt::DecorationRole).isNull());
        QCOMPARE(cell(model, 0, StuckServersModel::MessagesColumn), QStringLiteral("2"));
        QCOMPARE(cell(model, 0, StuckServersModel::DomainsColumn), QStringLiteral("hosted.test, stuck.test"));
        QCOMPARE(cell(model, 0, StuckServersModel::StatusColumn), TlsStat);
        QCOMPARE(cell(model, 0, StuckServersModel::OldestColumn), QStringLiteral("2 days"));
        // The date in the tooltip, in local time.
        const QString oldest = Now.addSecs(-49 * 3600).toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
        QVERIFY2(cell(model, 0, StuckServersModel::OldestColumn, Qt::ToolTipRole).contains(oldest),
                 qPrintable(cell(model, 0, StuckServersModel::OldestColumn, Qt::ToolTipRole)));
        QVERIFY(cell(model, 0, StuckServersModel::ServerColumn, Qt::ToolTipRole).contains(QStringLiteral("[127.0.2.1]")));

        // The refused server: not flagged.
        QCOMPARE(cell(model, 1, StuckServersModel::ServerColumn), QStringLiteral("mx.dead.test"));
        QCOMPARE(model.index(1, 0).data(StuckServersModel::TlsFailureRole).toBool(), false);
        QCOMPARE(cell(model, 1, StuckServersModel::TlsColumn), QString());
        QVERIFY(model.index(1, StuckServersModel::TlsColumn).data(Qt::DecorationRole).isNull());
        QCOMPARE(cell(model, 1, StuckServersModel::OldestColumn), QStringLiteral("3 h"));
        QCOMPARE(cell(model, 1, StuckServersModel::StatusColumn), RefusedStat);

        // The message no server is known for: a row of its own, last, without a server name.
        QVERIFY(model.isUnknownServerRow(2));
        QVERIFY(!model.serverAt(2));
        QCOMPARE(cell(model, 2, StuckServersModel::ServerColumn), QStringLiteral("Server not known"));
        QCOMPARE(cell(model, 2, StuckServersModel::ServerColumn, StuckServersModel::ServerNameRole), QString());
        QCOMPARE(cell(model, 2, StuckServersModel::MessagesColumn), QStringLiteral("1"));
        QCOMPARE(cell(model, 2, StuckServersModel::DomainsColumn), QStringLiteral("lost0.test"));
        QCOMPARE(cell(model, 2, StuckServersModel::OldestColumn), QStringLiteral("20 min"));
        QCOMPARE(cell(model, 2, StuckServersModel::StatusColumn), QStringLiteral("Deferred: Connection timed out"));
        QCOMPARE(model.rowOf(QStringLiteral("MX.DEAD.TEST")), 1);
        QCOMPARE(model.rowOf(QStringLiteral("nowhere.test")), -1);
    }

    void age_data()
    {
        QTest::addColumn<qint64>("secondsAgo");
        QTest::addColumn<QString>("shown");
        QTest::newRow("seconds") << qint64(20) << QStringLiteral("1 min");
        QTest::newRow("minutes") << qint64(59 * 60 + 59) << QStringLiteral("59 min");
        QTest::newRow("an hour") << qint64(3600) << QStringLiteral("1 h");
        QTest::newRow("hours") << qint64(3 * 3600 + 1800) << QStringLiteral("3 h");
        QTest::newRow("almost two days") << qint64(47 * 3600 + 3599) << QStringLiteral("47 h");
        QTest::newRow("two days") << qint64(2 * 86400) << QStringLiteral("2 days");
        QTest::newRow("weeks") << qint64(15 * 86400 + 7000) << QStringLiteral("15 days");
        QTest::newRow("clock skew") << qint64(-300) << QStringLiteral("1 min");
    }
    void age()
    {
        QFETCH(qint64, secondsAgo);
        QFETCH(QString, shown);
        QCOMPARE(StuckServersModel::age(Now.addSecs(-secondsAgo), Now), shown);
    }

    // Thousands of messages at a few servers are a few rows, their ids elided; setting them and
    // reading every cell takes milliseconds.
    void model_thousandsOfMessages_rowsAreServers()
    {
        QElapsedTimer grouping;
        grouping.start();
        const auto stuck = stuckMail(3000, 1500, 500);
        qInfo("5000 messages grouped in %lld ms (core, on a worker in the window)", grouping.elapsed());
        StuckServersModel model;
        QElapsedTimer clock;
        clock.start();
        model.setStuckMail(stuck, Now);
        QString all;
        for (int row = 0; row < model.rowCount(); ++row)
            for (int column = 0; column < model.columnCount(); ++column)
                for (int role : {int(Qt::DisplayRole), int(Qt::ToolTipRole)})
                    all += cell(model, row, column, role);
        const qint64 ms = clock.elapsed();
        qInfo("5000 messages: model set and every cell read in %lld ms", ms);
        QVERIFY2(ms < 100, qPrintable(QString::number(ms)));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(cell(model, 0, StuckServersModel::MessagesColumn), QStringLiteral("3000"));
        QCOMPARE(cell(model, 2, StuckServersModel::MessagesColumn), QStringLiteral("500"));
        const QStringList ids = model.serverAt(0)->ids;
        QCOMPARE(cell(model, 0, StuckServersModel::IdsColumn), QStringLiteral("%1, %2 and 2998 more").arg(ids[0], ids[1]));
        // The tooltip shows a screenful, not 3000 ids.
        const QString tip = cell(model, 0, StuckServersModel::IdsColumn, Qt::ToolTipRole);
        QVERIFY(tip.startsWith(QStringLiteral("Queue ids, oldest first: ")));
        QCOMPARE(tip.count(QLatin1Char(',')), 1 + 19);
        QVERIFY2(tip.endsWith(QStringLiteral("and 2980 more")), qPrintable(tip));
        QVERIFY(cell(model, 2, StuckServersModel::IdsColumn).endsWith(QStringLiteral("and 498 more")));
        // 500 domains: three shown.
        QCOMPARE(cell(model, 2, StuckServersModel::DomainsColumn).count(QLatin1Char(',')), 2);
        QVERIFY(cell(model, 2, StuckServersModel::DomainsColumn).endsWith(QStringLiteral("and 497 more")));
    }

    void action_followsSendmailVersion()
    {
        const auto stuck = stuckMail(3, 1, 0);
        const StuckServer &tls = stuck->servers.first();
        QVERIFY(tls.tlsFailure);
        QCOMPARE(StuckServerFix::actionText(tls, QStringLiteral("8.17.1.9")),
                 QStringLiteral("Fall back to clear text for this server for 7 days and retry its 3 messages"));
        QCOMPARE(StuckServerFix::actionText(tls, QStringLiteral("8.15.2")),
                 QStringLiteral("Turn TLS off for this server for 7 days and retry its 3 messages"));
        QCOMPARE(StuckServerFix::actionText(stuck->servers.last(), QStringLiteral("8.16.1")),
                 QStringLiteral("Fall back to clear text for this server for 7 days and retry its 1 message"));
        QCOMPARE(StuckServerFix::reasonFor(tls), QStringLiteral("3 messages stuck: 454 4.7.0 TLS handshake failed (queue view)"));

        for (const auto &[version, setting] : {std::pair{QStringLiteral("8.17.1.9"), QStringLiteral("fallback")},
                                               std::pair{QStringLiteral("8.15.2"), QStringLiteral("off")}}) {
            const Result<Change> change = StuckServerFix::changeFor(tls, version, Now);
            QVERIFY(change);
            QCOMPARE(change->description(), QStringLiteral("set destination mx.broken.test %1 (expires %2)").arg(setting, Now.addDays(7).toString(Qt::ISODate)));
            QCOMPARE(change->reason(), StuckServerFix::reasonFor(tls));
            QVERIFY(change->expires());
            QCOMPARE(change->expires()->endsAt(), Now.addDays(7));
        }
        // A name no rule can have is refused, never staged.
        StuckServer odd = tls;
        odd.server = QStringLiteral("mx broken;test");
        QVERIFY(!StuckServerFix::changeFor(odd, QStringLiteral("8.17.1.9"), Now));
    }

    // The window's Queue tab on the Demo host, whose tree holds the captured queue and log and
    // 3000 more messages: read when the tab opens (not before), on a worker; F5 reads again; two
    // refreshes in a row show one answer, the newest.
    void panel_readsWhenOpened_thousandsStayResponsive()
    {
        QVERIFY(demoQueue(3000));
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.selectHost(QStringLiteral("demo"));
        QueuePanel *panel = w.queuePanel();
        QVERIFY(panel);
        QCOMPARE(panel->model()->rowCount(), 0);  // not read while the tab is not open
        QVERIFY(!panel->reader()->busy());

        QSignalSpy loaded(panel, &QueuePanel::loaded);
        StallMeter stalls;
        QElapsedTimer clock;
        clock.start();
        w.tabs()->setCurrentWidget(panel);
        QVERIFY(panel->reader()->busy());
        QVERIFY(loaded.wait(120000));
        qInfo("Queue tab opened -> 3005 messages shown: %lld ms, longest UI thread stall %lld ms", clock.elapsed(), stalls.worst());
        QVERIFY2(stalls.worst() < StallBound, qPrintable(QString::number(stalls.worst())));
        QVERIFY2(panel->title().contains(QStringLiteral("3005 messages waiting")), qPrintable(panel->title()));

        StuckServersModel *model = panel->model();
        QStringList servers;
        for (int row = 0; row < model->rowCount(); ++row)
            servers << cell(*model, row, StuckServersModel::ServerColumn);
        QCOMPARE(servers, (QStringList{QStringLiteral("mta2.test"), QStringLiteral("mta3.test"), QStringLiteral("127.0.1.1"),
                                       QStringLiteral("Server not known")}));
        QVERIFY(model->index(0, 0).data(StuckServersModel::TlsFailureRole).toBool());
        QVERIFY(!model->index(1, 0).data(StuckServersModel::TlsFailureRole).toBool());
        // 3 captured + 2000 copies (minus the tenth not in the log) at mta2.test.
        QCOMPARE(cell(*model, 0, StuckServersModel::MessagesColumn), QStringLiteral("1803"));
        QCOMPARE(cell(*model, 3, StuckServersModel::MessagesColumn), QStringLiteral("300"));
        QVERIFY(cell(*model, 0, StuckServersModel::IdsColumn).endsWith(QStringLiteral("and 1801 more")));
        QVERIFY2(panel->findChild<QLabel *>(QStringLiteral("queueNotes"))->text().contains(QStringLiteral("Mail log: /var/log/mail.log.")),
                 qPrintable(panel->findChild<QLabel *>(QStringLiteral("queueNotes"))->text()));
        QVERIFY(panel->findChild<QLabel *>(QStringLiteral("queueNotes"))->text().contains(QStringLiteral("whose server is known neither")));
        // The first row is selected; the action is offered for it, Probe for every server row.
        QTableView *table = serverTable(panel);
        QCOMPARE(table->currentIndex().row(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(fixButton(panel)->isEnabled(), 30000);  // once the Demo host's files are read
        QVERIFY2(fixButton(panel)->text().remove(QLatin1Char('&')).startsWith(QStringLiteral("Fall back to clear text for this server for 7 days "
                                                                                          "and retry its 1803 messages")),
                 qPrintable(fixButton(panel)->text()));
        // The whole sentence shows (the button grows with it).
        QTRY_VERIFY2(fixButton(panel)->width() >= fixButton(panel)->sizeHint().width(),
                     qPrintable(QStringLiteral("%1 < %2").arg(fixButton(panel)->width()).arg(fixButton(panel)->sizeHint().width())));
        auto *probe = panel->findChild<QPushButton *>(QStringLiteral("probeServer"));
        QVERIFY(probe->isEnabled());
        table->setCurrentIndex(model->index(1, 0));
        QVERIFY(!fixButton(panel)->isEnabled());
        QVERIFY(probe->isEnabled());
        table->setCurrentIndex(model->index(3, 0));
        QVERIFY(!fixButton(panel)->isEnabled());
        QVERIFY(!probe->isEnabled());
        table->setCurrentIndex(model->index(1, 0));

        // F5 on the Queue tab reads the queue (not the host's files); the selection stays.
        loaded.clear();
        QTest::keyClick(&w, Qt::Key_F5);
        QVERIFY(panel->reader()->busy());
        QVERIFY(loaded.wait(120000));
        QCOMPARE(table->currentIndex().row(), 1);

        // Two refreshes in a row: the first one's answer is dropped, one answer shows.
        loaded.clear();
        panel->refresh();
        panel->refresh();
        QVERIFY(loaded.wait(120000));
        QTest::qWait(500);
        QCOMPARE(loaded.count(), 1);
        QCOMPARE(model->rowCount(), 4);

        // Cancel: the read stops, nothing older shows.
        loaded.clear();
        panel->refresh();
        panel->cancel();
        QVERIFY(!panel->reader()->busy());
        QCOMPARE(loaded.count(), 1);  // the cancel's message
        QTest::qWait(300);
        QCOMPARE(loaded.count(), 1);
    }

    // The action on a host whose sendmail is 8.15 turns TLS off; the preview closed applies
    // nothing and retries nothing (the exception stays staged, once however often asked), nor
    // does an apply that is refused. Applied, the retry runs, and on the Demo's copied tree it
    // says why it cannot run a queue.
    void fix_previewClosedRetriesNothing_appliedThenRetries()
    {
        if (const QString why = testing::whyTheDemoCannotApply(); !why.isEmpty())
            QSKIP(qPrintable(why));
        QVERIFY(demoQueue(0));
        const auto store = std::make_shared<const SnapshotStore>(
            QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/snapshots"));
        HostSession old(demoEntry(), std::make_shared<const VersionedDemoConnector>(QStringLiteral("8.15.2")), store);
        QueuePanel panel;
        panel.resize(1000, 600);
        panel.setSession(&old);
        old.reload();
        QSignalSpy loaded(&panel, &QueuePanel::loaded);
        panel.show();  // opening reads
        QVERIFY(loaded.wait(60000));
        QTRY_VERIFY_WITH_TIMEOUT(old.state() != nullptr && !old.busy(), 30000);
        QVERIFY(panel.selectServer(QStringLiteral("mta2.test")));
        QPushButton *fix = fixButton(&panel);
        QTRY_VERIFY(fix->isEnabled());
        QCOMPARE(fix->text().remove(QLatin1Char('&')), QStringLiteral("Turn TLS off for this server for 7 days and retry its 3 messages"));

        QSignalSpy finished(&panel, &QueuePanel::fixFinished);
        for (int attempt = 0; attempt < 2; ++attempt) {
            QTest::mouseClick(fix, Qt::LeftButton);
            StuckServerFix *flow = panel.currentFix();
            QVERIFY(flow && flow->preview());
            QCOMPARE(old.pendingCount(), 1);
            QTRY_VERIFY_WITH_TIMEOUT(flow->preview()->isReady(), 30000);
            QVERIFY2(flow->preview()->diffText().contains(QStringLiteral("+Try_TLS:mta2.test\tNO")), qPrintable(flow->preview()->diffText()));
            flow->preview()->reject();
            QTRY_COMPARE(finished.count(), attempt + 1);
            const auto outcome = finished.last().first().value<FixOutcome>();
            QVERIFY(!outcome.applied && !outcome.retried);
            QVERIFY2(outcome.summary.contains(QStringLiteral("preview was closed")) && outcome.summary.contains(QStringLiteral("no message was retried")),
                     qPrintable(outcome.summary));
            QVERIFY(panel.resultSummary().contains(outcome.summary));
        }
        QVERIFY(!readAll(HostConnector::demoRoot() + QStringLiteral("/etc/mail/access")).contains("mta2.test"));

        // Accepted while the host is being read again: the apply is refused, nothing is retried.
        QTest::mouseClick(fix, Qt::LeftButton);
        StuckServerFix *refused = panel.currentFix();
        QTRY_VERIFY_WITH_TIMEOUT(refused->preview()->isReady(), 30000);
        old.reload();
        QVERIFY(old.busy());
        QTest::mouseClick(refused->preview()->findChild<QPushButton *>(QStringLiteral("applyButton")), Qt::LeftButton);
        QTRY_COMPARE(finished.count(), 3);
        const auto notApplied = finished.last().first().value<FixOutcome>();
        QVERIFY(!notApplied.applied && !notApplied.retried);
        QVERIFY2(notApplied.summary.contains(QStringLiteral("did not go through")) && notApplied.summary.contains(QStringLiteral("busy"))
                     && notApplied.summary.contains(QStringLiteral("no message was retried")),
                 qPrintable(notApplied.summary));
        QVERIFY(refused->applyDialog() && refused->applyDialog()->finished());
        refused->applyDialog()->accept();
        QTRY_VERIFY_WITH_TIMEOUT(!old.busy(), 30000);
        QCOMPARE(old.pendingCount(), 1);  // a refusal keeps the edit staged

        // Now through: applied (TLS off, the note with the reason and the expiry), then the retry.
        QTest::mouseClick(fix, Qt::LeftButton);
        StuckServerFix *flow = panel.currentFix();
        QCOMPARE(old.pendingCount(), 1);
        QString diff;
        const std::optional<ApplyReport> report = previewAndApply(flow, old.entry().name, &diff);
        QVERIFY(report);
        QVERIFY2(report->outcome == ApplyOutcome::Applied, qPrintable(report->summary));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 4, 30000);
        const auto outcome = finished.last().first().value<FixOutcome>();
        QVERIFY(outcome.applied);
        QVERIFY(!outcome.retried);
        QVERIFY2(outcome.summary.contains(QStringLiteral("Applied, but the retry failed")) && outcome.summary.contains(QStringLiteral("copied tree")),
                 qPrintable(outcome.summary));
        const QByteArray access = readAll(HostConnector::demoRoot() + QStringLiteral("/etc/mail/access"));
        QVERIFY2(access.contains("\nTry_TLS:mta2.test\tNO\n") && access.contains("3 messages stuck: 454 4.7.0 TLS handshake failed (queue view)")
                     && access.contains("(expires "),
                 access.constData());
        // The queue is read again after an apply.
        QVERIFY(loaded.wait(60000));
    }
};

QTEST_MAIN(TestGuiQueue)

#else  // SMTLS_GUIQUEUE_ON_HOSTS

namespace {

// Set by main(): the private home directory, or why there is none (then the test skips).
QString g_home;
QString g_homeProblem;

// A private home (tests/support/PrivateHome.h), no keychain: the host is reached with a key
// file. Before any thread exists.
void privateHome()
{
    unsetenv("DBUS_SESSION_BUS_ADDRESS");
    const testing::PrivateHome home = testing::enterPrivateHome("guiqueue", QStringLiteral("needs root: the test starts real sshd + sendmail hosts (tests/hosts/testhosts)"));
    g_home = home.dir;
    g_homeProblem = home.problem;
}

void saveScreenshot(QWidget *window, const QString &name)
{
    const QByteArray dir = qgetenv("SMTLS_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(QString::fromLocal8Bit(dir));
    QTest::qWait(200);  // a signal spy's wait returns before the layout caught up with the new texts
    const QString path = QString::fromLocal8Bit(dir) + QLatin1Char('/') + name;
    QVERIFY2(window->grab().save(path), qPrintable(path));
    qInfo("screenshot %s", qPrintable(path));
}

} // namespace

class TestGuiQueueOnHosts : public QObject {
    Q_OBJECT

    testing::MailHosts m_hosts;

private Q_SLOTS:
    void initTestCase()
    {
        initGuiResources();
        if (!g_homeProblem.isEmpty())
            QSKIP(qPrintable(g_homeProblem));
        if (const QString skip = m_hosts.up(1); !skip.isEmpty())
            QSKIP(qPrintable(skip));
        if (const QString skip = m_hosts.startWorld(); !skip.isEmpty())
            QSKIP(qPrintable(skip));
        const QString dns = m_hosts.useWorldDns(1);
        QVERIFY2(dns.isEmpty(), qPrintable(dns));

        // The host's alias (mta1: root, the test key, DIR/known_hosts) in the private ~/.ssh/config.
        QVERIFY(QDir().mkpath(g_home + QStringLiteral("/.ssh")));
        QVERIFY(writeAll(g_home + QStringLiteral("/.ssh/config"), readAll(m_hosts.sshConfig())));
        HostEntry e;
        e.id = e.name = e.address = QStringLiteral("mta1");
        e.group = QStringLiteral("Test hosts");
        e.kind = HostKind::Ssh;
        e.user = QStringLiteral("root");
        e.auth = AuthMethod::KeyFile;
        e.identityFile = m_hosts.dir() + QStringLiteral("/keys/id_ed25519");
        HostStore::save({e});
    }

    void cleanupTestCase()
    {
        m_hosts.stopWorld();
        m_hosts.down();
    }

    // From the symptom to the proof: mail stuck at a server that breaks the handshake and at one
    // that refuses connections; the Queue view flags the first only; its action, through the
    // real preview and apply, ends in "2 of 2 delivered", at the receiver too.
    void queueView_fixTlsFailure_deliversStuckMail()
    {
        QString stuckId, hostedId, deadId;
        for (const auto &[recipient, id] : {std::pair{QStringLiteral("alice@stuck.test"), &stuckId},
                                            std::pair{QStringLiteral("bob@hosted.test"), &hostedId},
                                            std::pair{QStringLiteral("carol@dead.test"), &deadId}}) {
            const QString sent = m_hosts.sendMail(1, recipient, id);
            QVERIFY2(sent.isEmpty(), qPrintable(sent));
        }
        // sendmail tried each one once and deferred it.
        QVERIFY2(m_hosts.waitForDeliveryLine(1, stuckId).contains(QStringLiteral("TLS handshake failed")), qPrintable(m_hosts.mailLog(1)));
        QVERIFY2(m_hosts.waitForDeliveryLine(1, hostedId).contains(QStringLiteral("dsn=4.7.0")), qPrintable(m_hosts.mailLog(1)));
        QVERIFY2(m_hosts.waitForDeliveryLine(1, deadId).contains(QStringLiteral("Connection refused")), qPrintable(m_hosts.mailLog(1)));

        MainWindow w;
        w.resize(1366, 768);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.selectHost(QStringLiteral("mta1"));
        HostSession *session = w.sessionById(QStringLiteral("mta1"));
        QVERIFY(session);
        QTRY_VERIFY_WITH_TIMEOUT(session->state() != nullptr && !session->busy(), 120000);
        QCOMPARE(session->reach(), HostSession::Reach::Reachable);
        QueuePanel *panel = w.queuePanel();
        QSignalSpy loaded(panel, &QueuePanel::loaded);
        QSignalSpy fixed(panel, &QueuePanel::fixFinished);

        // "Open the Queue view" ... "delivered": the time the issue asks for.
        StallMeter stalls;
        QElapsedTimer clock;
        clock.start();
        w.tabs()->setCurrentWidget(panel);
        QVERIFY(loaded.wait(120000));
        const qint64 shownMs = clock.elapsed();
        StuckServersModel *model = panel->model();
        QVERIFY2(model->rowCount() >= 2, qPrintable(panel->title()));
        QCOMPARE(cell(*model, 0, StuckServersModel::ServerColumn), QStringLiteral("mx.broken.test"));
        QVERIFY(model->index(0, 0).data(StuckServersModel::TlsFailureRole).toBool());
        QCOMPARE(cell(*model, 0, StuckServersModel::MessagesColumn), QStringLiteral("2"));
        QCOMPARE(cell(*model, 0, StuckServersModel::DomainsColumn), QStringLiteral("hosted.test, stuck.test"));
        const int dead = model->rowOf(QStringLiteral("mx.dead.test"));
        QVERIFY2(dead > 0, qPrintable(panel->title()));
        QVERIFY(!model->index(dead, 0).data(StuckServersModel::TlsFailureRole).toBool());
        QCOMPARE(cell(*model, dead, StuckServersModel::TlsColumn), QString());

        QPushButton *fix = fixButton(panel);
        QTRY_VERIFY(fix->isEnabled());
        QCOMPARE(fix->text().remove(QLatin1Char('&')),
                 QStringLiteral("Fall back to clear text for this server for 7 days and retry its 2 messages"));
        saveScreenshot(&w, QStringLiteral("queue-view.png"));

        QTest::mouseClick(fix, Qt::LeftButton);
        StuckServerFix *flow = panel->currentFix();
        QVERIFY(flow);
        QString diff;
        const std::optional<ApplyReport> report = previewAndApply(flow, session->entry().name, &diff);
        QVERIFY2(diff.contains(QStringLiteral("TLS_Clt_Features:mx.broken.test")) && diff.contains(QStringLiteral("2 messages stuck")),
                 qPrintable(diff));
        QVERIFY(report);
        QVERIFY2(report->outcome == ApplyOutcome::Applied, qPrintable(report->summary));
        QVERIFY(fixed.count() == 1 || fixed.wait(300000));
        const qint64 deliveredMs = clock.elapsed();
        const auto outcome = fixed.first().first().value<FixOutcome>();
        qInfo("Queue view opened -> stuck mail shown %lld ms -> \"%s\" %lld ms; longest UI thread stall %lld ms", shownMs,
              qPrintable(outcome.summary), deliveredMs, stalls.worst());
        QCOMPARE(outcome.summary, QStringLiteral("2 of 2 delivered"));
        QVERIFY(panel->resultSummary().endsWith(QStringLiteral("2 of 2 delivered")));
        RetryResultsModel *results = panel->results();
        QCOMPARE(results->rowCount(), 2);
        QStringList retried;
        for (const RetryOutcome &m : results->messages()) {
            retried << m.id;
            QCOMPARE(m.result, QStringLiteral("delivered"));
            QCOMPARE(m.server, QStringLiteral("mx.broken.test"));
        }
        retried.sort();
        QStringList expected{stuckId, hostedId};
        expected.sort();
        QCOMPARE(retried, expected);

        // At the receiver, in clear text; the refused one still waits.
        const QString received = m_hosts.worldReceiverLog(QStringLiteral("broken"));
        QVERIFY2(received.contains(QStringLiteral("alice@stuck.test")) && received.contains(QStringLiteral("bob@hosted.test")), qPrintable(received));
        const QStringList queued = m_hosts.queueIds(1);
        QVERIFY2(queued.contains(deadId) && !queued.contains(stuckId) && !queued.contains(hostedId), qPrintable(queued.join(QLatin1Char(' '))));

        // The view reads the queue again: only the refused server is left, not flagged.
        QTRY_VERIFY_WITH_TIMEOUT(!panel->reader()->busy() && model->rowOf(QStringLiteral("mx.broken.test")) < 0, 120000);
        QVERIFY(model->rowOf(QStringLiteral("mx.dead.test")) >= 0);
        QVERIFY(!model->index(model->rowOf(QStringLiteral("mx.dead.test")), 0).data(StuckServersModel::TlsFailureRole).toBool());
        saveScreenshot(&w, QStringLiteral("queue-delivered.png"));
        QVERIFY2(stalls.worst() < StallBound, qPrintable(QStringLiteral("the UI thread stalled for %1 ms").arg(stalls.worst())));
        QVERIFY(QTest::qWaitFor([&] { return !session->busy(); }, 60000));

        // The log rotated away: the refused message is placed by where the host's sendmail
        // sends mail for dead.test (its MX lookup through the world's DNS), and says so.
        QString out;
        QVERIFY2(m_hosts.exec(1, QStringLiteral(": > /var/log/mail.log"), &out) == 0, qPrintable(out));
        loaded.clear();
        panel->refresh();
        QVERIFY(loaded.wait(120000));
        const int placed = model->rowOf(QStringLiteral("mx.dead.test"));
        QVERIFY2(placed >= 0, qPrintable(panel->title()));
        QCOMPARE(model->serverAt(placed)->serverFrom, QStringLiteral("mx"));
        QVERIFY(cell(*model, placed, StuckServersModel::ServerColumn, Qt::ToolTipRole).contains(QStringLiteral("Placed by the MX answer")));
        QVERIFY2(panel->findChild<QLabel *>(QStringLiteral("queueNotes"))->text().contains(QStringLiteral("placed by the MX answer")),
                 qPrintable(panel->findChild<QLabel *>(QStringLiteral("queueNotes"))->text()));

        // Probe on a server row: the probe dialog for that server, from the host and from here.
        QVERIFY(panel->selectServer(QStringLiteral("mx.dead.test")));
        QTest::mouseClick(panel->findChild<QPushButton *>(QStringLiteral("probeServer")), Qt::LeftButton);
        ProbeDialog *probe = w.findChild<ProbeDialog *>(QStringLiteral("probeDialog"));
        QVERIFY(probe && probe->isVisible());
        QCOMPARE(probe->findChild<QLineEdit *>(QStringLiteral("server"))->text(), QStringLiteral("mx.dead.test"));
        QSignalSpy probed(probe, &ProbeDialog::probesDone);
        QVERIFY(probed.count() > 0 || probed.wait(60000));
        QVERIFY2(probe->hostSide().is(handshake::NoConnection) && probe->hereSide().is(handshake::NoConnection),
                 qPrintable(probe->verdict()));
        probe->reject();
    }
};

int main(int argc, char **argv)
{
    smtls::testing::TestHosts::enterPrivateNetwork(argc, argv);
    privateHome();
    QApplication app(argc, argv);
    // The programs' own organisation (the home is private): snapshots land where the command line looks.
    QCoreApplication::setOrganizationName(QStringLiteral("sendmail-tls"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_guiqueue_hosts"));
    int rc = 0;
    {
        TestGuiQueueOnHosts test;
        rc = QTest::qExec(&test, argc, argv);
    }
    if (!g_home.isEmpty())
        QDir(g_home).removeRecursively();
    return rc;
}

#endif  // SMTLS_GUIQUEUE_ON_HOSTS

#include "tst_guiqueue.moc"
