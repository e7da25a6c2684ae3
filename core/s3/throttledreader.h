#pragma once

#include "s3/throttle.h"

#include <QByteArray>
#include <QObject>

#include <utility>

class QNetworkReply;
class QTimer;

namespace ferry::s3 {

// Reads the body of a successful reply only as fast as its rate limiters grant. While a limit
// is set, the reply's read buffer is kept small, so Qt stops reading the socket when the buffer
// is full and the limit slows the sender down through TCP instead of piling bytes up in memory. A
// reply may thus finish with bytes still unread; done() comes once they, too, were granted and
// read. Error pages (non-2xx) are read without limit: they are small and are not the user's data.
// Thread: a child of its reply, on the reply's thread.
class ThrottledReader final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ThrottledReader)
public:
    static constexpr qint64 readChunk = 256 * 1024;

    ThrottledReader(QNetworkReply *reply, RateLimiters limiters);
    ~ThrottledReader() override;

    // Everything read so far; after done(), the whole body.
    QByteArray takeBody() { return std::exchange(m_body, {}); }
    // Ends at once (an aborted call): done() follows if it did not come yet.
    void cancel();

signals:
    void done();

private:
    void fitReadBuffer();
    void drain();
    void end();

    QNetworkReply *m_reply;
    RateLimiters m_limiters;
    QTimer *m_wake;
    QByteArray m_body;
    bool m_finished = false;
    bool m_ended = false;
};

} // namespace ferry::s3
