#pragma once
// Every libssh handle is owned by a std::unique_ptr whose deleter is the matching free
// function, so no error path has to remember to free anything.

#include <libssh/libssh.h>

#include <memory>

namespace smtls::ssh {

struct SessionDeleter {
    void operator()(ssh_session session) const
    {
        if (ssh_is_connected(session))
            ssh_disconnect(session);
        ssh_free(session);
    }
};
struct ChannelDeleter {
    void operator()(ssh_channel channel) const { ssh_channel_free(channel); } // closes it when open
};
struct KeyDeleter {
    void operator()(ssh_key key) const { ssh_key_free(key); }
};
struct PublicKeyHashDeleter {
    void operator()(unsigned char *hash) const { ssh_clean_pubkey_hash(&hash); }
};
struct CStringDeleter {
    void operator()(char *text) const { ssh_string_free_char(text); }
};

using SessionHandle = std::unique_ptr<ssh_session_struct, SessionDeleter>;
using ChannelHandle = std::unique_ptr<ssh_channel_struct, ChannelDeleter>;
using KeyHandle = std::unique_ptr<ssh_key_struct, KeyDeleter>;
using PublicKeyHash = std::unique_ptr<unsigned char, PublicKeyHashDeleter>;
using CString = std::unique_ptr<char, CStringDeleter>;

// An ssh_event that polls one session; the session goes back to its own poll context before
// the event is freed (libssh requires the removal before ssh_event_free).
class SessionEvent {
public:
    explicit SessionEvent(ssh_session session) : m_session(session), m_event(ssh_event_new())
    {
        if (m_event && ssh_event_add_session(m_event, m_session) != SSH_OK) {
            ssh_event_free(m_event);
            m_event = nullptr;
        }
    }
    ~SessionEvent()
    {
        if (m_event) {
            ssh_event_remove_session(m_event, m_session);
            ssh_event_free(m_event);
        }
    }
    SessionEvent(const SessionEvent &) = delete;
    SessionEvent &operator=(const SessionEvent &) = delete;

    bool valid() const { return m_event != nullptr; }
    ssh_event get() const { return m_event; }

private:
    ssh_session m_session;
    ssh_event m_event;
};

} // namespace smtls::ssh
