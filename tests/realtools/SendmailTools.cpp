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
    // The questions and the reading of the answers are the product's own (core/apply/
    // TryTlsQuery): one marker per question, "$# error" is the only answer that skips STARTTLS.
    TryTlsAnswers answers;
    const ProcessResult r = runSendmailTest(cfPath, tryTlsInput(questions));
    if (!r.started || r.exitCode != 0) {
        answers.error = QStringLiteral("sendmail -bt failed (exit %1): %2").arg(r.exitCode).arg(QString::fromLocal8Bit(r.err));
        return answers;
    }
    answers = parseTryTlsOutput(r.out, questions.size());
    if (!answers.error.isEmpty())
        answers.error += QStringLiteral("; output:\n") + QString::fromLocal8Bit(r.out.left(4000));
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
