#include "delivery/DeliveryLog.h"

#include "transport/Transport.h"

#include <QMap>
#include <QSet>

namespace smtls {
namespace {

// The host side of readDeliveryLog: one pass over the log (or its tail), keeping per queue id
// only its newest `to=` line per relay, each with the STARTTLS error and tls_server reject its
// process logged before it (those lines name no queue id). grep -F picks the candidate lines
// first, so awk sees a fraction of a big log. Memory on the host: a few lines per id.
// $1 "tail" | "all", $2 bytes (or journal lines) of the tail, $3 root of the tree ("" on a
// host), then the logs to try in order ("journal" for journalctl). The ids come on stdin.
// Output: "S SOURCE" (empty: no log), "U FILE" per unreadable log, then "NR LINE" (NR: the
// line's position in what was read, so the caller puts them back in log order).
const QString ReadLogScript = QStringLiteral(
    "LC_ALL=C; export LC_ALL\n"
    "mode=$1; amount=$2; root=$3; shift 3\n"
    "src=\n"
    "for f in \"$@\"; do\n"
    "  if [ \"$f\" = journal ]; then\n"
    "    if [ -z \"$root\" ] && command -v journalctl >/dev/null 2>&1; then src=journal; break; fi\n"
    "  elif [ -e \"$root$f\" ]; then\n"
    "    if [ -r \"$root$f\" ]; then src=$f; break; fi\n"
    "    echo \"U $f\"\n"
    "  fi\n"
    "done\n"
    "echo \"S $src\"\n"
    "[ -n \"$src\" ] || exit 0\n"
    "ids=$(mktemp) || exit 70\n"
    "trap 'rm -f \"$ids\"' EXIT\n"
    "cat > \"$ids\"\n"
    "journal() { journalctl -q --no-pager -o short -t sm-mta -t sendmail -t sm-msp-queue \"$@\"; }\n"
    "read_log() {\n"
    "  if [ \"$src\" = journal ]; then\n"
    "    if [ \"$mode\" = tail ]; then journal -n \"$amount\"; else journal; fi\n"
    "  elif [ \"$mode\" = tail ]; then tail -c \"$amount\" \"$root$src\"\n"
    "  else\n"
    "    if [ -r \"$root$src.1\" ]; then cat \"$root$src.1\"; fi\n"
    "    cat \"$root$src\"\n"
    "  fi\n"
    "}\n"
    "read_log | grep -F -f \"$ids\" -e 'STARTTLS=client, error:' -e 'ruleset=tls_server,' | awk '\n"
    "  FNR == NR { want[$1] = 1; next }\n"
    "  {\n"
    "    i = index($0, \"]: \"); if (i == 0) next\n"
    "    j = i; while (j > 1 && substr($0, j, 1) != \"[\") j--\n"
    "    pid = substr($0, j + 1, i - j - 1); rest = substr($0, i + 3)\n"
    "    if (index(rest, \"STARTTLS=client, error:\") == 1) { err[pid] = NR \" \" $0; delete rej[pid]; next }\n"
    "    if (index(rest, \"ruleset=tls_server,\") == 1) { rej[pid] = NR \" \" $0; next }\n"
    "    k = index(rest, \": to=\"); if (k == 0) next\n"
    "    id = substr(rest, 1, k - 1); if (!(id in want)) next\n"
    "    relay = \"\"; if (match(rest, /, relay=[^,]*/)) relay = substr(rest, RSTART, RLENGTH)\n"
    "    key = id SUBSEP relay; rec = NR \" \" $0\n"
    "    if (pid in rej) rec = rej[pid] \"\\n\" rec\n"
    "    if (pid in err) rec = err[pid] \"\\n\" rec\n"
    "    keep[key] = rec\n"
    "  }\n"
    "  END { for (key in keep) print keep[key] }\n"
    "' \"$ids\" -\n");

// How much of the log's end is read first: most stuck mail was tried within the last hour.
constexpr qint64 TailBytes = 8 * 1024 * 1024;
constexpr int TailJournalLines = 50000;

const QStringList LogFiles{QStringLiteral("/var/log/mail.log"), QStringLiteral("/var/log/maillog"), QStringLiteral("journal")};

QString normalRecipient(QString address)
{
    address = address.trimmed();
    if (address.startsWith(QLatin1Char('<')) && address.endsWith(QLatin1Char('>')))
        address = address.mid(1, address.size() - 2);
    return address.toLower();
}

QByteArray fieldValue(const QList<QByteArray> &fields, const QByteArray &key)
{
    for (const QByteArray &f : fields)
        if (f.startsWith(key) && f.size() > key.size() && f.at(key.size()) == '=')
            return f.mid(key.size() + 1);
    return {};
}

// "mx1.relay.test. [127.0.2.1]" -> server, address; "[127.0.1.1] [127.0.1.1]" -> the address
// for both (a mailertable [literal]); "mta3.test." when the host status cache answered.
void splitRelay(const QByteArray &relay, QString &server, QString &address)
{
    const QList<QByteArray> words = relay.trimmed().split(' ');
    QByteArray name = words.value(0);
    if (name.startsWith('[') && name.endsWith(']'))
        name = name.mid(1, name.size() - 2);
    if (name.startsWith("IPv6:"))
        name = name.mid(5);
    if (name.endsWith('.'))
        name.chop(1);
    server = QString::fromUtf8(name).toLower();
    QByteArray addr = words.size() > 1 ? words.last() : QByteArray();
    if (addr.startsWith('[') && addr.endsWith(']'))
        addr = addr.mid(1, addr.size() - 2);
    if (addr.startsWith("IPv6:"))
        addr = addr.mid(5);
    address = QString::fromUtf8(addr);
}

QByteArray relayName(const QByteArray &rest)
{
    const qsizetype at = rest.indexOf("relay=");
    if (at < 0)
        return {};
    const qsizetype end = rest.indexOf(',', at);
    QByteArray name = rest.mid(at + 6, end < 0 ? -1 : end - at - 6).trimmed();
    if (name.endsWith('.'))
        name.chop(1);
    return name.toLower();
}

// A process's TLS trouble, waiting for the `to=` line it concerns.
struct TlsTrouble {
    QByteArray error;  // the STARTTLS=client, error: text
    QByteArray relay;  // from the tls_server reject, when logged
};

} // namespace

bool DeliveryAttempt::delivered() const
{
    return stat.startsWith(QLatin1String("Sent"));
}

bool DeliveryAttempt::bounced() const
{
    return dsn.startsWith(QLatin1Char('5'));
}

DeliveryLog parseDeliveryLines(const QByteArray &lines, const QStringList &ids)
{
    const QSet<QString> wanted(ids.begin(), ids.end());
    QHash<QByteArray, TlsTrouble> trouble;  // by process id
    // "relay=mta2.test." alone (the host status cache answered): the address of its last connection.
    QHash<QString, QString> addressOf;
    DeliveryLog log;
    qsizetype at = 0;
    while (at < lines.size()) {
        qsizetype end = lines.indexOf('\n', at);
        if (end < 0)
            end = lines.size();
        const QByteArray line = lines.mid(at, end - at);
        at = end + 1;
        const qsizetype colon = line.indexOf("]: ");
        if (colon < 0)
            continue;
        const qsizetype open = line.lastIndexOf('[', colon);
        const QByteArray pid = open < 0 ? QByteArray() : line.mid(open + 1, colon - open - 1);
        const QByteArray rest = line.mid(colon + 3);
        if (rest.startsWith("STARTTLS=client, error:")) {
            trouble[pid] = TlsTrouble{rest.mid(16).trimmed(), {}};
            continue;
        }
        if (rest.startsWith("ruleset=tls_server,")) {
            TlsTrouble &t = trouble[pid];
            t.relay = relayName(rest);
            if (t.error.isEmpty())
                t.error = rest;
            continue;
        }
        const qsizetype to = rest.indexOf(": to=");
        if (to <= 0)
            continue;
        const QString id = QString::fromLatin1(rest.left(to));
        if (!wanted.isEmpty() && !wanted.contains(id))
            continue;
        const QByteArray body = rest.mid(to + 2);
        const qsizetype statAt = body.indexOf(", stat=");
        if (statAt < 0)
            continue;
        DeliveryAttempt a;
        a.id = id;
        a.stat = QString::fromUtf8(body.mid(statAt + 7));
        if (a.stat.startsWith(QLatin1String("queued")))
            continue;  // accepted into the queue, not tried
        const QList<QByteArray> fields = body.left(statAt).split(',');
        // to= may list several recipients separated by bare commas; the fields are ", "-separated.
        QByteArray toList;
        for (const QByteArray &f : fields) {
            if (f.startsWith(' ') && f.contains('='))
                break;
            toList += (toList.isEmpty() ? "" : ",") + f;
        }
        for (const QByteArray &r : toList.mid(3).split(','))
            if (!r.trimmed().isEmpty())
                a.recipients << normalRecipient(QString::fromUtf8(r));
        QList<QByteArray> named;
        for (const QByteArray &f : fields)
            named << f.trimmed();
        splitRelay(fieldValue(named, "relay"), a.server, a.address);
        if (a.address.isEmpty())
            a.address = addressOf.value(a.server);
        else
            addressOf.insert(a.server, a.address);
        a.mailer = QString::fromUtf8(fieldValue(named, "mailer"));
        a.dsn = QString::fromUtf8(fieldValue(named, "dsn"));
        const bool deferred = a.stat.startsWith(QLatin1String("Deferred"));
        a.time = QString::fromUtf8(line.at(0) >= '0' && line.at(0) <= '9' ? line.left(line.indexOf(' ')) : line.left(15));
        if (deferred && a.stat.contains(QLatin1String("TLS handshake failed"), Qt::CaseInsensitive))
            a.tlsFailure = true;
        const auto t = trouble.constFind(pid);
        if (t != trouble.constEnd() && (t->relay.isEmpty() || t->relay == a.server.toUtf8())) {
            a.tlsError = QString::fromUtf8(t->error);
            // "dsn=4.7.0, stat=Deferred": the second message of a queue run to a server whose
            // handshake just failed (sendmail's host status cache), with no reason of its own.
            if (deferred && a.dsn.startsWith(QLatin1String("4.7")))
                a.tlsFailure = true;
        }
        // This attempt is now the newest for its recipients: older attempts keep only the rest.
        QList<DeliveryAttempt> &list = log.lastAttempts[id];
        for (qsizetype i = list.size() - 1; i >= 0; --i) {
            QStringList &older = list[i].recipients;
            for (const QString &r : std::as_const(a.recipients))
                older.removeAll(r);
            if (older.isEmpty())
                list.removeAt(i);
        }
        list.append(std::move(a));
    }
    return log;
}

Result<DeliveryLog> readDeliveryLog(Transport &transport, const QStringList &ids)
{
    QString root = transport.commandPath(QStringLiteral("/"));
    if (root == QLatin1String("/"))
        root.clear();
    QStringList notes;
    QString source;
    // One pass on the host; the lines of `askFor` in log order.
    const auto pass = [&](const QString &mode, qint64 amount, const QStringList &sources,
                          const QStringList &askFor) -> Result<QByteArray> {
        QByteArray input;
        for (const QString &id : askFor)
            input += id.toLatin1() + '\n';
        const Result<CommandResult> ran = transport.run(
            CommandLine::shellScript(ReadLogScript, QStringList{mode, QString::number(amount), root} + sources), input,
            std::chrono::seconds(mode == QLatin1String("tail") ? 60 : 180));
        if (!ran)
            return ran.error();
        if (!ran->ok())
            return makeError(ErrorKind::FileAccess, QStringLiteral("cannot read the mail log (exit %1): %2")
                                                        .arg(ran->exitCode)
                                                        .arg(ran->firstErrorLine()));
        QMap<qint64, QByteArray> found;  // by position in what was read
        for (const QByteArray &record : ran->out.split('\n')) {
            if (record.startsWith("S ") || record == "S") {
                source = QString::fromUtf8(record.mid(2));
            } else if (record.startsWith("U ")) {
                notes << QStringLiteral("%1 cannot be read").arg(QString::fromUtf8(record.mid(2)));
            } else {
                const qsizetype space = record.indexOf(' ');
                bool ok = false;
                const qint64 nr = record.left(space).toLongLong(&ok);
                if (ok && space > 0)
                    found.insert(nr, record.mid(space + 1));
            }
        }
        QByteArray lines;
        for (const QByteArray &l : std::as_const(found))
            lines += l + '\n';
        return lines;
    };

    Result<QByteArray> tail = pass(QStringLiteral("tail"), TailBytes, LogFiles, ids);
    if (!tail)
        return tail.error();
    if (source.isEmpty()) {
        DeliveryLog none;
        none.notes = notes << QStringLiteral("no mail log on this host (/var/log/mail.log, /var/log/maillog, the journal)");
        return none;
    }
    DeliveryLog log = parseDeliveryLines(*tail, ids);
    QStringList missing;
    for (const QString &id : ids)
        if (!log.lastAttempts.contains(id))
            missing << id;
    if (!missing.isEmpty()) {
        // Further back, for those only: the whole log and the rotated one before it. What this
        // finds is older than the tail, so it goes first.
        Result<QByteArray> older = pass(QStringLiteral("all"), source == QLatin1String("journal") ? TailJournalLines : TailBytes,
                                        {source}, missing);
        if (older)
            log = parseDeliveryLines(*older + *tail, ids);
        else
            notes << older.error().message;
    }
    log.source = source;
    log.notes = notes + log.notes;
    return log;
}

} // namespace smtls
