#include "engine/segmentscheduler.h"

#include "engine/connection.h"

#include <vector>

namespace ferry {

SegmentScheduler::SegmentScheduler(SegmentTable &segments, ConnectionSet &links, Hooks hooks)
    : m_segments(segments), m_links(links), m_hooks(std::move(hooks))
{
}

QList<SegmentPlanner::Slot> SegmentScheduler::plannerView(const SegmentTable &segments, const ConnectionSet &links,
                                                          qint64 nowMs)
{
    QList<SegmentPlanner::Slot> plan;
    plan.reserve(segments.size());
    for (const SegmentTable::Segment &s : segments) {
        SegmentPlanner::Slot slot;
        slot.start = s.progress->start;
        slot.end = s.progress->end.load();
        slot.done = SegmentTable::doneOf(*s.progress);
        slot.blocked = s.notBeforeMs > nowMs;
        for (const auto &l : links) {
            if (l->progress == s.progress) {
                slot.owned = true;
                slot.speed = l->speed;
                slot.ownedForMs = nowMs - l->startedMs;
            }
            if (l->duplicateOf == s.progress)
                slot.duplicated = true;
        }
        plan.append(slot);
    }
    return plan;
}

QList<SegmentSnapshot> SegmentScheduler::snapshotView(const SegmentTable &segments, const ConnectionSet &links)
{
    QList<SegmentSnapshot> view;
    for (const SegmentTable::Segment &seg : segments) {
        bool active = false;
        qint64 speed = 0;
        for (const auto &l : links) {
            if (l->progress == seg.progress) {
                active = true;
                speed += l->speed;
            }
        }
        view.append({seg.progress->start, seg.progress->end.load(), SegmentTable::doneOf(*seg.progress), active, speed});
    }
    return view;
}

void SegmentScheduler::fill(qint64 wanted, const Rules &rules)
{
    std::vector<quint64> idle;
    for (auto &l : m_links) {
        if (!l->progress && !l->probing && !assign(*l, rules))
            idle.push_back(l->serial);
    }
    for (quint64 serial : idle)
        m_links.retire(serial);
    while (qint64(m_links.size()) < wanted) {
        Link *link = m_hooks.newLink();
        if (!link)
            break;
        if (!assign(*link, rules)) {
            m_links.retire(link->serial);
            break;
        }
    }
}

bool SegmentScheduler::assign(Link &link, const Rules &rules)
{
    using namespace SegmentPlanner;
    const qint64 t = now();
    Choice choice = chooseWork(plannerView(m_segments, m_links, t), rules.minSplit);
    // A whole-file stream cannot be split or raced: only byte 0 onwards makes sense.
    if (!rules.resumable && choice.kind != Choice::Take)
        choice = {};
    // Racing a tail only helps when the connection, not a speed limit, is what is slow; and
    // after a duplicate failed, the same backoff as for any retry applies.
    if (choice.kind == Choice::Duplicate && (rules.rateLimited || t < m_duplicateNotBeforeMs))
        choice = {};
    switch (choice.kind) {
    case Choice::Take:
        start(link, m_segments[choice.index].progress);
        return true;
    case Choice::Split:
        start(link, m_segments.split(choice.index, choice.splitAt));
        return true;
    case Choice::Duplicate: {
        auto orig = m_segments[choice.index].progress;
        auto tail = std::make_shared<SegmentProgress>(orig->start + orig->written.load(), orig->end.load());
        start(link, tail, orig);
        return true;
    }
    case Choice::Nothing:
        break;
    }
    return false;
}

void SegmentScheduler::start(Link &link, std::shared_ptr<SegmentProgress> progress,
                             std::shared_ptr<SegmentProgress> duplicateOf)
{
    TransferTask t = m_hooks.rangeTask();
    t.progress = progress;
    link.progress = std::move(progress);
    link.duplicateOf = std::move(duplicateOf);
    link.lastWritten = link.progress->written.load();
    link.speed = 0;
    link.startedMs = now();
    link.taskId = nextTaskId();
    link.connection->start(link.taskId, t);
}

void SegmentScheduler::settle(Link &link)
{
    auto progress = link.progress;
    auto original = link.duplicateOf;
    ConnectionSet::release(link);
    // Whichever of a racing pair finishes first wins; the other one is stopped.
    const auto &settled = original ? original : progress;
    if (original)
        original->raiseWritten(original->length());
    for (auto &l : m_links) {
        if (l.get() != &link && (l->progress == settled || l->duplicateOf == settled)) {
            l->connection->stop();
            ConnectionSet::release(*l);
        }
    }
    if (SegmentTable::Segment *s = m_segments.find(settled))
        s->failures = 0;
}

void SegmentScheduler::shed(qint64 wanted)
{
    const auto rank = [](const Link &l) { return !l.progress ? 0 : l.duplicateOf ? 1 : 2; };
    while (qint64(m_links.size()) > wanted) {
        Link *victim = nullptr;
        for (auto &l : m_links) {
            if (l->probing)
                continue; // a probe's answer plans the download; it is never cut short
            if (!victim || rank(*l) < rank(*victim) || (rank(*l) == rank(*victim) && l->speed < victim->speed))
                victim = l.get();
        }
        if (!victim)
            return;
        m_links.retire(victim->serial);
    }
}

void SegmentScheduler::replaceSlowest(qint64 minSplit)
{
    // A connection far below its peers is usually a bad path, not a slow file: a fresh TCP
    // connection for the same range often lands on a better one. Re-splitting alone would only
    // shrink its share; this gives the range a second chance at full speed.
    constexpr qint64 settleMs = 3000;
    Link *slowest = m_links.farBelowMedian(now(), settleMs);
    if (!slowest)
        return;
    const SegmentProgress &p = *slowest->progress;
    if (p.end.load() - p.start - p.written.load() < 4 * minSplit)
        return;
    start(*slowest, slowest->progress); // the connection drops its reply before the new one
}

} // namespace ferry
