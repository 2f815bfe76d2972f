// The desktop application driven through its real widgets, offscreen, on the Demo host: the
// global switch, an exception, the diff preview, a real apply (m4, makemap, sendmail -bt), the
// result, the history and a rollback; and the UI thread never stalls during an apply.
#include "ApplyDialog.h"
#include "ApplyProgressModel.h"
#include "DestinationDialog.h"
#include "DestinationRulesModel.h"
#include "DiffPreviewDialog.h"
#include "HistoryPanel.h"
#include "HostConnector.h"
#include "HostListModel.h"
#include "HostSession.h"
#include "HostStore.h"
#include "LogModel.h"
#include "MainWindow.h"
#include "PolicyPanel.h"
#include "Theme.h"
#include "SnapshotModel.h"

#include "GuiFlows.h"
#include "GuiTestSetup.h"
#include "StallMeter.h"

#include <QApplication>
#include <QComboBox>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QDateTime>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QRadioButton>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

#include <functional>

#include <unistd.h>

using namespace smtls;
using namespace smtls::gui;

namespace {
QByteArray demoFile(const char *name)
{
    QFile f(HostConnector::demoRoot() + QStringLiteral("/etc/mail/") + QLatin1String(name));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The Demo host as an inspected host would be: connecting also reports a sendmail version (the
// way an SSH host's inspection does), so that what the window offers can follow it.
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

HostEntry demoEntry()
{
    for (const HostEntry &e : HostStore::builtIns())
        if (e.kind == HostKind::Demo)
            return e;
    return {};
}

// Runs the preview of the selected hosts' staged edits, checks its diff, applies it and waits
// for the result and the re-read after it.
ApplyReport previewAndApply(MainWindow &w, HostSession *demo, const std::function<bool(const QString &)> &diffOk, QString *diff = nullptr)
{
    DiffPreviewDialog *preview = w.preview();
    if (!QTest::qWaitFor([preview] { return preview->isReady(); }, 30000))
        return {};
    if (diff)
        *diff = preview->diffText();
    if (!diffOk(preview->diffText())) {
        preview->reject();
        return {};
    }
    QTest::mouseClick(preview->findChild<QPushButton *>(QStringLiteral("applyButton")), Qt::LeftButton);
    ApplyDialog *apply = nullptr;
    if (!QTest::qWaitFor([&] { return (apply = w.findChild<ApplyDialog *>(QStringLiteral("applyDialog"))) != nullptr; }, 10000)
        || !QTest::qWaitFor([apply] { return apply->finished(); }, 120000))
        return {};
    ApplyReport report = apply->model()->reportFor(demo->entry().name).value_or(ApplyReport{});
    apply->accept();
    // And the re-read after it: what the panel shows next is the host's new state.
    if (!QTest::qWaitFor([demo] { return !demo->busy() && demo->state() && !demo->policyViewPending(); }, 30000))
        report.summary += QStringLiteral(" (the host was not read again after the apply)");
    return report;
}

// The row of the rules table that shows DESTINATION, or -1.
int rowOf(QTableView *rules, const QString &destination)
{
    for (int row = 0; row < rules->model()->rowCount(); ++row)
        if (rules->model()->index(row, DestinationRulesModel::DestinationColumn).data().toString() == destination)
            return row;
    return -1;
}
} // namespace

class TestGuiDemo : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        initGuiResources();
        useEmptyTestDataFolder(QStringLiteral("tst_guidemo"));
        if (const QString why = testing::whyTheDemoCannotApply(); !why.isEmpty())
            QSKIP(qPrintable(why));
    }

    void init()
    {
        // A fresh Demo copy and no snapshots for every test.
        useEmptyTestDataFolder(QStringLiteral("tst_guidemo"));
    }

    void demo_toggleAddPreviewApplyRollBack()
    {
        MainWindow w;
        w.show();
        w.selectHost(QStringLiteral("demo"));
        HostSession *demo = w.sessionById(QStringLiteral("demo"));
        QVERIFY(demo);
        QTRY_VERIFY_WITH_TIMEOUT(demo->state() != nullptr, 30000);
        const QByteArray accessBefore = demoFile("access");
        QVERIFY(!accessBefore.isEmpty());
        // The host list's line for it, as read (the bundled tree: 3 exceptions, 1 problem).
        QCOMPARE(HostListModel::stateSummary(*demo), QStringLiteral("reachable · TLS on · 3 exceptions · 1 problem"));

        // The global switch: staged, not sent.
        auto *globalOn = w.findChild<QRadioButton *>(QStringLiteral("globalOn"));
        auto *globalOff = w.findChild<QRadioButton *>(QStringLiteral("globalOff"));
        QVERIFY(globalOn && globalOff && globalOff->isEnabled() && globalOn->isChecked());
        QTest::mouseClick(globalOff, Qt::LeftButton, {}, QPoint(8, globalOff->height() / 2));
        QVERIFY(globalOff->isChecked());
        QCOMPARE(demo->pendingCount(), 1);
        QCOMPARE(demoFile("access"), accessBefore);

        // An exception, through the dialog.
        auto *add = w.findChild<QPushButton *>(QStringLiteral("addException"));
        QTest::mouseClick(add, Qt::LeftButton);
        auto *dialog = w.findChild<DestinationDialog *>(QStringLiteral("destinationDialog"));
        QVERIFY(dialog && dialog->isVisible());
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("destination")), QStringLiteral("secure.example.org"));
        dialog->setValues(QStringLiteral("secure.example.org"), TlsSetting::On, QStringLiteral("they fixed their certificate"));
        dialog->accept();
        QCOMPARE(demo->pendingCount(), 2);
        // The staged policy is worked out on a worker: the row comes when it is done.
        auto *rules = w.findChild<QTableView *>(QStringLiteral("rulesTable"));
        QTRY_VERIFY(!rules->model()->match(rules->model()->index(0, 0), Qt::DisplayRole, QStringLiteral("secure.example.org")).isEmpty());
        QVERIFY(!demo->policyViewPending());

        // The filter narrows the table (on a worker too).
        auto *filter = w.findChild<QLineEdit *>(QStringLiteral("ruleFilter"));
        const int all = rules->model()->rowCount();
        QTest::keyClicks(filter, QStringLiteral("secure"));
        QTRY_COMPARE(rules->model()->rowCount(), 1);
        QCOMPARE(rules->model()->index(0, 0).data().toString(), QStringLiteral("secure.example.org"));
        filter->clear();
        QCOMPARE(rules->model()->rowCount(), all);  // nothing to filter: at once

        // The header sorts (descending on a second click), and a third click goes back to the
        // file's order.
        QHeaderView *header = rules->horizontalHeader();
        const auto firstRow = [rules] { return rules->model()->index(0, 0).data().toString(); };
        const QString fileOrderFirst = firstRow();
        QStringList names;
        for (int row = 0; row < all; ++row)
            names << rules->model()->index(row, 0).data().toString();
        std::sort(names.begin(), names.end(), [](const QString &a, const QString &b) { return a.toCaseFolded() < b.toCaseFolded(); });
        const auto clickHeader = [header] {
            QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(header->sectionViewportPosition(0) + 10, header->height() / 2));
        };
        clickHeader();
        QTRY_COMPARE(firstRow(), names.first());
        clickHeader();
        QTRY_COMPARE(firstRow(), names.last());
        clickHeader();
        QTRY_COMPARE(firstRow(), fileOrderFirst);

        // The explain box answers from the staged state.
        auto *explain = w.findChild<QLineEdit *>(QStringLiteral("explainInput"));
        QTest::keyClicks(explain, QStringLiteral("mx.other.example"));
        QTRY_VERIFY2(w.findChild<QLabel *>(QStringLiteral("explainResult"))->text().contains(QStringLiteral("NOT be tried")),
                 qPrintable(w.findChild<QLabel *>(QStringLiteral("explainResult"))->text()));

        // Undo and redo the exception.
        demo->undoStack()->undo();
        QCOMPARE(demo->pendingCount(), 1);
        demo->undoStack()->redo();
        QCOMPARE(demo->pendingCount(), 2);

        // The preview shows the diff of the access file.
        DiffPreviewDialog *preview = w.preview();
        QVERIFY(!preview->findChild<QPushButton *>(QStringLiteral("applyButton"))->isEnabled());  // until the diff is there
        QTRY_VERIFY(preview->isReady());
        const QString diff = preview->diffText();
        QVERIFY2(diff.contains(QStringLiteral("+Try_TLS:\tNO")) || diff.contains(QStringLiteral("+Try_TLS:")), qPrintable(diff));
        QVERIFY2(diff.contains(QStringLiteral("+Try_TLS:secure.example.org")), qPrintable(diff));
        preview->findChild<QLineEdit *>(QStringLiteral("applyReason"))->setText(QStringLiteral("gui test"));
        auto *applyButton = preview->findChild<QPushButton *>(QStringLiteral("applyButton"));
        QVERIFY(applyButton->isEnabled());
        QTest::mouseClick(applyButton, Qt::LeftButton);

        // The apply runs the real pipeline and reports per host.
        auto *applyDialog = w.findChild<ApplyDialog *>(QStringLiteral("applyDialog"));
        QVERIFY(applyDialog);
        QTRY_VERIFY_WITH_TIMEOUT(applyDialog->finished(), 120000);
        const std::optional<ApplyReport> report = applyDialog->model()->reportFor(QStringLiteral("Demo"));
        QVERIFY(report);
        QVERIFY2(report->outcome == ApplyOutcome::Applied, qPrintable(report->summary));
        const QByteArray accessAfter = demoFile("access");
        QVERIFY(accessAfter.contains("Try_TLS:secure.example.org"));
        QVERIFY(accessAfter != accessBefore);
        QVERIFY(w.logModel()->rowCount() > 3);
        applyDialog->accept();
        QTRY_VERIFY_WITH_TIMEOUT(!demo->busy() && demo->state(), 30000);
        QCOMPARE(demo->pendingCount(), 0);
        QVERIFY(globalOff->isChecked());
        QVERIFY2(HostListModel::stateSummary(*demo).contains(QStringLiteral("TLS off")), qPrintable(HostListModel::stateSummary(*demo)));

        // History lists the snapshot; rolling back restores the bytes.
        HistoryPanel *history = w.historyPanel();
        history->reload();
        QTRY_COMPARE_WITH_TIMEOUT(history->model()->rowCount(), 1, 10000);
        // One apply, one row: the snapshot kept here and the one the apply left on the host.
        QCOMPARE(history->model()->index(0, SnapshotModel::KeptColumn).data().toString(), QStringLiteral("here and on the host"));
        auto *table = history->findChild<QTableView *>(QStringLiteral("snapshotTable"));
        table->setCurrentIndex(table->model()->index(0, 0));
        auto *snapshotDiff = history->findChild<QPlainTextEdit *>(QStringLiteral("snapshotDiff"));
        QTRY_VERIFY_WITH_TIMEOUT(snapshotDiff->toPlainText().contains(QStringLiteral("secure.example.org")), 10000);
        auto *rollback = history->findChild<QPushButton *>(QStringLiteral("rollbackButton"));
        QTRY_VERIFY(rollback->isEnabled());
        QTest::mouseClick(rollback, Qt::LeftButton);
        QMessageBox *confirm = nullptr;  // after the undo was planned on a worker
        QTRY_VERIFY((confirm = history->findChild<QMessageBox *>(QStringLiteral("rollbackConfirm"))) != nullptr);
        QVERIFY(confirm->text().contains(QStringLiteral("Demo")));
        QTest::mouseClick(confirm->button(QMessageBox::Yes), Qt::LeftButton);
        ApplyDialog *rollbackDialog = nullptr;
        QTRY_VERIFY((rollbackDialog = w.findChild<ApplyDialog *>(QStringLiteral("applyDialog"))) != nullptr);
        QTRY_VERIFY_WITH_TIMEOUT(rollbackDialog->finished(), 120000);
        const std::optional<ApplyReport> rolled = rollbackDialog->model()->reportFor(QStringLiteral("Demo"));
        QVERIFY(rolled);
        QVERIFY2(rolled->outcome == ApplyOutcome::Applied, qPrintable(rolled->summary));
        QCOMPARE(demoFile("access"), accessBefore);
        rollbackDialog->accept();
        QTRY_VERIFY_WITH_TIMEOUT(!demo->busy() && globalOn->isChecked(), 30000);
    }

    // The global switch's middle choice on the Demo host: the preview shows the define, the apply
    // writes it (and the compiled sendmail.cf has the option), the panel and the host list read
    // "fallback"; "try STARTTLS" again gives sendmail.mc its bytes back.
    void globalFallback_appliedAndUndone()
    {
        MainWindow w;
        w.show();
        w.selectHost(QStringLiteral("demo"));
        HostSession *demo = w.sessionById(QStringLiteral("demo"));
        QTRY_VERIFY_WITH_TIMEOUT(demo->state() != nullptr && !demo->busy(), 30000);
        const QByteArray mcBefore = demoFile("sendmail.mc");
        const QByteArray accessBefore = demoFile("access");
        QVERIFY(!mcBefore.contains("confTLS_FALLBACK_TO_CLEAR"));
        auto *on = w.findChild<QRadioButton *>(QStringLiteral("globalOn"));
        auto *fallback = w.findChild<QRadioButton *>(QStringLiteral("globalFallback"));
        auto *off = w.findChild<QRadioButton *>(QStringLiteral("globalOff"));
        auto *state = w.findChild<QLabel *>(QStringLiteral("globalState"));
        QVERIFY(on && fallback && off && state);
        QVERIFY(on->isChecked());
        // The Demo is a local tree: its sendmail's version is not known, so the fallback is
        // offered (validation asks the binary) but not called recommended.
        QVERIFY(fallback->isEnabled());
        QVERIFY2(!fallback->text().contains(QStringLiteral("recommended")), qPrintable(fallback->text()));
        QVERIFY(w.findChild<QLabel *>(QStringLiteral("fallbackHelp"))->text().contains(QStringLiteral("unencrypted")));

        QTest::mouseClick(fallback, Qt::LeftButton, {}, QPoint(8, fallback->height() / 2));
        QVERIFY(fallback->isChecked());
        QCOMPARE(demo->pendingCount(), 1);
        QCOMPARE(demo->stagedDescription(), QStringLiteral("set global fallback"));  // as the command line says it
        QCOMPARE(demoFile("sendmail.mc"), mcBefore);  // staged, not written
        // A second click on the checked choice stages nothing more.
        QTRY_VERIFY(!demo->policyViewPending());
        QTest::mouseClick(fallback, Qt::LeftButton, {}, QPoint(8, fallback->height() / 2));
        QCOMPARE(demo->pendingCount(), 1);
        QVERIFY2(state->text().contains(QStringLiteral("falls back to clear text")), qPrintable(state->text()));

        QString diff;
        ApplyReport report = previewAndApply(w, demo, [](const QString &d) {
            return d.contains(QStringLiteral("+define(`confTLS_FALLBACK_TO_CLEAR', `true')dnl"));
        }, &diff);
        QVERIFY2(report.outcome == ApplyOutcome::Applied, qPrintable(diff + QLatin1Char('\n') + report.summary));
        QVERIFY(report.restarted);
        QVERIFY(demoFile("sendmail.mc").contains("define(`confTLS_FALLBACK_TO_CLEAR', `true')dnl"));
        QVERIFY2(demoFile("sendmail.cf").contains("O TLSFallbacktoClear=true"), "the compiled sendmail.cf lacks the option");
        QCOMPARE(demoFile("access"), accessBefore);
        QCOMPARE(demo->pendingCount(), 0);
        QTRY_VERIFY(fallback->isChecked());
        QVERIFY2(state->text().contains(QStringLiteral("falls back to clear text")), qPrintable(state->text()));
        QVERIFY2(HostListModel::stateSummary(*demo).contains(QStringLiteral("TLS fallback")), qPrintable(HostListModel::stateSummary(*demo)));
        // Every exception that tries TLS now falls back too; an "off" one does not.
        auto *rules = w.findChild<QTableView *>(QStringLiteral("rulesTable"));
        QCOMPARE(rules->model()->index(rowOf(rules, QStringLiteral("legacy.example.net")), DestinationRulesModel::TlsColumn).data().toString(),
                 QStringLiteral("fallback"));
        QCOMPARE(rules->model()->index(rowOf(rules, QStringLiteral("mx1.broken-tls.example")), DestinationRulesModel::TlsColumn).data().toString(),
                 QStringLiteral("off"));
        // The explain box says so, and which line decides.
        QTest::keyClicks(w.findChild<QLineEdit *>(QStringLiteral("explainInput")), QStringLiteral("mx.elsewhere.example"));
        auto *explained = w.findChild<QLabel *>(QStringLiteral("explainResult"));
        QTRY_VERIFY2(explained->text().contains(QStringLiteral("falls back to clear text")), qPrintable(explained->text()));
        QVERIFY(explained->text().contains(QStringLiteral("TLSFallbacktoClear")));

        // Back to "try STARTTLS": sendmail.mc as it was, byte for byte.
        QTest::mouseClick(on, Qt::LeftButton, {}, QPoint(8, on->height() / 2));
        QCOMPARE(demo->pendingCount(), 1);
        QCOMPARE(demo->stagedDescription(), QStringLiteral("set global on"));
        report = previewAndApply(w, demo, [](const QString &d) { return d.contains(QStringLiteral("-define(`confTLS_FALLBACK_TO_CLEAR'")); }, &diff);
        QVERIFY2(report.outcome == ApplyOutcome::Applied, qPrintable(diff + QLatin1Char('\n') + report.summary));
        QCOMPARE(demoFile("sendmail.mc"), mcBefore);
        QCOMPARE(demoFile("access"), accessBefore);
        QVERIFY(!demoFile("sendmail.cf").contains("O TLSFallbacktoClear=true"));
        QTRY_VERIFY(on->isChecked());
        QVERIFY2(HostListModel::stateSummary(*demo).contains(QStringLiteral("TLS on")), qPrintable(HostListModel::stateSummary(*demo)));
    }

    // An exception that falls back and ends in a week, through the dialog: the dialog suggests
    // the week, the table shows "fallback" and "in 7 days", the access file gets the entry and
    // our note with the expiry, and the reason reaches the snapshot.
    void exception_fallbackExpiringInAWeek()
    {
        MainWindow w;
        w.show();
        w.selectHost(QStringLiteral("demo"));
        HostSession *demo = w.sessionById(QStringLiteral("demo"));
        QTRY_VERIFY_WITH_TIMEOUT(demo->state() != nullptr && !demo->busy(), 30000);
        const QByteArray mcBefore = demoFile("sendmail.mc");
        QVERIFY(!mcBefore.contains("tls_session_features"));

        QTest::mouseClick(w.findChild<QPushButton *>(QStringLiteral("addException")), Qt::LeftButton);
        auto *dialog = w.findChild<DestinationDialog *>(QStringLiteral("destinationDialog"));
        QVERIFY(dialog && dialog->isVisible());
        auto *setting = dialog->findChild<QComboBox *>(QStringLiteral("setting"));
        auto *in = dialog->findChild<QRadioButton *>(QStringLiteral("expiresIn"));
        auto *never = dialog->findChild<QRadioButton *>(QStringLiteral("expiresNever"));
        auto *amount = dialog->findChild<QSpinBox *>(QStringLiteral("expiresAmount"));
        auto *unit = dialog->findChild<QComboBox *>(QStringLiteral("expiresUnit"));
        auto *error = dialog->findChild<QLabel *>(QStringLiteral("error"));
        auto *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        QVERIFY(setting && in && never && amount && unit && error && ok);
        // Three states and inherit; "off" first, and a new exception ends in a week.
        QCOMPARE(setting->count(), 4);
        QCOMPARE(TlsSetting(setting->currentData().toInt()), TlsSetting::Off);
        QVERIFY(in->isChecked());
        QCOMPARE(amount->value(), 7);
        QCOMPARE(unit->currentText(), QStringLiteral("days"));
        // "on" is no temporary exception: never, unless chosen; "fallback" a week again.
        setting->setCurrentIndex(setting->findData(int(TlsSetting::On)));
        QVERIFY(never->isChecked());
        setting->setCurrentIndex(setting->findData(int(TlsSetting::Inherit)));
        QVERIFY(!in->isEnabled() && !never->isEnabled());
        setting->setCurrentIndex(setting->findData(int(TlsSetting::Fallback)));
        QVERIFY(in->isChecked() && in->isEnabled());
        QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("settingHelp"))->text().contains(QStringLiteral("clear text")));

        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("destination")), QStringLiteral("flaky.example.net"));
        QVERIFY(ok->isEnabled());
        // Checked as the command line checks --expires: more than 365 days is refused.
        amount->setValue(400);
        QVERIFY(!ok->isEnabled());
        QVERIFY2(error->text().contains(QStringLiteral("365 days")), qPrintable(error->text()));
        amount->setValue(7);
        QVERIFY(ok->isEnabled());
        QVERIFY(error->text().isEmpty());
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("reason")), QStringLiteral("handshake fails since their upgrade"));
        QTest::mouseClick(ok, Qt::LeftButton);
        QCOMPARE(demo->pendingCount(), 1);
        QVERIFY2(demo->stagedDescription().startsWith(QStringLiteral("set destination flaky.example.net fallback (expires ")),
                 qPrintable(demo->stagedDescription()));

        auto *rules = w.findChild<QTableView *>(QStringLiteral("rulesTable"));
        QTRY_VERIFY(rowOf(rules, QStringLiteral("flaky.example.net")) >= 0);
        int row = rowOf(rules, QStringLiteral("flaky.example.net"));
        QCOMPARE(rules->model()->index(row, DestinationRulesModel::TlsColumn).data().toString(), QStringLiteral("fallback"));
        QCOMPARE(rules->model()->index(row, DestinationRulesModel::ExpiresColumn).data().toString(), QStringLiteral("in 7 days"));
        QCOMPARE(rules->model()->index(row, DestinationRulesModel::WhyColumn).data().toString(), QStringLiteral("handshake fails since their upgrade"));
        // Sorting by expiry puts it after nothing that ends sooner: it is the only one that ends.
        QHeaderView *header = rules->horizontalHeader();
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
                          QPoint(header->sectionViewportPosition(DestinationRulesModel::ExpiresColumn) + 10, header->height() / 2));
        QTRY_COMPARE(rules->model()->index(0, 0).data().toString(), QStringLiteral("flaky.example.net"));
        // The filter finds it by its expiry's words too.
        auto *filter = w.findChild<QLineEdit *>(QStringLiteral("ruleFilter"));
        QTest::keyClicks(filter, QStringLiteral("in 7 days"));
        QTRY_COMPARE(rules->model()->rowCount(), 1);
        filter->clear();

        QString diff;
        const ApplyReport report = previewAndApply(w, demo, [](const QString &d) {
            return d.contains(QStringLiteral("+TLS_Clt_Features:flaky.example.net")) && d.contains(QStringLiteral("+FEATURE(`tls_session_features')dnl"));
        }, &diff);
        QVERIFY2(report.outcome == ApplyOutcome::Applied, qPrintable(diff + QLatin1Char('\n') + report.summary));
        const QString access = QString::fromUtf8(demoFile("access"));
        // Our note line with today's date, the expiry (a week from now, UTC) and the reason, then the entry.
        const QRegularExpression written(QStringLiteral("# sendmail-tls: %1 TLS fallback \\(expires (\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ)\\): "
                                                        "handshake fails since their upgrade\n"
                                                        "TLS_Clt_Features:flaky.example.net\\s+Flags=C\n")
                                             .arg(QDate::currentDate().toString(Qt::ISODate)));
        const QRegularExpressionMatch m = written.match(access);
        QVERIFY2(m.hasMatch(), qPrintable(access));
        const QDateTime ends = QDateTime::fromString(m.captured(1), Qt::ISODate);
        QVERIFY(qAbs(ends.secsTo(QDateTime::currentDateTimeUtc().addDays(7))) < 600);
        QVERIFY(!access.contains(QStringLiteral("Try_TLS:flaky.example.net")));  // TLS is tried anyway
        QVERIFY(demoFile("sendmail.mc").contains("FEATURE(`tls_session_features')dnl"));
        // Read back from the files: the same row.
        QTRY_VERIFY((row = rowOf(rules, QStringLiteral("flaky.example.net"))) >= 0);
        QCOMPARE(rules->model()->index(row, DestinationRulesModel::TlsColumn).data().toString(), QStringLiteral("fallback"));
        QCOMPARE(rules->model()->index(row, DestinationRulesModel::ExpiresColumn).data().toString(), QStringLiteral("in 7 days"));

        // The reason went with the change into the snapshot.
        HistoryPanel *history = w.historyPanel();
        history->reload();
        QTRY_COMPARE_WITH_TIMEOUT(history->model()->rowCount(), 1, 10000);
        QCOMPARE(history->model()->index(0, SnapshotModel::ReasonColumn).data().toString(), QStringLiteral("handshake fails since their upgrade"));

        // Editing it offers to keep that expiry, and says it is a fallback now.
        rules->setCurrentIndex(rules->model()->index(row, 0));
        QTest::mouseClick(w.findChild<QPushButton *>(QStringLiteral("editException")), Qt::LeftButton);
        auto *edit = w.findChild<DestinationDialog *>(QStringLiteral("destinationDialog"));
        QVERIFY(edit && edit->isVisible());
        QCOMPARE(edit->setting(), TlsSetting::Fallback);
        auto *keep = edit->findChild<QRadioButton *>(QStringLiteral("expiresKeep"));
        QVERIFY(keep && keep->isChecked());
        QVERIFY2(keep->text().contains(m.captured(1)), qPrintable(keep->text()));
        QCOMPARE(edit->expires()->value_or(Expiry::onDate({})).iso(), m.captured(1));
        edit->reject();
    }

    // An exception whose expiry has passed (written by hand here, as time would leave it): the
    // table says so in the warning colour, Problems lists it with its fix, and the fix removes it.
    void exception_expiredShownWithItsFix()
    {
        {
            MainWindow warmUp;  // the first connect makes the Demo tree
            warmUp.selectHost(QStringLiteral("demo"));
            HostSession *demo = warmUp.sessionById(QStringLiteral("demo"));
            QTRY_VERIFY_WITH_TIMEOUT(demo->state() != nullptr && !demo->busy(), 30000);
        }
        const QByteArray before = demoFile("access");
        const QString added = QDate::currentDate().addDays(-9).toString(Qt::ISODate);
        const QString ended = QDateTime::currentDateTimeUtc().addDays(-2).addSecs(-3600).toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss'Z'"));
        const QByteArray stale = QStringLiteral("# sendmail-tls: %1 TLS off (expires %2): ticket 4711\nTry_TLS:stale.example\tNO\n")
                                     .arg(added, ended).toUtf8();
        {
            QFile f(HostConnector::demoRoot() + QStringLiteral("/etc/mail/access"));
            QVERIFY(f.open(QIODevice::Append));
            f.write(stale);
        }

        MainWindow w;
        w.show();
        w.selectHost(QStringLiteral("demo"));
        HostSession *demo = w.sessionById(QStringLiteral("demo"));
        QTRY_VERIFY_WITH_TIMEOUT(demo->state() != nullptr && !demo->busy(), 30000);
        auto *rules = w.findChild<QTableView *>(QStringLiteral("rulesTable"));
        QTRY_VERIFY(rowOf(rules, QStringLiteral("stale.example")) >= 0);
        const QModelIndex expires = rules->model()->index(rowOf(rules, QStringLiteral("stale.example")), DestinationRulesModel::ExpiresColumn);
        QCOMPARE(expires.data().toString(), QStringLiteral("expired 2 days ago"));
        QCOMPARE(expires.data(Qt::ForegroundRole).value<QBrush>().color(), warningColor(rules->palette()));
        QVERIFY(!expires.data(Qt::DecorationRole).value<QIcon>().isNull());
        QVERIFY2(expires.data(Qt::ToolTipRole).toString().contains(QStringLiteral("Remove the expired exception")),
                 qPrintable(expires.data(Qt::ToolTipRole).toString()));
        // One that does not end is shown as such, not as a warning.
        const QModelIndex never = rules->model()->index(rowOf(rules, QStringLiteral("mx1.broken-tls.example")), DestinationRulesModel::ExpiresColumn);
        QCOMPARE(never.data().toString(), QStringLiteral("never"));
        QVERIFY(never.data(Qt::ForegroundRole).value<QBrush>().color() != warningColor(rules->palette()));
        // The filter finds what has expired.
        QTest::keyClicks(w.findChild<QLineEdit *>(QStringLiteral("ruleFilter")), QStringLiteral("expired"));
        QTRY_COMPARE(rules->model()->rowCount(), 1);
        QCOMPARE(rules->model()->index(0, 0).data().toString(), QStringLiteral("stale.example"));

        auto *problems = w.policyPanel()->findChild<QListView *>(QStringLiteral("problems"));
        auto *fix = w.policyPanel()->findChild<QPushButton *>(QStringLiteral("fixProblem"));
        int row = -1;
        for (int i = 0; i < problems->model()->rowCount(); ++i)
            if (problems->model()->index(i, 0).data().toString().contains(QStringLiteral("Try_TLS:stale.example")))
                row = i;
        QVERIFY2(row >= 0, "the expired exception is not among the problems");
        const QString problem = problems->model()->index(row, 0).data().toString();
        QVERIFY2(problem.contains(QStringLiteral("expired on %1").arg(ended)), qPrintable(problem));
        QVERIFY2(problem.contains(QStringLiteral("fix: Remove the expired exception")), qPrintable(problem));
        problems->setCurrentIndex(problems->model()->index(row, 0));
        QVERIFY(fix->isEnabled());
        QTest::mouseClick(fix, Qt::LeftButton);
        QCOMPARE(demo->pendingCount(), 1);
        QString diff;
        const ApplyReport report = previewAndApply(w, demo, [](const QString &d) { return d.contains(QStringLiteral("-Try_TLS:stale.example")); }, &diff);
        QVERIFY2(report.outcome == ApplyOutcome::Applied, qPrintable(diff + QLatin1Char('\n') + report.summary));
        // Both lines go, the note and the rule; the rest stays as it was.
        QCOMPARE(demoFile("access"), before);
        QTRY_COMPARE(rules->model()->rowCount(), 0);  // still filtered on "expired": none left
    }

    // "Never" and how it is written: the mechanism beside it, chosen while "never" is the
    // choice, stages that mechanism at once; the combo then shows how it is written.
    void globalOff_mechanismFollowsTheChoice()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.selectHost(QStringLiteral("demo"));
        HostSession *demo = w.sessionById(QStringLiteral("demo"));
        QTRY_VERIFY_WITH_TIMEOUT(demo->state() != nullptr && !demo->busy(), 30000);
        auto *off = w.findChild<QRadioButton *>(QStringLiteral("globalOff"));
        auto *mechanism = w.findChild<QComboBox *>(QStringLiteral("mechanism"));
        auto *help = w.findChild<QLabel *>(QStringLiteral("offHelp"));
        QCOMPARE(mechanism->currentIndex(), 0);  // automatic
        // Another mechanism while TLS is on stages nothing: it is for when "never" is chosen.
        mechanism->setFocus();
        QTest::keyClick(mechanism, Qt::Key_Down);
        QCOMPARE(mechanism->currentIndex(), 1);
        QCOMPARE(demo->pendingCount(), 0);
        QVERIFY2(help->text().contains(QStringLiteral("Try_TLS: NO")), qPrintable(help->text()));
        QTest::keyClick(mechanism, Qt::Key_Up);

        QTest::mouseClick(off, Qt::LeftButton, {}, QPoint(8, off->height() / 2));
        QCOMPARE(demo->pendingCount(), 1);
        QCOMPARE(demo->stagedDescription(), QStringLiteral("set global off"));
        QTRY_VERIFY(!demo->policyViewPending());
        // Automatic chose the access default here (the Demo uses the access map): shown as such.
        QCOMPARE(mechanism->currentIndex(), 1);
        QVERIFY2(w.findChild<QLabel *>(QStringLiteral("globalState"))->text().contains(QStringLiteral("access default")),
                 qPrintable(w.findChild<QLabel *>(QStringLiteral("globalState"))->text()));
        // M=S instead, with "never" chosen: staged at once, as `set global off --via client-options`.
        mechanism->setFocus();
        QTest::keyClick(mechanism, Qt::Key_Down);
        QCOMPARE(mechanism->currentIndex(), 2);
        QCOMPARE(demo->pendingCount(), 2);
        QVERIFY2(demo->stagedDescription().endsWith(QStringLiteral("set global off via client-options")), qPrintable(demo->stagedDescription()));
        QTRY_VERIFY(!demo->policyViewPending());
        QCOMPARE(mechanism->currentIndex(), 2);
        QVERIFY2(w.findChild<QLabel *>(QStringLiteral("globalState"))->text().contains(QStringLiteral("M=S")),
                 qPrintable(w.findChild<QLabel *>(QStringLiteral("globalState"))->text()));
        DiffPreviewDialog *preview = w.preview();
        QTRY_VERIFY(preview->isReady());
        QVERIFY2(preview->diffText().contains(QStringLiteral("M=S")), qPrintable(preview->diffText()));
        preview->reject();
    }

    // A global "never" that was meant to end and has: the state line says so in the warning
    // colour, and Problems has its fix.
    void globalExpired_saidInTheState()
    {
        {
            MainWindow warmUp;
            warmUp.selectHost(QStringLiteral("demo"));
            HostSession *demo = warmUp.sessionById(QStringLiteral("demo"));
            QTRY_VERIFY_WITH_TIMEOUT(demo->state() != nullptr && !demo->busy(), 30000);
        }
        const QString ended = QDate::currentDate().addDays(-3).toString(Qt::ISODate);
        {
            QFile f(HostConnector::demoRoot() + QStringLiteral("/etc/mail/access"));
            QVERIFY(f.open(QIODevice::Append));
            f.write(QStringLiteral("# sendmail-tls: %1 TLS off for every server (expires %2)\nTry_TLS:\tNO\n")
                        .arg(QDate::currentDate().addDays(-10).toString(Qt::ISODate), ended).toUtf8());
        }
        MainWindow w;
        w.show();
        w.selectHost(QStringLiteral("demo"));
        HostSession *demo = w.sessionById(QStringLiteral("demo"));
        QTRY_VERIFY_WITH_TIMEOUT(demo->state() != nullptr && !demo->busy(), 30000);
        QTRY_VERIFY(w.findChild<QRadioButton *>(QStringLiteral("globalOff"))->isChecked());
        const QString state = w.findChild<QLabel *>(QStringLiteral("globalState"))->text();
        QVERIFY2(state.contains(QStringLiteral("expired 3 days ago (%1)").arg(ended)), qPrintable(state));
        QVERIFY2(state.contains(warningColor(w.palette()).name()), qPrintable(state));
        auto *problems = w.policyPanel()->findChild<QListView *>(QStringLiteral("problems"));
        bool listed = false;
        for (int i = 0; i < problems->model()->rowCount(); ++i)
            listed = listed || problems->model()->index(i, 0).data().toString().contains(QStringLiteral("fix: Remove the expired exception"));
        QVERIFY(listed);
    }

    // The dialog's expiry, checked by the command line's own rules (core/Expiry): a day after
    // today and at most 365 days ahead, or a number of days or hours; never; none for inherit.
    void exceptionDialog_expiryCheckedAsTheCommandLineChecksIt()
    {
        DestinationDialog dialog;
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.setValues(QStringLiteral("mx.example.com"), TlsSetting::Off, {});
        auto *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        auto *error = dialog.findChild<QLabel *>(QStringLiteral("error"));
        auto *until = dialog.findChild<QRadioButton *>(QStringLiteral("expiresOn"));
        auto *date = dialog.findChild<QDateEdit *>(QStringLiteral("expiresDate"));
        QVERIFY(ok->isEnabled());
        QVERIFY(!date->isEnabled());
        QTest::mouseClick(until, Qt::LeftButton, {}, QPoint(8, until->height() / 2));
        QVERIFY(until->isChecked() && date->isEnabled());
        QCOMPARE(dialog.expires()->value().iso(), QDate::currentDate().addDays(7).toString(Qt::ISODate));
        date->setDate(QDate::currentDate());
        QVERIFY(!ok->isEnabled());
        QVERIFY2(error->text().contains(QStringLiteral("not after today")), qPrintable(error->text()));
        date->setDate(QDate::currentDate().addDays(400));
        QVERIFY(!ok->isEnabled());
        QVERIFY2(error->text().contains(QStringLiteral("365 days")), qPrintable(error->text()));
        date->setDate(QDate::currentDate().addDays(10));
        QVERIFY(ok->isEnabled());
        QCOMPARE(dialog.expires()->value().iso(), QDate::currentDate().addDays(10).toString(Qt::ISODate));
        // Chosen by the user: a new setting keeps it.
        dialog.setValues(QStringLiteral("mx.example.com"), TlsSetting::On, {});
        QVERIFY(until->isChecked());
        // Hours, counted from now.
        auto *in = dialog.findChild<QRadioButton *>(QStringLiteral("expiresIn"));
        QTest::mouseClick(in, Qt::LeftButton, {}, QPoint(8, in->height() / 2));
        auto *unit = dialog.findChild<QComboBox *>(QStringLiteral("expiresUnit"));
        dialog.findChild<QSpinBox *>(QStringLiteral("expiresAmount"))->setValue(12);
        unit->setCurrentIndex(unit->findData(QStringLiteral("h")));
        QVERIFY(qAbs(dialog.expires()->value().endsAt().secsTo(QDateTime::currentDateTimeUtc().addSecs(12 * 3600))) < 60);
        auto *never = dialog.findChild<QRadioButton *>(QStringLiteral("expiresNever"));
        QTest::mouseClick(never, Qt::LeftButton, {}, QPoint(8, never->height() / 2));
        QVERIFY(!dialog.expires()->has_value());
        // Inherit removes the exception: nothing to end, nothing to choose.
        dialog.setValues(QStringLiteral("mx.example.com"), TlsSetting::Inherit, {});
        QVERIFY(!in->isEnabled() && !until->isEnabled() && !never->isEnabled());
        QVERIFY(!dialog.expires()->has_value());
        QVERIFY(ok->isEnabled());
    }

    // A host whose sendmail is 8.15 (as an SSH host's inspection reports it) is not offered the
    // fallback: not globally, not in the exception dialog, and an apply that asks for it anyway
    // is refused before anything is tried. One on 8.17 gets it, marked recommended.
    void fallback_notOfferedBefore816()
    {
        const auto store = std::make_shared<const SnapshotStore>(
            QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/snapshots"));
        HostSession old(demoEntry(), std::make_shared<const VersionedDemoConnector>(QStringLiteral("8.15.2")), store);
        PolicyPanel panel;
        QObject::connect(&old, &HostSession::changed, &panel, &PolicyPanel::refresh);
        panel.setSessions({&old});
        panel.show();
        old.reload();
        QTRY_VERIFY_WITH_TIMEOUT(old.state() != nullptr && !old.busy(), 30000);
        QCOMPARE(old.sendmailVersion(), QStringLiteral("8.15.2"));
        const QByteArray mcBefore = demoFile("sendmail.mc");

        auto *fallback = panel.findChild<QRadioButton *>(QStringLiteral("globalFallback"));
        auto *on = panel.findChild<QRadioButton *>(QStringLiteral("globalOn"));
        QTRY_VERIFY(on->isEnabled());
        QVERIFY(!fallback->isEnabled());
        QVERIFY2(fallback->toolTip().contains(QStringLiteral("8.15.2")) && fallback->toolTip().contains(QStringLiteral("8.16")),
                 qPrintable(fallback->toolTip()));
        QVERIFY(!fallback->text().contains(QStringLiteral("recommended")));
        QVERIFY(panel.findChild<QLabel *>(QStringLiteral("fallbackHelp"))->text().contains(QStringLiteral("since sendmail 8.16")));
        QTest::mouseClick(fallback, Qt::LeftButton, {}, QPoint(8, fallback->height() / 2));
        QCOMPARE(old.pendingCount(), 0);

        // The dialog shows the state but does not let it be chosen.
        QTest::mouseClick(panel.findChild<QPushButton *>(QStringLiteral("addException")), Qt::LeftButton);
        auto *dialog = panel.findChild<DestinationDialog *>(QStringLiteral("destinationDialog"));
        QVERIFY(dialog && dialog->isVisible());
        auto *setting = dialog->findChild<QComboBox *>(QStringLiteral("setting"));
        const auto *items = qobject_cast<QStandardItemModel *>(setting->model());
        const QStandardItem *item = items->item(setting->findData(int(TlsSetting::Fallback)));
        QVERIFY(!item->isEnabled());
        QVERIFY(item->toolTip().contains(QStringLiteral("8.15.2")));
        dialog->setValues(QStringLiteral("flaky.example.net"), TlsSetting::Fallback, {});
        QVERIFY(!dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled());
        QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("error"))->text().contains(QStringLiteral("8.16")));
        dialog->accept();  // refused: nothing staged
        QVERIFY(dialog->isVisible());
        QCOMPARE(old.pendingCount(), 0);
        dialog->reject();

        // Asked for anyway (staged by a script, or for several hosts): refused, nothing tried.
        QSignalSpy finished(&old, &HostSession::applyFinished);
        old.apply(Change::global(GlobalSetting::Fallback));
        QCOMPARE(finished.count(), 1);
        const auto report = finished.first().first().value<ApplyReport>();
        QCOMPARE(report.outcome, ApplyOutcome::Refused);
        QVERIFY2(report.summary.contains(QStringLiteral("8.16")), qPrintable(report.summary));
        QVERIFY(!old.busy());
        QCOMPARE(demoFile("sendmail.mc"), mcBefore);

        // On 8.17 it is offered and recommended.
        HostSession current(demoEntry(), std::make_shared<const VersionedDemoConnector>(QStringLiteral("8.17.1.9")), store);
        QObject::connect(&current, &HostSession::changed, &panel, &PolicyPanel::refresh);
        panel.setSessions({&current});
        current.reload();
        QTRY_VERIFY_WITH_TIMEOUT(current.state() != nullptr && !current.busy(), 30000);
        QTRY_VERIFY(fallback->isEnabled());
        QVERIFY2(fallback->text().endsWith(QStringLiteral("(recommended)")), qPrintable(fallback->text()));
        // Both selected: the older one decides.
        panel.setSessions({&current, &old});
        QVERIFY(!fallback->isEnabled());
        panel.setSessions({});
    }

    // A problem with a fix: `NO # note` in the access file (sendmail reads the value as
    // "NO # note", not NO). Fix stages the edit; it is previewed and applied like any other,
    // and afterwards the problem is gone and only that line changed.
    void problem_fixedWithOneClick()
    {
        const QString accessPath = HostConnector::demoRoot() + QStringLiteral("/etc/mail/access");
        {
            MainWindow warmUp;  // the first connect makes the Demo tree
            warmUp.selectHost(QStringLiteral("demo"));
            HostSession *demo = warmUp.sessionById(QStringLiteral("demo"));
            QTRY_VERIFY_WITH_TIMEOUT(demo->state() != nullptr && !demo->busy(), 30000);
        }
        QByteArray before = demoFile("access");
        if (!before.isEmpty() && !before.endsWith('\n'))
            before += '\n';
        before += "Try_TLS:noted.example NO # their certificate expired\n";
        {
            QFile f(accessPath);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(before);
        }
        {
            // Edited by hand after the map was built (a minute ago): sendmail does not see it yet.
            QFile db(accessPath + QStringLiteral(".db"));
            QVERIFY2(db.open(QIODevice::ReadWrite), "the Demo tree has no access.db");
            QVERIFY(db.setFileTime(QDateTime::currentDateTime().addSecs(-60), QFileDevice::FileModificationTime));
        }

        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.selectHost(QStringLiteral("demo"));
        HostSession *demo = w.sessionById(QStringLiteral("demo"));
        QTRY_VERIFY_WITH_TIMEOUT(demo->state() != nullptr && !demo->busy(), 30000);
        auto *problems = w.policyPanel()->findChild<QListView *>(QStringLiteral("problems"));
        auto *fix = w.policyPanel()->findChild<QPushButton *>(QStringLiteral("fixProblem"));
        QVERIFY(problems && fix);
        QVERIFY(!fix->isEnabled());
        int row = -1;
        for (int i = 0; i < problems->model()->rowCount(); ++i)
            if (problems->model()->index(i, 0).data().toString().contains(QStringLiteral("noted.example")))
                row = i;
        QVERIFY2(row >= 0, "the problem is not listed");
        const auto listed = [problems](const QString &what) {
            for (int i = 0; i < problems->model()->rowCount(); ++i)
                if (problems->model()->index(i, 0).data().toString().contains(what))
                    return true;
            return false;
        };
        QVERIFY2(listed(QStringLiteral("was changed after")), "the stale access.db is not listed");
        QVERIFY(problems->model()->index(row, 0).data().toString().contains(QStringLiteral("fix:")));
        problems->setCurrentIndex(problems->model()->index(row, 0));
        QVERIFY(fix->isEnabled());
        QTest::mouseClick(fix, Qt::LeftButton);
        QCOMPARE(demo->pendingCount(), 1);
        QCOMPARE(demoFile("access"), before);  // staged, not written

        DiffPreviewDialog *preview = w.preview();
        QTRY_VERIFY(preview->isReady());
        QVERIFY(preview->diffText().contains(QStringLiteral("+# their certificate expired")));
        QVERIFY(preview->diffText().contains(QStringLiteral("-Try_TLS:noted.example NO # their certificate expired")));
        QTest::mouseClick(preview->findChild<QPushButton *>(QStringLiteral("applyButton")), Qt::LeftButton);
        ApplyDialog *apply = nullptr;
        QTRY_VERIFY((apply = w.findChild<ApplyDialog *>(QStringLiteral("applyDialog"))) != nullptr);
        QTRY_VERIFY_WITH_TIMEOUT(apply->finished(), 120000);
        const std::optional<ApplyReport> report = apply->model()->reportFor(QStringLiteral("Demo"));
        QVERIFY2(report && report->outcome == ApplyOutcome::Applied, qPrintable(report ? report->summary : QString()));
        QByteArray expected = before;
        expected.replace("Try_TLS:noted.example NO # their certificate expired\n", "# their certificate expired\nTry_TLS:noted.example NO\n");
        QCOMPARE(demoFile("access"), expected);
        apply->accept();
        QTRY_VERIFY_WITH_TIMEOUT(!demo->busy() && demo->pendingCount() == 0, 30000);
        QVERIFY(!listed(QStringLiteral("noted.example")));
        QVERIFY(!listed(QStringLiteral("was changed after")));  // the apply rebuilt the map
    }

    // Keyboard only: Tab from the host list walks through every enabled control of the Policy
    // page and comes back; none traps the focus (item views would move between their cells).
    void keyboard_tabReachesEveryControl()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.activateWindow();
        w.selectHost(QStringLiteral("demo"));
        HostSession *demo = w.sessionById(QStringLiteral("demo"));
        QTRY_VERIFY_WITH_TIMEOUT(demo->state() != nullptr && !demo->busy(), 30000);
        QWidget *hosts = w.findChild<QWidget *>(QStringLiteral("hostTree"));
        hosts->setFocus(Qt::TabFocusReason);
        QTRY_COMPARE(QApplication::focusWidget(), hosts);
        QStringList visited;
        bool cameBack = false;
        for (int i = 0; i < 60 && !cameBack; ++i) {
            QWidget *focus = QApplication::focusWidget();
            QVERIFY2(focus, "nothing has the focus");
            QTest::keyClick(focus, Qt::Key_Tab);
            QWidget *next = QApplication::focusWidget();
            visited << (next ? next->objectName() : QString());
            cameBack = next == hosts;
        }
        QVERIFY2(cameBack, qPrintable(QStringLiteral("Tab never came back to the host list: ") + visited.join(QLatin1Char(' '))));
        for (const char *name : {"globalOn", "mechanism", "ruleFilter", "rulesTable", "addException", "explainInput", "problems",
                                 "qt_tabwidget_tabbar", "logView"})
            QVERIFY2(visited.contains(QLatin1String(name)), qPrintable(QStringLiteral("Tab skips %1: %2").arg(QLatin1String(name), visited.join(QLatin1Char(' ')))));
    }

    // A stall our code causes happens on every apply; one the machine causes (other builds on
    // few cores) does not: up to three applies, one of them must never see a gap of 100 ms.
    void apply_neverStallsTheUiThread()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.selectHost(QStringLiteral("demo"));
        HostSession *demo = w.sessionById(QStringLiteral("demo"));
        QTRY_VERIFY_WITH_TIMEOUT(demo->state() != nullptr && !demo->busy(), 30000);
        QList<qint64> worstGaps;
        for (int attempt = 0; attempt < 3; ++attempt) {
            const QString name = QStringLiteral("slow%1.example").arg(attempt);
            demo->stage(Change::destination(*parseDestination(name), TlsSetting::Off));
            StallMeter stalls;
            ApplyDialog *dialog = w.applySelected(QStringLiteral("responsiveness test"));
            QTRY_VERIFY_WITH_TIMEOUT(dialog->finished(), 120000);
            QTRY_VERIFY_WITH_TIMEOUT(!demo->busy(), 30000);  // and the re-read after it
            stalls.stop();
            const std::optional<ApplyReport> report = dialog->model()->reportFor(QStringLiteral("Demo"));
            QVERIFY2(report && report->outcome == ApplyOutcome::Applied, qPrintable(report ? report->summary : QString()));
            QVERIFY(stalls.elapsed() > 50);  // the apply really took time while the timer ran
            dialog->accept();
            worstGaps << stalls.worst();
            if (stalls.worst() < 100)
                return;
        }
        QFAIL(qPrintable(QStringLiteral("the UI thread stalled in every apply; worst gaps (ms): %1")
                             .arg(QString::number(worstGaps[0]) + QLatin1Char(' ') + QString::number(worstGaps[1]) + QLatin1Char(' ')
                                  + QString::number(worstGaps[2]))));
    }
};

QTEST_MAIN(TestGuiDemo)
#include "tst_guidemo.moc"
