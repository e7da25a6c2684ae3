#pragma once

#include "engine/transfertypes.h"

#include <QString>
#include <functional>
#include <memory>
#include <vector>

namespace ferry {

class Connection;
class HostLimiter;

// The connections of one download and what the job knows about each: which task and range it
// is on, its speed. Takes and returns the host's connection slots. Belongs to the job's thread;
// removing a link joins its connection's thread.
class ConnectionSet final
{
public:
    struct Link {
        quint64 serial = 0;
        std::unique_ptr<Connection> connection;
        quint64 taskId = 0;
        std::shared_ptr<SegmentProgress> progress;    // null when idle
        std::shared_ptr<SegmentProgress> duplicateOf; // set when racing another link's tail
        bool probing = false;
        qint64 speed = 0;
        qint64 lastWritten = 0;
        qint64 startedMs = 0; // when its current range started (or was reconnected)
    };
    // Connects a new connection's signals, tagged with the link's serial.
    using Wiring = std::function<void(Connection *connection, quint64 serial)>;

    ConnectionSet(HostLimiter *hosts, QString host);
    ~ConnectionSet();
    ConnectionSet(const ConnectionSet &) = delete;
    ConnectionSet &operator=(const ConnectionSet &) = delete;

    // A new idle link, or null when the host has no free slot.
    Link *add(qint64 nowMs, const Wiring &wire);
    // The link with this serial while it still works on `taskId`; late news is answered by null.
    Link *find(quint64 serial, quint64 taskId);
    void retire(quint64 serial);
    void clear();
    // Idle again; news from its previous task is ignored from now on.
    static void release(Link &link);

    // Another host from now on (the download's address changed); only while it has no links,
    // so every slot taken goes back to the host it came from.
    void setHost(const QString &host);

    int size() const { return int(m_links.size()); }
    auto begin() { return m_links.begin(); }
    auto end() { return m_links.end(); }
    auto begin() const { return m_links.begin(); }
    auto end() const { return m_links.end(); }
    bool anyProbing() const;
    int busy() const; // probing or on a range

    void updateSpeeds(qint64 elapsedMs);
    // A link on a range for at least `settleMs` that runs at under a quarter of the median of
    // at least three such links, or null.
    Link *farBelowMedian(qint64 nowMs, qint64 settleMs);

private:
    HostLimiter *m_hosts;
    QString m_host;
    std::vector<std::unique_ptr<Link>> m_links;
    quint64 m_nextSerial = 1;
};

} // namespace ferry
