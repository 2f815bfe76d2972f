#pragma once
// Reads a host's stuck mail (readStuckMail: both queues, the mail log's last attempts, the MX
// answer of the host's own sendmail for messages the log no longer has) on a worker, through
// the session's connector. One read at a time per reader: a new read cancels the one running
// and only the newest one's answer is handed on, so a refresh never shows an older answer.

#include "delivery/StuckMail.h"

#include <QObject>

#include <memory>

namespace smtls::gui {

class HostSession;
class HostTaskCancel;

class QueueReader : public QObject {
    Q_OBJECT
public:
    explicit QueueReader(QObject *parent = nullptr);
    ~QueueReader() override;

    void read(HostSession *session);
    // Stops the running read (its command on the host is cancelled); cancelled() follows.
    void cancel();
    bool busy() const { return m_cancel != nullptr; }

Q_SIGNALS:
    void progress(const QString &step);
    void finished(std::shared_ptr<const smtls::StuckMail> stuck);
    void failed(const QString &error);
    void cancelled();

private:
    void answer(quint64 generation, const Result<std::shared_ptr<const StuckMail>> &stuck);

    quint64 m_generation = 0;
    std::shared_ptr<HostTaskCancel> m_cancel;  // of the running read; null when none runs
};

} // namespace smtls::gui
