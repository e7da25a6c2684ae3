// A download of one entry of a remote ZIP archive: the file transferred is the entry's span of
// the archive (its local header up to the next one), checked against the size and validators the
// archive's listing saw, and decoded into the entry's file once complete.
#include "engine/downloadjob.h"

#include "engine/finisher.h"
#include "engine/partfile.h"
#include "storage/storage.h"
#include "zipread/entrydecoder.h"
#include "zipread/entryspan.h"

#include <QFileInfo>


using namespace Qt::StringLiterals;

namespace ferry {

QString DownloadJob::entryChangedMessage() const
{
    return tr("The archive changed on the server since its contents were listed, so “%1” was not "
              "taken from it; "
              "list the archive's contents again.")
        .arg(m_zipEntry ? m_zipEntry->name : m_record.fileName);
}

bool DownloadJob::adoptEntryProbe(ProbeResult *r)
{
    const ZipEntrySpan &e = *m_zipEntry;
    QString why;
    if (!r->rangeSupported) {
        why = tr("The server no longer sends parts of the archive (byte ranges), so “%1” cannot be "
                 "downloaded on its own.")
                  .arg(e.name);
    } else {
        const bool sameEtag = e.etag.isEmpty() || r->etag == e.etag;
        const bool sameDate = !e.etag.isEmpty() || e.lastModified.isEmpty() ||
                              r->lastModified.toLatin1() == e.lastModified;
        if (r->total != e.archiveSize || !sameEtag || !sameDate)
            why = entryChangedMessage();
    }
    if (!why.isEmpty()) {
        fail(why);
        return false;
    }
    // From here on the file is the span; the archive's validators are what every range is
    // checked by (the listing's, which the probe just confirmed).
    r->total = e.length;
    r->etag = e.etag;
    r->lastModified = QString::fromLatin1(e.lastModified);
    r->fileName = m_record.fileName;
    return true;
}

PartFile::Identity DownloadJob::decodedIdentity() const
{
    return m_zipEntry ? PartFile::Identity{m_zipEntry->decodedDevice, m_zipEntry->decodedInode}
                      : PartFile::Identity{};
}

void DownloadJob::recordEntrySpan()
{
    m_record.extra = zipread::withEntrySpan(m_record.extra, *m_zipEntry);
    save();
}

void DownloadJob::cancelDecoding()
{
    if (m_decodeCancel)
        *m_decodeCancel = true;
    m_decodeCancel.reset();
    // Cancel is checked for every MiB decoded: the wait is short. No decoding outlives its job.
    if (m_decodeThread)
        m_decodeThread->wait();
    m_decodeThread.clear();
    // A decoding stopped after its last look at `cancel` leaves its file; it goes too. Once
    // renamed into place that file has another name, and what now has the temporary one is not
    // this download's (its identity differs).
    if (!m_zipEntry || !decodedIdentity().isKnown() || state() == DownloadState::Completed)
        return;
    if (!m_record.partPath.isEmpty())
        PartFile::removeIfOwned(zipread::EntryDecoder::decodingPath(m_record.partPath),
                                decodedIdentity());
    // Gone now (removed here or by the decoding itself): its inode may be reused by any file,
    // which must never pass for this download's. Saved with the state change that follows.
    m_zipEntry->decodedDevice = m_zipEntry->decodedInode = 0;
    m_record.extra = zipread::withEntrySpan(m_record.extra, *m_zipEntry);
}

void DownloadJob::dropSpan()
{
    PartFile::removeIfOwned(m_record.partPath, {m_record.partDevice, m_record.partInode});
    m_file.reset();
    m_record.partPath.clear();
    m_record.partDevice = m_record.partInode = 0;
    m_record.segments.clear();
    m_segments.clear();
    m_planned = false;
}

void DownloadJob::decodeEntry()
{
    // Decoded under a temporary name next to the span, then moved into place like any finished
    // download: a crash while decoding leaves the span complete, and the next start decodes again.
    const quint64 generation = ++m_verifyGeneration;
    cancelDecoding(); // also removes what an interrupted decoding of this download left
    const QString decoded = zipread::EntryDecoder::decodingPath(m_record.partPath);
    PartFile::Identity identity;
    QString error;
    if (!zipread::EntryDecoder::createOutput(decoded, &identity, &error)) {
        fail(error);
        return;
    }
    // Recorded before a byte is decoded: only this very file is later removed, or taken as the
    // finished entry after a crash.
    m_zipEntry->decodedDevice = identity.device;
    m_zipEntry->decodedInode = identity.inode;
    recordEntrySpan();
    m_env.storage->flush();
    m_decodeCancel = std::make_shared<std::atomic_bool>(false);
    m_decodeThread = zipread::EntryDecoder::decodeAsync(
        m_record.partPath, *m_zipEntry, decoded, identity, m_decodeCancel, this,
        [this, generation, decoded](const zipread::EntryDecoder::Result &result) {
            if (!m_verifying || generation != m_verifyGeneration)
                return; // paused, removed or restarted meanwhile
            m_verifying = false;
            m_decodeCancel.reset();
            m_decodeThread.clear();
            if (!result.error.isEmpty()) {
                if (result.damaged) {
                    // Resuming would decode the same bytes again: they go, and a resume (or the
                    // entry added again) fetches the span anew.
                    dropSpan();
                    fail(result.error + u' ' +
                         tr("The archive may have changed on the server since its contents were "
                            "listed: list its contents again. What was downloaded of the entry was "
                            "dropped; resuming downloads it again."));
                    return;
                }
                fail(result.error);
                return;
            }
            const qint64 self = id();
            QString renameError;
            const QString target = Finisher::moveIntoPlace(
                decoded, result.identity, m_record.directory, m_record.fileName,
                [this, self](const QString &p) { return m_env.pathTaken(p, self); },
                [this](const QString &chosen) {
                    m_record.targetPath = chosen;
                    save();
                    m_env.storage->flush(); // recorded before the rename, never after
                },
                &renameError, m_record.partPath);
            if (target.isEmpty()) {
                PartFile::removeIfOwned(decoded, result.identity);
                fail(tr("Could not rename %1 to its final name: %2.").arg(decoded, renameError));
                return;
            }
            m_record.targetPath = target;
            m_record.fileName = QFileInfo(target).fileName();
            // The span has served its purpose: from now on the entry's file is this download's own.
            PartFile::removeIfOwned(m_record.partPath, {m_record.partDevice, m_record.partInode});
            m_record.partDevice = result.identity.device;
            m_record.partInode = result.identity.inode;
            m_record.finished = QDateTime::currentDateTimeUtc();
            m_record.total = m_zipEntry->size;
            m_record.segments = {{0, m_record.total, m_record.total}};
            m_segments.clear();
            m_file.reset();
            unlock();
            m_record.message.clear();
            setState(DownloadState::Completed);
        });
}

bool DownloadJob::entryFinishedAlready()
{
    // The decoded file was renamed into place (its name recorded just before) and the process
    // died before recording the end. Only the very file this download decoded counts (its
    // identity was recorded when it was created and a rename keeps it): a file someone else put
    // there under that name is never taken as the entry. Anything else decodes again.
    const QString target = m_record.targetPath;
    const PartFile::Identity decoded = decodedIdentity();
    if (target.isEmpty() || m_record.partPath.isEmpty() || !decoded.isKnown() ||
        !PartFile::matches(target, decoded) || QFileInfo(target).size() != m_zipEntry->size)
        return false;
    PartFile::removeIfOwned(m_record.partPath, {m_record.partDevice, m_record.partInode});
    m_record.partDevice = decoded.device;
    m_record.partInode = decoded.inode;
    m_record.fileName = QFileInfo(target).fileName();
    m_record.finished = QDateTime::currentDateTimeUtc();
    m_record.total = m_zipEntry->size;
    m_record.segments = {{0, m_record.total, m_record.total}};
    m_segments.clear();
    unlock();
    setState(DownloadState::Completed, tr("Finished just before Ferry was interrupted."));
    return true;
}

} // namespace ferry
