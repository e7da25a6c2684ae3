#pragma once

#include <QHash>
#include <QString>

namespace ferry {

// Connections per host across all downloads, so eight downloads from one server do not open
// sixty-four connections and get the user banned. A server that answers 429/503 lowers its
// host's cap by one; the cap climbs back one step per quiet minute. Owned by the manager's thread.
class HostLimiter final
{
public:
    explicit HostLimiter(int perHostCap = 16) : m_defaultCap(perHostCap) {}

    void setDefaultCap(int cap) { m_defaultCap = qMax(1, cap); }
    int defaultCap() const { return m_defaultCap; }
    bool tryAcquire(const QString &host, qint64 nowMs);
    void release(const QString &host);
    void stepDown(const QString &host, qint64 nowMs);
    int cap(const QString &host, qint64 nowMs);
    int inUse(const QString &host) const { return m_hosts.value(host).inUse; }
    // Running downloads of a host share its connections evenly: each may hold an equal part of
    // the cap (at least one), so a third download to a server does not wait behind two that
    // took everything. A download joins while it runs.
    void join(const QString &host) { ++m_hosts[host].downloads; }
    void leave(const QString &host);
    int fairShare(const QString &host, qint64 nowMs);

private:
    struct Host {
        int inUse = 0;
        int downloads = 0;       // running downloads of this host
        int cap = -1;            // -1: default
        qint64 lastStepDownMs = 0;
    };
    int m_defaultCap;
    QHash<QString, Host> m_hosts;
};

} // namespace ferry
