#include "zipread/remotezipdevice.h"

#include <QCoreApplication>
#include <QMutexLocker>
#include <QThread>
#include <QWaitCondition>

#include <cstring>

using namespace Qt::StringLiterals;

namespace ferry::zipread {

// One request at a time: the reader thread waits here for the network thread's answer.
struct RemoteZipDevice::Pending
{
    QMutex mutex;
    QWaitCondition ready;
    bool answered = false;
    bool aborted = false;
    RangeAnswer answer;
};

RemoteZipDevice::RemoteZipDevice(QObject *parent)
    : QIODevice(parent), m_pending(std::make_shared<Pending>())
{
}

RemoteZipDevice::RemoteZipDevice(const QUrl &url,
                                 const QList<QPair<QByteArray, QByteArray>> &headers,
                                 QObject *parent)
    : RemoteZipDevice(parent)
{
    startNetwork(new HttpRangeFetcher(url, headers));
}

RemoteZipDevice::RemoteZipDevice(const s3::Account &account, const s3::Credentials &credentials,
                                 const QString &bucket, const QString &key, QObject *parent)
    : RemoteZipDevice(parent)
{
    // The fetcher and its S3 client (with its network access managers, its children) move to
    // the network thread before their first request: a client's requests run on its thread.
    startNetwork(new S3RangeFetcher(account, credentials, bucket, key));
}

void RemoteZipDevice::startNetwork(RangeFetcher *fetcher)
{
    m_thread = new QThread;
    m_thread->setObjectName(u"ferry-remote-zip"_s);
    fetcher->moveToThread(m_thread);
    m_fetcher = fetcher;
    m_thread->start();
}

RemoteZipDevice::~RemoteZipDevice()
{
    abort();
    if (m_fetcher) {
        // Deleted on its own thread, where its replies live.
        RangeFetcher *fetcher = m_fetcher;
        QMetaObject::invokeMethod(
            fetcher, [fetcher] { delete fetcher; }, Qt::BlockingQueuedConnection);
    }
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

bool RemoteZipDevice::open(OpenMode mode)
{
    if ((mode & ReadWrite) != ReadOnly) {
        setErrorString(tr("A remote archive can only be read."));
        return false;
    }
    m_spans.clear();
    m_cached = 0;
    const RangeAnswer tail = request(-1, kTailBytes);
    if (tail.failure != RemoteFailure::None) {
        failWith(tail.failure, tail.message);
        return false;
    }
    m_size = tail.total;
    insertSpan(tail.from, tail.data, false);
    // Unbuffered: QIODevice's own read-ahead would fetch bytes past what QuaZip asks for.
    return QIODevice::open(ReadOnly | Unbuffered);
}

void RemoteZipDevice::close()
{
    QIODevice::close();
    m_spans.clear();
    m_cached = 0;
}

void RemoteZipDevice::abort()
{
    {
        QMutexLocker lock(&m_pending->mutex);
        m_pending->aborted = true;
        m_pending->ready.wakeAll();
    }
    if (m_fetcher) {
        RangeFetcher *fetcher = m_fetcher;
        QMetaObject::invokeMethod(
            fetcher, [fetcher] { fetcher->abortAll(); }, Qt::QueuedConnection);
    }
}

QByteArray RemoteZipDevice::etag() const
{
    return m_fetcher ? m_fetcher->etag() : QByteArray();
}

QByteArray RemoteZipDevice::lastModified() const
{
    return m_fetcher ? m_fetcher->lastModified() : QByteArray();
}

RemoteFailure RemoteZipDevice::failure() const
{
    QMutexLocker lock(&m_failureMutex);
    return m_failure;
}

void RemoteZipDevice::failWith(RemoteFailure failure, const QString &message)
{
    {
        QMutexLocker lock(&m_failureMutex);
        if (m_failure == RemoteFailure::None)
            m_failure = failure;
    }
    setErrorString(message);
}

int RemoteZipDevice::requestCount() const
{
    return m_fetcher ? m_fetcher->requestCount() : 0;
}

void RemoteZipDevice::setWindow(qint64 from, qint64 to)
{
    m_windowFrom = qMax<qint64>(0, from);
    m_windowTo = qMin(to, m_size);
}

RangeAnswer RemoteZipDevice::request(qint64 from, qint64 length)
{
    const std::shared_ptr<Pending> pending = m_pending;
    {
        QMutexLocker lock(&pending->mutex);
        if (pending->aborted)
            return {RemoteFailure::Aborted, tr("Cancelled."), {}, -1, -1};
        pending->answered = false;
    }
    RangeFetcher *fetcher = m_fetcher;
    // The callback holds the shared state, not the device: an answer that arrives after an
    // abort (or after the device is gone) has nowhere harmful to go.
    QMetaObject::invokeMethod(
        fetcher,
        [fetcher, pending, from, length] {
            fetcher->fetch(from, length, [pending](const RangeAnswer &answer) {
                QMutexLocker lock(&pending->mutex);
                pending->answer = answer;
                pending->answered = true;
                pending->ready.wakeAll();
            });
        },
        Qt::QueuedConnection);
    QMutexLocker lock(&pending->mutex);
    while (!pending->answered && !pending->aborted)
        pending->ready.wait(&pending->mutex);
    if (!pending->answered)
        return {RemoteFailure::Aborted, tr("Cancelled."), {}, -1, -1};
    RangeAnswer answer = std::move(pending->answer);
    pending->answer = {};
    m_bytesReceived += answer.data.size();
    return answer;
}

void RemoteZipDevice::insertSpan(qint64 from, const QByteArray &data, bool window)
{
    if (data.isEmpty())
        return;
    m_spans[from] = Span{data, ++m_useClock, window};
    m_cached += data.size();
    evict();
}

void RemoteZipDevice::evict()
{
    while (m_cached > m_cacheLimit && m_spans.size() > 1) {
        // Window spans first (oldest first), then the least recently used; never the newest.
        auto victim = m_spans.end();
        for (auto it = m_spans.begin(); it != m_spans.end(); ++it) {
            if (it->second.used == m_useClock)
                continue;
            if (victim == m_spans.end() || (it->second.window && !victim->second.window) ||
                (it->second.window == victim->second.window &&
                 it->second.used < victim->second.used))
                victim = it;
        }
        if (victim == m_spans.end())
            return;
        m_cached -= victim->second.data.size();
        m_spans.erase(victim);
    }
}

bool RemoteZipDevice::fill(qint64 pos)
{
    qint64 end = m_size;
    const auto next = m_spans.upper_bound(pos);
    if (next != m_spans.end())
        end = qMin(end, next->first);
    // A reader that skips a few bytes (a field it does not need) would otherwise leave a small
    // hole to be fetched on its own later: the fetch starts at the end of the span before.
    qint64 start = pos;
    if (next != m_spans.begin()) {
        const auto before = std::prev(next);
        const qint64 beforeEnd = before->first + before->second.data.size();
        if (beforeEnd < pos && pos - beforeEnd <= kSmallGap)
            start = beforeEnd;
    }
    qint64 length;
    const bool inWindow = pos >= m_windowFrom && pos < m_windowTo;
    if (inWindow) {
        start = qMax(start, m_windowFrom);
        length = qMin(m_windowTo - start, kMaxFetch);
    } else {
        // Sequential misses (walking the central directory) fetch more each time.
        m_nextFetch = start == m_lastMissEnd ? qMin(m_nextFetch * 2, kMaxFetch) : kMinFetch;
        length = m_nextFetch;
    }
    length = qMin(length, end - start);
    if (length <= pos - start)
        return false;
    const RangeAnswer answer = request(start, length);
    if (answer.failure != RemoteFailure::None) {
        failWith(answer.failure, answer.message);
        return false;
    }
    if (answer.from != start || answer.data.size() != length) {
        failWith(RemoteFailure::Http,
                 tr("The server sent another byte range than the one asked for."));
        return false;
    }
    m_lastMissEnd = start + length;
    insertSpan(start, answer.data, inWindow);
    return true;
}

qint64 RemoteZipDevice::readData(char *data, qint64 maxSize)
{
    qint64 pos = this->pos();
    qint64 done = 0;
    maxSize = qMin(maxSize, m_size - pos);
    while (done < maxSize) {
        auto it = m_spans.upper_bound(pos);
        if (it != m_spans.begin()) {
            --it;
            const qint64 offset = pos - it->first;
            if (offset < it->second.data.size()) {
                const qint64 n = qMin(maxSize - done, it->second.data.size() - offset);
                std::memcpy(data + done, it->second.data.constData() + offset, size_t(n));
                it->second.used = ++m_useClock;
                done += n;
                pos += n;
                continue;
            }
        }
        if (!fill(pos))
            return done > 0 ? done : -1;
    }
    return done;
}

} // namespace ferry::zipread
