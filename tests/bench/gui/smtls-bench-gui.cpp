// The desktop window on a 1,000,000-line access map, offscreen: prints, for a mixed map (100,000
// Try_TLS rules among other entries) and a map of 1,000,000 Try_TLS rules, the time from
// selecting the host to its rules shown, from staging one exception to it shown, the longest UI
// thread stall in each, and the peak RSS (VmHWM, reset before each map). One run each; the
// figures depend on the machine, so nothing is judged here (tests/gui/tst_guibigmap judges
// the stalls).
#include "BigMapScenario.h"
#include "BigMapTree.h"
#include "HostConnector.h"

#include "GuiTestSetup.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLocale>

#include <cstdio>

using namespace smtls::gui;
using namespace smtls::gui::testing;

namespace {

void print(const QString &line)
{
    std::fputs(qPrintable(line + QLatin1Char('\n')), stdout);
    std::fflush(stdout);
}

// Linux: writing 5 to clear_refs sets VmHWM back to the current RSS, so each map's peak is its own.
void resetPeakRss()
{
    QFile clear(QStringLiteral("/proc/self/clear_refs"));
    if (clear.open(QIODevice::WriteOnly))
        clear.write("5");
}

QString mib(qint64 kib) { return kib > 0 ? QStringLiteral("%1 MiB").arg((kib + 512) / 1024) : QStringLiteral("unknown"); }

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    initGuiResources();
    useEmptyTestDataFolder(QStringLiteral("smtls-bench-gui"));
    const QLocale english(QLocale::English);
    const int lines = 1'000'000;
    int status = 0;
    for (BigMapKind kind : {BigMapKind::Mixed, BigMapKind::AllTryTls}) {
        const std::optional<BigMapTree> tree = writeBigMapTree(HostConnector::demoRoot(), kind, lines);
        if (!tree) {
            print(QStringLiteral("gui bench: cannot write the tree under %1").arg(HostConnector::demoRoot()));
            return 2;
        }
        const QString what = QStringLiteral("%1-line map, %2 Try_TLS rules").arg(english.toString(lines), english.toString(tree->rules));
        resetPeakRss();
        const BigMapRun run = runBigMapScenario(*tree);
        if (!run.failure.isEmpty()) {
            print(QStringLiteral("gui bench (%1): FAILED: %2").arg(what, run.failure));
            status = 1;
            continue;
        }
        const StepFigure open = run.step(QStringLiteral("open"));
        const StepFigure stage = run.step(QStringLiteral("stage"));
        print(QStringLiteral("gui host selection (%1): shown in %2 ms, worst UI stall %3 ms, peak RSS %4")
                  .arg(what).arg(open.ms).arg(open.worstStall).arg(mib(open.peakRssKiB)));
        print(QStringLiteral("gui stage one exception (%1): shown in %2 ms, worst UI stall %3 ms, peak RSS %4")
                  .arg(what).arg(stage.ms).arg(stage.worstStall).arg(mib(stage.peakRssKiB)));
        QStringList others;
        for (const StepFigure &s : run.steps)
            if (s.name != open.name && s.name != stage.name)
                others << QStringLiteral("%1 %2 ms (stall %3 ms)").arg(s.name).arg(s.ms).arg(s.worstStall);
        print(QStringLiteral("gui other steps (%1): %2; worst UI stall of the run %3 ms, peak RSS %4")
                  .arg(what, others.join(QStringLiteral(", "))).arg(run.worstStall()).arg(mib(peakRssKiB())));
    }
    QDir(HostConnector::demoRoot()).removeRecursively();
    return status;
}
