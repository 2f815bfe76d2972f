#include "TextFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace smtls {
namespace {

QString systemError() { return QString::fromLocal8Bit(std::strerror(errno)); }

Error fileError(const QString &path, const QString &what)
{
    return makeError(ErrorKind::FileAccess, what, path);
}

// Closes the descriptor and removes the temporary file unless released.
class TemporaryFile {
public:
    explicit TemporaryFile(const QByteArray &pattern) : m_path(pattern)
    {
        m_fd = ::mkstemp(m_path.data());
        m_created = m_fd >= 0;
    }
    ~TemporaryFile()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        if (m_created && !m_released)
            ::unlink(m_path.constData());
    }
    TemporaryFile(const TemporaryFile &) = delete;
    TemporaryFile &operator=(const TemporaryFile &) = delete;

    int fd() const { return m_fd; }
    const QByteArray &path() const { return m_path; }
    bool close()
    {
        const int fd = m_fd;
        m_fd = -1;
        return ::close(fd) == 0;
    }
    void release() { m_released = true; }

private:
    QByteArray m_path;
    int m_fd = -1;
    bool m_created = false;
    bool m_released = false;
};

} // namespace

Result<bool> fileHoldsBytes(const QString &path, QByteArrayView expected)
{
    const QFileInfo info(path);
    if (!info.isFile())
        return fileError(path, QStringLiteral("this is not a regular file; it was not read"));
    if (info.size() != expected.size())
        return false;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fileError(path, QStringLiteral("cannot read it: %1").arg(file.errorString()));
    QByteArray chunk(1 << 20, Qt::Uninitialized);
    qsizetype at = 0;
    for (;;) {
        const qint64 n = file.read(chunk.data(), chunk.size());
        if (n < 0)
            return fileError(path, QStringLiteral("cannot read it: %1").arg(file.errorString()));
        if (n == 0)
            return at == expected.size();
        if (at + n > expected.size() || QByteArrayView(chunk.constData(), n) != expected.sliced(at, n))
            return false;
        at += qsizetype(n);
    }
}

Result<QByteArray> readConfigFile(const QString &path, qint64 maxBytes)
{
    QFileInfo info(path);
    if (!info.exists())
        return fileError(path, QStringLiteral("the file does not exist"));
    if (info.isDir())
        return fileError(path, QStringLiteral("this is a folder, not a file"));
    // A FIFO would block the read forever, a device never ends: only regular files are read.
    if (!info.isFile())
        return fileError(path, QStringLiteral("this is not a regular file (a FIFO, socket or device); it was not read"));
    if (info.size() > maxBytes)
        return makeError(ErrorKind::InvalidConfig,
                         QStringLiteral("the file has %1 MB, more than the %2 MB a sendmail configuration "
                                        "file can sensibly have; it was not read")
                             .arg(info.size() / (1024 * 1024))
                             .arg(maxBytes / (1024 * 1024)),
                         path);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fileError(path, QStringLiteral("cannot read it: %1").arg(file.errorString()));
    // Read exactly what stat announced (one allocation of the file's size), then make sure
    // nothing follows: the file may have grown since.
    QByteArray bytes(qsizetype(info.size()), Qt::Uninitialized);
    qsizetype got = 0;
    while (got < bytes.size()) {
        const qint64 n = file.read(bytes.data() + got, bytes.size() - got);
        if (n < 0)
            return fileError(path, QStringLiteral("cannot read it: %1").arg(file.errorString()));
        if (n == 0)
            break;
        got += qsizetype(n);
    }
    char extra = 0;
    if (file.read(&extra, 1) > 0)
        return makeError(ErrorKind::InvalidConfig, QStringLiteral("the file grew while being read; try again"), path);
    bytes.truncate(got);
    if (const qsizetype nul = bytes.indexOf('\0'); nul >= 0)
        return makeError(ErrorKind::InvalidConfig,
                         QStringLiteral("the file contains a NUL byte, so it is not a text file (binary data?)"),
                         path, int(bytes.left(nul).count('\n')) + 1);
    return bytes;
}

Result<bool> fileHasContent(const QString &path, const QByteArray &expected)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fileError(path, QStringLiteral("cannot read it: %1").arg(file.errorString()));
    if (file.size() != expected.size())
        return false;
    // Compare in chunks: no second copy of a large map in memory.
    constexpr qsizetype Chunk = 1 << 20;
    QByteArray buffer(Chunk, Qt::Uninitialized);
    qsizetype offset = 0;
    while (offset < expected.size()) {
        const qint64 n = file.read(buffer.data(), Chunk);
        if (n <= 0)
            return false;
        if (QByteArrayView(buffer.constData(), n) != QByteArrayView(expected).sliced(offset, std::min<qsizetype>(n, expected.size() - offset)))
            return false;
        offset += qsizetype(n);
    }
    return file.read(buffer.data(), 1) == 0;
}

Status writeFileAtomically(const QString &requestedPath, const QByteArray &bytes)
{
    // Replace what a symlink points to, not the link itself.
    QString path = requestedPath;
    if (QFileInfo(path).isSymLink()) {
        const QString target = QFileInfo(path).canonicalFilePath();
        if (target.isEmpty())
            return fileError(path, QStringLiteral("it is a symbolic link to a missing file"));
        path = target;
    }
    const QByteArray nativePath = QFile::encodeName(path);
    struct stat original {};
    const bool exists = ::stat(nativePath.constData(), &original) == 0;
    if (exists && !S_ISREG(original.st_mode))
        return fileError(path, QStringLiteral("it is not a regular file"));

    const QFileInfo info(path);
    const QByteArray dir = QFile::encodeName(info.absolutePath());
    TemporaryFile temp(dir + "/." + QFile::encodeName(info.fileName()) + ".sendmail-tls-XXXXXX");
    if (temp.fd() < 0)
        return fileError(path, QStringLiteral("cannot create a temporary file next to it: %1").arg(systemError()));

    const char *data = bytes.constData();
    qsizetype left = bytes.size();
    while (left > 0) {
        const ssize_t n = ::write(temp.fd(), data, size_t(left));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return fileError(path, QStringLiteral("cannot write the new content: %1").arg(systemError()));
        }
        data += n;
        left -= n;
    }
    if (exists) {
        // Same owner and mode as before: sendmail refuses maps with unsafe permissions, and
        // a 0600 file from mkstemp would lock out group readers such as smmsp.
        if (::fchown(temp.fd(), original.st_uid, original.st_gid) != 0 && ::geteuid() == 0)
            return fileError(path, QStringLiteral("cannot keep the file's owner: %1").arg(systemError()));
        if (::fchmod(temp.fd(), original.st_mode & 07777) != 0)
            return fileError(path, QStringLiteral("cannot keep the file's mode: %1").arg(systemError()));
    } else {
        const mode_t mask = ::umask(0);
        ::umask(mask);
        ::fchmod(temp.fd(), 0644 & ~mask);
    }
    if (::fsync(temp.fd()) != 0)
        return fileError(path, QStringLiteral("cannot flush the new content to disk: %1").arg(systemError()));
    if (!temp.close())
        return fileError(path, QStringLiteral("cannot close the temporary file: %1").arg(systemError()));
    if (::rename(temp.path().constData(), nativePath.constData()) != 0)
        return fileError(path, QStringLiteral("cannot replace the file: %1").arg(systemError()));
    temp.release();
    // Make the rename itself durable.
    const int dirFd = ::open(dir.constData(), O_RDONLY | O_DIRECTORY);
    if (dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
    return std::nullopt;
}

} // namespace smtls
