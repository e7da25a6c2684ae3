#include "engine/downloadlock.h"

#include <QDir>
#include <QLockFile>

namespace ferry {

DownloadLock::DownloadLock() = default;

DownloadLock::~DownloadLock() = default;

bool DownloadLock::acquire(const QString &directory, const QString &fileName, QString *owner)
{
    if (m_lock)
        return true;
    QDir().mkpath(directory);
    auto lock = std::make_unique<QLockFile>(directory + QLatin1Char('/') + fileName);
    lock->setStaleLockTime(0); // a lock is stale only when its process is gone (kill -9, crash)
    if (!lock->tryLock(0)) {
        qint64 pid = 0;
        QString hostName, app;
        lock->getLockInfo(&pid, &hostName, &app);
        if (owner)
            *owner = QString::number(pid);
        return false;
    }
    m_lock = std::move(lock);
    return true;
}

void DownloadLock::release()
{
    m_lock.reset();
}

} // namespace ferry
