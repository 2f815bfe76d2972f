// sendmail-tls history / show SNAPSHOT: the snapshots taken before each write.
#include "Commands.h"
#include "ExitCode.h"
#include "Output.h"
#include "SnapshotStore.h"
#include "UnifiedDiff.h"

#include <QJsonArray>

namespace smtls::cli {

int runHistory(const CliOptions &options)
{
    if (!options.arguments.isEmpty())
        return fail(makeError(ErrorKind::Usage, QStringLiteral("history takes no arguments")));
    const Result<QList<Snapshot>> snapshots = SnapshotStore(snapshotDirectoryFrom(options)).list();
    if (!snapshots)
        return fail(snapshots.error());
    if (options.json) {
        QJsonArray list;
        for (const Snapshot &s : *snapshots) {
            QJsonArray files;
            for (const SnapshotFile &f : s.files)
                files.append(f.path);
            list.append(QJsonObject{{QStringLiteral("id"), s.id},
                                    {QStringLiteral("host"), s.host},
                                    {QStringLiteral("time"), s.time.toString(Qt::ISODate)},
                                    {QStringLiteral("user"), s.user},
                                    {QStringLiteral("change"), s.change},
                                    {QStringLiteral("reason"), s.reason},
                                    {QStringLiteral("files"), files}});
        }
        printJson(QJsonObject{{QStringLiteral("snapshots"), list}});
        return ExitOk;
    }
    QString out;
    for (const Snapshot &s : *snapshots)
        out += QStringLiteral("%1  %2  %3  %4%5\n")
                   .arg(s.id, s.host, s.user, s.change, s.reason.isEmpty() ? QString() : QStringLiteral(" (") + s.reason + QLatin1Char(')'));
    if (snapshots->isEmpty())
        out = QStringLiteral("No snapshots in %1\n").arg(snapshotDirectoryFrom(options));
    printOut(out);
    return ExitOk;
}

int runShow(const CliOptions &options)
{
    if (options.arguments.size() != 1)
        return fail(makeError(ErrorKind::Usage, QStringLiteral("show takes one snapshot id")));
    const Result<Snapshot> s = SnapshotStore(snapshotDirectoryFrom(options)).load(options.arguments.first());
    if (!s)
        return fail(s.error());
    printOut(QStringLiteral("snapshot %1\nhost %2\ntime %3\nuser %4\nchange %5\n%6\n")
                 .arg(s->id, s->host, s->time.toString(Qt::ISODate), s->user, s->change,
                      s->reason.isEmpty() ? QString() : QStringLiteral("reason ") + s->reason + QLatin1Char('\n')));
    for (const SnapshotFile &f : s->files)
        printOutBytes(unifiedDiff(f.before, f.after, f.path + QStringLiteral("\t(before)"), f.path + QStringLiteral("\t(after)")));
    return ExitOk;
}

} // namespace smtls::cli
