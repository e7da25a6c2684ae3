#include "s3/throttledreader.h"

#include <QNetworkReply>
#include <QTimer>

namespace ferry::s3 {

ThrottledReader::ThrottledReader(QNetworkReply *reply, RateLimiters limiters)
    : QObject(reply), m_reply(reply), m_limiters(std::move(limiters)), m_wake(new QTimer(this))
{
    m_wake->setSingleShot(true);
    connect(m_wake, &QTimer::timeout, this, &ThrottledReader::drain);
    fitReadBuffer();
    connect(m_reply, &QNetworkReply::readyRead, this, &ThrottledReader::drain);
    connect(m_reply, &QNetworkReply::finished, this, [this] {
        m_finished = true;
        // A broken or cancelled transfer is judged by its error; what is left unread is moot.
        if (m_reply->error() != QNetworkReply::NoError &&
            m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() / 100 == 2) {
            end();
            return;
        }
        drain();
    });
}

ThrottledReader::~ThrottledReader() = default;

void ThrottledReader::cancel()
{
    end();
}

void ThrottledReader::end()
{
    if (m_ended)
        return;
    m_ended = true;
    m_wake->stop();
    emit done();
}

void ThrottledReader::fitReadBuffer()
{
    // A small buffer is what pushes back on the sender, but it costs a hand-over between Qt's
    // network thread and this one per buffer: without a limit, Qt may read as fast as it can.
    const qint64 size = anyLimited(m_limiters) ? readChunk : 0;
    if (m_reply->readBufferSize() != size)
        m_reply->setReadBufferSize(size);
}

void ThrottledReader::drain()
{
    if (m_ended)
        return;
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status != 0 && status / 100 != 2) {
        m_body += m_reply->readAll();
    } else {
        fitReadBuffer();
        if (m_body.isEmpty() && m_reply->bytesAvailable() > 0) {
            // One allocation for the whole body, not one per granted slice.
            bool ok = false;
            const qint64 length = m_reply->rawHeader("Content-Length").toLongLong(&ok);
            if (ok && length > 0 && length < (qint64(1) << 31))
                m_body.reserve(qsizetype(length));
        }
        while (m_reply->bytesAvailable() > 0) {
            const qint64 want = qMin(m_reply->bytesAvailable(), readChunk);
            const qint64 granted = acquireBytes(m_limiters, want);
            if (granted <= 0) {
                if (!m_wake->isActive())
                    m_wake->start(throttleDelayMs(m_limiters, want));
                return;
            }
            const qsizetype old = m_body.size();
            m_body.resize(old + granted);
            const qint64 n = m_reply->read(m_body.data() + old, granted);
            m_body.resize(old + qMax<qint64>(0, n));
            if (n <= 0)
                break;
        }
    }
    if (m_finished && m_reply->bytesAvailable() == 0)
        end();
}

} // namespace ferry::s3
