#include "ssh/ChannelExec.h"

#include "ssh/SshHandles.h"

#include <algorithm>

namespace smtls::ssh {

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds Slice = 200ms;
constexpr uint32_t ChunkSize = 64 * 1024;

bool sessionAlive(ssh_session session)
{
    return ssh_is_connected(session) && !(ssh_get_status(session) & (SSH_CLOSED | SSH_CLOSED_ERROR));
}

// Reads what is buffered on one stream. Returns bytes read, 0 for nothing, or SSH_ERROR.
int drain(ssh_channel channel, bool isStderr, QByteArray &into)
{
    char buffer[ChunkSize];
    int total = 0;
    for (;;) {
        const int n = ssh_channel_read_nonblocking(channel, buffer, sizeof buffer, isStderr ? 1 : 0);
        if (n == SSH_ERROR)
            return SSH_ERROR;
        if (n <= 0) // 0: nothing now; SSH_EOF: end of stream
            return total;
        into.append(buffer, n);
        total += n;
    }
}

} // namespace

ChannelExecResult execOnChannel(ssh_session session, const QByteArray &command, const QByteArray &standardInput,
                                std::chrono::milliseconds timeout, const std::atomic_bool &cancelled)
{
    ChannelExecResult result;
    const auto fail = [&](ChannelExecResult::End end) {
        result.end = end;
        result.error = QString::fromUtf8(ssh_get_error(session));
        if (end == ChannelExecResult::End::Failed && !sessionAlive(session))
            result.end = ChannelExecResult::End::Lost;
        return result;
    };
    if (!sessionAlive(session)) {
        result.error = QStringLiteral("not connected");
        result.end = ChannelExecResult::End::Lost;
        return result;
    }
    const ChannelHandle channel(ssh_channel_new(session));
    if (!channel || ssh_channel_open_session(channel.get()) != SSH_OK)
        return fail(ChannelExecResult::End::Failed);
    if (ssh_channel_request_exec(channel.get(), command.constData()) != SSH_OK)
        return fail(ChannelExecResult::End::Failed);

    const SessionEvent event(session);
    if (!event.valid())
        return fail(ChannelExecResult::End::Failed);
    const Clock::time_point deadline = Clock::now() + timeout;
    qsizetype written = 0;
    bool eofSent = false;

    for (;;) {
        if (cancelled.load())
            result.end = ChannelExecResult::End::Cancelled;
        else if (Clock::now() >= deadline)
            result.end = ChannelExecResult::End::TimedOut;
        if (result.end == ChannelExecResult::End::Cancelled || result.end == ChannelExecResult::End::TimedOut) {
            ssh_channel_request_send_signal(channel.get(), "TERM");
            return result;
        }

        // Only as much stdin as the window takes, so a write never blocks while the command
        // waits for us to read its output.
        while (!eofSent && written < standardInput.size()) {
            const uint32_t window = ssh_channel_window_size(channel.get());
            if (window == 0)
                break;
            const uint32_t n = std::min({window, ChunkSize, uint32_t(standardInput.size() - written)});
            const int rc = ssh_channel_write(channel.get(), standardInput.constData() + written, n);
            if (rc == SSH_ERROR) {
                // A command that exits without reading all its input is not an error.
                if (sessionAlive(session) && (ssh_channel_is_eof(channel.get()) || ssh_channel_is_closed(channel.get()))) {
                    eofSent = true;
                    break;
                }
                return fail(ChannelExecResult::End::Failed);
            }
            written += rc;
        }
        if (!eofSent && written == standardInput.size()) {
            if (ssh_channel_send_eof(channel.get()) == SSH_ERROR)
                return fail(ChannelExecResult::End::Failed);
            eofSent = true;
        }

        const int gotOut = drain(channel.get(), false, result.out);
        const int gotErr = drain(channel.get(), true, result.err);
        if (gotOut == SSH_ERROR || gotErr == SSH_ERROR)
            return fail(ChannelExecResult::End::Lost);
        if ((ssh_channel_is_eof(channel.get()) || ssh_channel_is_closed(channel.get()))
            && ssh_channel_poll(channel.get(), 0) <= 0 && ssh_channel_poll(channel.get(), 1) <= 0)
            break;
        if (gotOut > 0 || gotErr > 0)
            continue;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        const auto wait = std::clamp(left, 1ms, Slice);
        if (ssh_event_dopoll(event.get(), int(wait.count())) == SSH_ERROR && !sessionAlive(session))
            return fail(ChannelExecResult::End::Lost);
        if (!sessionAlive(session))
            return fail(ChannelExecResult::End::Lost);
    }

    // After EOF the status is here or follows at once; libssh waits (bounded by the session
    // timeout) and gives -1 when a signal ended the command.
    result.exitStatus = ssh_channel_get_exit_status(channel.get());
    if (result.exitStatus < 0 && !sessionAlive(session))
        return fail(ChannelExecResult::End::Lost);
    ssh_channel_close(channel.get());
    result.end = ChannelExecResult::End::Finished;
    return result;
}

} // namespace smtls::ssh
