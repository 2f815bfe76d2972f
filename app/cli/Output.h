#pragma once
// Printing: human text to stdout, errors to stderr in one sentence, and the JSON documents
// of the README ("JSON output").

#include "Policy.h"
#include "Problem.h"
#include "Result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace smtls::cli {

void printOut(const QString &text);
void printOutBytes(const QByteArray &bytes);
void printError(const QString &sentence);
int fail(const Error &error);  // prints and returns the exit code

void printJson(const QJsonObject &object);

QJsonObject toJson(const Problem &problem);
QJsonArray toJson(const Problems &problems);
QJsonObject toJson(const Decision &decision);

// "file:line" with the file shown relative to nothing: full paths, as admins copy them.
QString location(const QString &file, int line);

} // namespace smtls::cli
