#pragma once
// Runs the real m4, makemap and `sendmail -bt` for tests, and asks ruleset try_tls many
// questions in one sendmail process.

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace smtls::testing {

struct ProcessResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    bool started = false;
};

ProcessResult runProcess(const QString &program, const QStringList &arguments, const QByteArray &input = {},
                         const QString &workingDirectory = {}, int timeoutMs = 120000);

// Empty when m4, makemap and sendmail are all there, else a sentence saying what is missing.
QString missingTools();

// Why `sendmail -bt` cannot run quickly here (it sleeps 60 s when the host name has no
// domain), or empty. As root we give it a private UTS namespace with a qualified name.
QString whySendmailCannotRun();

struct TryTlsQuestion {
    QByteArray serverName;
    QByteArray serverAddress;  // as sendmail puts it in {server_addr}
};

// One sendmail process answers every question: true = try_tls lets STARTTLS happen. The
// ruleset's answer "$# error" is the only one that makes the client skip STARTTLS.
struct TryTlsAnswers {
    QList<bool> tls;
    QList<QByteArray> raw;  // the "try_tls returns:" lines, for messages
    QString error;
};
TryTlsAnswers askTryTls(const QString &cfPath, const QList<TryTlsQuestion> &questions);

// `/map access KEY` through sendmail: what the compiled map returns for one key.
QByteArray lookUpAccess(const QString &cfPath, const QByteArray &key);

QString findTool(const QString &name);

} // namespace smtls::testing
