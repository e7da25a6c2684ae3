// What other processes and the user change about a download from outside its run: the stored
// row another process may have written, the per-download lock borrowed for a change, removal of
// the files it owns, and options given again.
#include "engine/downloadjob.h"

#include "engine/partfile.h"
#include "engine/ratelimiter.h"
#include "storage/storage.h"
#include "zipread/entrydecoder.h"
#include "zipread/entryspan.h"

using namespace Qt::StringLiterals;

namespace ferry {

bool DownloadJob::reload()
{
    std::optional<StoredDownload> stored = m_env.storage->load(id());
    if (!stored)
        return false;
    // Nobody runs it while the lock is ours: a row left "running" by a process that died is
    // queued, as open() makes it.
    if (stored->state == DownloadState::Downloading || stored->state == DownloadState::Verifying)
        stored->state = DownloadState::Queued;
    if (!m_planned || stored->state == DownloadState::Completed) {
        // Nothing of it ran here since it was read, or another process finished it: the row is
        // all there is to know.
        m_record = std::move(*stored);
        m_segments.load(m_record.segments);
        m_zipEntry = zipread::entrySpanOf(m_record.extra);
    } else {
        // This process ran it: its segments, validators and paths are what its own checkpoints
        // recorded (a row another process wrote may be older). From the row it takes only what
        // another process may have changed: a pause and its note, the options given again.
        m_record.state = stored->state;
        m_record.message = stored->message;
        m_record.checksum = stored->checksum;
        m_record.connections = stored->connections;
        m_record.rateLimit = stored->rateLimit;
        m_record.priority = stored->priority;
    }
    m_limiter->setRate(m_record.rateLimit);
    return true;
}

DownloadJob::Claim DownloadJob::claim(QString *owner)
{
    if (isActive())
        return Claim::Held; // its lock is held and its state is its own
    if (!lock(owner))
        return Claim::Busy;
    const DownloadState before = state();
    if (!reload()) {
        unlock();
        return Claim::Gone;
    }
    m_claimed = true;
    if (state() != before)
        emit stateChanged(id(), state());
    return Claim::Held;
}

void DownloadJob::releaseClaim()
{
    if (!std::exchange(m_claimed, false) || isActive())
        return;
    m_env.storage->flush(); // the changes are in the database before another process may look
    unlock();
}

void DownloadJob::leaveTo(const QString &owner)
{
    // Not persisted: the process that owns the download keeps its own state.
    m_record.state = DownloadState::Paused;
    m_record.message = tr("Another Ferry process (pid %1) is running this download.").arg(owner);
    emit stateChanged(id(), state());
}

QString DownloadJob::discard(FileRemoval finished)
{
    cancelDecoding();
    m_gate->close();
    m_links.clear();
    m_file.reset();
    m_env.storage->flush(); // no queued checkpoint may still be syncing the file
    // Only files this download created are removed; its old names may belong to others by now.
    // Without a recorded identity, a finished download has no part file left to remove.
    const PartFile::Identity ours{m_record.partDevice, m_record.partInode};
    if (!m_record.partPath.isEmpty() && (ours.isKnown() || state() != DownloadState::Completed))
        PartFile::removeIfOwned(m_record.partPath, ours);
    // An archive entry being decoded: its half-decoded file went with cancelDecoding() above,
    // and only that very file (its recorded identity); a file of that name of another download
    // (one named "….unzip") is not touched.
    QString warning;
    if (finished == FileRemoval::Delete && !m_record.targetPath.isEmpty()) {
        PartFile::removeIfOwned(m_record.targetPath, ours, m_record.total);
    } else if (finished == FileRemoval::Trash && !m_record.targetPath.isEmpty()) {
        QString why;
        if (!PartFile::trashIfOwned(m_record.targetPath, ours, m_record.total, &why) && !why.isEmpty())
            warning = tr("%1 could not be moved to the trash (%2); the file was kept.").arg(m_record.targetPath, why);
    }
    unlock();
    return warning;
}

void DownloadJob::setRateLimit(qint64 bytesPerSecond)
{
    m_record.rateLimit = qMax<qint64>(0, bytesPerSecond);
    m_limiter->setRate(m_record.rateLimit);
    save();
}

void DownloadJob::setChecksum(const QString &checksum)
{
    m_record.checksum = checksum; // checked by verifyAndRename(), also of a file already complete
    save();
}

void DownloadJob::setConnections(int connections)
{
    // A cap lowered because the server said it was busy stays lowered.
    if (m_linkCap >= m_record.connections)
        m_linkCap = connections;
    m_record.connections = qBound(1, connections, 32);
    save();
}

void DownloadJob::setPriority(int priority)
{
    m_record.priority = priority;
    save();
}

} // namespace ferry
