#include "engine/connection.h"

#include "engine/requestsigner.h"

#include "engine/backoff.h"
#include "engine/contentdisposition.h"
#include "engine/contentrange.h"
#include "engine/partfile.h"
#include "engine/ratelimiter.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslError>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace ferry {

Connection::Connection()
{
    qRegisterMetaType<ferry::ProbeResult>();
    qRegisterMetaType<ferry::TransferError>();
    m_thread.setObjectName(u"ferry-connection"_s);
    moveToThread(&m_thread);
    m_thread.start();
    QMetaObject::invokeMethod(this, [this] {
        m_nam = new QNetworkAccessManager(this);
        m_throttle = new QTimer(this);
        m_throttle->setSingleShot(true);
        connect(m_throttle, &QTimer::timeout, this, &Connection::drain);
        m_buffer.resize(readChunk);
    }, Qt::QueuedConnection);
}

Connection::~Connection()
{
    QMetaObject::invokeMethod(this, [this] { teardown(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void Connection::teardown()
{
    dropReply();
    delete m_throttle;
    m_throttle = nullptr;
    delete m_nam;
    m_nam = nullptr;
}

void Connection::start(quint64 taskId, const TransferTask &task)
{
    QMetaObject::invokeMethod(this, [this, taskId, task] {
        dropReply();
        m_taskId = taskId;
        m_task = task;
        begin();
    }, Qt::QueuedConnection);
}

void Connection::adoptProbe(std::shared_ptr<PartFile> file, std::shared_ptr<WriteGate> gate,
                            std::shared_ptr<SegmentProgress> progress)
{
    QMetaObject::invokeMethod(this, [this, file, gate, progress] {
        m_task.file = file;
        m_task.gate = gate;
        m_task.progress = progress;
        m_pos = progress->start + progress->written.load();
        if (m_reply)
            drain();
    }, Qt::QueuedConnection);
}

void Connection::stop()
{
    QMetaObject::invokeMethod(this, [this] { dropReply(); }, Qt::QueuedConnection);
}

void Connection::dropReply()
{
    if (m_throttle)
        m_throttle->stop();
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
        m_reply = nullptr;
    }
    m_done = true;
}

void Connection::begin()
{
    m_redirects = 0;
    send(m_task.url);
}

void Connection::send(const QUrl &url)
{
    m_validated = false;
    m_done = false;
    m_replyFinished = false;
    m_replyFailed = false;
    m_tlsReason.clear();
    m_askedLast = -1;

    if (!m_task.probe && !m_task.ranged && m_task.progress->start + m_task.progress->written.load() != 0) {
        // A plain GET always starts at byte 0; writing its body anywhere else would corrupt.
        fail({TransferError::WrongRange, 0, -1, tr("Internal error: a whole-file request cannot continue at an offset.")});
        return;
    }

    QNetworkRequest request(url);
    // One TCP connection per range: HTTP/2 would multiplex every range over one connection.
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    // Redirects are followed here, not by Qt, so that credentials never travel to another host.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(m_task.stallTimeoutMs);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    // Ranges address the bytes as stored; a transparently decompressed body would not match them.
    request.setRawHeader("Accept-Encoding", "identity");
    request.setRawHeader("User-Agent", "Ferry/" FERRY_VERSION);
    const QUrl &origin = m_task.secretOrigin;
    const auto defaultPort = [](const QUrl &u) { return u.port(u.scheme() == u"https"_s ? 443 : 80); };
    const bool sameOrigin = url.scheme() == origin.scheme() && url.host() == origin.host() && defaultPort(url) == defaultPort(origin);
    if (sameOrigin) {
        for (const auto &[name, value] : m_task.secretHeaders)
            request.setRawHeader(name, value);
    }

    if (m_task.probe) {
        const qint64 base = m_task.rangeBase;
        request.setRawHeader("Range", "bytes=" + QByteArray::number(base) + '-'
                                          + (m_task.probeLast >= 0 ? QByteArray::number(base + m_task.probeLast) : QByteArray()));
        m_pos = 0;
    } else {
        const SegmentProgress &p = *m_task.progress;
        m_pos = p.start + p.written.load();
        const qint64 end = p.end.load();
        if (m_task.ranged) {
            m_askedLast = end - 1;
            const qint64 base = m_task.rangeBase;
            request.setRawHeader("Range", "bytes=" + QByteArray::number(base + m_pos) + '-' + QByteArray::number(base + m_askedLast));
            if (!m_task.ifRange.isEmpty())
                request.setRawHeader("If-Range", m_task.ifRange);
        }
    }

    // A signature covers this very request (its time, its headers), so it is made last.
    if (m_task.signer && sameOrigin) {
        HeaderList present;
        for (const QByteArray &name : request.rawHeaderList())
            present.append({name, request.rawHeader(name)});
        for (const auto &[name, value] : m_task.signer->sign("GET", url, present))
            request.setRawHeader(name, value);
    }

    m_reply = m_nam->get(request);
    m_reply->setReadBufferSize(readChunk);
    connect(m_reply, &QNetworkReply::readyRead, this, &Connection::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &Connection::onFinished);
    connect(m_reply, &QNetworkReply::sslErrors, this, [this](const QList<QSslError> &errors) {
        if (!errors.isEmpty())
            m_tlsReason = errors.first().errorString();
    });
}

bool Connection::followRedirect(int status)
{
    const QUrl target = m_reply->url().resolved(QUrl::fromEncoded(m_reply->rawHeader("Location")));
    if (++m_redirects > 10) {
        fail({TransferError::Fatal, status, -1, tr("The server redirected too many times (more than 10).")});
        return false;
    }
    if (!target.isValid() || (target.scheme() != u"http"_s && target.scheme() != u"https"_s)) {
        fail({TransferError::Fatal, status, -1, tr("The server redirected to an address that cannot be downloaded: %1").arg(target.toString(QUrl::RemovePassword))});
        return false;
    }
    if (m_reply->url().scheme() == u"https"_s && target.scheme() == u"http"_s) {
        fail({TransferError::Fatal, status, -1, tr("The server redirected from HTTPS to plain HTTP; the redirect was refused.")});
        return false;
    }
    dropReply();
    send(target);
    return false;
}

void Connection::onReadyRead()
{
    if (m_done || (!m_validated && !validateHeaders()))
        return;
    drain();
}

void Connection::onFinished()
{
    if (m_done)
        return;
    m_replyFinished = true;
    m_replyFailed = m_reply->error() != QNetworkReply::NoError;
    if (m_replyFailed) {
        const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (m_task.probe && !m_validated && status == 416) {
            validateHeaders(); // an empty file answers "bytes=0-" with 416
            if (m_done)
                return;
        }
        if (m_validated && status < 400) {
            drain(); // keep what arrived intact before the connection broke
            if (m_done)
                return;
        }
        // The body of an error response is never read, let alone written.
        fail(errorFromReply());
        return;
    }
    if (!m_validated && !validateHeaders())
        return;
    drain();
}

bool Connection::validateHeaders()
{
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0)
        return false; // no response yet; finished() will tell what went wrong
    if (m_task.probe && status == 416) {
        // "bytes=0-" cannot be satisfied by an empty file; that is an answer, not an error.
        const auto range = parseContentRange(m_reply->rawHeader("Content-Range"));
        if (range && range->total == 0) {
            ProbeResult r;
            r.status = status;
            r.finalUrl = m_reply->url();
            r.total = 0;
            r.fileName = fileNameFromContentDisposition(m_reply->rawHeader("Content-Disposition"));
            if (r.fileName.isEmpty())
                r.fileName = fileNameFromUrl(r.finalUrl);
            m_validated = true;
            dropReply();
            emit probed(m_taskId, r);
            return false;
        }
    }
    if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)
        return followRedirect(status);
    if (m_task.probe && status == 416) {
        // An archive entry's first byte lies inside the archive: the archive is shorter now.
        fail({TransferError::Fatal, status, -1,
              m_task.archiveEntry
                  ? tr("The archive on the server is shorter than when its contents were listed (416 Range Not Satisfiable): it changed; list its contents again.")
                  : tr("The server refused to send the file from its first byte (416 Range Not Satisfiable).")});
        return false;
    }
    if (status >= 400) {
        // An error page is never written; it is drained and judged when the reply finishes.
        m_reply->skip(m_reply->bytesAvailable());
        return false;
    }
    const QByteArray etag = m_reply->rawHeader("ETag");
    const QByteArray contentRange = m_reply->rawHeader("Content-Range");
    const auto range = parseContentRange(contentRange);

    if (m_task.probe) {
        ProbeResult r;
        r.status = status;
        r.finalUrl = m_reply->url();
        r.etag = etag.startsWith("W/") ? QByteArray() : etag; // weak tags cannot validate ranges
        r.lastModified = QString::fromLatin1(m_reply->rawHeader("Last-Modified"));
        r.fileName = fileNameFromContentDisposition(m_reply->rawHeader("Content-Disposition"));
        if (r.fileName.isEmpty())
            r.fileName = fileNameFromUrl(r.finalUrl);
        if (status == 206) {
            if (!range || range->first != m_task.rangeBase || range->total < 0) {
                fail({TransferError::WrongRange, status, -1, tr("The server answered the first request with an unusable Content-Range (%1).").arg(QString::fromLatin1(contentRange))});
                return false;
            }
            r.total = range->total;
            // Ranges are placed by the stored bytes they count: a compressed or mis-sized body
            // would land at the right offset with the wrong bytes.
            const QByteArray coding = contentCoding();
            const qint64 length = contentLength();
            if (!coding.isEmpty())
                r.rangesUnusable = tr("The server compresses byte ranges (Content-Encoding: %1)").arg(QString::fromLatin1(coding));
            else if (length >= 0 && length != range->last - range->first + 1)
                r.rangesUnusable = tr("The server sends byte ranges of another length than they claim (%1 bytes for %2)")
                                       .arg(length).arg(QString::fromLatin1(contentRange));
            r.rangeSupported = r.rangesUnusable.isEmpty();
        } else {
            bool ok = false;
            const qint64 length = m_reply->header(QNetworkRequest::ContentLengthHeader).toLongLong(&ok);
            r.total = ok ? length : -1;
            r.rangeSupported = false;
        }
        m_validated = true;
        emit probed(m_taskId, r);
        return true;
    }

    const QByteArray lastModified = m_reply->rawHeader("Last-Modified");
    const QByteArray coding = contentCoding();
    const qint64 length = contentLength();
    // Every reply is checked against the validators the download started from, whatever the
    // server made of If-Range: some never evaluate it.
    const bool etagDiffers = !m_task.expectedEtag.isEmpty() && !etag.isEmpty() && etag != m_task.expectedEtag;
    const bool dateDiffers = !m_task.expectedLastModified.isEmpty() && !lastModified.isEmpty()
        && lastModified != m_task.expectedLastModified;
    const bool etagSame = !m_task.expectedEtag.isEmpty() && etag == m_task.expectedEtag;
    const bool dateSame = m_task.expectedEtag.isEmpty() && !m_task.expectedLastModified.isEmpty()
        && lastModified == m_task.expectedLastModified;

    if (m_task.ranged) {
        if (status == 200) {
            const bool sameLength = length < 0 || m_task.expectedTotal < 0 || length == m_task.expectedTotal;
            const bool sentIfRange = !m_task.ifRange.isEmpty();
            if (sentIfRange && !etagDiffers && !dateDiffers && sameLength && coding.isEmpty() && (etagSame || dateSame)) {
                fail({TransferError::IfRangeIgnored, status, -1,
                      tr("The server answered a byte range with the whole file, although the file is unchanged.")});
                return false;
            }
            // A full body in answer to If-Range means the validator no longer matches.
            const bool changed = sentIfRange || etagDiffers || dateDiffers;
            fail({changed ? TransferError::FileChanged : TransferError::WrongRange, status, -1,
                  changed ? tr("The file changed on the server.")
                          : tr("The server ignored the requested byte range.")});
            return false;
        }
        if (status != 206) {
            fail({TransferError::WrongRange, status, -1, tr("Unexpected HTTP status %1 for a byte range.").arg(status)});
            return false;
        }
        if (etagDiffers || dateDiffers) {
            fail({TransferError::FileChanged, status, -1, tr("The file changed on the server.")});
            return false;
        }
        if (range && m_task.expectedTotal >= 0 && range->total >= 0 && range->total != m_task.expectedTotal) {
            fail({TransferError::FileChanged, status, -1, tr("The file changed on the server (its size is now %1 bytes).").arg(range->total)});
            return false;
        }
        const qint64 base = m_task.rangeBase;
        if (!range || range->first != base + m_pos || range->last != base + m_askedLast) {
            fail({TransferError::WrongRange, status, -1,
                  tr("The server sent bytes %1 instead of the requested %2-%3; nothing of it was written.")
                      .arg(contentRange.isEmpty() ? tr("(no Content-Range)") : QString::fromLatin1(contentRange))
                      .arg(base + m_pos).arg(base + m_askedLast)});
            return false;
        }
        if (!coding.isEmpty()) {
            fail({TransferError::WrongRange, status, -1,
                  tr("The server compressed the byte range %1-%2 (Content-Encoding: %3); nothing of it was written.")
                      .arg(base + m_pos).arg(base + m_askedLast).arg(QString::fromLatin1(coding))});
            return false;
        }
        if (length >= 0 && length != m_askedLast - m_pos + 1) {
            fail({TransferError::WrongRange, status, -1,
                  tr("The server sent %1 bytes for the %2 bytes of the range %3-%4; nothing of it was written.")
                      .arg(length).arg(m_askedLast - m_pos + 1).arg(base + m_pos).arg(base + m_askedLast)});
            return false;
        }
        // Without If-Range only the reply's own validators tell this version from another.
        const bool validatorsKnown = !m_task.expectedEtag.isEmpty() || !m_task.expectedLastModified.isEmpty();
        if (m_task.ifRange.isEmpty() && validatorsKnown && !etagSame && !dateSame) {
            fail({TransferError::WrongRange, status, -1,
                  tr("The server's answer to a byte range names no ETag or Last-Modified to tell it from another version of the file; nothing of it was written.")});
            return false;
        }
    } else {
        if (status != 200) {
            fail({TransferError::WrongRange, status, -1, tr("Unexpected HTTP status %1.").arg(status)});
            return false;
        }
        // A whole-file retry must be the same file the download started with.
        const bool lengthChanged = length >= 0 && m_task.expectedTotal >= 0 && length != m_task.expectedTotal;
        if (lengthChanged && !coding.isEmpty()) {
            fail({TransferError::Fatal, status, -1,
                  tr("The server sends this file only compressed (Content-Encoding: %1): %2 bytes instead of the %3 it announced. Nothing of it was written.")
                      .arg(QString::fromLatin1(coding)).arg(length).arg(m_task.expectedTotal)});
            return false;
        }
        if (lengthChanged || etagDiffers || dateDiffers) {
            fail({TransferError::FileChanged, status, -1, tr("The file changed on the server.")});
            return false;
        }
    }
    m_validated = true;
    return true;
}

void Connection::drain()
{
    if (m_done || !m_reply || !m_task.file || !m_task.progress)
        return; // a probe waits here until its plan exists
    SegmentProgress &progress = *m_task.progress;
    while (m_reply->bytesAvailable() > 0) {
        const qint64 end = progress.end.load();
        const qint64 remaining = end < 0 ? std::numeric_limits<qint64>::max() : end - m_pos;
        if (remaining <= 0)
            break;
        const qint64 want = std::min({m_reply->bytesAvailable(), readChunk, remaining});
        const qint64 granted = RateLimiter::acquire({m_task.globalLimiter.get(), m_task.downloadLimiter.get()}, want);
        if (granted <= 0) {
            const qint64 waitMs = RateLimiter::msUntilAvailable({m_task.globalLimiter.get(), m_task.downloadLimiter.get()}, qMin<qint64>(want, 16 * 1024));
            m_throttle->start(int(std::clamp<qint64>(waitMs, 1, 1000)));
            return;
        }
        const qint64 n = m_reply->read(m_buffer.data(), granted);
        if (n <= 0)
            break;
        QString error;
        {
            std::shared_lock lock(m_task.gate->mutex);
            if (!m_task.gate->open) {
                dropReply();
                return;
            }
            if (!m_task.file->write(m_pos, m_buffer.constData(), n, &error)) {
                lock.unlock();
                fail({TransferError::Disk, 0, -1, error});
                return;
            }
        }
        m_pos += n;
        progress.raiseWritten(m_pos - progress.start);
    }
    const qint64 end = progress.end.load();
    if (end >= 0 && m_pos >= end) {
        complete();
    } else if (m_replyFinished && m_reply->bytesAvailable() == 0) {
        if (end < 0 && !m_replyFailed) {
            complete(); // a stream of unknown length ends when the server ends it cleanly
        } else if (end < 0) {
            fail({TransferError::Network, 0, -1, tr("The connection broke before the end of a file of unknown length.")});
        } else if (m_replyFailed) {
            fail(errorFromReply()); // a stall says so, not just that the range is incomplete
        } else {
            fail({TransferError::Network, 0, -1, tr("The connection closed before the range was complete.")});
        }
    }
}

void Connection::complete()
{
    dropReply();
    emit finished(m_taskId);
}

void Connection::fail(TransferError error)
{
    if (m_reply && error.retryAfterMs < 0) {
        const QByteArray retryAfter = m_reply->rawHeader("Retry-After");
        if (!retryAfter.isEmpty())
            error.retryAfterMs = parseRetryAfterMs(retryAfter, QDateTime::currentDateTimeUtc()).value_or(-1);
    }
    dropReply();
    emit failed(m_taskId, error);
}

QByteArray Connection::contentCoding() const
{
    const QByteArray coding = m_reply->rawHeader("Content-Encoding").trimmed().toLower();
    return coding == "identity" ? QByteArray() : coding;
}

qint64 Connection::contentLength() const
{
    bool ok = false;
    const qint64 length = m_reply->header(QNetworkRequest::ContentLengthHeader).toLongLong(&ok);
    return ok ? length : -1;
}

TransferError Connection::errorFromReply() const
{
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QString reason = m_reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
    if (status == 429 || status == 503)
        return {TransferError::Throttled, status, -1, tr("The server is busy (%1 %2); retrying later with fewer connections.").arg(status).arg(reason)};
    if (status == 416)
        return {TransferError::FileChanged, status, -1, tr("The file on the server is shorter than before; it has changed.")};
    if (status == 404 || status == 410)
        return {TransferError::Fatal, status, -1, tr("The server no longer has this file (%1 %2). The URL may have expired.").arg(status).arg(reason)};
    if (status == 401 || status == 403)
        return {TransferError::Fatal, status, -1, tr("The server refused access (%1 %2). Check the credentials or whether the link expired.").arg(status).arg(reason)};
    if (status == 408 || status >= 500)
        return {TransferError::Network, status, -1, tr("The server had a problem (%1 %2).").arg(status).arg(reason)};
    if (status >= 400)
        return {TransferError::Fatal, status, -1, tr("The server refused the request (%1 %2).").arg(status).arg(reason)};

    switch (m_reply->error()) {
    case QNetworkReply::OperationCanceledError:
        return {TransferError::Network, 0, -1, tr("No data arrived for %1 seconds; reconnecting.").arg(m_task.stallTimeoutMs / 1000)};
    case QNetworkReply::SslHandshakeFailedError:
        return {TransferError::Fatal, 0, -1, tr("The secure connection failed: %1").arg(m_tlsReason.isEmpty() ? m_reply->errorString() : m_tlsReason)};
    case QNetworkReply::TooManyRedirectsError:
        return {TransferError::Fatal, 0, -1, tr("The server redirected too many times (more than 10).")};
    case QNetworkReply::InsecureRedirectError:
        return {TransferError::Fatal, 0, -1, tr("The server redirected from HTTPS to plain HTTP; the redirect was refused.")};
    case QNetworkReply::HostNotFoundError:
        return {TransferError::Fatal, 0, -1, tr("The host %1 could not be found.").arg(m_task.url.host())};
    case QNetworkReply::ProtocolUnknownError:
    case QNetworkReply::ProtocolInvalidOperationError:
        return {TransferError::Fatal, 0, -1, tr("This kind of address cannot be downloaded: %1").arg(m_reply->errorString())};
    default: {
        QString text = m_reply->errorString();
        if (!text.endsWith(u'.'))
            text += u'.';
        return {TransferError::Network, 0, -1, text};
    }
    }
}

} // namespace ferry
