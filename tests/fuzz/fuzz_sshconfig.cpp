// Fuzzes reading an ssh_config for a host alias: ssh::configureSession, the function
// HostConnection uses. libssh parses the file (ssh_options_parse_config); ours is what is
// around it: the HostName workaround (a first parse to learn the HostName, then a copy of the
// file without HostName lines, written to a temporary file), the overrides, the ProxyJump
// rewrite and the ~ and %d expansion of known_hosts and identity paths. libssh itself is the
// system's, not instrumented: libFuzzer sees only our coverage, and a bug inside libssh would
// show as a crash in it, not as a finding of ours.
//
// The input is the file; the alias is fixed ("mta1"): the seeds have Host lines that match it
// and others that do not, and mutation reaches the rest.
//
// Inputs that mention "exec" or "include" (any case) are skipped: libssh runs the command of
// "Match exec" with /bin/sh and reads the files of "Include", and a fuzzer must neither run
// random commands nor read random paths (/dev/stdin would hang, /dev/zero never ends).
//
// Properties, on any other bytes: no crash, leak or undefined behaviour; a resolved host has an
// address, a port in 1..65535, a user, a known_hosts file and identity candidates.

#include "FuzzCheck.h"

#include "ssh/SshConfig.h"

#include <QFile>
#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>

using namespace smtls;
using smtls::fuzz::require;

namespace {

// One file, rewritten for every input: creating a temporary file per input would cost more
// than the parse.
const QString &configPath()
{
    static QTemporaryDir dir;  // removed at exit
    static const QString path = dir.path() + QStringLiteral("/config");
    return path;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const QByteArray lower = bytes.toLower();
    if (lower.contains("exec") || lower.contains("include"))
        return -1;  // not kept in the corpus (libFuzzer's "reject" return value)

    {
        QFile file(configPath());
        require(file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size(),
                "the harness can write its temporary config file");
    }
    ssh_session session = ssh_new();
    require(session != nullptr, "ssh_new works");
    ssh::SshTarget target;
    target.alias = QStringLiteral("mta1");
    target.configFile = configPath();
    const Result<ssh::ResolvedHost> host = ssh::configureSession(session, target);
    if (host) {
        require(!host->address.isEmpty(), "a resolved host has an address", {{"config", bytes}});
        require(host->port >= 1 && host->port <= 65535, "a resolved host's port is 1..65535",
                {{"config", bytes}, {"port", QByteArray::number(host->port)}});
        require(!host->user.isEmpty(), "a resolved host has a user", {{"config", bytes}});
        require(!host->knownHostsFile.isEmpty(), "a resolved host has a known_hosts file", {{"config", bytes}});
        require(!host->identityFiles.isEmpty(), "a resolved host has identity candidates", {{"config", bytes}});
        for (const QString &identity : host->identityFiles)
            require(!identity.startsWith(QLatin1String("~/")) && !identity.startsWith(QLatin1String("%d/")),
                    "identity paths are expanded", {{"config", bytes}, {"identity", identity.toUtf8()}});
    }
    ssh_free(session);
    return 0;
}
