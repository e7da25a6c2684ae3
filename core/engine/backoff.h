#pragma once

#include <QByteArrayView>
#include <QDateTime>
#include <QtGlobal>

#include <functional>
#include <optional>

namespace ferry {

// Defined outside Backoff because a nested struct with member initializers cannot serve as a
// default argument inside its own enclosing class; use it as Backoff::Policy.
struct BackoffPolicy
{
    qint64 baseMs = 1000;
    qint64 capMs = 60000;
    int maxAttempts = 10;
};

// Retry delays for failed requests.
//
// Full jitter (a uniform pick in [0, ceiling]) rather than a fixed exponential curve: when a
// mirror drops many segments at once, fixed delays make them all come back in the same instant
// and trip the same overload again; spreading them uniformly empties that herd fastest. A floor of
// baseMs/10 keeps an unlucky near-zero pick from turning into a tight retry loop.
class Backoff
{
public:
    using Policy = BackoffPolicy;

    // random01 must return values in [0, 1]; default: QRandomGenerator::global()->generateDouble().
    explicit Backoff(Policy policy = {}, std::function<double()> random01 = {});

    // attempt counts from 0. Uniform in [baseMs/10, min(cap, base * 2^attempt)].
    // A server's Retry-After wins when given (clamped to [0, 10 minutes]): the server knows its
    // own load better than our guess, but a hostile value must not park a download for days.
    qint64 delayMs(int attempt, std::optional<qint64> retryAfterMs = std::nullopt) const;
    bool exhausted(int attempt) const { return attempt >= m_policy.maxAttempts; }
    const Policy &policy() const { return m_policy; }

    static constexpr qint64 MaxRetryAfterMs = 10 * 60 * 1000;

private:
    qint64 ceilingMs(int attempt) const;

    Policy m_policy;
    std::function<double()> m_random01;
};

// Retry-After: delta-seconds or an HTTP-date (RFC 7231 IMF-fixdate; also accept RFC 850 and
// asctime), relative to `now` (UTC). Past dates -> 0. Garbage -> nullopt.
// Absurdly large delta-seconds saturate instead of failing; Backoff clamps them anyway.
std::optional<qint64> parseRetryAfterMs(QByteArrayView value, const QDateTime &now);

// The three HTTP-date formats of RFC 9110 §5.6.7, as UTC. Two-digit RFC 850 years are placed in
// the century that keeps them no more than 50 years after `now`. Invalid dates -> nullopt.
std::optional<QDateTime> parseHttpDate(QByteArrayView value, const QDateTime &now);

} // namespace ferry
