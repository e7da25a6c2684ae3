#pragma once

#include "s3/s3types.h"
#include "s3/sigv4.h"
#include "zipread/archivelisting.h"

#include <QMutex>
#include <QObject>

#include <atomic>
#include <functional>

class QThread;

namespace ferry::zipread {

class RemoteZipDevice;

// Reads the table of contents of a remote archive without blocking the caller: the ranged reads
// (which block) run on a worker thread of the lister's own, and finished() comes back on the
// lister's thread. One listing at a time; cancel() or destroying the lister ends it at once.
class ArchiveLister final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ArchiveLister)
public:
    explicit ArchiveLister(QObject *parent = nullptr);
    ~ArchiveLister() override;

    // An HTTP(S) address, with source.headers.
    void list(const ArchiveSource &source);
    // An S3 object, signed with the account's keys (copied; held in memory only).
    void list(const ArchiveSource &source, const s3::Account &account,
              const s3::Credentials &credentials);
    void cancel();
    bool isRunning() const { return m_thread != nullptr; }

signals:
    void finished(const ferry::zipread::ArchiveListing &listing);

private:
    using DeviceFactory = std::function<RemoteZipDevice *()>;
    void start(DeviceFactory makeDevice);
    ArchiveListing work(const DeviceFactory &makeDevice); // worker thread
    void stopThread();

    QThread *m_thread = nullptr;
    QMutex m_deviceMutex;
    RemoteZipDevice *m_device = nullptr; // while the worker reads; guarded
    std::atomic_bool m_cancelled = false;
    quint64 m_generation = 0;
};

} // namespace ferry::zipread

Q_DECLARE_METATYPE(ferry::zipread::ArchiveListing)
