#include "storage/keychain.h"

#include <QPointer>
#include <QTimer>

#include <qt6keychain/keychain.h>

using namespace Qt::StringLiterals;

namespace ferry {

// ---- QtKeychainBackend ----------------------------------------------------------------------

namespace {

KeychainBackend::Status statusOf(QKeychain::Error error)
{
    switch (error) {
    case QKeychain::NoError:
        return KeychainBackend::Status::Ok;
    case QKeychain::EntryNotFound:
        return KeychainBackend::Status::NotFound;
    // Without a D-Bus session QtKeychain answers OtherError at once; with a bus but no Secret
    // Service, NoBackendAvailable. Both mean "nowhere to keep secrets on this machine".
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::OtherError:
        return KeychainBackend::Status::Unavailable;
    default:
        return KeychainBackend::Status::Failed;
    }
}

} // namespace

QtKeychainBackend::QtKeychainBackend(QString service, int timeoutMs)
    : m_service(std::move(service)), m_timeoutMs(timeoutMs), m_context(std::make_unique<QObject>())
{
}

QtKeychainBackend::~QtKeychainBackend() = default;

void QtKeychainBackend::start(QKeychain::Job *job, Callback done, bool returnsData)
{
    // Jobs stay parentless and delete themselves when they finish: deleting one while the
    // platform call is still in flight is not safe. Only the answer is cut off by the timer.
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // the fallback would write secrets into a settings file
    auto answered = std::make_shared<bool>(false);
    QPointer<QTimer> timer = new QTimer(m_context.get());
    timer->setSingleShot(true);

    QObject::connect(timer, &QTimer::timeout, m_context.get(), [answered, done, timer] {
        if (timer)
            timer->deleteLater();
        if (std::exchange(*answered, true))
            return;
        done({Status::Unavailable, {}, u"The keychain did not answer in time."_s});
    });
    QObject::connect(
        job, &QKeychain::Job::finished, m_context.get(),
        [answered, done, timer, returnsData](QKeychain::Job *finished) {
            if (timer)
                timer->deleteLater();
            if (std::exchange(*answered, true))
                return;
            Result result;
            result.status = statusOf(finished->error());
            if (result.status != Status::Ok)
                result.error = finished->errorString();
            else if (returnsData)
                result.data =
                    static_cast<QKeychain::ReadPasswordJob *>(finished)->textData().toUtf8();
            done(result);
        });
    timer->start(m_timeoutMs);
    job->start();
}

void QtKeychainBackend::read(const QString &key, Callback done)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service);
    job->setKey(key);
    start(job, std::move(done), true);
}

void QtKeychainBackend::write(const QString &key, const QByteArray &data, Callback done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service);
    job->setKey(key);
    job->setTextData(QString::fromUtf8(data));
    start(job, std::move(done), false);
}

void QtKeychainBackend::remove(const QString &key, Callback done)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service);
    job->setKey(key);
    start(job, std::move(done), false);
}

// ---- MemoryKeychain -------------------------------------------------------------------------

void MemoryKeychain::read(const QString &key, Callback done)
{
    ++m_calls;
    if (!m_available)
        return done({Status::Unavailable, {}, u"No keychain backend available"_s});
    const auto it = m_entries.constFind(key);
    if (it == m_entries.cend())
        return done({Status::NotFound, {}, u"Entry not found"_s});
    done({Status::Ok, it.value(), {}});
}

void MemoryKeychain::write(const QString &key, const QByteArray &data, Callback done)
{
    ++m_calls;
    if (!m_available)
        return done({Status::Unavailable, {}, u"No keychain backend available"_s});
    m_entries.insert(key, data);
    done({Status::Ok, {}, {}});
}

void MemoryKeychain::remove(const QString &key, Callback done)
{
    ++m_calls;
    if (!m_available)
        return done({Status::Unavailable, {}, u"No keychain backend available"_s});
    done({m_entries.remove(key) ? Status::Ok : Status::NotFound, {}, {}});
}

} // namespace ferry
