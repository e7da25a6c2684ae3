#pragma once

#include "s3/s3types.h"
#include "s3/sigv4.h"
#include "zipread/rangefetcher.h"

#include <QIODevice>
#include <QList>
#include <QMutex>
#include <QPair>
#include <QUrl>

#include <map>
#include <memory>

class QThread;

namespace ferry::zipread {

// A read-only, random-access QIODevice over a remote file that is read with ranged GETs: an
// HTTP(S) address or an S3 object (signed GETs). QuaZip reads the archive through it.
//
// Threads: QuaZip reads and seeks synchronously, so the device is synchronous too. The network
// runs on a private thread owned by the device (its own network access manager or S3 client);
// readData() posts a request there and blocks the calling thread on a wait condition until the
// answer arrives. No nested event loop runs inside readData(), so nothing else can re-enter the
// reader while it waits, and the calling thread may be any thread at all, since the network
// never needs its event loop. Blocking is why the device must be used from a worker thread:
// never from the GUI thread. abort() may be called from any thread and ends a wait at once.
//
// Caching: the archive's tail (end-of-central-directory records) is fetched when the device
// opens; later misses fetch forward from the missing byte, 64 KiB at first and doubling while
// reads stay sequential (up to 4 MiB), never overlapping bytes already held. setWindow() tells
// the device that the next reads walk through one known span (an entry's local header and data),
// so misses there fetch exactly to its end: nothing is read beyond what an entry needs. Cached
// spans total at most cacheLimit(); spans of a window are dropped first, so the central
// directory stays for the next entry.
//
// The first answer fixes the archive's size and validators; a later answer for another version
// fails the read (RemoteFailure::Changed): two versions are never mixed.
class RemoteZipDevice final : public QIODevice
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RemoteZipDevice)
public:
    static constexpr qint64 kTailBytes = 64 * 1024;
    static constexpr qint64 kMinFetch = 64 * 1024;
    static constexpr qint64 kMaxFetch = 4 * 1024 * 1024;
    static constexpr qint64 kSmallGap = 4096;

    // `headers`: extra request headers (cookies, Authorization), sent only to the address's host.
    explicit RemoteZipDevice(const QUrl &url,
                             const QList<QPair<QByteArray, QByteArray>> &headers = {},
                             QObject *parent = nullptr);
    RemoteZipDevice(const s3::Account &account, const s3::Credentials &credentials,
                    const QString &bucket, const QString &key, QObject *parent = nullptr);
    ~RemoteZipDevice() override;

    // ReadOnly only. Fetches the tail: size and validators are known afterwards. On failure
    // errorString() and failure() say why.
    bool open(OpenMode mode) override;
    void close() override;
    bool isSequential() const override { return false; }
    qint64 size() const override { return m_size; }

    // Thread-safe: ends the current and every later read with RemoteFailure::Aborted.
    void abort();
    RemoteFailure failure() const;

    // The next reads walk through [from, to): misses there fetch up to `to` (not beyond), in
    // pieces of at most kMaxFetch. An empty span clears it.
    void setWindow(qint64 from, qint64 to);

    // What went over the wire so far: body bytes received and requests sent.
    qint64 bytesReceived() const { return m_bytesReceived; }
    int requestCount() const;

    // The archive's strong ETag (or empty) and, without one, its Last-Modified, as first seen.
    QByteArray etag() const;
    QByteArray lastModified() const;

    void setCacheLimit(qint64 bytes) { m_cacheLimit = bytes; }
    qint64 cacheLimit() const { return m_cacheLimit; }

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    struct Span
    {
        QByteArray data;
        quint64 used = 0;    // last use, for least-recently-used eviction
        bool window = false; // read through once: evicted first
    };
    explicit RemoteZipDevice(QObject *parent);
    void startNetwork(RangeFetcher *fetcher);
    RangeAnswer request(qint64 from, qint64 length);
    bool fill(qint64 pos);
    void insertSpan(qint64 from, const QByteArray &data, bool window);
    void evict();
    void failWith(RemoteFailure failure, const QString &message);

    QThread *m_thread = nullptr;
    RangeFetcher *m_fetcher = nullptr; // lives on m_thread
    struct Pending;
    std::shared_ptr<Pending> m_pending; // shared with the network thread's callbacks

    std::map<qint64, Span> m_spans; // by archive offset; never overlapping
    qint64 m_cached = 0;
    quint64 m_useClock = 0;
    qint64 m_cacheLimit = 32 * 1024 * 1024;
    qint64 m_size = 0;
    qint64 m_lastMissEnd = -1;
    qint64 m_nextFetch = kMinFetch;
    qint64 m_windowFrom = 0;
    qint64 m_windowTo = 0;
    qint64 m_bytesReceived = 0;
    mutable QMutex m_failureMutex;
    RemoteFailure m_failure = RemoteFailure::None;
};

} // namespace ferry::zipread
