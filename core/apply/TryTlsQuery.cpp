#include "apply/TryTlsQuery.h"

namespace smtls {

QByteArray tryTlsInput(const QList<TryTlsQuestion> &questions)
{
    // Macros persist between questions, so each sets both; ${qid} prints the marker.
    QByteArray input;
    for (qsizetype i = 0; i < questions.size(); ++i) {
        input += ".D{server_name}" + questions[i].serverName + "\n";
        input += ".D{server_addr}" + questions[i].serverAddress + "\n";
        input += ".D{qid}Q" + QByteArray::number(i) + "\n${qid}\ntry_tls x\n";
    }
    return input;
}

TryTlsAnswers parseTryTlsOutput(const QByteArray &output, qsizetype questionCount)
{
    TryTlsAnswers answers;
    qsizetype expected = 0;
    bool sawMarker = false;
    for (QByteArray line : output.split('\n')) {
        line = line.trimmed();
        while (line.startsWith('>'))
            line = line.mid(1).trimmed();
        if (line == "Q" + QByteArray::number(expected)) {
            sawMarker = true;
            continue;
        }
        if (line.startsWith("try_tls") && line.contains("returns:")) {
            if (!sawMarker) {
                answers.error = QStringLiteral("an answer of sendmail -bt came without its marker");
                return answers;
            }
            answers.tls.append(!line.mid(line.indexOf("returns:") + 8).trimmed().startsWith("$# error"));
            answers.raw.append(line);
            sawMarker = false;
            ++expected;
        }
    }
    if (answers.tls.size() != questionCount)
        answers.error = QStringLiteral("sendmail -bt answered %1 of %2 questions").arg(answers.tls.size()).arg(questionCount);
    return answers;
}

} // namespace smtls
