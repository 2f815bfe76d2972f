#include "KeychainStore.h"

#ifdef SMTLS_HAVE_KEYCHAIN
#include <qt6keychain/keychain.h>

#include <QCoreApplication>
#include <QThread>

#include <chrono>
#include <future>
#include <memory>
#endif

namespace smtls::gui {

namespace {
#ifdef SMTLS_HAVE_KEYCHAIN
const QString Service = QStringLiteral("sendmail-tls-gui");

struct JobResult {
    bool ok = false;
    QString text;   // the secret read
    QString error;  // why not
};

// Runs a QtKeychain job on the UI thread and waits here (a worker) for its end. Not in the
// worker's own event loop: libsecret binds its D-Bus service to the thread that first used
// it, and a later job from another pool thread then never finished (seen: a login hung in
// KeychainStore::read). The UI thread keeps running while the job is asynchronous on it.
JobResult runOnUiThread(std::function<QKeychain::Job *()> makeJob)
{
    QCoreApplication *app = QCoreApplication::instance();
    if (!app)
        return {false, {}, QCoreApplication::translate("KeychainStore", "the program is ending")};
    auto done = std::make_shared<std::promise<JobResult>>();
    std::future<JobResult> result = done->get_future();
    const auto start = [makeJob = std::move(makeJob), done] {
        QKeychain::Job *job = makeJob();
        job->setAutoDelete(true);
        QObject::connect(job, &QKeychain::Job::finished, job, [done](QKeychain::Job *finished) {
            JobResult r;
            r.ok = finished->error() == QKeychain::NoError;
            r.error = finished->errorString();
            if (auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(finished); read && r.ok)
                r.text = read->textData();
            done->set_value(r);
        });
        job->start();
    };
    if (QThread::currentThread() == app->thread())
        return {false, {}, QCoreApplication::translate("KeychainStore", "asked on the UI thread, which must not wait")};
    QMetaObject::invokeMethod(app, start, Qt::QueuedConnection);
    // A locked keyring asks the user for its password: give them time, but not forever.
    if (result.wait_for(std::chrono::seconds(90)) != std::future_status::ready)
        return {false, {}, QCoreApplication::translate("KeychainStore", "the system keychain did not answer within 90 s")};
    return result.get();
}
#endif
} // namespace

bool KeychainStore::available()
{
#ifdef SMTLS_HAVE_KEYCHAIN
    return true;  // QtKeychain 0.13 cannot tell before a job runs; a failed job reports itself
#else
    return false;
#endif
}

std::optional<QString> KeychainStore::read(const QString &key)
{
#ifdef SMTLS_HAVE_KEYCHAIN
    const JobResult r = runOnUiThread([key] {
        auto *job = new QKeychain::ReadPasswordJob(Service);
        job->setKey(key);
        return job;
    });
    if (r.ok)
        return r.text;
#else
    Q_UNUSED(key);
#endif
    return std::nullopt;
}

Status KeychainStore::write(const QString &key, const QString &secret)
{
#ifdef SMTLS_HAVE_KEYCHAIN
    const JobResult r = runOnUiThread([key, secret] {
        auto *job = new QKeychain::WritePasswordJob(Service);
        job->setKey(key);
        job->setTextData(secret);
        job->setInsecureFallback(false);  // never a clear-text file
        return job;
    });
    if (r.ok)
        return std::nullopt;
    return makeError(ErrorKind::FileAccess, QCoreApplication::translate("KeychainStore", "the system keychain refused: %1").arg(r.error));
#else
    Q_UNUSED(key);
    Q_UNUSED(secret);
    return makeError(ErrorKind::Internal, QCoreApplication::translate("KeychainStore", "this build has no keychain support"));
#endif
}

} // namespace smtls::gui
