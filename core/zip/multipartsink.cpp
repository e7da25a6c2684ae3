#include "zip/multipartsink.h"

#include "s3/s3client.h"

#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry::zip {

MultipartSink::MultipartSink(s3::Client *client, const QString &bucket, const QString &key, qint64 partSize,
                             int parallel, QObject *parent)
    : QObject(parent), m_client(client), m_bucket(bucket), m_key(key), m_partSize(qMax<qint64>(partSize, 5 << 20)),
      m_parallel(qMax(1, parallel)), m_backoff(BackoffPolicy{500, 20000, 6})
{
}

MultipartSink::~MultipartSink()
{
    for (auto &[n, p] : m_pending) {
        if (p.reply)
            p.reply->abort();
    }
    if (m_control)
        m_control->abort();
}

qint64 MultipartSink::partSizeFor(qint64 estimatedSize)
{
    constexpr qint64 mib = 1024 * 1024;
    constexpr qint64 maxParts = 10000;
    qint64 size = 8 * mib;
    if (estimatedSize > size * maxParts)
        size = ((estimatedSize + maxParts - 1) / maxParts + mib - 1) / mib * mib;
    return size;
}

void MultipartSink::begin()
{
    if (m_control || !m_uploadId.isEmpty() || m_done)
        return;
    s3::Reply *r = m_client->createMultipartUpload(m_bucket, m_key, u"application/zip"_s);
    m_control = r;
    connect(r, &s3::Reply::finished, this, [this, r] {
        m_control.clear();
        if (m_done && !m_abortWhenCreated)
            return;
        if (r->error.isError() || r->uploadId.isEmpty()) {
            if (m_abortWhenCreated) {
                m_done = true;
                emit aborted();
                return;
            }
            if (r->error.retryable() && !m_backoff.exhausted(m_controlAttempts)) {
                QTimer::singleShot(m_backoff.delayMs(m_controlAttempts++, r->error.retryAfter()), this, &MultipartSink::begin);
                return;
            }
            fail(r->error.isError() ? r->error.message : tr("The server did not start the upload."));
            return;
        }
        m_uploadId = r->uploadId;
        m_controlAttempts = 0;
        if (m_abortWhenCreated) {
            abort();
            return;
        }
        emit started(m_uploadId);
        pump();
    });
}

void MultipartSink::resumeUpload(const QString &uploadId, const QList<s3::Part> &confirmed, qint64 position)
{
    m_uploadId = uploadId;
    m_confirmed = confirmed;
    m_nextNumber = int(confirmed.size()) + 1;
    m_position = position;
    m_skip = qMax<qint64>(0, qint64(confirmed.size()) * m_partSize - position);
}

void MultipartSink::leave()
{
    m_done = true;
    for (auto &[n, p] : m_pending) {
        if (p.reply)
            p.reply->abort();
    }
    m_pending.clear();
    m_current.clear();
    m_unconfirmed = 0;
    if (m_control)
        m_control->abort();
}

bool MultipartSink::write(QByteArrayView data)
{
    if (m_done || m_finishing)
        return fail(m_error.isEmpty() ? tr("The upload is no longer open.") : m_error);
    if (m_skip > 0) {
        const qint64 n = qMin<qint64>(m_skip, data.size());
        m_skip -= n;
        m_position += n;
        data = data.sliced(n);
        if (data.isEmpty())
            return true;
    }
    m_current.append(data);
    m_position += data.size();
    m_unconfirmed += data.size();
    sealParts(false);
    pump();
    return true;
}

void MultipartSink::sealParts(bool last)
{
    // Fixed-size parts: some providers refuse uploads whose non-final parts differ in size.
    while (m_current.size() >= m_partSize) {
        m_pending[m_nextNumber++].data = m_current.left(m_partSize);
        m_current.remove(0, m_partSize);
    }
    if (last && !m_current.isEmpty()) {
        m_pending[m_nextNumber++].data = m_current;
        m_current.clear();
    }
    if (m_current.capacity() > 2 * m_partSize)
        m_current.squeeze();
}

void MultipartSink::pump()
{
    if (m_done || m_uploadId.isEmpty())
        return;
    int inFlight = int(std::count_if(m_pending.begin(), m_pending.end(), [](const auto &e) { return bool(e.second.reply); }));
    for (auto &[number, part] : m_pending) {
        if (inFlight >= m_parallel)
            break;
        if (part.reply || part.waiting)
            continue;
        send(number);
        ++inFlight;
    }
    if (m_finishing && m_pending.empty() && m_current.isEmpty() && !m_control)
        complete();
}

void MultipartSink::send(int number)
{
    PendingPart &part = m_pending[number];
    s3::Reply *r = m_client->uploadPart(m_bucket, m_key, m_uploadId, number, part.data);
    part.reply = r;
    connect(r, &s3::Reply::finished, this, [this, r, number] {
        const auto it = m_pending.find(number);
        if (m_done || it == m_pending.end())
            return;
        PendingPart &p = it->second;
        p.reply.clear();
        if (r->error.isError() || r->etag.isEmpty()) {
            const QString why = r->error.isError() ? r->error.message : tr("The server did not confirm part %1.").arg(number);
            if ((r->error.retryable() || !r->error.isError()) && !m_backoff.exhausted(p.attempts)) {
                p.waiting = true;
                QTimer::singleShot(m_backoff.delayMs(p.attempts++, r->error.retryAfter()), this, [this, number] {
                    if (const auto w = m_pending.find(number); w != m_pending.end())
                        w->second.waiting = false;
                    pump();
                });
                return;
            }
            fail(tr("Part %1 of the archive could not be uploaded: %2").arg(number).arg(why));
            return;
        }
        const bool hadRoom = hasRoom();
        m_confirmed.append({number, r->etag, qint64(p.data.size())});
        m_unconfirmed -= p.data.size();
        m_pending.erase(it);
        pump();
        if (!hadRoom && hasRoom())
            emit drained();
    });
}

void MultipartSink::finish()
{
    if (m_done)
        return;
    m_finishing = true;
    sealParts(true);
    pump();
}

void MultipartSink::complete()
{
    QList<s3::Part> parts = m_confirmed;
    std::sort(parts.begin(), parts.end(), [](const s3::Part &a, const s3::Part &b) { return a.number < b.number; });
    s3::Reply *r = m_client->completeMultipartUpload(m_bucket, m_key, m_uploadId, parts);
    m_control = r;
    connect(r, &s3::Reply::finished, this, [this, r] {
        m_control.clear();
        if (m_done)
            return;
        if (r->error.isError()) {
            if (r->error.retryable() && !m_backoff.exhausted(m_controlAttempts)) {
                QTimer::singleShot(m_backoff.delayMs(m_controlAttempts++, r->error.retryAfter()), this, &MultipartSink::pump);
                return;
            }
            fail(tr("The server did not assemble the archive: %1").arg(r->error.message));
            return;
        }
        m_done = true;
        m_uploadId.clear(); // nothing left to abort
        emit completed(r->etag);
    });
}

void MultipartSink::abort()
{
    const bool wasDone = m_done;
    m_done = true;
    for (auto &[n, p] : m_pending) {
        if (p.reply)
            p.reply->abort();
    }
    m_pending.clear();
    m_current.clear();
    m_unconfirmed = 0;
    if (m_control && m_uploadId.isEmpty() && !wasDone) {
        // The upload is being created: abort it once the server says which one it is.
        m_abortWhenCreated = true;
        return;
    }
    if (m_control)
        m_control->abort();
    if (m_uploadId.isEmpty()) {
        emit aborted();
        return;
    }
    s3::Reply *r = m_client->abortMultipartUpload(m_bucket, m_key, m_uploadId);
    m_uploadId.clear();
    m_control = r;
    connect(r, &s3::Reply::finished, this, [this] {
        m_control.clear();
        emit aborted();
    });
}

bool MultipartSink::fail(const QString &message)
{
    if (m_error.isEmpty())
        m_error = message;
    if (m_done)
        return false;
    m_done = true;
    for (auto &[n, p] : m_pending) {
        if (p.reply)
            p.reply->abort();
    }
    m_pending.clear();
    m_current.clear();
    emit failed(m_error);
    return false;
}

} // namespace ferry::zip
