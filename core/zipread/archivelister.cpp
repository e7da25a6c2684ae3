#include "zipread/archivelister.h"

#include "zipread/remotezipdevice.h"
#include "zipread/zipreader.h"

#include <QMutexLocker>
#include <QScopeGuard>
#include <QThread>

#include <algorithm>
#include <memory>

namespace ferry::zipread {

ArchiveLister::ArchiveLister(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<ArchiveListing>();
}

ArchiveLister::~ArchiveLister()
{
    stopThread();
}

void ArchiveLister::list(const ArchiveSource &source)
{
    const QUrl url = source.url;
    const HeaderList headers = source.headers;
    start([url, headers] { return new RemoteZipDevice(url, headers); });
}

void ArchiveLister::list(const ArchiveSource &source, const s3::Account &account,
                         const s3::Credentials &credentials)
{
    const QString bucket = source.bucket;
    const QString key = source.key;
    start([account, credentials, bucket, key] {
        return new RemoteZipDevice(account, credentials, bucket, key);
    });
}

void ArchiveLister::cancel()
{
    stopThread();
}

void ArchiveLister::stopThread()
{
    if (!m_thread)
        return;
    m_cancelled = true;
    {
        QMutexLocker lock(&m_deviceMutex);
        if (m_device)
            m_device->abort();
    }
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    ++m_generation; // a result already posted by the old worker is dropped
}

void ArchiveLister::start(DeviceFactory makeDevice)
{
    stopThread();
    m_cancelled = false;
    const quint64 generation = ++m_generation;
    m_thread = QThread::create([this, makeDevice, generation] {
        const ArchiveListing listing = work(makeDevice);
        QMetaObject::invokeMethod(
            this,
            [this, listing, generation] {
                if (generation != m_generation)
                    return;
                if (m_thread) {
                    m_thread->wait();
                    delete m_thread;
                    m_thread = nullptr;
                }
                emit finished(listing);
            },
            Qt::QueuedConnection);
    });
    m_thread->start();
}

ArchiveListing ArchiveLister::work(const DeviceFactory &makeDevice)
{
    ArchiveListing listing;
    std::unique_ptr<RemoteZipDevice> device(makeDevice());
    {
        QMutexLocker lock(&m_deviceMutex);
        m_device = device.get();
        if (m_cancelled)
            device->abort();
    }
    const auto release = qScopeGuard([this] {
        QMutexLocker lock(&m_deviceMutex);
        m_device = nullptr;
    });
    const auto cost = [&] {
        listing.bytesReceived = device->bytesReceived();
        listing.requests = device->requestCount();
    };
    if (!device->open(QIODevice::ReadOnly)) {
        listing.error = device->errorString();
        listing.failure = device->failure();
        cost();
        return listing;
    }
    listing.archiveSize = device->size();
    listing.etag = device->etag();
    listing.lastModified = device->lastModified();
    ZipReader reader(device.get());
    if (!reader.open()) {
        listing.error = reader.errorString();
        listing.failure = reader.failure();
        cost();
        return listing;
    }
    listing.entries = reader.entries();
    listing.centralDirectoryOffset = reader.centralDirectoryOffset();
    cost();
    return listing;
}

} // namespace ferry::zipread
