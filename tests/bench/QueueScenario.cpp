#include "QueueScenario.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace smtls::bench {
namespace {

std::string readAll(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return in ? s.str() : std::string();
}

bool writeAll(const std::string &path, const std::string &bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
    return bool(out);
}

void replaceAll(std::string &text, const std::string &from, const std::string &to)
{
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
}

// The log line of the captured message's last attempt.
std::string lastLineOf(const std::string &log, const std::string &id)
{
    std::string found, line;
    std::istringstream in(log);
    while (std::getline(in, line))
        if (line.find(id + ": to=") != std::string::npos)
            found = line;
    return found;
}

// A queue id of sendmail's shape (14 characters), distinct per n.
std::string fakeId(int n)
{
    char id[32];
    std::snprintf(id, sizeof id, "6B3Q%010d", n);
    return id;
}

// Captured in tests/core/data/queue (see its README): a message stuck on a TLS handshake and
// one at a server that refuses connections.
const std::string TlsId = "6B27RNvX002534";
const std::string RefusedId = "6B27RG7r002268";

} // namespace

bool writeQueueTree(const std::string &data, const std::string &root, int messages, int attempts, QueueTree *tree)
{
    std::error_code ec;
    fs::remove_all(root, ec);
    fs::create_directories(root + "/var/spool/mqueue", ec);
    fs::create_directories(root + "/var/log", ec);
    fs::copy(data + "/etc", root + "/etc", fs::copy_options::recursive, ec);
    if (ec)
        return false;
    const std::string log = readAll(data + "/var/log/mail.log");
    const std::string tlsQf = readAll(data + "/var/spool/mqueue/qf" + TlsId);
    const std::string refusedQf = readAll(data + "/var/spool/mqueue/qf" + RefusedId);
    const std::string tlsLine = lastLineOf(log, TlsId), refusedLine = lastLineOf(log, RefusedId);
    if (tlsQf.empty() || refusedQf.empty() || tlsLine.empty() || refusedLine.empty())
        return false;
    // Other mail between the attempts, as on a real host: delivered messages' lines.
    const std::string other = "Dec  2 07:30:01 mta1 sm-mta[4242]: 6B3ZZZZZ000000: to=<someone@elsewhere.example>, "
                              "delay=00:00:01, xdelay=00:00:01, mailer=esmtp, pri=120000, relay=mx.elsewhere.example. "
                              "[192.0.2.25], dsn=2.0.0, stat=Sent (ok 1733128201 qp 4242)\n";
    std::ofstream out(root + "/var/log/mail.log", std::ios::binary | std::ios::trunc);
    for (int attempt = 0; attempt < attempts; ++attempt) {
        for (int i = 0; i < messages; ++i) {
            std::string line = (i % 5 != 0 ? tlsLine : refusedLine) + '\n';
            replaceAll(line, i % 5 != 0 ? TlsId : RefusedId, fakeId(i));
            out << line << other << other;
        }
    }
    out.close();
    if (!out)
        return false;
    for (int i = 0; i < messages; ++i)
        if (!writeAll(root + "/var/spool/mqueue/qf" + fakeId(i), i % 5 != 0 ? tlsQf : refusedQf))
            return false;
    tree->root = root;
    tree->messages = messages;
    tree->logBytes = fs::file_size(root + "/var/log/mail.log", ec);
    return !ec;
}

ReadScenario makeQueueScenario(const QueueTree &tree, const std::string &cli)
{
    const std::string spool = tree.root + "/var/spool/mqueue", log = tree.root + "/var/log/mail.log";
    // What an administrator does with mailq's ids: one grep of the log per message.
    const std::string perMessage = "cd '" + spool + "' && for f in qf*; do grep -F \"${f#qf}: to=\" '" + log +
                                   "' | tail -n 1; done";
    char name[128];
    std::snprintf(name, sizeof name, "queue by server (%d messages, %.0f MiB log)", tree.messages,
                  double(tree.logBytes) / (1024.0 * 1024.0));
    return ReadScenario{name, "for each qf: grep ID mail.log | tail -1",
                        {cli, "--root", tree.root, "queue", "--json"}, {"sh", "-c", perMessage},
                        "\"tlsFailure\": true", "stat=Deferred: 454 4.7.0 TLS handshake failed."};
}

} // namespace smtls::bench
