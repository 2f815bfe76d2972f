#include "KeychainStore.h"

#ifdef SMTLS_HAVE_KEYCHAIN
#include <qt6keychain/keychain.h>

#include <QEventLoop>
#endif

namespace smtls::gui {

namespace {
#ifdef SMTLS_HAVE_KEYCHAIN
const QString Service = QStringLiteral("sendmail-tls-gui");

// Runs a QtKeychain job to its end in this (worker) thread's own event loop.
bool runJob(QKeychain::Job &job)
{
    QEventLoop loop;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
    job.setAutoDelete(false);
    job.start();
    loop.exec();
    return job.error() == QKeychain::NoError;
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
    QKeychain::ReadPasswordJob job(Service);
    job.setKey(key);
    if (runJob(job))
        return job.textData();
#else
    Q_UNUSED(key);
#endif
    return std::nullopt;
}

Status KeychainStore::write(const QString &key, const QString &secret)
{
#ifdef SMTLS_HAVE_KEYCHAIN
    QKeychain::WritePasswordJob job(Service);
    job.setKey(key);
    job.setTextData(secret);
    job.setInsecureFallback(false);  // never a clear-text file
    if (runJob(job))
        return std::nullopt;
    return makeError(ErrorKind::FileAccess, QStringLiteral("the system keychain refused: %1").arg(job.errorString()));
#else
    Q_UNUSED(key);
    Q_UNUSED(secret);
    return makeError(ErrorKind::Internal, QStringLiteral("this build has no keychain support"));
#endif
}

bool KeychainStore::remove(const QString &key)
{
#ifdef SMTLS_HAVE_KEYCHAIN
    QKeychain::DeletePasswordJob job(Service);
    job.setKey(key);
    return runJob(job);
#else
    Q_UNUSED(key);
    return false;
#endif
}

} // namespace smtls::gui
