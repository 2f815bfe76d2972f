#include "apply/StateAfter.h"

#include <cmath>

namespace smtls {

bool StateAfter::oldFilesActive() const
{
    for (const auto &f : files)
        if (f.second != Holds::Old)
            return false;
    return !files.isEmpty();
}

bool StateAfter::startedBefore(double secondsSinceInstall) const
{
    // ps counts whole seconds: a daemon that has run longer than the install ago started
    // before it; one started within a second of it cannot be told, and counts as after.
    return running && runningSeconds && double(*runningSeconds) > std::ceil(secondsSinceInstall);
}

QString StateAfter::sentence(double secondsSinceInstall) const
{
    QStringList newer, neither;
    for (const auto &f : files) {
        if (f.second == Holds::New)
            newer << f.first;
        else if (f.second == Holds::Neither)
            neither << f.first;
    }
    QString text;
    if (files.isEmpty())
        text = QStringLiteral("The files could not be checked");
    else if (oldFilesActive())
        // "Active" only when something runs them (or nothing has to: a tree).
        text = daemonChecked && !running ? QStringLiteral("The old files are back in place") : QStringLiteral("The old files are active again");
    else {
        QStringList parts;
        if (!newer.isEmpty())
            parts << QStringLiteral("%1 still %2 the new version").arg(newer.join(QStringLiteral(", ")),
                                                                        newer.size() == 1 ? QStringLiteral("holds") : QStringLiteral("hold"));
        if (!neither.isEmpty())
            parts << QStringLiteral("%1 %2 neither the old nor the new version").arg(neither.join(QStringLiteral(", ")),
                                                                                    neither.size() == 1 ? QStringLiteral("holds") : QStringLiteral("hold"));
        text = parts.join(QStringLiteral("; "));
    }
    if (!daemonChecked)
        return text + QLatin1Char('.');
    if (!running)
        return text + QStringLiteral("; sendmail is not running.");
    const QString pidText = pid > 0 ? QStringLiteral("pid %1").arg(pid) : QString();
    if (startedBefore(secondsSinceInstall))
        return text + QStringLiteral("; sendmail is running (%1started before this apply, so it never loaded the new files).")
                          .arg(pidText.isEmpty() ? QString() : pidText + QStringLiteral(", "));
    if (runningSeconds)
        return text + QStringLiteral("; sendmail is running (%1started %2 s ago).")
                          .arg(pidText.isEmpty() ? QString() : pidText + QStringLiteral(", "))
                          .arg(*runningSeconds);
    return text + (pidText.isEmpty() ? QStringLiteral("; sendmail is running.") : QStringLiteral("; sendmail is running (%1).").arg(pidText));
}

CommandLine stateAfterCommand(const QStringList &commandPaths, const QString &pidFile, const CommandLine &status)
{
    QStringList params{pidFile, QString::number(commandPaths.size())};
    params += commandPaths;
    if (pidFile.isEmpty() && !status.program.isEmpty())
        params << status.program << status.arguments;
    return CommandLine::shellScript(
        QStringLiteral("sum() { if command -v sha256sum >/dev/null 2>&1; then _s=$(sha256sum < \"$1\") || return 1; "
                       "printf '%s\\n' \"${_s%% *}\"; else sha256 -q \"$1\"; fi; }\n"
                       "pidfile=$1 n=$2; shift 2\n"
                       "while [ \"$n\" -gt 0 ]; do\n"
                       "  if [ -e \"$1\" ]; then s=$(sum \"$1\") || s='?'; else s=-; fi\n"
                       "  printf '@@file %s %s\\n' \"$s\" \"$1\"; shift; n=$((n - 1))\n"
                       "done\n"
                       "if [ -n \"$pidfile\" ]; then\n"
                       "  pid=$(head -n 1 -- \"$pidfile\" 2>/dev/null)\n"
                       "  if [ -n \"$pid\" ] && kill -0 \"$pid\" 2>/dev/null; then\n"
                       "    printf '@@running %s %s\\n' \"$pid\" \"$(ps -o etimes= -p \"$pid\" 2>/dev/null | tr -d ' ')\"\n"
                       "  else echo '@@notrunning'; fi\n"
                       "elif [ $# -gt 0 ]; then\n"
                       "  if \"$@\" > /dev/null 2>&1 < /dev/null; then echo '@@running'; else echo '@@notrunning'; fi\n"
                       "fi\n"),
        params);
}

StateAfter parseStateAfter(const QByteArray &out, const QList<ExpectedFile> &expected)
{
    StateAfter state;
    int i = 0;
    for (const QByteArray &line : out.split('\n')) {
        if (line.startsWith("@@file ") && i < expected.size()) {
            const QString sum = QString::fromLatin1(line.mid(7).split(' ').value(0));
            const ExpectedFile &e = expected.at(i++);
            const StateAfter::Holds holds = sum == e.oldSha256                            ? StateAfter::Holds::Old
                : !e.newSha256.isEmpty() && e.newSha256 != e.oldSha256 && sum == e.newSha256 ? StateAfter::Holds::New
                                                                                         : StateAfter::Holds::Neither;
            state.files.append({e.path, holds});
        } else if (line.startsWith("@@running")) {
            state.daemonChecked = state.running = true;
            const QList<QByteArray> words = line.split(' ');
            state.pid = words.value(1).toLongLong();
            bool ok = false;
            const qint64 seconds = words.value(2).toLongLong(&ok);
            if (ok)
                state.runningSeconds = seconds;
        } else if (line.startsWith("@@notrunning")) {
            state.daemonChecked = true;
        }
    }
    return state;
}

} // namespace smtls
