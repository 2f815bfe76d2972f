#include "delivery/QueuedMessage.h"

#include "apply/HostProfile.h"
#include "transport/Transport.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace smtls {
namespace {

// The lines of a qf file we use (sendmail's queue.c, version 8): V version, T queued, K last
// attempt, N attempts, M status, S sender, R recipient. Headers (H, with their continuation
// lines) and macros are never sent: they are most of the file and can carry anything.
// $1 root of the tree ("" on a host), $2 bytes kept per file, then triples: queue name, its
// .cf, the folder to use when the .cf names none. Output, one record per line:
//   D queue folder        a queue folder read (QueueDirectory may hold a wildcard: q*)
//   E queue folder why    a queue folder that cannot be read
//   F name                a qf file starts; its lines follow as "|line"
//   Z                     the file was cut at $2 bytes
const QString ReadQueuesScript = QStringLiteral(
    "LC_ALL=C; export LC_ALL\n"
    "root=$1; max=$2; shift 2\n"
    "while [ $# -ge 3 ]; do\n"
    "  q=$1; cf=$2; dir=$3; shift 3\n"
    "  if [ -f \"$root$cf\" ]; then\n"
    "    set_dir=$(sed -n 's/^O QueueDirectory=\\([^[:space:]]*\\).*/\\1/p' \"$root$cf\" | tail -n 1)\n"
    "    [ -n \"$set_dir\" ] && dir=$set_dir\n"
    "  elif [ \"$q\" = msp ] && [ ! -d \"$root$dir\" ]; then\n"
    "    continue\n"
    "  fi\n"
    // No field splitting, but pathname expansion: a wildcard QueueDirectory names several queues.
    "  IFS=''\n"
    "  for d in $root$dir; do\n"
    "    unset IFS\n"
    "    shown=${d#\"$root\"}\n"
    "    if [ ! -d \"$d\" ]; then echo \"E $q $shown missing\"; continue; fi\n"
    "    if [ ! -r \"$d\" ] || [ ! -x \"$d\" ]; then echo \"E $q $shown unreadable\"; continue; fi\n"
    "    qd=$d; [ -d \"$d/qf\" ] && qd=$d/qf\n"
    "    echo \"D $q ${qd#\"$root\"}\"\n"
    "    find \"$qd/.\" ! -name . -prune -type f -name 'qf*' -exec awk -v max=\"$max\" '\n"
    "      FNR == 1 { n = 0; cut = 0; f = FILENAME; sub(/.*\\//, \"\", f); print \"F \" f }\n"
    "      cut { next }\n"
    "      /^[VTKNMSR]/ { n += length($0) + 1; if (n > max) { cut = 1; print \"Z\"; next } print \"|\" $0 }\n"
    "    ' {} +\n"
    "  done\n"
    "  unset IFS\n"
    "done\n"
    "exit 0\n");

constexpr qint64 BytesPerFile = 64 * 1024;

QDateTime fromEpoch(const QByteArray &digits)
{
    bool ok = false;
    const qint64 seconds = digits.toLongLong(&ok);
    if (!ok || seconds <= 0)
        return {};
    return QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC);
}

// "RPFD:<a@b>" (version 4 and later: flags, a colon, the address); older files have no flags.
QString recipientOf(const QByteArray &line)
{
    QByteArray rest = line.mid(1);
    const qsizetype colon = rest.indexOf(':');
    if (colon >= 0) {
        const QByteArray flags = rest.left(colon);
        if (std::all_of(flags.begin(), flags.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }))
            rest = rest.mid(colon + 1);
    }
    return QString::fromUtf8(rest.trimmed());
}

} // namespace

bool isQueueId(const QString &id)
{
    static const QRegularExpression form(QStringLiteral("^[A-Za-z0-9]{8,20}$"));
    return form.match(id).hasMatch();
}

Result<QueuedMessage> parseQueueFile(const QByteArray &bytes)
{
    QueuedMessage m;
    bool version = false;
    bool queued = false;
    qsizetype at = 0;
    while (at < bytes.size()) {
        qsizetype end = bytes.indexOf('\n', at);
        if (end < 0)
            end = bytes.size();
        QByteArray line = bytes.mid(at, end - at);
        at = end + 1;
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty())
            continue;
        switch (line.at(0)) {
        case 'V':
            version = true;
            break;
        case 'T':
            m.queued = fromEpoch(line.mid(1));
            queued = m.queued.isValid();
            break;
        case 'K':
            m.lastAttempt = fromEpoch(line.mid(1));
            break;
        case 'N':
            m.attempts = line.mid(1).toInt();
            break;
        case 'M':
            m.status = QString::fromUtf8(line.mid(1));
            break;
        case 'S':
            m.sender = QString::fromUtf8(line.mid(1));
            break;
        case 'R':
            m.recipients << recipientOf(line);
            break;
        case '.':
            if (line.size() == 1)
                at = bytes.size();  // the end of the control file
            break;
        default:
            break;
        }
    }
    if (!version || !queued)
        return makeError(ErrorKind::InvalidConfig, QStringLiteral("not a sendmail queue file (no V or T line)"));
    return m;
}

Result<QueueContents> readQueues(Transport &transport, const HostProfile &profile)
{
    QString root = transport.commandPath(QStringLiteral("/"));
    if (root == QLatin1String("/"))
        root.clear();
    const QString cfFolder = QFileInfo(profile.cfPath).path();
    const Result<CommandResult> ran = transport.run(
        CommandLine::shellScript(ReadQueuesScript,
                                 {root, QString::number(BytesPerFile), QStringLiteral("mta"), profile.cfPath,
                                  QStringLiteral("/var/spool/mqueue"), QStringLiteral("msp"), cfFolder + QStringLiteral("/submit.cf"),
                                  QStringLiteral("/var/spool/mqueue-client")}),
        {}, std::chrono::seconds(120));
    if (!ran)
        return ran.error();
    if (!ran->ok())
        return makeError(ErrorKind::FileAccess,
                         QStringLiteral("cannot read the mail queues (exit %1): %2").arg(ran->exitCode).arg(ran->firstErrorLine()));

    QueueContents contents;
    QSet<QString> seen;
    QString queue, directory, file;
    QByteArray lines;
    bool cut = false;
    int unreadable = 0;
    const auto finishFile = [&] {
        if (file.isEmpty())
            return;
        const QString id = file.mid(2);
        Result<QueuedMessage> m = parseQueueFile(lines);
        if (!m || !isQueueId(id)) {
            ++unreadable;
        } else if (!seen.contains(id)) {
            seen.insert(id);
            m->id = id;
            m->queue = queue;
            m->directory = directory;
            contents.messages.append(std::move(*m));
            if (cut)
                contents.notes << QStringLiteral("%1: more than %2 KiB of recipients; only the first ones are listed").arg(id).arg(BytesPerFile / 1024);
        }
        file.clear();
        lines.clear();
        cut = false;
    };
    for (const QByteArray &record : ran->out.split('\n')) {
        if (record.startsWith('|')) {
            lines.append(record.constData() + 1, record.size() - 1).append('\n');
        } else if (record.startsWith("F ")) {
            finishFile();
            file = QString::fromUtf8(record.mid(2));
        } else if (record == "Z") {
            cut = true;
        } else if (record.startsWith("D ") || record.startsWith("E ")) {
            finishFile();
            const QList<QByteArray> words = record.split(' ');
            queue = QString::fromLatin1(words.value(1));
            const QByteArray rest = record.mid(3 + words.value(1).size());
            if (record.startsWith('D')) {
                directory = QString::fromUtf8(rest);
            } else {
                const qsizetype space = rest.lastIndexOf(' ');
                contents.notes << QStringLiteral("the %1 queue %2 is %3").arg(queue == QLatin1String("msp") ? QStringLiteral("submission") : QStringLiteral("MTA"),
                                                                                QString::fromUtf8(rest.left(space)), QString::fromUtf8(rest.mid(space + 1)));
            }
        }
    }
    finishFile();
    if (unreadable > 0)
        contents.notes << QStringLiteral("%1 queue file(s) could not be read (not a version sendmail 8 writes, or being written)").arg(unreadable);
    std::stable_sort(contents.messages.begin(), contents.messages.end(),
                     [](const QueuedMessage &a, const QueuedMessage &b) {
                         return a.queued != b.queued ? a.queued < b.queued : a.id < b.id;
                     });
    return contents;
}

} // namespace smtls
