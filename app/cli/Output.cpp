#include "Output.h"

#include "ExitCode.h"

#include <QJsonDocument>

#include <cstdio>

namespace smtls::cli {

void printOutBytes(const QByteArray &bytes)
{
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

void printOut(const QString &text) { printOutBytes(text.toUtf8()); }

void printError(const QString &sentence)
{
    const QByteArray line = "sendmail-tls: " + sentence.toUtf8() + "\n";
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    std::fflush(stderr);
}

int fail(const Error &error)
{
    printError(error.describe());
    return exitCodeFor(error.kind);
}

void printJson(const QJsonObject &object)
{
    printOutBytes(QJsonDocument(object).toJson(QJsonDocument::Indented));
}

static QJsonValue lineValue(int line) { return line > 0 ? QJsonValue(line) : QJsonValue(QJsonValue::Null); }

QJsonObject toJson(const Problem &problem)
{
    return QJsonObject{{QStringLiteral("file"), problem.file},
                       {QStringLiteral("line"), lineValue(problem.line)},
                       {QStringLiteral("severity"), severityName(problem.severity)},
                       {QStringLiteral("message"), problem.message}};
}

QJsonArray toJson(const Problems &problems)
{
    QJsonArray out;
    for (const Problem &p : problems)
        out.append(toJson(p));
    return out;
}

QJsonObject toJson(const Decision &d)
{
    return QJsonObject{{QStringLiteral("server"), d.server.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(d.server)},
                       {QStringLiteral("address"), d.address.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(d.address)},
                       {QStringLiteral("tls"), d.tls},
                       {QStringLiteral("decidedBy"), d.decidedBy},
                       {QStringLiteral("file"), d.file.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(d.file)},
                       {QStringLiteral("line"), lineValue(d.line)},
                       {QStringLiteral("reason"), d.reason}};
}

QString location(const QString &file, int line)
{
    return line > 0 ? file + QLatin1Char(':') + QString::number(line) : file;
}

} // namespace smtls::cli
