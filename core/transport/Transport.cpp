#include "transport/Transport.h"

#include "TextFile.h"

#include <pwd.h>
#include <unistd.h>

namespace smtls {

QString Transport::loginUser() const
{
    if (!filesAreOnThisComputer())
        return {};
    const passwd *pw = ::getpwuid(::geteuid());
    return pw ? QString::fromLocal8Bit(pw->pw_name) : QString::number(::geteuid());
}

namespace remotescript {

// The fields of `ls -ldn`: mode string, links, uid, gid. No globbing (set -f) on the split, and
// in a subshell so that neither set -f nor `set --` reaches the caller. chown before chmod: a
// chown clears set-id bits. A mode string "-rwsr-x---" becomes "u=rwxs,g=rx,o=" (s = x + set-id,
// S = set-id alone; t/T likewise for the sticky bit); a trailing ACL or SELinux mark is ignored.
const QString SameOwnerAndMode = QStringLiteral(
    "same_owner_and_mode() {\n"
    "  ( set -f\n"
    "    set -- \"$2\" $(ls -ldn -- \"$1\")\n"
    "    [ $# -ge 6 ] || exit 1\n"
    "    chown -- \"$4:$5\" \"$1\" &&\n"
    "    chmod -- \"$(printf '%s\\n' \"$2\" | sed 's/^.\\(...\\)\\(...\\)\\(...\\).*/u=\\1,g=\\2,o=\\3/; s/-//g; "
    "s/s/xs/g; s/S/s/g; s/t/xt/g; s/T/t/g')\" \"$1\" )\n"
    "}\n");

// mktemp in the target's folder, keep owner and mode (a new file gets root:root 0644), flush,
// then rename over the target: readers see old or new, never a mix.
const QString WriteFile = SameOwnerAndMode + QStringLiteral(
    "set -e\n"
    "dir=$(dirname -- \"$1\")\n"
    "tmp=$(mktemp \"$dir/.sendmail-tls.XXXXXX\")\n"
    "trap 'rm -f -- \"$tmp\"' EXIT\n"
    "cat > \"$tmp\"\n"
    "if [ -e \"$1\" ]; then same_owner_and_mode \"$1\" \"$tmp\"; else chmod 0644 -- \"$tmp\"; fi\n"
    "sync -- \"$tmp\" 2>/dev/null || sync\n"
    "mv -f -- \"$tmp\" \"$1\"\n"
    "trap - EXIT\n"
    "sync -- \"$dir\" 2>/dev/null || true\n");

const QString RemoveFile = QStringLiteral("rm -f -- \"$1\"\n");

// Each file announced with its size, then exactly that many bytes (head -c bounds a file that
// grows meanwhile; one that shrinks makes the reply inconsistent, which the reader notices).
const QString ReadFiles = QStringLiteral(
    "max=$1; shift\n"
    "for p in \"$@\"; do\n"
    "  if [ -f \"$p\" ]; then size=$(wc -c < \"$p\") || exit 5\n"
    "    if [ \"$size\" -gt \"$max\" ]; then echo \"T $size\"; else echo \"F $size\"; head -c \"$size\" -- \"$p\"; fi\n"
    "  elif [ -e \"$p\" ]; then echo N; else echo M; fi\n"
    "done\n");

} // namespace remotescript

QString CommandResult::firstErrorLine() const
{
    const QByteArray text = err.trimmed().isEmpty() ? out.trimmed() : err.trimmed();
    return QString::fromUtf8(text.left(text.indexOf('\n') < 0 ? text.size() : text.indexOf('\n'))).left(300);
}

QString outputTail(const QByteArray &err)
{
    constexpr qsizetype MaxBytes = 1000;
    const QByteArray text = err.trimmed();
    return QString::fromUtf8(text.size() > MaxBytes ? text.right(MaxBytes) : text);
}

Result<bool> Transport::holds(const QString &path, const std::optional<QByteArray> &expected)
{
    const Result<std::optional<QByteArray>> now = readFile(path, MaxAccessFileBytes);
    if (!now)
        return now.error();
    return *now == expected;
}

Result<std::optional<QByteArray>> Transport::readFile(const QString &path, qint64 maxBytes)
{
    // One file is the one-element case of readFiles: same script, same checks, same sentences.
    Result<QList<std::optional<QByteArray>>> files = readFiles({path}, maxBytes);
    if (!files)
        return files.error();
    return std::move(files->first());
}

Result<QList<std::optional<QByteArray>>> Transport::readEachFile(const QStringList &paths, qint64 maxBytes)
{
    QList<std::optional<QByteArray>> files;
    for (const QString &p : paths) {
        Result<std::optional<QByteArray>> one = readFile(p, maxBytes);
        if (!one)
            return one.error();
        files.append(*one);
    }
    return files;
}

Result<QList<std::optional<QByteArray>>> Transport::readFiles(const QStringList &paths, qint64 maxBytes)
{
    QStringList parameters{QString::number(maxBytes)};
    for (const QString &p : paths)
        parameters << commandPath(p);
    const Result<CommandResult> r = run(CommandLine::shellScript(remotescript::ReadFiles, parameters));
    if (!r)
        return r.error();
    QList<std::optional<QByteArray>> files;
    qsizetype pos = 0;
    const QByteArray &out = r->out;
    for (const QString &path : paths) {
        const qsizetype nl = out.indexOf('\n', pos);
        if (!r->ok() || nl < 0)
            return makeError(ErrorKind::FileAccess, QStringLiteral("cannot read it: %1").arg(r->firstErrorLine()),
                             hostName() + QLatin1Char(':') + path);
        const QByteArray header = out.mid(pos, nl - pos);
        pos = nl + 1;
        if (header == "M") {
            files.append(std::nullopt);
            continue;
        }
        if (header == "N")
            return makeError(ErrorKind::FileAccess, QStringLiteral("not a regular file"), hostName() + QLatin1Char(':') + path);
        if (header.startsWith("T "))
            return makeError(ErrorKind::InvalidConfig,
                             QStringLiteral("the file has %1 bytes, more than the %2 MB a sendmail configuration file can "
                                            "sensibly have; it was not read")
                                 .arg(QString::fromLatin1(header.mid(2)))
                                 .arg(maxBytes / (1024 * 1024)),
                             hostName() + QLatin1Char(':') + path);
        bool ok = false;
        const qsizetype size = header.mid(2).trimmed().toLongLong(&ok);
        if (!header.startsWith("F ") || !ok || size < 0 || pos + size > out.size())
            return makeError(ErrorKind::FileAccess, QStringLiteral("the file changed while being read; try again"),
                             hostName() + QLatin1Char(':') + path);
        const QByteArray bytes = out.mid(pos, size);
        pos += size;
        if (const qsizetype nul = bytes.indexOf('\0'); nul >= 0)
            return makeError(ErrorKind::InvalidConfig,
                             QStringLiteral("the file contains a NUL byte, so it is not a text file (binary data?)"),
                             hostName() + QLatin1Char(':') + path, int(bytes.left(nul).count('\n')) + 1);
        files.append(bytes);
    }
    return files;
}

Status Transport::writeFile(const QString &path, const QByteArray &bytes)
{
    const Result<CommandResult> r = run(CommandLine::shellScript(remotescript::WriteFile, {commandPath(path)}), bytes);
    if (!r)
        return r.error();
    if (!r->ok())
        return makeError(ErrorKind::FileAccess, QStringLiteral("cannot write it: %1").arg(r->firstErrorLine()),
                         hostName() + QLatin1Char(':') + path);
    return std::nullopt;
}

Status Transport::removeFile(const QString &path)
{
    const Result<CommandResult> r = run(CommandLine::shellScript(remotescript::RemoveFile, {commandPath(path)}));
    if (!r)
        return r.error();
    if (!r->ok())
        return makeError(ErrorKind::FileAccess, QStringLiteral("cannot remove it: %1").arg(r->firstErrorLine()),
                         hostName() + QLatin1Char(':') + path);
    return std::nullopt;
}

} // namespace smtls
