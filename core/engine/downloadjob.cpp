#include "engine/downloadjob.h"

#include "engine/connection.h"
#include "engine/failurepolicy.h"
#include "engine/filenamesanitizer.h"
#include "engine/finisher.h"
#include "engine/hostlimiter.h"
#include "engine/partfile.h"
#include "engine/ratelimiter.h"
#include "engine/segmentplanner.h"
#include "storage/storage.h"
#include "zipread/entryspan.h"

#include <QFileInfo>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry {

DownloadJob::DownloadJob(StoredDownload record, HeaderList secrets, JobEnvironment env, QObject *parent)
    : TransferJob(std::move(record), std::move(env), parent), m_secrets(std::move(secrets)),
      m_gate(std::make_shared<WriteGate>()), m_limiter(std::make_shared<RateLimiter>()),
      m_links(m_env.hosts, m_record.url.host()),
      m_scheduler(m_segments, m_links,
                  {[this] { return now(); }, [this] { return newLink(); }, [this] { return rangeTask(); }})
{
    m_limiter->setRate(m_record.rateLimit);
    // Progress recorded on disk is what the segments start from.
    m_segments.load(m_record.segments);
    m_zipEntry = zipread::entrySpanOf(m_record.extra);
}

DownloadJob::~DownloadJob()
{
    cancelDecoding();
    if (m_onHost)
        m_env.hosts->leave(host());
    // m_links goes first and joins every connection
}

QString DownloadJob::host() const
{
    return m_record.url.host();
}

qint64 DownloadJob::desiredConnections() const
{
    if (!m_record.resumable)
        return 1;
    const int share = m_env.hosts->fairShare(host(), now());
    return qBound(1, std::min({m_linkCap, m_record.connections, share}), 32);
}

void DownloadJob::start()
{
    if (isActive() || state() == DownloadState::Completed)
        return;
    QString owner;
    if (!lock(&owner)) {
        leaveTo(owner);
        return;
    }
    // Another process may have paused, finished, changed or removed the download since this one
    // read it (a queue can wait long); with the lock held, the database has the last word.
    if (!reload()) {
        unlock();
        emit removedElsewhere(id());
        return;
    }
    if (state() != DownloadState::Queued) {
        unlock();
        emit stateChanged(id(), state());
        return;
    }
    m_waitingForCredentials = !m_record.account.isEmpty() && !m_signer;
    if (m_waitingForCredentials) {
        unlock();
        setState(DownloadState::Paused, tr("Waiting for the credentials of this S3 account: open the account, then resume."));
        return;
    }
    if (m_record.needsSecrets && m_secrets.isEmpty()) {
        unlock();
        setState(DownloadState::Paused,
                 tr("This download needs its credentials again (the system keychain does not have them): add the URL again with the same headers."));
        return;
    }
    m_gate = std::make_shared<WriteGate>();
    m_linkCap = m_record.connections;
    m_probeFailures = 0;
    m_probeNotBeforeMs = 0;
    resetSpeed();
    for (SegmentTable::Segment &s : m_segments)
        s.failures = 0, s.notBeforeMs = 0;
    setState(DownloadState::Downloading, QString());

    if (m_zipEntry && entryFinishedAlready())
        return;
    if (Finisher::renamedAlready(m_record.partPath, {m_record.partDevice, m_record.partInode}, m_record.targetPath,
                                 m_record.total)) {
        // The previous process renamed the finished file and died before recording it.
        m_record.fileName = QFileInfo(m_record.targetPath).fileName();
        m_record.finished = QDateTime::currentDateTimeUtc();
        m_record.segments = {{0, m_record.total, m_record.total}};
        m_segments.clear();
        unlock();
        setState(DownloadState::Completed, tr("Finished just before Ferry was interrupted."));
        return;
    }
    const bool haveProgress = m_segments.anyProgress();
    const QString recordedPart = m_record.partPath;
    const bool ownPart = !recordedPart.isEmpty() && PartFile::matches(recordedPart, {m_record.partDevice, m_record.partInode});
    if (!ownPart) {
        // Whatever has the name now is not ours to write or truncate: the next file gets a free name.
        m_record.partPath.clear();
        m_record.partDevice = m_record.partInode = 0;
    }
    if (m_record.resumable && m_record.total > 0 && !m_segments.empty() && ownPart) {
        resumeFromRecord();
        return;
    }
    if (!ownPart && PartFile::exists(recordedPart)) {
        m_record.message = tr("%1 is no longer this download's partial file: a link or another file has its name. "
                              "It is left untouched; the download starts over under a free name.").arg(recordedPart);
        logEvent(m_record.message);
    } else if (haveProgress && !m_record.resumable)
        m_record.message = tr("The server does not support resuming; the download starts over.");
    else if (haveProgress)
        m_record.message = tr("The partial file %1 is gone; the download starts over.").arg(recordedPart);
    m_segments.clear();
    probe();
}

void DownloadJob::enqueue()
{
    if (isActive() || state() == DownloadState::Completed || state() == DownloadState::Queued)
        return;
    setState(DownloadState::Queued, QString());
}

void DownloadJob::resumeFromRecord()
{
    QString error;
    if (!openPartFile(false, &error)) {
        pause(tr("Cannot write %1: %2.").arg(m_record.partPath, error));
        return;
    }
    m_planned = true;
    m_lastCheckpointMs = now();
    fillConnections();
    maybeFinish();
}

TransferTask DownloadJob::baseTask() const
{
    TransferTask t;
    t.url = m_record.finalUrl.isValid() && !m_record.finalUrl.isEmpty() ? m_record.finalUrl : m_record.url;
    t.secretHeaders = m_secrets;
    t.secretOrigin = m_record.url;
    t.signer = m_signer;
    t.downloadLimiter = m_limiter;
    t.globalLimiter = m_env.globalLimiter;
    t.stallTimeoutMs = m_env.settings->stallTimeoutMs;
    t.gate = m_gate;
    t.file = m_file;
    t.rangeBase = m_zipEntry ? m_zipEntry->offset : 0;
    t.archiveEntry = m_zipEntry.has_value();
    return t;
}

DownloadJob::Link *DownloadJob::newLink()
{
    return m_links.add(now(), [this](Connection *c, quint64 serial) {
        connect(c, &Connection::probed, this, [this, serial](quint64 task, const ProbeResult &r) { onProbed(serial, task, r); });
        connect(c, &Connection::finished, this, [this, serial](quint64 task) { onFinished(serial, task); });
        connect(c, &Connection::failed, this, [this, serial](quint64 task, const TransferError &e) { onFailed(serial, task, e); });
    });
}

void DownloadJob::probe()
{
    m_planned = false;
    Link *link = newLink();
    if (!link) {
        noteWaiting();
        return;
    }
    TransferTask t = baseTask();
    t.url = m_record.url;
    t.probe = true;
    if (m_zipEntry) {
        // Inside the span, and only as far as the first range the plan will give it: the
        // archive's bytes past the span, or past that range, are never asked for.
        const auto first = SegmentPlanner::initialRanges(m_zipEntry->length, m_record.connections, m_env.settings->minSplit);
        t.probeLast = (first.isEmpty() ? m_zipEntry->length : first.first().end) - 1;
    }
    t.file.reset();
    link->probing = true;
    link->taskId = m_scheduler.nextTaskId();
    link->connection->start(link->taskId, t);
}

bool DownloadJob::openPartFile(bool fresh, QString *error)
{
    if (!QFileInfo(m_record.directory).isDir()) {
        *error = tr("the folder does not exist");
        return false;
    }
    const qint64 size = qMax<qint64>(0, m_record.total);
    if (m_record.partPath.isEmpty()) {
        const qint64 self = id();
        m_file = PartFile::createUnique(m_record.directory, m_record.fileName,
                                        [this, self](const QString &p) { return m_env.pathTaken(p, self); }, size, error);
        if (!m_file)
            return false;
        m_record.partPath = m_file->path();
    } else {
        m_file = std::make_shared<PartFile>(m_record.partPath);
        if (!m_file->open(fresh ? 0 : size, {m_record.partDevice, m_record.partInode}, error)
            || (fresh && !m_file->reset(size, error)))
            return false;
    }
    // Saved with the next record (the plan's checkpoint comes first): from now on only this
    // file is written, renamed or removed as this download's own.
    m_record.partDevice = m_file->identity().device;
    m_record.partInode = m_file->identity().inode;
    return true;
}

void DownloadJob::onProbed(quint64 serial, quint64 taskId, const ProbeResult &probed)
{
    Link *link = m_links.find(serial, taskId);
    if (!link || !link->probing)
        return;
    link->probing = false;
    ProbeResult r = probed;
    if (m_zipEntry && !adoptEntryProbe(&r))
        return;
    m_probeFailures = 0;
    if (std::exchange(m_refreshingUrl, false)) {
        const bool same = r.rangeSupported && r.total == m_record.total
            && (!m_record.etag.isEmpty() ? r.etag == m_record.etag : r.lastModified == m_record.lastModified);
        if (same) {
            // The same file behind a fresh link: keep every byte, carry on from the new address.
            m_record.finalUrl = r.finalUrl;
            m_links.retire(serial);
            m_planned = true;
            fillConnections();
            return;
        }
        logEvent(tr("The file behind the address has changed. Starting over from zero."));
        m_gate->close();
        m_gate = std::make_shared<WriteGate>();
    }
    m_record.finalUrl = r.finalUrl;
    m_record.total = r.total;
    m_record.etag = r.etag;
    m_record.lastModified = r.lastModified;
    // Without a validator a change on the server cannot be told from a resumed range: parallel
    // ranges or a later resume could mix two versions, so such a file comes in one stream.
    const bool validated = !r.etag.isEmpty() || !r.lastModified.isEmpty();
    m_record.resumable = r.rangeSupported && r.total > 0 && (validated || m_zipEntry);
    // A name the user did not give (none, or the add dialog's probe) is the server's to say.
    if (m_record.fileName.isEmpty() || !m_record.nameFromUser)
        m_record.fileName = sanitizeFileName(r.fileName);
    const bool rangesUsable = r.rangesUnusable.isEmpty();
    if (!rangesUsable)
        m_record.message = tr("%1: one plain stream instead, and an interrupted download starts over.").arg(r.rangesUnusable);
    else if (r.rangeSupported && r.total > 0 && !validated && m_zipEntry)
        m_record.message = tr("The server gives no ETag or Last-Modified to tell versions of the archive apart: only a change of its size is noticed while downloading, and a changed archive shows when the entry's CRC-32 is checked.");
    else if (r.rangeSupported && r.total > 0 && !validated)
        m_record.message = tr("The server gives no ETag or Last-Modified to tell versions apart: one connection, and an interrupted download starts over.");
    else if (!m_record.resumable && r.total != 0)
        m_record.message = tr("The server does not support resuming: one connection, and an interrupted download starts over.");

    QString error;
    if (!openPartFile(true, &error)) {
        pause(tr("Cannot write %1: %2.").arg(m_record.partPath.isEmpty() ? m_record.directory : m_record.partPath, error));
        return;
    }
    if (m_record.resumable)
        m_segments.plan(SegmentPlanner::initialRanges(m_record.total, m_record.connections, m_env.settings->minSplit));
    else
        m_segments.planStream(r.total);
    m_planned = true;
    // The plan (size, validators, empty segments) is queued for the database before any byte
    // is written; later checkpoints follow it in order on the storage thread.
    checkpoint(true);
    if (rangesUsable) {
        // The probe's body is not wasted: its connection goes on as the owner of the first range.
        link->progress = m_segments[0].progress;
        link->lastWritten = 0;
        link->connection->adoptProbe(m_file, m_gate, link->progress);
    } else {
        // Its body is not the stored bytes: never written; a plain GET brings the file.
        logEvent(m_record.message);
        m_links.retire(serial);
    }
    fillConnections();
    maybeFinish();
}

TransferTask DownloadJob::rangeTask() const
{
    TransferTask t = baseTask();
    t.ranged = m_record.resumable;
    if (m_record.resumable && !m_ifRangeIgnored)
        t.ifRange = !m_record.etag.isEmpty() ? m_record.etag : m_record.lastModified.toLatin1();
    t.expectedEtag = m_record.etag;
    t.expectedLastModified = m_record.lastModified.toLatin1();
    t.expectedTotal = m_zipEntry ? m_zipEntry->archiveSize : m_record.total;
    return t;
}

void DownloadJob::fillConnections()
{
    if (!m_planned || m_verifying || !isActive())
        return;
    SegmentScheduler::Rules rules;
    rules.minSplit = m_env.settings->minSplit;
    rules.resumable = m_record.resumable;
    rules.rateLimited = m_limiter->rate() > 0 || (m_env.globalLimiter && m_env.globalLimiter->rate() > 0);
    m_scheduler.fill(desiredConnections(), rules);
    const bool hostFull = m_env.hosts->inUse(host()) >= m_env.hosts->cap(host(), now());
    if (m_links.busy() == 0 && hostFull && !m_segments.allComplete())
        noteWaiting();
    else if (std::exchange(m_waitingNote, false))
        m_record.message.clear();
}

void DownloadJob::noteWaiting()
{
    // A download that runs without a single connection says what it waits for.
    m_record.message = tr("Waiting for a free connection to %1 (%2 in use).").arg(host()).arg(m_env.hosts->inUse(host()));
    m_waitingNote = true;
}

void DownloadJob::onFinished(quint64 serial, quint64 taskId)
{
    Link *link = m_links.find(serial, taskId);
    if (!link || !link->progress)
        return;
    const auto &progress = link->progress;
    if (progress->end.load() < 0) {
        // A stream of unknown length is as long as what arrived.
        progress->end = progress->start + progress->written.load();
        m_record.total = progress->end.load();
    }
    m_scheduler.settle(*link);
    maybeFinish();
    if (!m_verifying && isActive())
        fillConnections();
}

void DownloadJob::checkpoint(bool force)
{
    if (!m_planned || (!force && m_pendingCheckpoints->load() > 0))
        return;
    m_record.segments = m_segments.records();
    // The values above were read before the sync below runs, so they never claim more.
    m_pendingCheckpoints->fetch_add(1);
    m_env.storage->save(m_record, m_file, m_pendingCheckpoints);
    m_lastCheckpointMs = now();
}

void DownloadJob::tick()
{
    if (!isActive() || m_verifying)
        return;
    const qint64 t = now();
    const qint64 bytes = m_segments.bytesDone();
    if (const qint64 elapsed = measureSpeed(bytes); elapsed > 0)
        m_links.updateSpeeds(elapsed);
    if (m_record.resumable) {
        m_scheduler.replaceSlowest(m_env.settings->minSplit);
        if (m_planned)
            m_scheduler.shed(desiredConnections()); // another download of the host has started
    }
    if (m_planned && t - m_lastCheckpointMs >= m_env.settings->checkpointIntervalMs)
        checkpoint();
    if (!m_planned && !m_links.anyProbing() && t >= m_probeNotBeforeMs)
        probe();
    fillConnections();
}

void DownloadJob::maybeFinish()
{
    if (m_planned && !m_verifying && isActive() && m_segments.allComplete())
        verifyAndRename();
}

void DownloadJob::verifyAndRename()
{
    m_verifying = true;
    m_links.clear();
    m_gate->close();
    checkpoint(true);
    setState(DownloadState::Verifying, QString());
    // Only a file that is on the disk gets its final name; the descriptor stays open until its
    // last owner (a queued checkpoint may still hold it) lets go.
    if (!m_file->fullSync()) {
        m_verifying = false;
        pause(tr("Cannot flush %1 to the disk. Nothing already downloaded is lost; resume when this is fixed.").arg(m_record.partPath));
        return;
    }
    if (m_zipEntry) {
        decodeEntry();
        return;
    }
    const quint64 generation = ++m_verifyGeneration;
    Finisher::verify(m_record.partPath, m_record.total, m_record.checksum, this, [this, generation](const QString &error) {
        if (!m_verifying || generation != m_verifyGeneration)
            return; // paused, removed or restarted meanwhile
        m_verifying = false;
        if (!error.isEmpty()) {
            fail(error);
            return;
        }
        const qint64 self = id();
        QString renameError;
        const QString target = Finisher::moveIntoPlace(
            m_record.partPath, {m_record.partDevice, m_record.partInode}, m_record.directory, m_record.fileName,
            [this, self](const QString &p) { return m_env.pathTaken(p, self); },
            [this](const QString &chosen) {
                m_record.targetPath = chosen;
                save();
                m_env.storage->flush(); // recorded before the rename, never after
            },
            &renameError);
        if (target.isEmpty()) {
            fail(tr("Could not rename %1 to its final name: %2.").arg(m_record.partPath, renameError));
            return;
        }
        m_record.targetPath = target;
        m_record.fileName = QFileInfo(target).fileName();
        m_record.finished = QDateTime::currentDateTimeUtc();
        m_record.segments = {{0, m_record.total, m_record.total}};
        m_segments.clear();
        m_file.reset();
        unlock();
        if (m_record.resumable)
            m_record.message.clear(); // retry notes are history now
        else if (m_record.message.contains(tr("Retrying")))
            m_record.message = tr("The server does not support resuming.");
        setState(DownloadState::Completed);
    });
}

void DownloadJob::fail(const QString &message)
{
    cancelDecoding();
    m_gate->close();
    m_links.clear();
    checkpoint(true); // what is on disk stays usable for a retry
    m_verifying = false;
    m_file.reset();
    unlock();
    setState(DownloadState::Failed, message);
}

void DownloadJob::pause(const QString &message)
{
    halt(DownloadState::Paused, message);
}

void DownloadJob::suspend()
{
    if (isActive())
        halt(DownloadState::Queued, QString());
}

void DownloadJob::halt(DownloadState state, const QString &message)
{
    if (this->state() == DownloadState::Completed)
        return;
    const bool wasActive = isActive();
    cancelDecoding();
    m_gate->close();
    m_links.clear();
    checkpoint(true);
    m_verifying = false;
    m_file.reset();
    setState(state, message);
    // The lock goes once the database says so, or a process waiting for it would read the row
    // from before (still running) and start the download this one just stopped. A claim keeps
    // the lock until its own changes are written.
    if (!m_claimed) {
        if (wasActive)
            m_env.storage->flush();
        unlock();
    }
}

void DownloadJob::stateChanging(DownloadState next)
{
    const bool running = next == DownloadState::Downloading || next == DownloadState::Verifying;
    if (running != m_onHost) {
        m_onHost = running;
        running ? m_env.hosts->join(host()) : m_env.hosts->leave(host());
    }
}

DownloadSnapshot DownloadJob::snapshot() const
{
    DownloadSnapshot s = recordSnapshot();
    if (m_segments.empty()) {
        for (const SegmentRecord &r : m_record.segments) {
            s.segments.append({r.start, r.end, r.done, false});
            s.done += r.done;
        }
    } else {
        s.done = m_segments.bytesDone();
        s.segments = SegmentScheduler::snapshotView(m_segments, m_links);
    }
    s.connections = m_links.busy();
    if (m_zipEntry)
        s.archiveEntry = m_zipEntry->name;
    s.speed = speed();
    if (s.speed > 0 && s.total > 0)
        s.etaSeconds = (s.total - s.done + s.speed - 1) / s.speed;
    return s;
}

} // namespace ferry
