#include "zip/zipbundler.h"

#include "s3/s3client.h"
#include "zip/bundlejournal.h"
#include "zip/localfilezipsink.h"
#include "zip/multipartsink.h"
#include "zip/zipnamemapper.h"
#include "zip/zipwriter.h"

#include <QFile>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace ferry::zip {

namespace {

constexpr qint64 WritePiece = 1 << 20; // the writer gets big chunks in pieces, to check for room in between
constexpr int MaxHeads = 8;

QString reasonFor(const s3::Error &error)
{
    switch (error.kind) {
    case s3::Error::NotFound:
        return ZipBundler::tr("it no longer exists");
    case s3::Error::Conflict:
        return ZipBundler::tr("it changed since it was listed");
    case s3::Error::Denied:
        return ZipBundler::tr("access denied");
    default:
        return error.message;
    }
}

} // namespace

ZipBundler::ZipBundler(s3::Account account, s3::Credentials credentials, BundleSelection selection,
                       BundlerOptions options, QObject *parent)
    : QObject(parent), m_account(std::move(account)), m_credentials(std::move(credentials)),
      m_selection(std::move(selection)), m_options(options), m_backoff(BackoffPolicy{500, 15000, options.maxAttempts})
{
}

ZipBundler::~ZipBundler()
{
    m_syncPool.waitForDone();
    ++m_generation;
    for (auto &[u, r] : m_inFlight) {
        if (r)
            r->abort();
    }
    m_writer.reset();
    if (m_localSink && m_journal)
        m_localSink->keepPart(); // the next run continues it
    m_localSink.reset(); // otherwise removes an uncommitted .part
}

void ZipBundler::start()
{
    if (m_client)
        return;
    // Created here so the client, its network manager and every reply live on this thread.
    m_client = new s3::Client(m_account, m_credentials, this);
    m_client->setRateLimiters(m_limiters);
    // Every GET kept in flight gets a connection of its own, plus the upload of a bucket bundle.
    m_client->setMaxConnections(m_options.maxRequests + m_options.uploadParallel);
    m_credentials = {};
    if (m_journalValid >= 0 && !m_journalPath.isEmpty()) {
        resumeFromJournal();
        return;
    }
    if (!m_staleUpload.isEmpty() && m_selection.toBucket())
        m_client->abortMultipartUpload(m_selection.targetBucket, m_selection.targetKey, m_staleUpload);
    m_prefixQueue = m_selection.prefixes;
    m_headQueue = m_selection.keys;
    listNext();
    headNext();
}

void ZipBundler::listNext()
{
    if (m_ended || m_prefixQueue.isEmpty()) {
        listingDone();
        return;
    }
    s3::Reply *r = m_client->listObjects(m_selection.bucket, m_prefixQueue.first(), {}, m_listToken);
    m_listReplies.append(r);
    connect(r, &s3::Reply::finished, this, [this, r] {
        if (m_ended)
            return;
        if (r->error.isError()) {
            if (r->error.retryable() && !m_backoff.exhausted(m_listAttempts)) {
                emit note(tr("Listing %1 failed (%2); retrying.").arg(m_prefixQueue.first(), r->error.message));
                QTimer::singleShot(m_backoff.delayMs(m_listAttempts++, r->error.retryAfter()), this, &ZipBundler::listNext);
                return;
            }
            fail(tr("Cannot list %1: %2").arg(s3::Client::s3Uri(m_selection.bucket, m_prefixQueue.first()), r->error.message));
            return;
        }
        m_listAttempts = 0;
        for (const s3::Object &o : r->page.objects)
            m_found[o.key] = o;
        if (r->page.truncated && !r->page.nextContinuationToken.isEmpty()) {
            m_listToken = r->page.nextContinuationToken;
        } else {
            m_listToken.clear();
            m_prefixQueue.removeFirst();
        }
        listNext();
    });
}

void ZipBundler::headNext()
{
    while (!m_ended && !m_headQueue.isEmpty() && m_headsInFlight < MaxHeads) {
        const QString key = m_headQueue.takeFirst();
        ++m_headsInFlight;
        s3::Reply *r = m_client->headObject(m_selection.bucket, key);
        m_listReplies.append(r);
        connect(r, &s3::Reply::finished, this, [this, r, key] {
            --m_headsInFlight;
            if (m_ended)
                return;
            if (r->error.isError()) {
                const QString reason = reasonFor(r->error);
                if (r->error.retryable() && !m_backoff.exhausted(m_listAttempts)) {
                    m_headQueue.append(key);
                    QTimer::singleShot(m_backoff.delayMs(m_listAttempts++, r->error.retryAfter()), this, &ZipBundler::headNext);
                    return;
                }
                if (!m_selection.skipOnError) {
                    fail(tr("%1: %2").arg(key, reason));
                    return;
                }
                emit skipped(key, reason);
                emit note(tr("Skipped %1: %2").arg(key, reason));
            } else {
                s3::Object o;
                o.key = key;
                o.size = qMax<qint64>(0, r->info.size);
                o.lastModified = r->info.lastModified;
                o.etag = r->info.etag;
                m_found[key] = o;
            }
            headNext();
            listingDone();
        });
    }
    listingDone();
}

void ZipBundler::listingDone()
{
    if (m_ended || m_named || !m_prefixQueue.isEmpty() || !m_headQueue.isEmpty() || m_headsInFlight > 0)
        return;
    m_named = true;
    m_listReplies.clear();
    QList<ZipNameMapper::Key> keys;
    for (const auto &[key, o] : m_found)
        keys.append({key, o.size});
    const QString parent = BundleSelection::commonParent(m_selection.keys, m_selection.prefixes);
    const QList<ZipName> names = ZipNameMapper(parent).map(keys);
    for (const ZipName &n : names) {
        const s3::Object &o = m_found.at(n.key);
        if (n.changed) {
            emit note(n.entryName.isEmpty() ? tr("%1 is not archived (its folder is already there).").arg(n.key)
                                            : tr("%1 is archived as %2.").arg(n.key, n.entryName));
        }
        if (n.entryName.isEmpty())
            continue;
        m_items.append({n.key, n.directory ? 0 : o.size, o.lastModified, o.etag, n.entryName, n.directory});
        m_bytesTotal += m_items.last().size;
    }
    m_found.clear();
    emit listed(m_bytesTotal, int(m_items.size()));
    if (m_ended || !openSink())
        return;
    m_lastProgress.start();
    issue();
    pumpWrite();
}

MultipartSink *ZipBundler::newMultipartSink(qint64 partSize)
{
    m_multipart = new MultipartSink(m_client, m_selection.targetBucket, m_selection.targetKey, partSize,
                                    m_options.uploadParallel, this);
    // The upload id reaches the journal (synced) before the first part is sent: the sink
    // sends parts only after started() returns.
    connect(m_multipart, &MultipartSink::started, this, &ZipBundler::recordUpload);
    connect(m_multipart, &MultipartSink::drained, this, &ZipBundler::pumpWrite);
    connect(m_multipart, &MultipartSink::failed, this, &ZipBundler::fail);
    connect(m_multipart, &MultipartSink::completed, this, [this] {
        const QUrl url = m_client->presignedUrl(m_selection.targetBucket, m_selection.targetKey,
                                                m_selection.shareExpirySeconds);
        m_ended = true;
        m_journal.reset();
        emit finished(true, {}, url.toString(QUrl::FullyEncoded));
    });
    return m_multipart;
}

bool ZipBundler::openSink()
{
    ZipSink *sink = nullptr;
    if (m_selection.toBucket()) {
        // Headers, descriptors and the central directory add little next to the data.
        const qint64 estimate = m_bytesTotal + m_bytesTotal / 100 + qint64(m_items.size()) * 512 + (1 << 20);
        sink = newMultipartSink(MultipartSink::partSizeFor(estimate));
    } else {
        m_localSink = std::make_unique<LocalFileZipSink>(m_selection.localPath);
        if (!m_localSink->open()) {
            fail(m_localSink->errorString());
            return false;
        }
        sink = m_localSink.get();
    }
    m_writer = std::make_unique<ZipWriter>(sink, m_selection.deflateLevel);
    if (!createJournal())
        return false;
    if (m_multipart)
        m_multipart->begin();
    return true;
}

int ZipBundler::chunkCount(int item) const
{
    const BundleItem &it = m_items.at(item);
    if (it.directory)
        return 0;
    if (it.size <= m_options.chunkSize)
        return 1;
    return int((it.size + m_options.chunkSize - 1) / m_options.chunkSize);
}

qint64 ZipBundler::chunkSize(int item, int chunk) const
{
    const qint64 size = m_items.at(item).size;
    return qMin(m_options.chunkSize, size - qint64(chunk) * m_options.chunkSize);
}

bool ZipBundler::sinkHasRoom() const
{
    return !m_multipart || m_multipart->hasRoom();
}

void ZipBundler::issue()
{
    // Uploads keep their own parts in memory, and the upload is the slower side anyway: one
    // chunk ahead is enough then, and keeps the whole job within its memory budget.
    const qint64 window = m_multipart ? qMin<qint64>(m_options.maxBufferedBytes, m_options.chunkSize)
                                      : m_options.maxBufferedBytes;
    while (!m_ended && int(m_inFlight.size()) < m_options.maxRequests && m_issueItem < m_items.size()) {
        if (m_failedItems.count(m_issueItem) || m_issueChunk >= chunkCount(m_issueItem)) {
            ++m_issueItem;
            m_issueChunk = 0;
            continue;
        }
        const qint64 size = chunkSize(m_issueItem, m_issueChunk);
        if (m_buffered > 0 && m_buffered + size > window)
            break;
        m_buffered += size;
        fetch({m_issueItem, m_issueChunk});
        ++m_issueChunk;
    }
}

void ZipBundler::fetch(UnitId unit)
{
    const BundleItem &item = m_items.at(unit.first);
    s3::Reply *r = nullptr;
    if (chunkCount(unit.first) == 1) {
        r = m_client->getObject(m_selection.bucket, item.key, 0, -1, item.etag);
    } else {
        const qint64 from = qint64(unit.second) * m_options.chunkSize;
        r = m_client->getObject(m_selection.bucket, item.key, from, from + chunkSize(unit.first, unit.second) - 1, item.etag);
    }
    m_inFlight[unit] = r;
    const quint64 generation = m_generation;
    connect(r, &s3::Reply::finished, this, [this, unit, r, generation] {
        if (generation == m_generation)
            fetched(unit, r);
    });
}

void ZipBundler::fetched(UnitId unit, s3::Reply *reply)
{
    if (m_ended || !m_inFlight.count(unit))
        return;
    m_inFlight.erase(unit);
    const BundleItem &item = m_items.at(unit.first);
    const qint64 expected = chunkSize(unit.first, unit.second);
    if (reply->error.isError()) {
        const int attempt = m_attempts[unit]++;
        if (reply->error.retryable() && !m_backoff.exhausted(attempt)) {
            const qint64 delay = m_backoff.delayMs(attempt, reply->error.retryAfter());
            emit note(tr("Fetching %1 failed (%2); retrying in %3 s.").arg(item.key, reply->error.message).arg((delay + 999) / 1000));
            const quint64 generation = m_generation;
            m_retrying.insert(unit);
            QTimer::singleShot(delay, this, [this, unit, generation] {
                if (generation == m_generation && !m_ended && m_retrying.erase(unit))
                    fetch(unit);
            });
            return;
        }
        m_buffered -= expected;
        itemFailed(unit.first, reasonFor(reply->error));
        return;
    }
    // A server that ignores If-Match must still not mix two versions of an object.
    if (reply->body.size() != expected || (!item.etag.isEmpty() && !reply->info.etag.isEmpty() && reply->info.etag != item.etag)) {
        m_buffered -= expected;
        itemFailed(unit.first, tr("it changed since it was listed"));
        return;
    }
    m_attempts.erase(unit);
    m_ready[unit] = reply->body;
    reply->body.clear();
    pumpWrite();
}

void ZipBundler::itemFailed(int item, const QString &reason)
{
    const QString key = m_items.at(item).key;
    if (item == m_writeItem && m_entryOpen) {
        // Part of it is in the archive already; a ZIP entry cannot be taken back.
        fail(tr("%1 changed or disappeared while it was being archived (%2); start the bundle again.").arg(key, reason));
        return;
    }
    if (!m_selection.skipOnError) {
        fail(tr("%1: %2").arg(key, reason));
        return;
    }
    m_failedItems.insert(item);
    for (auto it = m_inFlight.begin(); it != m_inFlight.end();) {
        if (it->first.first == item) {
            if (it->second)
                it->second->abort();
            m_buffered -= chunkSize(item, it->first.second);
            it = m_inFlight.erase(it);
        } else {
            ++it;
        }
    }
    for (auto it = m_ready.begin(); it != m_ready.end();) {
        if (it->first.first == item) {
            m_buffered -= chunkSize(item, it->first.second);
            it = m_ready.erase(it);
        } else {
            ++it;
        }
    }
    for (auto it = m_retrying.begin(); it != m_retrying.end();) {
        if (it->first == item) {
            m_buffered -= chunkSize(item, it->second);
            it = m_retrying.erase(it);
        } else {
            ++it;
        }
    }
    // Chunks never requested were never counted in m_buffered.
    if (m_issueItem == item) {
        ++m_issueItem;
        m_issueChunk = 0;
    }
    m_bytesTotal -= m_items.at(item).size;
    if (m_multipart && m_multipart->skipping()) {
        // Its bytes are on the server already, as the earlier run wrote them with this object.
        fail(tr("%1 changed since the bundle started (%2); the archive cannot continue. Remove the bundle and make it again.").arg(key, reason));
        return;
    }
    if (m_journal && !m_journal->appendSkipped(item))
        return fail(m_journal->errorString());
    emit skipped(key, reason);
    emit note(tr("Skipped %1: %2").arg(key, reason));
    pumpWrite();
}

void ZipBundler::pumpWrite()
{
    while (!m_ended && m_writer) {
        if (m_writeItem >= m_items.size()) {
            if (m_inFlight.empty() && !m_finishing) {
                m_finishing = true;
                finishArchive();
            }
            return;
        }
        const BundleItem &item = m_items.at(m_writeItem);
        if (m_failedItems.count(m_writeItem)) {
            advanceItem();
            continue;
        }
        if (item.directory) {
            if (!m_writer->addDirectory(item.entryName, item.lastModified))
                return fail(m_writer->error());
            ++m_entriesDone;
            if (!recordEntry())
                return;
            advanceItem();
            maybeCheckpoint();
            continue;
        }
        if (!sinkHasRoom())
            return; // drained() calls again
        const UnitId unit{m_writeItem, m_writeChunk};
        const auto ready = m_ready.find(unit);
        if (ready == m_ready.end())
            break;
        if (!writeChunk(item, unit, ready->second))
            return;
    }
    reportProgress(false);
    issue();
}

bool ZipBundler::writeChunk(const BundleItem &item, UnitId unit, const QByteArray &body)
{
    const ZipEntryMeta meta{item.entryName, item.size, item.lastModified, ZipMethod::Auto};
    const int chunks = chunkCount(unit.first);
    if (chunks == 1) {
        if (!m_writer->addEntry(meta, body))
            return fail(m_writer->error()), false;
        m_bytesDone += body.size();
        m_buffered -= body.size();
        m_ready.erase(unit);
        ++m_entriesDone;
        if (!recordEntry())
            return false;
        advanceItem();
        maybeCheckpoint();
        return !m_ended;
    }
    if (!m_entryOpen) {
        if (!m_writer->beginEntry(meta))
            return fail(m_writer->error()), false;
        m_entryOpen = true;
    }
    while (m_writeOffset < body.size()) {
        if (!sinkHasRoom())
            return false;
        const qint64 n = qMin<qint64>(WritePiece, body.size() - m_writeOffset);
        if (!m_writer->write(QByteArrayView(body).sliced(m_writeOffset, n)))
            return fail(m_writer->error()), false;
        m_writeOffset += n;
        m_bytesDone += n;
    }
    m_buffered -= body.size();
    m_ready.erase(unit);
    m_writeOffset = 0;
    if (++m_writeChunk == chunks) {
        if (!m_writer->finishEntry())
            return fail(m_writer->error()), false;
        m_entryOpen = false;
        ++m_entriesDone;
        if (!recordEntry())
            return false;
        advanceItem();
    }
    maybeCheckpoint();
    return !m_ended;
}

void ZipBundler::advanceItem()
{
    ++m_writeItem;
    m_writeChunk = 0;
    m_writeOffset = 0;
}

void ZipBundler::finishArchive()
{
    reportProgress(true);
    if (!m_writer->finish())
        return fail(m_writer->error());
    if (m_multipart) {
        m_multipart->finish(); // completed() ends the job
        return;
    }
    if (m_journal) {
        // The journal learns the final name before the rename (see BundleJournal::Completion).
        const BundleJournal::Completion done{m_localSink->finalPath(), m_localSink->position(),
                                             m_localSink->identity()};
        if (!m_journal->appendCompletion(done) || !m_journal->sync())
            return fail(m_journal->errorString());
    }
    if (!m_localSink->commit())
        return fail(m_localSink->errorString());
    m_ended = true;
    m_journal.reset();
    if (m_options.committed)
        m_options.committed();
    emit finished(true, {}, m_localSink->finalPath());
}

void ZipBundler::reportProgress(bool force)
{
    if (force || !m_lastProgress.isValid() || m_lastProgress.elapsed() >= 100) {
        m_lastProgress.start();
        emit progress(m_bytesDone, m_entriesDone);
    }
}

void ZipBundler::teardown(bool keep, std::function<void()> then)
{
    m_ended = true;
    ++m_generation;
    for (auto &[u, r] : m_inFlight) {
        if (r)
            r->abort();
    }
    m_inFlight.clear();
    m_ready.clear();
    m_retrying.clear();
    for (const QPointer<s3::Reply> &r : std::as_const(m_listReplies)) {
        if (r)
            r->abort();
    }
    m_listReplies.clear();
    m_writer.reset();
    // Kept: the .part and the upload continue from the last checkpoint. Otherwise nothing of a
    // half archive is left behind.
    keep = keep && m_journal;
    if (m_localSink && keep)
        m_localSink->keepPart();
    m_localSink.reset();
    m_journal.reset();
    if (!keep && !m_journalPath.isEmpty())
        QFile::remove(m_journalPath);
    if (m_multipart) {
        disconnect(m_multipart, &MultipartSink::failed, this, &ZipBundler::fail);
        if (keep) {
            m_multipart->leave();
            then();
            return;
        }
        // Let the abort reach the server before reporting: the parts would otherwise be kept
        // (and billed) until a lifecycle rule removes them.
        connect(m_multipart, &MultipartSink::aborted, this, [then] { then(); });
        m_multipart->abort();
        return;
    }
    then();
}

void ZipBundler::fail(const QString &message)
{
    if (m_ended)
        return;
    // What was written up to the last checkpoint stays, so resuming continues from there.
    teardown(true, [this, message] {
        emit finished(false, message, {});
    });
}

void ZipBundler::stop()
{
    if (m_ended) {
        emit stopped();
        return;
    }
    teardown(true, [this] { emit stopped(); });
}

void ZipBundler::cancel()
{
    const auto removeLeftovers = [this] {
        if (!m_journalPath.isEmpty())
            QFile::remove(m_journalPath);
        if (!m_selection.toBucket() && !m_selection.localPath.isEmpty())
            QFile::remove(m_selection.localPath + u".part"_s);
        if (m_staleUpload.isEmpty() || !m_selection.toBucket()) {
            emit stopped();
            return;
        }
        s3::Reply *r = m_client->abortMultipartUpload(m_selection.targetBucket, m_selection.targetKey, m_staleUpload);
        m_staleUpload.clear();
        connect(r, &s3::Reply::finished, this, [this] { emit stopped(); });
    };
    if (!m_client) {
        // A bundle that is not running: only what it left behind goes.
        m_client = new s3::Client(m_account, m_credentials, this);
        m_credentials = {};
        m_ended = true;
        removeLeftovers();
        return;
    }
    if (m_ended) {
        removeLeftovers();
        return;
    }
    teardown(false, removeLeftovers);
}

} // namespace ferry::zip
