#pragma once
// Asks sendmail's own ruleset try_tls (through `sendmail -C CF -bt`) whether it would try
// STARTTLS with a server: many questions in one process, each answer tied to its question by a
// marker. "$# error" is the only answer that makes the client skip STARTTLS.

#include <QByteArray>
#include <QList>
#include <QString>

namespace smtls {

struct TryTlsQuestion {
    QByteArray serverName;
    QByteArray serverAddress;  // as sendmail writes {server_addr}
};

QByteArray tryTlsInput(const QList<TryTlsQuestion> &questions);

struct TryTlsAnswers {
    QList<bool> tls;
    QList<QByteArray> raw;
    QString error;  // empty when every question got its answer
};
TryTlsAnswers parseTryTlsOutput(const QByteArray &output, qsizetype questionCount);

} // namespace smtls
