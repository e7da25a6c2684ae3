#pragma once

#include "api/downloadtypes.h"

#include <QString>
#include <QUrl>
#include <atomic>
#include <memory>
#include <mutex>
#include <shared_mutex>

namespace ferry {

class PartFile;
class RateLimiter;
class RequestSigner;

// Shared between a job (its owner thread) and the one connection writing the range.
struct SegmentProgress {
    explicit SegmentProgress(qint64 s, qint64 e) : start(s), end(e) {}
    const qint64 start;
    std::atomic<qint64> end;        // exclusive, -1 = until the stream ends; the job may lower it
    std::atomic<qint64> written{0}; // contiguous bytes from start that were written
    qint64 length() const { const qint64 e = end.load(); return e < 0 ? -1 : e - start; }
    bool complete() const { const qint64 l = length(); return l >= 0 && written.load() >= l; }
    // Progress only moves forward: a connection that is being stopped may report late.
    void raiseWritten(qint64 value)
    {
        qint64 cur = written.load();
        while (value > cur && !written.compare_exchange_weak(cur, value)) {}
    }
};

// Closing the gate guarantees that no connection of an old plan writes another byte: writers
// hold it shared around each positional write, a restart takes it exclusively once. This is
// what keeps a file that changed on the server from ever mixing two versions.
struct WriteGate {
    std::shared_mutex mutex;
    bool open = true;
    void close() { std::unique_lock lock(mutex); open = false; }
};

struct TransferTask {
    QUrl url;
    // The user's headers (any may be a credential) go only to the origin they were given for,
    // never to a redirect's target on another host.
    HeaderList secretHeaders;
    QUrl secretOrigin;           // scheme, host and port the credentials belong to
    std::shared_ptr<const RequestSigner> signer; // per-request signature (S3), same origin only
    bool probe = false;          // "Range: bytes=0-", headers reported before anything is written
    qint64 probeLast = -1;       // a probe that only looks: "bytes=0-probeLast" (-1: open-ended)
    bool ranged = true;          // false: a plain GET of the whole body (no range support)
    // Where the file's byte 0 lies in the resource (an entry's span of a remote archive): ranges
    // asked and Content-Range checked are the resource's, offsets written are the file's.
    qint64 rangeBase = 0;
    bool archiveEntry = false;   // the file is an entry's span (its messages speak of the archive)
    QByteArray ifRange;          // ETag or Last-Modified sent as If-Range; empty: not sent
    // The validators the download started from; every reply that carries one must match it.
    QByteArray expectedEtag;
    QByteArray expectedLastModified;
    qint64 expectedTotal = -1;
    std::shared_ptr<SegmentProgress> progress;
    std::shared_ptr<PartFile> file;
    std::shared_ptr<WriteGate> gate;
    std::shared_ptr<RateLimiter> downloadLimiter;
    std::shared_ptr<RateLimiter> globalLimiter;
    int stallTimeoutMs = 30000;
};

struct ProbeResult {
    int status = 0;
    QUrl finalUrl;
    qint64 total = -1;
    bool rangeSupported = false;
    QByteArray etag;
    QString lastModified;
    QString fileName;            // raw, from Content-Disposition or the URL
    // The answer to the probe's range cannot be written (a content coding such as gzip, or a
    // length other than the range's): the file comes as one plain stream instead.
    QString rangesUnusable;
};

struct TransferError {
    enum Kind {
        Network,     // retry with backoff
        Throttled,   // 429 / 503: retry later, fewer connections to that host
        FileChanged, // the server's file is not the one we started with
        WrongRange,  // a Content-Range other than the one asked: nothing written, retry
        // The whole file in answer to If-Range, though its validators still match: the server
        // does not evaluate If-Range. Nothing written; ranges go on without it.
        IfRangeIgnored,
        Fatal,       // 4xx, TLS, redirects: retrying will not help
        Disk,        // could not write: pause, keep what we have
    };
    Kind kind = Network;
    int httpStatus = 0;
    qint64 retryAfterMs = -1;
    QString message;
};

} // namespace ferry
