#pragma once
// Runs the real m4, makemap and `sendmail -bt` for tests, and asks ruleset try_tls many
// questions in one sendmail process.

#include "apply/TryTlsQuery.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace smtls::testing {

using smtls::TryTlsAnswers;
using smtls::TryTlsQuestion;

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

// One sendmail process answers every question (see core/apply/TryTlsQuery.h).
TryTlsAnswers askTryTls(const QString &cfPath, const QList<TryTlsQuestion> &questions);

// What ruleset tls_clt_features returns for each server, asked the way sendmail asks it before
// STARTTLS (rscheck("tls_clt_features", {server_name}, {server_addr})): through a one-line
// ruleset appended to a copy of the cf, which calls it with "name $| address". Each answer is
// the ruleset's tokens joined without blanks, as sendmail hands them to get_tls_se_features()
// (empty for ""). The cf must come from an .mc with FEATURE(`tls_session_features').
struct FeaturesAnswers {
    QList<QByteArray> values;
    QList<QByteArray> raw;
    QString error;
};
FeaturesAnswers askTlsCltFeatures(const QString &cfPath, const QList<TryTlsQuestion> &questions);

// `/map access KEY` through sendmail: what the compiled map returns for one key.
QByteArray lookUpAccess(const QString &cfPath, const QByteArray &key);

QString findTool(const QString &name);

} // namespace smtls::testing
