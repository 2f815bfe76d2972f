#include "SendmailTools.h"

#include <QProcess>
#include <QStandardPaths>

#include <unistd.h>

namespace smtls::testing {

QString findTool(const QString &name)
{
    // sendmail and makemap live in /usr/sbin, which a non-root PATH may lack.
    const QString found = QStandardPaths::findExecutable(name);
    if (!found.isEmpty())
        return found;
    return QStandardPaths::findExecutable(name, {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin"),
                                                 QStringLiteral("/sbin"), QStringLiteral("/usr/lib/sm.bin")});
}

ProcessResult runProcess(const QString &program, const QStringList &arguments, const QByteArray &input,
                         const QString &workingDirectory, int timeoutMs)
{
    ProcessResult r;
    QProcess p;
    if (!workingDirectory.isEmpty())
        p.setWorkingDirectory(workingDirectory);
    p.start(program, arguments);
    if (!p.waitForStarted(10000))
        return r;
    r.started = true;
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QString missingTools()
{
    QStringList missing;
    for (const char *tool : {"m4", "makemap", "sendmail"})
        if (findTool(QString::fromLatin1(tool)).isEmpty())
            missing << QString::fromLatin1(tool);
    if (missing.isEmpty())
        return {};
    return QStringLiteral("%1 not installed (Debian packages m4, sendmail-bin, sendmail-cf; installer/setup.sh test "
                          "installs them)")
        .arg(missing.join(QStringLiteral(", ")));
}

static QString localHostName()
{
    char name[256] = {};
    ::gethostname(name, sizeof name - 1);
    return QString::fromLocal8Bit(name);
}

static bool hostNameIsQualified() { return localHostName().contains(QLatin1Char('.')); }

QString whySendmailCannotRun()
{
    if (::geteuid() == 0 || hostNameIsQualified())
        return {};
    return QStringLiteral("sendmail sleeps 60 s at every start when the host name (%1) has no domain; as root the test "
                          "gives it a private UTS namespace with a qualified name, as non-root it cannot")
        .arg(localHostName());
}

// sendmail -bt with a qualified host name: in a private UTS namespace when we are root.
static ProcessResult runSendmailTest(const QString &cfPath, const QByteArray &input)
{
    const QString sendmail = findTool(QStringLiteral("sendmail"));
    if (::geteuid() == 0 && !hostNameIsQualified())
        return runProcess(QStringLiteral("unshare"),
                          {QStringLiteral("--uts"), QStringLiteral("sh"), QStringLiteral("-c"),
                           QStringLiteral("hostname mta.sendmail-tls.test && exec \"$0\" -C \"$1\" -bt"), sendmail, cfPath},
                          input);
    return runProcess(sendmail, {QStringLiteral("-C"), cfPath, QStringLiteral("-bt")}, input);
}

TryTlsAnswers askTryTls(const QString &cfPath, const QList<TryTlsQuestion> &questions)
{
    // Each question sets both macros (they persist between questions), then prints a marker
    // through ${qid} so that answers cannot be attributed to the wrong question.
    QByteArray input;
    for (qsizetype i = 0; i < questions.size(); ++i) {
        input += ".D{server_name}" + questions[i].serverName + "\n";
        input += ".D{server_addr}" + questions[i].serverAddress + "\n";
        input += ".D{qid}Q" + QByteArray::number(i) + "\n${qid}\ntry_tls x\n";
    }
    TryTlsAnswers answers;
    const ProcessResult r = runSendmailTest(cfPath, input);
    if (!r.started || r.exitCode != 0) {
        answers.error = QStringLiteral("sendmail -bt failed (exit %1): %2").arg(r.exitCode).arg(QString::fromLocal8Bit(r.err));
        return answers;
    }
    qsizetype expected = 0;
    bool sawMarker = false;
    for (QByteArray line : r.out.split('\n')) {
        while (line.startsWith('>'))
            line = line.mid(1).trimmed();
        line = line.trimmed();
        if (line == "Q" + QByteArray::number(expected)) {
            sawMarker = true;
            continue;
        }
        if (line.startsWith("try_tls") && line.contains("returns:")) {
            if (!sawMarker) {
                answers.error = QStringLiteral("answer without its marker: %1").arg(QString::fromLatin1(line));
                return answers;
            }
            const QByteArray result = line.mid(line.indexOf("returns:") + 8).trimmed();
            answers.tls.append(!result.startsWith("$# error"));
            answers.raw.append(line);
            sawMarker = false;
            ++expected;
        }
    }
    if (answers.tls.size() != questions.size())
        answers.error = QStringLiteral("expected %1 answers, got %2; output:\n%3")
                            .arg(questions.size())
                            .arg(answers.tls.size())
                            .arg(QString::fromLocal8Bit(r.out.left(4000)));
    return answers;
}

QByteArray lookUpAccess(const QString &cfPath, const QByteArray &key)
{
    const ProcessResult r = runSendmailTest(cfPath, "/map access " + key + "\n");
    for (const QByteArray &line : r.out.split('\n'))
        if (line.contains("map_lookup") || line.contains("not open"))
            return line.trimmed();
    return r.out.trimmed() + r.err.trimmed();
}

} // namespace smtls::testing
