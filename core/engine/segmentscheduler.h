#pragma once

#include "api/downloadtypes.h"
#include "engine/connectionset.h"
#include "engine/segmentplanner.h"
#include "engine/segmenttable.h"
#include "engine/transfertypes.h"

#include <QList>
#include <functional>
#include <memory>

namespace ferry {

// Puts the connections of one download to work on its segments: which range a free connection
// takes, when a slow one gets a fresh start, which of a racing pair wins. The job owns the
// table and the connections and decides when scheduling happens (planned, active); this keeps
// the two in step. Belongs to the job's thread.
class SegmentScheduler final
{
public:
    using Link = ConnectionSet::Link;
    struct Hooks {
        std::function<qint64()> clock;           // monotonic ms
        std::function<Link *()> newLink;         // null when the host has no free slot
        std::function<TransferTask()> rangeTask; // everything but the range and its progress
    };
    // What the download allows right now.
    struct Rules {
        qint64 minSplit = 0;
        bool resumable = false;   // false: one stream from byte 0, never split or raced
        bool rateLimited = false; // a download or global speed limit is set
    };

    SegmentScheduler(SegmentTable &segments, ConnectionSet &links, Hooks hooks);
    SegmentScheduler(const SegmentScheduler &) = delete;
    SegmentScheduler &operator=(const SegmentScheduler &) = delete;

    // Probes and ranges draw their task ids from one sequence.
    quint64 nextTaskId() { return m_nextTask++; }
    // No tail is raced again before then.
    void holdDuplicatesUntil(qint64 ms) { m_duplicateNotBeforeMs = ms; }

    // Free links first, then new ones while the plan has work, fewer than `wanted` exist and the
    // host has room. A link left without work is closed.
    void fill(qint64 wanted, const Rules &rules);
    void start(Link &link, std::shared_ptr<SegmentProgress> progress,
               std::shared_ptr<SegmentProgress> duplicateOf = {});
    // `link` finished its range: it goes idle, and whoever raced it for that range is stopped.
    void settle(Link &link);
    // Closes links until at most `wanted` are left: idle ones first, then racing ones, then the
    // slowest. A closed link's range keeps its progress and is taken up again by the others.
    void shed(qint64 wanted);
    // Reconnects a link far below its peers when enough of its range is left.
    void replaceSlowest(qint64 minSplit);

    // Each segment with the connections on it, as the planner and the user see it.
    static QList<SegmentPlanner::Slot> plannerView(const SegmentTable &segments, const ConnectionSet &links, qint64 nowMs);
    static QList<SegmentSnapshot> snapshotView(const SegmentTable &segments, const ConnectionSet &links);

private:
    bool assign(Link &link, const Rules &rules);
    qint64 now() const { return m_hooks.clock(); }

    SegmentTable &m_segments;
    ConnectionSet &m_links;
    Hooks m_hooks;
    quint64 m_nextTask = 1;
    qint64 m_duplicateNotBeforeMs = 0;
};

} // namespace ferry
