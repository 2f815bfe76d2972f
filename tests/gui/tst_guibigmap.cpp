// The window on a 1,000,000-line access map (issue 10): selecting the host, filtering its rules,
// staging an exception and previewing the diff show the right rows and never hold the UI thread
// for long. Two maps: a mixed one (100,000 Try_TLS rules among other entries) and one where
// every line is a Try_TLS rule. The steps live in BigMapScenario, which the GUI benchmark
// (tests/bench/gui) runs too.
#include "BigMapScenario.h"
#include "BigMapTree.h"
#include "HostConnector.h"
#include "WorkerPool.h"

#include "GuiTestSetup.h"

#include <QDir>
#include <QTest>
#include <QThreadPool>

using namespace smtls::gui;
using namespace smtls::gui::testing;

Q_DECLARE_METATYPE(smtls::gui::testing::BigMapKind)

namespace {
// A stall under this is not seen as one (a frame at 60 Hz is 17 ms; 250 ms is noticed).
constexpr qint64 StallBound = 250;
} // namespace

class TestGuiBigMap : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        initGuiResources();
        useEmptyTestDataFolder(QStringLiteral("tst_guibigmap"));
    }
    void cleanupTestCase()
    {
        QVERIFY(workerPool()->waitForDone(60000));
        QDir(HostConnector::demoRoot()).removeRecursively();  // 35 MB of map
    }

    void bigMap_showsRulesAndNeverStalls_data()
    {
        QTest::addColumn<BigMapKind>("kind");
        QTest::newRow("mixed") << BigMapKind::Mixed;
        QTest::newRow("all Try_TLS") << BigMapKind::AllTryTls;
    }
    // A stall our code causes shows in every run; one the machine causes (builds on the same
    // two cores) does not: a second run before judging. Every run must show the right data.
    void bigMap_showsRulesAndNeverStalls()
    {
        QFETCH(BigMapKind, kind);
        useEmptyTestDataFolder(QStringLiteral("tst_guibigmap"));
        const std::optional<BigMapTree> tree = writeBigMapTree(HostConnector::demoRoot(), kind);
        QVERIFY2(tree, "cannot write the big tree");
        QList<BigMapRun> runs;
        for (int attempt = 0; attempt < 2; ++attempt) {
            runs << runBigMapScenario(*tree);
            const BigMapRun &run = runs.last();
            qInfo("%s, %d rules: %s", qPrintable(bigMapKindName(kind)), tree->rules, qPrintable(run.describe()));
            QVERIFY2(run.failure.isEmpty(), qPrintable(run.failure));
            if (run.worstStall() < StallBound)
                return;
        }
        QFAIL(qPrintable(QStringLiteral("the UI thread stalled for %1 ms and %2 ms (bound %3 ms): %4")
                             .arg(runs[0].worstStall()).arg(runs[1].worstStall()).arg(StallBound).arg(runs[1].describe())));
    }
};

QTEST_MAIN(TestGuiBigMap)
#include "tst_guibigmap.moc"
