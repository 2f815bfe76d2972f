#include "SendmailTools.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
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

FeaturesAnswers askTlsCltFeatures(const QString &cfPath, const QList<TryTlsQuestion> &questions)
{
    FeaturesAnswers answers;
    QFile cf(cfPath);
    if (!cf.open(QIODevice::ReadOnly)) {
        answers.error = QStringLiteral("cannot read %1").arg(cfPath);
        return answers;
    }
    QByteArray text = cf.readAll();
    if (!text.contains("\nStls_clt_features")) {
        answers.error = QStringLiteral("%1 has no ruleset tls_clt_features (FEATURE(`tls_session_features') missing)").arg(cfPath);
        return answers;
    }
    // $| is a metacharacter that test mode cannot read from its input; a rule can write it.
    text += "\nSsmtls_oracle\nR$*\t\t$: $&{server_name} $| $&{server_addr}\nR$*\t\t$: $>tls_clt_features $1\n";
    const QString oracleCf = QFileInfo(cfPath).dir().filePath(QStringLiteral("oracle.cf"));
    QFile out(oracleCf);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate) || out.write(text) != text.size()) {
        answers.error = QStringLiteral("cannot write %1").arg(oracleCf);
        return answers;
    }
    out.close();
    QByteArray input;
    for (qsizetype i = 0; i < questions.size(); ++i) {
        input += ".D{server_name}" + questions[i].serverName + "\n";
        input += ".D{server_addr}" + questions[i].serverAddress + "\n";
        input += ".D{qid}Q" + QByteArray::number(i) + "\n${qid}\nsmtls_oracle x\n";
    }
    const ProcessResult r = runSendmailTest(oracleCf, input);
    if (!r.started || r.exitCode != 0) {
        answers.error = QStringLiteral("sendmail -bt failed (exit %1): %2").arg(r.exitCode).arg(QString::fromLocal8Bit(r.err));
        return answers;
    }
    qsizetype expected = 0;
    bool sawMarker = false;
    for (QByteArray line : r.out.split('\n')) {
        line = line.trimmed();
        while (line.startsWith('>'))
            line = line.mid(1).trimmed();
        if (line == "Q" + QByteArray::number(expected)) {
            sawMarker = true;
            continue;
        }
        if (!line.startsWith("smtls_oracle") || !line.contains("returns:"))
            continue;
        if (!sawMarker) {
            answers.error = QStringLiteral("an answer of sendmail -bt came without its marker");
            return answers;
        }
        QByteArray value = line.mid(line.indexOf("returns:") + 8).trimmed();
        answers.raw.append(value);
        value.replace(' ', QByteArray());
        answers.values.append(value == "\"\"" ? QByteArray() : value);
        sawMarker = false;
        ++expected;
    }
    if (answers.values.size() != questions.size())
        answers.error = QStringLiteral("sendmail -bt answered %1 of %2 questions; output:\n%3")
                            .arg(answers.values.size())
                            .arg(questions.size())
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
