#include "engine/connectionset.h"

#include "engine/connection.h"
#include "engine/hostlimiter.h"

#include <algorithm>

namespace ferry {

ConnectionSet::ConnectionSet(HostLimiter *hosts, QString host) : m_hosts(hosts), m_host(std::move(host)) {}

void ConnectionSet::setHost(const QString &host)
{
    Q_ASSERT(m_links.empty());
    m_host = host;
}

ConnectionSet::~ConnectionSet()
{
    clear();
}

ConnectionSet::Link *ConnectionSet::add(qint64 nowMs, const Wiring &wire)
{
    if (!m_hosts->tryAcquire(m_host, nowMs))
        return nullptr;
    auto link = std::make_unique<Link>();
    link->serial = m_nextSerial++;
    link->connection = std::make_unique<Connection>();
    wire(link->connection.get(), link->serial);
    m_links.push_back(std::move(link));
    return m_links.back().get();
}

ConnectionSet::Link *ConnectionSet::find(quint64 serial, quint64 taskId)
{
    for (auto &l : m_links) {
        if (l->serial == serial)
            return l->taskId == taskId ? l.get() : nullptr;
    }
    return nullptr;
}

void ConnectionSet::retire(quint64 serial)
{
    const auto it = std::find_if(m_links.begin(), m_links.end(), [&](const auto &l) { return l->serial == serial; });
    if (it == m_links.end())
        return;
    m_hosts->release(m_host);
    m_links.erase(it); // joins the connection's thread
}

void ConnectionSet::clear()
{
    for (std::size_t i = 0; i < m_links.size(); ++i)
        m_hosts->release(m_host);
    m_links.clear();
}

void ConnectionSet::release(Link &link)
{
    link.taskId = 0;
    link.progress.reset();
    link.duplicateOf.reset();
    link.probing = false;
    link.speed = 0;
}

bool ConnectionSet::anyProbing() const
{
    return std::any_of(m_links.begin(), m_links.end(), [](const auto &l) { return l->probing; });
}

int ConnectionSet::busy() const
{
    return int(std::count_if(m_links.begin(), m_links.end(), [](const auto &l) { return l->progress || l->probing; }));
}

void ConnectionSet::updateSpeeds(qint64 elapsedMs)
{
    if (elapsedMs <= 0)
        return;
    for (auto &l : m_links) {
        if (!l->progress)
            continue;
        const qint64 written = l->progress->written.load();
        const qint64 instant = (written - l->lastWritten) * 1000 / elapsedMs;
        l->speed = l->speed == 0 ? instant : (l->speed * 3 + instant) / 4;
        l->lastWritten = written;
    }
}

ConnectionSet::Link *ConnectionSet::farBelowMedian(qint64 nowMs, qint64 settleMs)
{
    std::vector<qint64> speeds;
    Link *slowest = nullptr;
    for (auto &l : m_links) {
        if (!l->progress || l->duplicateOf || nowMs - l->startedMs < settleMs)
            continue;
        speeds.push_back(l->speed);
        if (!slowest || l->speed < slowest->speed)
            slowest = l.get();
    }
    if (speeds.size() < 3)
        return nullptr;
    std::nth_element(speeds.begin(), speeds.begin() + speeds.size() / 2, speeds.end());
    return slowest->speed * 4 < speeds[speeds.size() / 2] ? slowest : nullptr;
}

} // namespace ferry
