#pragma once

#include <QMutex>
#include <QtGlobal>

#include <functional>
#include <initializer_list>

namespace ferry {

// Token bucket shared by any number of connections, on any thread (all members lock m_mutex).
//
// Capacity is max(rate / 4, 16 KiB): a quarter-second burst lets a connection drain the socket
// buffer in a few large reads instead of many tiny ones, yet keeps the rate smooth at the scale a
// speed graph shows; the 16 KiB floor keeps very low limits from starving a single TCP read.
// consume() may drive the bucket negative, so bytes that arrived before they were granted are paid
// back from later refills and the long-run average still matches the rate.
class RateLimiter
{
public:
    using Clock = std::function<qint64()>; // monotonic milliseconds

    explicit RateLimiter(Clock clock = {}); // default: a QElapsedTimer-based steady clock

    void setRate(qint64 bytesPerSecond); // <= 0 means unlimited
    qint64 rate() const;
    bool unlimited() const;
    qint64 available() const; // tokens now (huge when unlimited)
    qint64 capacity() const;  // bucket size; 0 when unlimited
    void consume(qint64 bytes);
    // 0 if available now / unlimited. Requests above the capacity are measured against a full
    // bucket, since the bucket can never hold more than that.
    qint64 msUntilAvailable(qint64 bytes) const;

    // Grants up to `wanted` bytes from all non-null limiters at once (the minimum they all allow)
    // and consumes it from each. Never blocks; 0 means "wait msUntil... then try again".
    static qint64 acquire(std::initializer_list<RateLimiter *> limiters, qint64 wanted);
    static qint64 msUntilAvailable(std::initializer_list<RateLimiter *> limiters, qint64 bytes);

private:
    // Callers hold m_mutex.
    void refillLocked() const;
    qint64 capacityLocked() const;
    qint64 availableLocked() const;
    qint64 msUntilAvailableLocked(qint64 bytes) const;

    mutable QMutex m_mutex;
    Clock m_clock;
    qint64 m_rate = 0;
    // Refilling is a lazy function of time, so const readers update these.
    mutable double m_tokens = 0;
    mutable qint64 m_lastRefillMs = 0;
};

} // namespace ferry
