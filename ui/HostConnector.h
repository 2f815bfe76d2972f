#pragma once
// Opens the way to one host, on a worker thread: a LocalTransport for "This computer" (through
// pkexec/sudo when not root) and the Demo tree, an SSH transport for the others (only when the
// build has smtls_ssh, through ssh::connectToHost). Questions for the user (host key, login and
// sudo passwords) go through the Prompter, which shows its dialogs on the UI thread while only
// this worker waits.

#include "HostEntry.h"
#include "RunMemory.h"
#include "apply/ApplyPipeline.h"
#include "apply/HostInspector.h"

#include <functional>
#include <memory>
#include <utility>

namespace smtls::gui {

class Prompter;

// An open way to a host: its transport, its profile and, for an SSH host, what inspecting it
// found (sendmail's version and STARTTLS, an interrupted apply).
struct Connection {
    std::unique_ptr<Transport> transport;
    HostProfile profile;
    std::optional<HostDetails> details;
};
using CommandLog = std::function<void(const CommandLogEntry &)>;


class HostConnector {
public:
    explicit HostConnector(std::shared_ptr<Prompter> prompter = {}) : m_prompter(std::move(prompter)) {}
    virtual ~HostConnector() = default;

    // What the caller needs besides the transport: reading a host's state wants its details
    // (one round trip that also runs sendmail -bv); an apply or a history read does not.
    enum class Details { IfNeeded, Wanted };

    // Thread-safe; blocking: call it from a worker. `log` hears what happens besides commands
    // (the keychain's answers). Details are read anyway when the profile is to be detected.
    virtual Result<Connection> connect(const HostEntry &entry, const CommandLog &log = {}, Details details = Details::IfNeeded) const;

    // Where the Demo host's writable tree lives (<AppLocalDataLocation>/demo).
    static QString demoRoot();
    // The Demo's profile: files only, restart simulated (an echo), sendmail -bt in a private UTS
    // namespace with a qualified host name (it sleeps 60 s on an unqualified one).
    static HostProfile demoProfile();

private:
    Result<Connection> connectLocal(const HostEntry &entry) const;
    Result<Connection> connectDemo(const HostEntry &entry) const;
    std::shared_ptr<Prompter> m_prompter;
    std::shared_ptr<RunMemory> m_memory = std::make_shared<RunMemory>();
};

// In HostConnectorSsh.cpp, built only with smtls_ssh.
Result<Connection> connectSsh(const HostEntry &entry, const std::shared_ptr<Prompter> &prompter,
                              const std::shared_ptr<RunMemory> &memory, const CommandLog &log, bool wantDetails);

} // namespace smtls::gui
