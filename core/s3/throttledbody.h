#pragma once

#include "s3/throttle.h"

#include <QByteArray>
#include <QIODevice>

class QTimer;

namespace ferry::s3 {

// The body of an upload, handed to QNetworkAccessManager only as fast as its rate limiters
// grant. It is a random-access (non-sequential) device of known size on purpose: Qt uploads
// such a device as it reads it, whereas a sequential one without a length would first be
// buffered whole. readData() returns 0 while no tokens are available; once they may be back,
// readyRead() tells Qt to ask again. Opened unbuffered, so QIODevice never reads (and takes
// tokens) ahead of what Qt asked for. Seeking back (Qt resends a body on a reused connection
// that closed) is allowed; those bytes are paid again, as they cross the wire again.
// Thread: lives on, and is read from, the thread of the reply it feeds.
class ThrottledBody final : public QIODevice
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ThrottledBody)
public:
    ThrottledBody(QByteArray data, RateLimiters limiters, QObject *parent = nullptr);
    ~ThrottledBody() override;

    bool isSequential() const override { return false; }
    qint64 size() const override { return m_data.size(); }

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 maxSize) override;

private:
    QByteArray m_data;
    RateLimiters m_limiters;
    QTimer *m_wake;
};

} // namespace ferry::s3
