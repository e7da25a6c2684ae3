#include "engine/hostlimiter.h"

namespace ferry {

namespace {
constexpr qint64 recoveryMs = 60'000;
}

int HostLimiter::cap(const QString &host, qint64 nowMs)
{
    Host &h = m_hosts[host];
    if (h.cap < 0)
        return m_defaultCap;
    // Recover one connection per quiet minute since the last step down.
    while (h.cap >= 0 && nowMs - h.lastStepDownMs >= recoveryMs) {
        h.lastStepDownMs += recoveryMs;
        if (++h.cap >= m_defaultCap)
            h.cap = -1;
    }
    return h.cap < 0 ? m_defaultCap : h.cap;
}

bool HostLimiter::tryAcquire(const QString &host, qint64 nowMs)
{
    if (m_hosts[host].inUse >= cap(host, nowMs))
        return false;
    ++m_hosts[host].inUse;
    return true;
}

void HostLimiter::release(const QString &host)
{
    auto it = m_hosts.find(host);
    if (it != m_hosts.end() && it->inUse > 0)
        --it->inUse;
}

void HostLimiter::leave(const QString &host)
{
    auto it = m_hosts.find(host);
    if (it != m_hosts.end() && it->downloads > 0)
        --it->downloads;
}

int HostLimiter::fairShare(const QString &host, qint64 nowMs)
{
    const int downloads = qMax(1, m_hosts.value(host).downloads);
    return qMax(1, cap(host, nowMs) / downloads);
}

void HostLimiter::stepDown(const QString &host, qint64 nowMs)
{
    Host &h = m_hosts[host];
    const int current = h.cap < 0 ? qMin(m_defaultCap, qMax(1, h.inUse)) : h.cap;
    h.cap = qMax(1, current - 1);
    h.lastStepDownMs = nowMs;
}

} // namespace ferry
