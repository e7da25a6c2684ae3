#include "s3/throttledbody.h"

#include <QTimer>

#include <cstring>

namespace ferry::s3 {

ThrottledBody::ThrottledBody(QByteArray data, RateLimiters limiters, QObject *parent)
    : QIODevice(parent), m_data(std::move(data)), m_limiters(std::move(limiters)),
      m_wake(new QTimer(this))
{
    m_wake->setSingleShot(true);
    connect(m_wake, &QTimer::timeout, this, &QIODevice::readyRead);
    open(QIODevice::ReadOnly | QIODevice::Unbuffered);
}

ThrottledBody::~ThrottledBody() = default;

qint64 ThrottledBody::readData(char *data, qint64 maxSize)
{
    const qint64 offset = pos();
    const qint64 wanted = qMin(maxSize, m_data.size() - offset);
    if (wanted <= 0)
        return 0; // at the end (atEnd() is true then) or asked for nothing
    const qint64 granted = acquireBytes(m_limiters, wanted);
    if (granted <= 0) {
        // Nothing now. 0 from a random-access device that is not at its end makes Qt wait for
        // readyRead() instead of taking it for the end of the body.
        if (!m_wake->isActive())
            m_wake->start(throttleDelayMs(m_limiters, wanted));
        return 0;
    }
    std::memcpy(data, m_data.constData() + offset, size_t(granted));
    return granted;
}

qint64 ThrottledBody::writeData(const char *, qint64)
{
    return -1;
}

} // namespace ferry::s3
