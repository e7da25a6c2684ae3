#include "engine/ratelimiter.h"

#include <QElapsedTimer>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace ferry {

namespace {

constexpr qint64 MinCapacity = 16 * 1024;
constexpr qint64 Unbounded = std::numeric_limits<qint64>::max();

// Distinct non-null limiters in address order: locking in one global order means two threads
// acquiring overlapping sets cannot deadlock, and dropping duplicates avoids self-deadlock.
std::vector<RateLimiter *> ordered(std::initializer_list<RateLimiter *> limiters)
{
    std::vector<RateLimiter *> out;
    for (RateLimiter *limiter : limiters) {
        if (limiter)
            out.push_back(limiter);
    }
    std::sort(out.begin(), out.end(), std::less<RateLimiter *>());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

} // namespace

RateLimiter::RateLimiter(Clock clock) : m_clock(std::move(clock))
{
    if (!m_clock) {
        QElapsedTimer timer;
        timer.start();
        m_clock = [timer] { return timer.elapsed(); };
    }
    m_lastRefillMs = m_clock();
}

void RateLimiter::refillLocked() const
{
    const qint64 now = m_clock();
    const qint64 elapsed = now - m_lastRefillMs;
    if (elapsed <= 0)
        return; // a clock that stands still or steps back adds nothing
    m_lastRefillMs = now;
    if (m_rate > 0) {
        const double added = double(m_rate) * double(elapsed) / 1000.0;
        m_tokens = std::min(m_tokens + added, double(capacityLocked()));
    }
}

qint64 RateLimiter::capacityLocked() const
{
    return m_rate > 0 ? std::max(m_rate / 4, MinCapacity) : 0;
}

qint64 RateLimiter::availableLocked() const
{
    return m_rate > 0 ? qint64(std::floor(m_tokens)) : Unbounded;
}

qint64 RateLimiter::msUntilAvailableLocked(qint64 bytes) const
{
    if (m_rate <= 0)
        return 0;
    const double needed = double(std::min(bytes, capacityLocked())) - m_tokens;
    if (needed <= 0)
        return 0;
    return qint64(std::ceil(needed * 1000.0 / double(m_rate)));
}

void RateLimiter::setRate(qint64 bytesPerSecond)
{
    QMutexLocker lock(&m_mutex);
    refillLocked();
    const bool wasUnlimited = m_rate <= 0;
    m_rate = std::max<qint64>(bytesPerSecond, 0);
    if (m_rate <= 0) {
        m_tokens = 0;
        return;
    }
    // Leaving unlimited mode starts with a full bucket, like a fresh limiter; otherwise tokens
    // (and any debt) carry over, clamped so a lowered rate cannot inherit a larger burst.
    const double cap = double(capacityLocked());
    m_tokens = wasUnlimited ? cap : std::min(m_tokens, cap);
}

qint64 RateLimiter::rate() const
{
    QMutexLocker lock(&m_mutex);
    return m_rate;
}

bool RateLimiter::unlimited() const
{
    QMutexLocker lock(&m_mutex);
    return m_rate <= 0;
}

qint64 RateLimiter::capacity() const
{
    QMutexLocker lock(&m_mutex);
    return capacityLocked();
}

qint64 RateLimiter::available() const
{
    QMutexLocker lock(&m_mutex);
    refillLocked();
    return availableLocked();
}

void RateLimiter::consume(qint64 bytes)
{
    QMutexLocker lock(&m_mutex);
    refillLocked();
    if (m_rate > 0 && bytes > 0)
        m_tokens -= double(bytes);
}

qint64 RateLimiter::msUntilAvailable(qint64 bytes) const
{
    QMutexLocker lock(&m_mutex);
    refillLocked();
    return msUntilAvailableLocked(bytes);
}

qint64 RateLimiter::acquire(std::initializer_list<RateLimiter *> limiters, qint64 wanted)
{
    if (wanted <= 0)
        return 0;
    const std::vector<RateLimiter *> set = ordered(limiters);
    for (RateLimiter *limiter : set)
        limiter->m_mutex.lock();

    qint64 granted = wanted;
    for (RateLimiter *limiter : set) {
        limiter->refillLocked();
        granted = std::min(granted, std::max<qint64>(limiter->availableLocked(), 0));
    }
    for (RateLimiter *limiter : set) {
        if (limiter->m_rate > 0)
            limiter->m_tokens -= double(granted);
    }

    for (auto it = set.rbegin(); it != set.rend(); ++it)
        (*it)->m_mutex.unlock();
    return granted;
}

qint64 RateLimiter::msUntilAvailable(std::initializer_list<RateLimiter *> limiters, qint64 bytes)
{
    qint64 wait = 0;
    for (RateLimiter *limiter : ordered(limiters))
        wait = std::max(wait, limiter->msUntilAvailable(bytes));
    return wait;
}

} // namespace ferry
