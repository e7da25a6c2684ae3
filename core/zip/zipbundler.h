#pragma once

#include "engine/backoff.h"
#include "s3/s3types.h"
#include "s3/sigv4.h"
#include "s3/throttle.h"
#include "zip/bundlejournal.h"
#include "zip/bundleselection.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QThreadPool>

#include <functional>
#include <map>
#include <memory>
#include <set>

namespace ferry::s3 {
class Client;
class Reply;
}

namespace ferry::zip {

class LocalFileZipSink;
class MultipartSink;
class ZipWriter;

struct BundlerOptions {
    int maxRequests = 16;                    // GETs in flight
    qint64 maxBufferedBytes = 16LL << 20;    // fetched or being fetched, not yet written
    qint64 chunkSize = 4LL << 20;            // larger objects are fetched in ranges of this size
    int uploadParallel = 2;                  // parts in flight when streaming into a bucket
    int maxAttempts = 5;                     // per GET, for network errors and throttling
    // Input between checkpoints, and the restart points inside entries (rounded up to whole
    // chunks). 0: neither, and an interrupted bundle starts again.
    qint64 checkpointInterval = 16LL << 20;
    // Called on the bundler's thread when a local archive got its final name, right before
    // finished(): lets a test act (pause the job, say) exactly between the two.
    std::function<void()> committed;
};

// Bundles the objects of a selection into one ZIP, either a local file (".part" until the
// central directory is written) or a multipart upload. Phases: expand the selection (list
// prefixes, HEAD single keys), name the entries (ZipNameMapper, relative to the selection's
// common parent), then fetch and write.
//
// Fetching runs ahead of writing: whole small objects and byte ranges of large ones (each GET
// carries If-Match with the listed ETag, so an object that changes is never mixed) are
// requested in parallel within a bounded window of requests and bytes, complete in any order
// and are written strictly in archive order. Many small objects thus do not wait on each
// other's latency, a large one is read over several connections, and memory stays bounded by
// the window plus, for uploads, the parts awaiting confirmation. Nothing ever blocks: the
// upload pushes back through MultipartSink::hasRoom()/drained().
//
// Resuming (the journal, continuing at a checkpoint, taking checkpoints) is in
// zipbundlerresume.cpp; the rest in zipbundler.cpp.
//
// Creates its own Client in start() and lives on the thread that calls start(); every slot
// must be called from that thread. Ends with exactly one finished() or stopped().
class ZipBundler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ZipBundler)
public:
    ZipBundler(s3::Account account, s3::Credentials credentials, BundleSelection selection,
               BundlerOptions options = {}, QObject *parent = nullptr);
    ~ZipBundler() override;

    // A multipart upload left by an earlier run that cannot be continued: aborted first.
    void setStaleUpload(const QString &uploadId) { m_staleUpload = uploadId; }
    // Where the bundle keeps what it needs to continue (see BundleJournal), and how many of its
    // bytes a checkpoint made valid: ≥ 0 continues from the last checkpoint in them (a bucket
    // bundle: the last one the server's confirmed parts cover), < 0 starts a new bundle.
    void setJournal(const QString &path, qint64 validBytes = -1)
    {
        m_journalPath = path;
        m_journalValid = validBytes;
    }
    // Limiters the objects' GETs and the archive's parts obey (call before start()). They
    // are shared with the thread that changes their rates; RateLimiter is thread-safe.
    void setRateLimiters(s3::RateLimiters limiters) { m_limiters = std::move(limiters); }

    void start();
    // Stops every request, keeps the .part or the upload and the journal to continue from the
    // last checkpoint, then stopped().
    void stop();
    // Stops and removes everything: the .part, the journal, the upload on the server; then
    // stopped(). Works before start() too (a paused bundle being removed).
    void cancel();

    qint64 bytesDone() const { return m_bytesDone; }
    qint64 bytesTotal() const { return m_bytesTotal; }
    int entriesDone() const { return m_entriesDone; }
    int entriesTotal() const { return int(m_items.size()); }
    QList<BundleItem> items() const { return m_items; }

signals:
    // The selection is expanded and named; fetching starts next.
    void listed(qint64 totalBytes, int totalEntries);
    void progress(qint64 bytesDone, int entriesDone);
    // Something the user may want to read later: renamed entries, retries, skipped objects.
    void note(const QString &text);
    void skipped(const QString &key, const QString &reason);
    void uploadStarted(const QString &uploadId);
    // The archive can continue from here: the first `journalBytes` of the journal are valid.
    void checkpointed(qint64 journalBytes, qint64 bytesDone, int entriesDone);
    // The journal grew by something a resumed run needs (the upload id) and was synced.
    void journalSynced(qint64 journalBytes);
    // ok: `result` is the local file's path, or the share link of the uploaded archive. The
    // journal is left for the owner to remove once it recorded the result: until then a local
    // archive's journal says it was finished (BundleJournal::completionIn()).
    void finished(bool ok, const QString &message, const QString &result);
    void stopped();

private:
    using UnitId = std::pair<int, int>; // item, chunk

    void listNext();
    void headNext();
    void listingDone();
    bool openSink();
    // The bucket bundle's upload, connected to this bundler (m_multipart).
    MultipartSink *newMultipartSink(qint64 partSize);
    bool createJournal();
    void resumeFromJournal();
    void continueAt(QList<s3::Part> serverParts);
    void recordUpload(const QString &uploadId);
    bool recordEntry();
    void maybeCheckpoint();
    void commitCheckpoint(const BundleJournal::Checkpoint &checkpoint);
    bool checkpointsOn() const { return m_options.checkpointInterval > 0 && m_journal; }
    int chunkCount(int item) const;
    qint64 chunkSize(int item, int chunk) const;
    void issue();
    void fetch(UnitId unit);
    void fetched(UnitId unit, s3::Reply *reply);
    void itemFailed(int item, const QString &reason);
    void pumpWrite();
    bool writeChunk(const BundleItem &item, UnitId unit, const QByteArray &body);
    void advanceItem();
    void finishArchive();
    void reportProgress(bool force);
    void fail(const QString &message);
    void teardown(bool keep, std::function<void()> then);
    bool sinkHasRoom() const;

    s3::Account m_account;
    s3::Credentials m_credentials;
    BundleSelection m_selection;
    BundlerOptions m_options;
    Backoff m_backoff;
    s3::Client *m_client = nullptr;
    QString m_staleUpload;
    QString m_journalPath;
    qint64 m_journalValid = -1;
    std::unique_ptr<BundleJournal> m_journal;
    qint64 m_lastCheckpointInput = 0;
    bool m_syncPending = false; // the .part is being synced for a checkpoint
    QThreadPool m_syncPool;     // where that sync runs
    qint64 m_resumeFrom = -1; // archive offset a resumed run continues at
    std::shared_ptr<BundleJournal::Contents> m_resume; // read from the journal, until continued
    s3::RateLimiters m_limiters;

    // Listing.
    QStringList m_prefixQueue;
    QString m_listToken;
    QStringList m_headQueue;
    int m_headsInFlight = 0;
    int m_listAttempts = 0;
    std::map<QString, s3::Object> m_found; // by key: sorted and free of duplicates
    QList<QPointer<s3::Reply>> m_listReplies;

    // Bundling.
    QList<BundleItem> m_items;
    std::unique_ptr<LocalFileZipSink> m_localSink;
    MultipartSink *m_multipart = nullptr;
    std::unique_ptr<ZipWriter> m_writer;
    std::map<UnitId, QPointer<s3::Reply>> m_inFlight;
    std::map<UnitId, QByteArray> m_ready;
    std::map<UnitId, int> m_attempts;
    std::set<UnitId> m_retrying;             // backing off before the next attempt
    std::set<int> m_failedItems;
    int m_issueItem = 0;
    int m_issueChunk = 0;
    int m_writeItem = 0;
    int m_writeChunk = 0;
    qint64 m_writeOffset = 0;   // within the chunk being written
    bool m_entryOpen = false;
    qint64 m_buffered = 0;      // bytes in flight or waiting to be written
    qint64 m_bytesDone = 0;
    qint64 m_bytesTotal = 0;
    int m_entriesDone = 0;
    QElapsedTimer m_lastProgress;
    bool m_named = false;
    bool m_finishing = false;
    bool m_ended = false;
    quint64 m_generation = 0;
};

} // namespace ferry::zip
