#pragma once

#include <QString>
#include <memory>

class QLockFile;

namespace ferry {

// Keeps two processes off one download: a lock file per download, held while the download is
// active. Belongs to the job's thread.
class DownloadLock final
{
public:
    DownloadLock();
    ~DownloadLock();
    DownloadLock(const DownloadLock &) = delete;
    DownloadLock &operator=(const DownloadLock &) = delete;

    // Takes `directory`/`fileName` (making the directory when needed). True when held, already
    // or from now on; otherwise `owner` gets the pid of the process holding it.
    bool acquire(const QString &directory, const QString &fileName, QString *owner);
    void release();

private:
    std::unique_ptr<QLockFile> m_lock;
};

} // namespace ferry
