#include "s3/throttle.h"

#include "engine/ratelimiter.h"

#include <QtDebug>

#include <algorithm>
#include <array>

namespace ferry::s3 {

namespace {

// RateLimiter takes its set as an initializer list; unused slots stay null, which it skips.
std::array<RateLimiter *, maxRateLimiters> pointersOf(const RateLimiters &limiters)
{
    if (limiters.size() > maxRateLimiters)
        qWarning("ferry: only the first %d rate limiters of a transfer are applied",
                 int(maxRateLimiters));
    std::array<RateLimiter *, maxRateLimiters> out{};
    for (std::size_t i = 0; i < std::min(limiters.size(), maxRateLimiters); ++i)
        out[i] = limiters[i].get();
    return out;
}

} // namespace

bool hasLimiters(const RateLimiters &limiters)
{
    return std::any_of(limiters.begin(), limiters.end(), [](const auto &l) { return bool(l); });
}

bool anyLimited(const RateLimiters &limiters)
{
    return std::any_of(limiters.begin(), limiters.end(),
                       [](const auto &l) { return l && !l->unlimited(); });
}

qint64 acquireBytes(const RateLimiters &limiters, qint64 wanted)
{
    const auto s = pointersOf(limiters);
    static_assert(maxRateLimiters == 4);
    return RateLimiter::acquire({s[0], s[1], s[2], s[3]}, wanted);
}

int throttleDelayMs(const RateLimiters &limiters, qint64 wanted)
{
    const auto s = pointersOf(limiters);
    // A request above the smallest bucket is measured against a full bucket by the limiter; a
    // 16 KiB floor keeps very low limits from waking up for a handful of bytes.
    const qint64 ms =
        RateLimiter::msUntilAvailable({s[0], s[1], s[2], s[3]}, qMin<qint64>(wanted, 16 * 1024));
    return int(std::clamp<qint64>(ms, 1, 250));
}

} // namespace ferry::s3
