#include "Output.h"

#include "ExitCode.h"

#include <QJsonArray>
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

static QJsonValue textOrNull(const QString &text) { return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text); }

QJsonObject toJson(const Decision &d)
{
    // Every line that decides: the Try_TLS rule (or M=S), then the TLS_Clt_Features entry or
    // the TLSFallbacktoClear define.
    QJsonArray lines;
    if (!d.file.isEmpty())
        lines.append(QJsonObject{{QStringLiteral("setting"), d.decidedBy}, {QStringLiteral("file"), d.file},
                                 {QStringLiteral("line"), lineValue(d.line)}});
    if (!d.fallbackFile.isEmpty())
        lines.append(QJsonObject{{QStringLiteral("setting"), d.fallbackDecidedBy}, {QStringLiteral("file"), d.fallbackFile},
                                 {QStringLiteral("line"), lineValue(d.fallbackLine)}});
    const QJsonValue features = d.featuresKey.isEmpty()
        ? QJsonValue(QJsonValue::Null)
        : QJsonValue(QJsonObject{{QStringLiteral("entry"), d.featuresKey},
                                 {QStringLiteral("value"), QString::fromUtf8(d.featuresValue)},
                                 {QStringLiteral("line"), lineValue(d.featuresLine)}});
    return QJsonObject{{QStringLiteral("server"), textOrNull(d.server)},
                       {QStringLiteral("address"), textOrNull(d.address)},
                       {QStringLiteral("tls"), d.tls},
                       {QStringLiteral("decidedBy"), d.decidedBy},
                       {QStringLiteral("file"), textOrNull(d.file)},
                       {QStringLiteral("line"), lineValue(d.line)},
                       {QStringLiteral("reason"), d.reason},
                       {QStringLiteral("answer"), tlsAnswer(d)},
                       {QStringLiteral("fallback"), d.fallback},
                       {QStringLiteral("fallbackDecidedBy"), textOrNull(d.fallbackDecidedBy)},
                       {QStringLiteral("fallbackReason"), d.fallbackReason},
                       {QStringLiteral("tlsCltFeatures"), features},
                       {QStringLiteral("decidingLines"), lines}};
}

QString location(const QString &file, int line)
{
    return line > 0 ? file + QLatin1Char(':') + QString::number(line) : file;
}

} // namespace smtls::cli
