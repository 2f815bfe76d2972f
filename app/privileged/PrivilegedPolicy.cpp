#include "PrivilegedPolicy.h"

#include "KnownScripts.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

namespace smtls::privileged {

namespace {

Error refused(const QString &why)
{
    return makeError(ErrorKind::Refused, QStringLiteral("the privileged helper refuses this: %1").arg(why));
}

// Where a program named by a full path may live; bare names are looked up in the helper's own
// fixed PATH.
const QStringList SystemBinFolders{QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin"), QStringLiteral("/sbin"),
                                   QStringLiteral("/bin"), QStringLiteral("/usr/local/sbin"), QStringLiteral("/usr/local/bin"),
                                   QStringLiteral("/usr/libexec/sendmail")};

// The logs readDeliveryLog may ask for (DeliveryLog.cpp's LogFiles).
const QStringList MailLogs{QStringLiteral("/var/log/mail.log"), QStringLiteral("/var/log/maillog")};

bool isUnit(const QString &w) { return w == QLatin1String("sendmail") || w == QLatin1String("sendmail.service"); }

} // namespace

PrivilegedPolicy::PrivilegedPolicy(QStringList folders) : m_folders(std::move(folders)) {}

QStringList PrivilegedPolicy::systemFolders()
{
    return QStringList{QStringLiteral("/etc/mail"), QStringLiteral("/var/lib/sendmail-tls"), QStringLiteral("/var/backups/sendmail-tls"),
                       QStringLiteral("/var/spool/mqueue"), QStringLiteral("/var/spool/mqueue-client"), QStringLiteral("/run/sendmail"),
                       QStringLiteral("/run/sendmail.pid"), QStringLiteral("/var/run/sendmail"), QStringLiteral("/var/run/sendmail.pid"),
                       QStringLiteral("/usr/share/sendmail")}
        + MailLogs;
}

Status PrivilegedPolicy::checkPath(const QString &word) const
{
    QString path = word;
    if (path.size() > 1 && path.endsWith(QLatin1Char('/')))
        path.chop(1);
    // Absolute and already clean: no ".", "..", "//" for a reader of the path to resolve.
    if (!path.startsWith(QLatin1Char('/')) || QDir::cleanPath(path) != path)
        return refused(QStringLiteral("'%1' is not a plain absolute path").arg(word));
    for (const QString &folder : m_folders)
        if (path == folder || path.startsWith(folder + QLatin1Char('/')))
            return std::nullopt;
    return refused(QStringLiteral("'%1' is outside the mail folders (%2)").arg(word, m_folders.join(QStringLiteral(", "))));
}

Status PrivilegedPolicy::checkReadPath(const QString &path) const { return checkPath(path); }

Status PrivilegedPolicy::checkWords(const QStringList &words) const
{
    static const QRegularExpression define(QStringLiteral("^-D[A-Za-z_]+=(/.*)$"));  // m4's -D_CF_DIR_=/usr/share/…
    for (const QString &w : words) {
        if (w == QLatin1String(".") || w == QLatin1String(".."))
            return refused(QStringLiteral("the word '%1' names a folder relative to another").arg(w));
        if (!w.contains(QLatin1Char('/')))
            continue;
        if (const QRegularExpressionMatch m = define.match(w); m.hasMatch()) {
            if (Status s = checkPath(m.captured(1)))
                return s;
            continue;
        }
        if (Status s = checkPath(w))
            return s;
    }
    return std::nullopt;
}

Status PrivilegedPolicy::checkProgram(const QString &program, const QString &wanted) const
{
    const QFileInfo info(program);
    if (program.contains(QLatin1Char('/')) && !SystemBinFolders.contains(info.path()))
        return refused(QStringLiteral("'%1' is not in a system program folder").arg(program));
    if (info.fileName() != wanted)
        return refused(QStringLiteral("'%1' where %2 was expected").arg(program, wanted));
    return std::nullopt;
}

Status PrivilegedPolicy::check(const CommandLine &command) const { return checkDirect(command); }

Status PrivilegedPolicy::checkDirect(const CommandLine &c) const
{
    const QString name = QFileInfo(c.program).fileName();
    if (c.program.contains(QLatin1Char('/')) && !SystemBinFolders.contains(QFileInfo(c.program).path()))
        return refused(QStringLiteral("'%1' is not in a system program folder").arg(c.program));
    const QStringList &a = c.arguments;
    const auto exactly = [&](std::initializer_list<QStringList> forms) -> Status {
        for (const QStringList &f : forms)
            if (a == f)
                return std::nullopt;
        return refused(QStringLiteral("%1 only as the apply runs it, not with '%2'").arg(name, a.join(QLatin1Char(' '))));
    };
    if (name == QLatin1String("sh")) {
        if (a.size() < 3 || a[0] != QLatin1String("-c") || a[2] != QLatin1String("sh"))
            return refused(QStringLiteral("sh only as 'sh -c SCRIPT sh PARAMETERS…'"));
        return checkScript(a[1], a.mid(3));
    }
    static const QStringList programs{QStringLiteral("sendmail"), QStringLiteral("make"), QStringLiteral("touch"), QStringLiteral("service"),
                                      QStringLiteral("invoke-rc.d"), QStringLiteral("systemctl"), QStringLiteral("true"),
                                      QStringLiteral("logger"), QStringLiteral("etckeeper")};
    if (!programs.contains(name))
        return refused(QStringLiteral("'%1' is not one of the programs an apply runs (sendmail, m4, makemap, make, touch, "
                                      "service/systemctl/invoke-rc.d for sendmail, logger and etckeeper for the audit, and "
                                      "sendmail-tls's own scripts)")
                           .arg(c.program));
    // The audit (issue 14): one syslog line, one etckeeper commit. Their last word is a
    // message, not a path: any text, as the only argument that is not fixed.
    if (name == QLatin1String("logger")) {
        if (a.size() == 6 && a.mid(0, 5) == QStringList{QStringLiteral("-t"), QStringLiteral("sendmail-tls"), QStringLiteral("-p"),
                                                         QStringLiteral("mail.notice"), QStringLiteral("--")})
            return std::nullopt;
        return refused(QStringLiteral("logger only as 'logger -t sendmail-tls -p mail.notice -- LINE'"));
    }
    if (name == QLatin1String("etckeeper")) {
        if (a.size() == 3 && a[0] == QLatin1String("commit") && a[1] == QLatin1String("-m"))
            return std::nullopt;
        return refused(QStringLiteral("etckeeper only as 'etckeeper commit -m MESSAGE'"));
    }
    if (Status s = checkWords(a))
        return s;
    if (name == QLatin1String("sendmail")) {
        static const QRegularExpression queueRun(QStringLiteral("^-qI[A-Za-z0-9]{1,64}$"));
        static const QStringList plain{QStringLiteral("-bt"), QStringLiteral("-bv"), QStringLiteral("-qf"), QStringLiteral("-Ac"),
                                       QStringLiteral("-d0.1"), QStringLiteral("root")};
        for (qsizetype i = 0; i < a.size(); ++i) {
            if (a[i] == QLatin1String("-C") && i + 1 < a.size() && a[i + 1].startsWith(QLatin1Char('/'))) {
                ++i;  // the path was checked with the other words
                continue;
            }
            if (!plain.contains(a[i]) && !queueRun.match(a[i]).hasMatch())
                return refused(QStringLiteral("sendmail's option '%1' is not one the apply uses").arg(a[i]));
        }
        return std::nullopt;
    }
    if (name == QLatin1String("make")) {
        if (a.size() == 2 && a[0] == QLatin1String("-C"))
            return std::nullopt;  // the folder was checked with the other words
        return refused(QStringLiteral("make only as 'make -C MAILFOLDER'"));
    }
    if (name == QLatin1String("touch")) {
        if (a.size() == 2 && a[0] == QLatin1String("--") && a[1].startsWith(QLatin1Char('/')))
            return std::nullopt;
        return refused(QStringLiteral("touch only as 'touch -- PATH'"));
    }
    if (name == QLatin1String("service"))
        return exactly({{QStringLiteral("sendmail"), QStringLiteral("restart")}, {QStringLiteral("sendmail"), QStringLiteral("status")}});
    if (name == QLatin1String("invoke-rc.d"))
        return exactly({{QStringLiteral("sendmail"), QStringLiteral("restart")}, {QStringLiteral("sendmail"), QStringLiteral("status")}});
    if (name == QLatin1String("systemctl")) {
        if ((a.size() == 2 && a[0] == QLatin1String("restart") && isUnit(a[1]))
            || (a.size() == 3 && a[0] == QLatin1String("is-active") && a[1] == QLatin1String("--quiet") && isUnit(a[2])))
            return std::nullopt;
        return refused(QStringLiteral("systemctl only to restart sendmail or ask whether it runs"));
    }
    if (a.isEmpty())
        return std::nullopt;  // true
    return refused(QStringLiteral("true takes no arguments"));
}

Status PrivilegedPolicy::checkScript(const QString &script, const QStringList &p) const
{
    const KnownScripts &known = KnownScripts::get();
    if (script.startsWith(QLatin1String("run_sequence() { ")))
        return checkSequence(script, p);
    const auto kind = known.scripts.constFind(script);
    if (kind == known.scripts.constEnd())
        return refused(QStringLiteral("the script is not one of sendmail-tls's own (they are compiled into the helper)"));
    if (Status s = checkWords(p))
        return s;
    switch (*kind) {
    case Script::Plain:
        return std::nullopt;
    case Script::Compile:
        if (p.size() < 3)
            return refused(QStringLiteral("m4's script without m4"));
        return checkProgram(p[2], QStringLiteral("m4"));
    case Script::BuildMap: {
        static const QStringList types{QStringLiteral("hash"), QStringLiteral("btree"), QStringLiteral("cdb"), QStringLiteral("dbm")};
        if (p.size() != 4 || !types.contains(p[1]))
            return refused(QStringLiteral("makemap's script only with a map type and two paths"));
        return checkProgram(p[0], QStringLiteral("makemap"));
    }
    case Script::Health:
        if (p.size() > 4)
            return checkDirect(CommandLine{p[4], p.mid(5)});
        return std::nullopt;
    case Script::StateAfter: {
        bool ok = false;
        const int n = p.value(1).toInt(&ok);
        if (!ok || n < 0 || n > p.size() - 2)
            return refused(QStringLiteral("the state script's count does not match its paths"));
        if (p.size() > 2 + n)
            return checkDirect(CommandLine{p[2 + n], p.mid(3 + n)});
        return std::nullopt;
    }
    case Script::Facts:
        if (p.size() != 2)
            return refused(QStringLiteral("the facts script takes sendmail and one path"));
        return checkProgram(p[0], QStringLiteral("sendmail"));
    case Script::ReadLog:
        if (p.size() < 3 || !p[2].isEmpty())
            return refused(QStringLiteral("the log reader reads the host's own logs only"));
        for (const QString &source : p.mid(3))
            if (source != QLatin1String("journal") && !MailLogs.contains(source))
                return refused(QStringLiteral("'%1' is not a mail log").arg(source));
        return std::nullopt;
    case Script::ReadQueues:
        if (!p.value(0).isEmpty())
            return refused(QStringLiteral("the queue reader reads the host's own queues only"));
        return std::nullopt;
    case Script::RemoveTree:
        for (const QString &folder : m_folders)
            if (p.size() == 1 && p[0].startsWith(folder + QLatin1Char('/')))
                return std::nullopt;
        return refused(QStringLiteral("only a folder inside the mail folders is removed, never one of them"));
    case Script::RemoveSnapshots: {
        static const QRegularExpression id(QStringLiteral("^[0-9]{1,30}(-[0-9a-f]{4})?$"));  // HostSnapshots' isSnapshotId
        for (const QString &w : p.mid(1))
            if (!id.match(w).hasMatch())
                return refused(QStringLiteral("'%1' is not a snapshot id").arg(w));
        return std::nullopt;
    }
    }
    return refused(QStringLiteral("unknown script kind"));
}

Status PrivilegedPolicy::checkSequence(const QString &script, const QStringList &p) const
{
    // CommandLine::sequence: "run_sequence() { "${1}" "${2}" && "${3}"; }\n" + AROUND, every word
    // a parameter; AROUND is either the plain call or activateCommand's (whose own parameters
    // come first: the sums file, N, then N built files).
    const qsizetype end = script.indexOf(QLatin1String("; }\n"));
    if (end < 0)
        return refused(QStringLiteral("not a command sequence of sendmail-tls"));
    const QString body = script.mid(17, end - 17);
    const QString around = script.mid(end + 4);
    qsizetype own = 0;
    if (around == QLatin1String("run_sequence \"$@\"\n")) {
        own = 0;
    } else if (around == KnownScripts::get().activateAround) {
        bool ok = false;
        const int n = p.value(1).toInt(&ok);
        if (!ok || n < 0 || n > p.size() - 2)
            return refused(QStringLiteral("the activation script's count does not match its files"));
        own = 2 + n;
    } else {
        return refused(QStringLiteral("the script around the command sequence is not one of sendmail-tls's own"));
    }
    if (Status s = checkWords(p.mid(0, own)))
        return s;
    const QStringList words = p.mid(own);
    qsizetype next = 0;
    if (body != QLatin1String(":")) {
        for (const QString &step : body.split(QStringLiteral(" && "))) {
            QStringList command;
            for (const QString &token : step.split(QLatin1Char(' '))) {
                if (token != QStringLiteral("\"${%1}\"").arg(next + 1) || next >= words.size())
                    return refused(QStringLiteral("not a command sequence of sendmail-tls"));
                command << words[next++];
            }
            if (QFileInfo(command.first()).fileName() == QLatin1String("sh"))
                return refused(QStringLiteral("no shell script inside a command sequence"));
            if (Status s = checkDirect(CommandLine{command.first(), command.mid(1)}))
                return s;
        }
    }
    if (next != words.size())
        return refused(QStringLiteral("the command sequence has words it does not run"));
    return std::nullopt;
}

} // namespace smtls::privileged
