// The resuming half of ZipBundler: the journal it keeps (created after listing, opened again
// by a resumed run), continuing the archive at a checkpoint, and taking checkpoints while
// writing. Bundling itself (listing, fetching, writing) is in zipbundler.cpp.
#include "zip/zipbundler.h"

#include "s3/s3client.h"
#include "zip/bundlejournal.h"
#include "zip/localfilezipsink.h"
#include "zip/multipartsink.h"
#include "zip/zipwriter.h"

#include <QTimer>

#include <algorithm>
#include <limits>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace ferry::zip {

bool ZipBundler::createJournal()
{
    if (m_options.checkpointInterval <= 0 || m_journalPath.isEmpty())
        return true;
    BundleJournal::Plan plan;
    plan.chunkSize = m_options.chunkSize;
    // Restart points fall on chunk boundaries, where a resumed run starts fetching again.
    plan.restartInterval = (m_options.checkpointInterval + m_options.chunkSize - 1) / m_options.chunkSize * m_options.chunkSize;
    plan.partSize = m_multipart ? m_multipart->partSize() : 0;
    plan.items = m_items;
    m_journal = std::make_unique<BundleJournal>(m_journalPath);
    if (!m_journal->create(plan)) {
        const QString why = m_journal->errorString();
        m_journal.reset(); // nothing to continue from
        fail(why);
        return false;
    }
    m_writer->setRestartInterval(plan.restartInterval);
    return true;
}

void ZipBundler::resumeFromJournal()
{
    m_journal = std::make_unique<BundleJournal>(m_journalPath);
    auto contents = std::make_shared<BundleJournal::Contents>();
    if (!m_journal->open(m_journalValid, contents.get())) {
        const QString why = m_journal->errorString();
        m_journal.reset();
        return fail(tr("The bundle cannot continue from where it stopped: %1").arg(why));
    }
    m_resume = contents;
    m_named = true;
    m_items = contents->plan.items;
    m_options.chunkSize = contents->plan.chunkSize;
    if (!m_selection.toBucket() || contents->uploadId.isEmpty()) {
        continueAt({});
        return;
    }
    // The server is the truth: what it holds decides where the archive continues.
    s3::Reply *r = m_client->listParts(m_selection.targetBucket, m_selection.targetKey, contents->uploadId);
    m_listReplies.append(r);
    connect(r, &s3::Reply::finished, this, [this, r] {
        if (m_ended)
            return;
        if (r->error.isError()) {
            if (r->error.code == u"NoSuchUpload"_s || r->error.code == u"NoSuchKey"_s) {
                emit note(tr("The server no longer has the unfinished upload; the archive is uploaded again from the start."));
                m_resume->uploadId.clear();
                continueAt({});
                return;
            }
            if (r->error.retryable() && !m_backoff.exhausted(m_listAttempts)) {
                QTimer::singleShot(m_backoff.delayMs(m_listAttempts++, r->error.retryAfter()), this, [this] {
                    if (!m_ended)
                        resumeFromJournal();
                });
                return;
            }
            fail(tr("Cannot ask the server which parts of the archive it has: %1").arg(r->error.message));
            return;
        }
        QList<s3::Part> parts = r->parts;
        std::sort(parts.begin(), parts.end(), [](const s3::Part &a, const s3::Part &b) { return a.number < b.number; });
        QList<s3::Part> prefix;
        for (const s3::Part &p : parts) {
            if (p.number != prefix.size() + 1 || p.size != m_resume->plan.partSize || p.etag.isEmpty())
                break;
            prefix.append(p);
        }
        continueAt(prefix);
    });
}

void ZipBundler::continueAt(QList<s3::Part> serverParts)
{
    const BundleJournal::Contents &c = *m_resume;
    const bool bucket = m_selection.toBucket();
    const qint64 covered = bucket ? qint64(serverParts.size()) * c.plan.partSize : std::numeric_limits<qint64>::max();
    const BundleJournal::Checkpoint *at = &c.checkpoints.first();
    for (const BundleJournal::Checkpoint &cp : c.checkpoints) {
        if (cp.position <= covered)
            at = &cp;
    }
    const BundleJournal::Checkpoint cp = *at;
    if (!m_journal->truncate(cp.journalEnd))
        return fail(m_journal->errorString());
    if (bucket && !c.uploadId.isEmpty() && c.uploadLineEnd > cp.journalEnd && !m_journal->appendUpload(c.uploadId))
        return fail(m_journal->errorString());

    // A bucket bundle regenerates bytes the server already holds: objects left out then must be
    // left out again (skip lines after the checkpoint are written anew), or the central
    // directory would not match those bytes. A local one continues at the checkpoint itself.
    for (int i : c.skipped) {
        if (i < cp.item || bucket) {
            m_failedItems.insert(i);
            if (i >= cp.item && !m_journal->appendSkipped(i))
                return fail(m_journal->errorString());
        }
    }
    // The journal is now shorter than the record says: synced, and the record told.
    if (!m_journal->sync())
        return fail(m_journal->errorString());
    emit checkpointed(m_journal->size(), cp.bytesDone, cp.entriesDone);
    m_bytesTotal = 0;
    for (int i = 0; i < m_items.size(); ++i) {
        if (!m_failedItems.count(i))
            m_bytesTotal += m_items.at(i).size;
    }
    emit listed(m_bytesTotal, int(m_items.size()));

    ZipSink *sink = nullptr;
    if (bucket) {
        // The upload continues with the part size it was started with.
        sink = newMultipartSink(c.plan.partSize);
        if (!c.uploadId.isEmpty())
            m_multipart->resumeUpload(c.uploadId, serverParts, cp.position);
    } else {
        m_localSink = std::make_unique<LocalFileZipSink>(m_selection.localPath);
        if (!m_localSink->resume(cp.position)) {
            // Nothing to continue from: the next start begins again.
            const QString why = m_localSink->errorString();
            m_journal.reset();
            return fail(why);
        }
        sink = m_localSink.get();
    }
    m_writer = std::make_unique<ZipWriter>(sink, m_selection.deflateLevel);
    m_writer->setRestartInterval(c.plan.restartInterval);
    if (!m_writer->resume(c.records.mid(0, cp.records), cp.open))
        return fail(m_writer->error());
    if (bucket && c.uploadId.isEmpty())
        m_multipart->begin();
    m_writeItem = m_issueItem = cp.item;
    m_writeChunk = m_issueChunk = cp.chunk;
    m_writeOffset = 0;
    m_entryOpen = cp.open.has_value();
    m_bytesDone = cp.bytesDone;
    m_entriesDone = cp.entriesDone;
    m_lastCheckpointInput = cp.bytesDone;
    m_resumeFrom = cp.position;
    m_resume.reset();
    if (cp.position > 0)
        emit note(tr("Continuing the archive from its checkpoint at %1 bytes (%2 of %3 entries written).")
                      .arg(cp.position).arg(cp.entriesDone).arg(m_items.size()));
    emit progress(m_bytesDone, m_entriesDone);
    m_lastProgress.start();
    issue();
    pumpWrite();
}

void ZipBundler::recordUpload(const QString &uploadId)
{
    // The whole archive may be written (into memory) before the upload exists, so the journal
    // bytes that checkpoints made valid need not cover this line: they are extended to it.
    if (m_journal) {
        if (!m_journal->appendUpload(uploadId) || !m_journal->sync())
            return fail(m_journal->errorString());
        emit journalSynced(m_journal->size());
    }
    emit uploadStarted(uploadId);
}

bool ZipBundler::recordEntry()
{
    if (m_journal && !m_journal->appendRecord(int(m_writer->records().size()) - 1, m_writer->records().last())) {
        fail(m_journal->errorString());
        return false;
    }
    return true;
}

void ZipBundler::maybeCheckpoint()
{
    if (!checkpointsOn() || m_ended || m_bytesDone - m_lastCheckpointInput < m_options.checkpointInterval)
        return;
    if (m_entryOpen && !m_writer->atRestartPoint())
        return;
    BundleJournal::Checkpoint c;
    c.position = m_writer->bytesWritten();
    c.item = m_writeItem;
    c.chunk = m_writeChunk;
    if (m_entryOpen)
        c.open = m_writer->openEntry();
    c.bytesDone = m_bytesDone;
    c.entriesDone = m_entriesDone;
    c.records = int(m_writer->records().size());
    if (!m_localSink) {
        m_lastCheckpointInput = m_bytesDone;
        // A bucket bundle's checkpoints count once the server confirmed the parts before them.
        commitCheckpoint(c);
        return;
    }
    // The archive's bytes first: a checkpoint must never point past what is on disk. The sync
    // runs beside the writing (waiting for the disk here would stall the whole pipeline); one
    // at a time, a checkpoint falling due meanwhile is left out.
    if (m_syncPending)
        return;
    m_lastCheckpointInput = m_bytesDone;
    const int fd = m_localSink->flushedDuplicate();
    if (fd < 0)
        return fail(m_localSink->errorString());
    m_syncPending = true;
    // The destructor waits for the pool, so `this` outlives the task; a call it posts to an
    // object destroyed after that is dropped by Qt.
    m_syncPool.start([this, fd, c, generation = m_generation] {
        const bool ok = ::fdatasync(fd) == 0;
        const QString why = ok ? QString() : qt_error_string(errno);
        ::close(fd);
        QMetaObject::invokeMethod(this, [this, ok, why, c, generation] {
            if (generation != m_generation)
                return;
            m_syncPending = false;
            if (!ok)
                return fail(tr("Could not write %1: %2").arg(m_selection.localPath + u".part"_s, why));
            commitCheckpoint(c);
        }, Qt::QueuedConnection);
    });
}

void ZipBundler::commitCheckpoint(const BundleJournal::Checkpoint &c)
{
    if (m_ended)
        return;
    if (!m_journal->appendCheckpoint(c) || !m_journal->sync())
        return fail(m_journal->errorString());
    emit checkpointed(m_journal->size(), c.bytesDone, c.entriesDone);
}

} // namespace ferry::zip
