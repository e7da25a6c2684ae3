#pragma once

#include <QtGlobal>

#include <memory>
#include <vector>

namespace ferry {
class RateLimiter;
}

namespace ferry::s3 {

// The limiters one transfer obeys together, e.g. its own and the global one. Null entries are
// ignored; an empty list means "not throttled at all". At most maxRateLimiters are honoured,
// because tokens are taken from all of them in one atomic step.
using RateLimiters = std::vector<std::shared_ptr<RateLimiter>>;
inline constexpr std::size_t maxRateLimiters = 4;

// True when the list holds at least one limiter (limited or not: a limit may be set later).
bool hasLimiters(const RateLimiters &limiters);
// True when some limiter currently has a rate (unlimited ones grant everything at once).
bool anyLimited(const RateLimiters &limiters);
// Up to `wanted` bytes granted by all limiters at once (0: wait throttleDelayMs, then retry).
qint64 acquireBytes(const RateLimiters &limiters, qint64 wanted);
// How long to wait before asking again for `wanted` bytes. Never more than a quarter second, so
// a limit that is raised or removed meanwhile takes effect promptly.
int throttleDelayMs(const RateLimiters &limiters, qint64 wanted);

} // namespace ferry::s3
