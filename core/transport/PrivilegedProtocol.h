#pragma once
// The conversation between ElevatedTransport (the user's program) and sendmail-tls-privileged
// (root, started once per apply through pkexec) on the helper's stdin and stdout. Binary
// frames: a 4-byte big-endian length, then that many bytes. Every field inside is bounded and
// checked, so that a malformed or hostile frame is a clear error, never a crash, a huge
// allocation or a hang (the helper runs as root; its peer is the user's process).
//
//   helper → client  once, at start:  Hello (plain bytes in a frame)
//   client → helper  a request frame: 'R' run  | 'F' read a file
//   helper → client  one reply frame: 'X' ran  | 'D' file data | 'N' refused | 'E' failed

#include "transport/CommandLine.h"
#include "Result.h"

#include <QByteArray>

#include <optional>
#include <variant>

namespace smtls::privileged {

// Room for the largest access map (MaxAccessFileBytes, 64 MB) as stdin or file data, plus a
// command's other output. Anything bigger is refused before it is read.
constexpr quint32 MaxFrameBytes = 80u * 1024 * 1024;
constexpr quint32 MaxArguments = 4096;
inline constexpr char Hello[] = "sendmail-tls-privileged 1";

struct RunRequest {
    CommandLine command;
    QByteArray standardInput;
    qint64 timeoutMs = 60000;
};
struct ReadRequest {
    QString path;
    qint64 maxBytes = 0;
};
using Request = std::variant<RunRequest, ReadRequest>;

struct Reply {
    enum class Kind : char { Ran = 'X', FileData = 'D', Refused = 'N', Failed = 'E' };
    Kind kind = Kind::Failed;
    int exitCode = -1;              // Ran
    QByteArray out, err;            // Ran: stdout, stderr; FileData: out = the bytes
    bool present = false;           // FileData: false = the file does not exist
    ErrorKind errorKind = ErrorKind::Internal;  // Failed
    QString message;                // Refused, Failed
};

// LENGTH + PAYLOAD
QByteArray frame(const QByteArray &payload);
// Takes the first complete frame off BUFFER. nullopt: not complete yet. An error: the length
// announced is over MaxFrameBytes (the stream cannot be trusted any more).
Result<std::optional<QByteArray>> takeFrame(QByteArray &buffer);

QByteArray encodeRequest(const Request &request);
Result<Request> decodeRequest(const QByteArray &payload);
QByteArray encodeReply(const Reply &reply);
Result<Reply> decodeReply(const QByteArray &payload);

} // namespace smtls::privileged
