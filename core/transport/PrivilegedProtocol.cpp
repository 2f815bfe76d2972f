#include "transport/PrivilegedProtocol.h"

#include <QtEndian>

namespace smtls::privileged {

namespace {

void putU32(QByteArray &out, quint32 v)
{
    char b[4];
    qToBigEndian(v, b);
    out.append(b, 4);
}

void putBytes(QByteArray &out, const QByteArray &bytes)
{
    putU32(out, quint32(bytes.size()));
    out += bytes;
}

// Reads fields off a payload; any read past the end marks it bad and yields empty values, so
// the decoder checks once at the end.
class Fields {
public:
    explicit Fields(const QByteArray &payload) : m_data(payload) {}
    bool bad() const { return m_bad; }
    bool atEnd() const { return m_pos == m_data.size(); }
    char byte()
    {
        if (m_bad || m_pos + 1 > m_data.size())
            return fail(), '\0';
        return m_data.at(m_pos++);
    }
    quint32 u32()
    {
        if (m_bad || m_pos + 4 > m_data.size())
            return fail(), 0;
        const quint32 v = qFromBigEndian<quint32>(m_data.constData() + m_pos);
        m_pos += 4;
        return v;
    }
    QByteArray bytes()
    {
        const quint32 size = u32();
        if (m_bad || qsizetype(size) > m_data.size() - m_pos)
            return fail(), QByteArray();
        const QByteArray v = m_data.mid(m_pos, size);
        m_pos += size;
        return v;
    }
    // Text: UTF-8 without NUL (a NUL would cut an argument short in exec).
    QString text()
    {
        const QByteArray b = bytes();
        if (b.contains('\0'))
            fail();
        return QString::fromUtf8(b);
    }

private:
    void fail() { m_bad = true; }
    const QByteArray &m_data;
    qsizetype m_pos = 0;
    bool m_bad = false;
};

Error malformed(const char *what)
{
    return makeError(ErrorKind::Refused, QStringLiteral("malformed frame: %1").arg(QLatin1String(what)));
}

} // namespace

QByteArray frame(const QByteArray &payload)
{
    QByteArray out;
    out.reserve(payload.size() + 4);
    putU32(out, quint32(payload.size()));
    return out + payload;
}

Result<std::optional<QByteArray>> takeFrame(QByteArray &buffer)
{
    if (buffer.size() < 4)
        return std::optional<QByteArray>();
    const quint32 size = qFromBigEndian<quint32>(buffer.constData());
    if (size > MaxFrameBytes)
        return makeError(ErrorKind::Refused, QStringLiteral("frame of %1 bytes announced, more than the %2 allowed").arg(size).arg(MaxFrameBytes));
    if (buffer.size() - 4 < qsizetype(size))
        return std::optional<QByteArray>();
    std::optional<QByteArray> payload = buffer.mid(4, size);
    buffer.remove(0, 4 + qsizetype(size));
    return payload;
}

QByteArray encodeRequest(const Request &request)
{
    QByteArray out;
    if (const auto *run = std::get_if<RunRequest>(&request)) {
        out += 'R';
        putU32(out, quint32(qBound<qint64>(0, run->timeoutMs, 0xffffffffLL)));
        putBytes(out, run->command.program.toUtf8());
        putU32(out, quint32(run->command.arguments.size()));
        for (const QString &a : run->command.arguments)
            putBytes(out, a.toUtf8());
        putBytes(out, run->standardInput);
    } else {
        const auto &read = std::get<ReadRequest>(request);
        out += 'F';
        putBytes(out, read.path.toUtf8());
        putU32(out, quint32(qBound<qint64>(0, read.maxBytes, MaxFrameBytes)));
    }
    return out;
}

Result<Request> decodeRequest(const QByteArray &payload)
{
    Fields f(payload);
    const char type = f.byte();
    if (type == 'R') {
        RunRequest run;
        run.timeoutMs = f.u32();
        run.command.program = f.text();
        const quint32 count = f.u32();
        if (count > MaxArguments)
            return malformed("too many arguments");
        for (quint32 i = 0; i < count && !f.bad(); ++i)
            run.command.arguments << f.text();
        run.standardInput = f.bytes();
        if (f.bad() || !f.atEnd())
            return malformed("a run request's fields do not add up");
        if (run.command.program.isEmpty())
            return malformed("no program");
        return Request(std::move(run));
    }
    if (type == 'F') {
        ReadRequest read;
        read.path = f.text();
        read.maxBytes = f.u32();
        if (f.bad() || !f.atEnd())
            return malformed("a read request's fields do not add up");
        return Request(std::move(read));
    }
    return malformed("unknown request type");
}

QByteArray encodeReply(const Reply &reply)
{
    QByteArray out;
    out += char(reply.kind);
    switch (reply.kind) {
    case Reply::Kind::Ran:
        putU32(out, quint32(reply.exitCode));
        putBytes(out, reply.out);
        putBytes(out, reply.err);
        break;
    case Reply::Kind::FileData:
        out += reply.present ? '1' : '0';
        putBytes(out, reply.out);
        break;
    case Reply::Kind::Refused:
        putBytes(out, reply.message.toUtf8());
        break;
    case Reply::Kind::Failed:
        putU32(out, quint32(reply.errorKind));
        putBytes(out, reply.message.toUtf8());
        break;
    }
    return out;
}

Result<Reply> decodeReply(const QByteArray &payload)
{
    Fields f(payload);
    Reply r;
    const char kind = f.byte();
    switch (kind) {
    case 'X':
        r.kind = Reply::Kind::Ran;
        r.exitCode = int(f.u32());
        r.out = f.bytes();
        r.err = f.bytes();
        break;
    case 'D':
        r.kind = Reply::Kind::FileData;
        r.present = f.byte() == '1';
        r.out = f.bytes();
        break;
    case 'N':
        r.kind = Reply::Kind::Refused;
        r.message = f.text();
        break;
    case 'E': {
        r.kind = Reply::Kind::Failed;
        const quint32 k = f.u32();
        r.errorKind = k <= quint32(ErrorKind::Internal) ? ErrorKind(k) : ErrorKind::Internal;
        r.message = f.text();
        break;
    }
    default:
        return malformed("unknown reply type");
    }
    if (f.bad() || !f.atEnd())
        return malformed("a reply's fields do not add up");
    return r;
}

} // namespace smtls::privileged
