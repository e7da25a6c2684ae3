#include "engine/segmentplanner.h"

#include <algorithm>
#include <limits>

namespace ferry::SegmentPlanner {

QList<Range> initialRanges(qint64 total, int connections, qint64 minSplit)
{
    QList<Range> ranges;
    if (total <= 0)
        return ranges;
    const qint64 byMinimum = qMax<qint64>(1, total / qMax<qint64>(1, minSplit));
    const qint64 count = std::clamp<qint64>(connections, 1, byMinimum);
    const qint64 size = total / count;
    qint64 start = 0;
    for (qint64 i = 0; i < count; ++i) {
        const qint64 end = (i == count - 1) ? total : start + size;
        ranges.append({start, end});
        start = end;
    }
    return ranges;
}

qint64 splitPoint(const Slot &slot)
{
    const qint64 from = slot.start + slot.done;
    qint64 at = from + slot.remaining() / 2;
    at -= at % 4096;
    if (at <= from)
        at = from + slot.remaining() / 2;
    return at;
}

Choice chooseWork(const QList<Slot> &plan, qint64 minSplit, qint64 duplicateAboveMs)
{
    for (int i = 0; i < plan.size(); ++i) {
        if (!plan[i].owned && !plan[i].blocked && plan[i].remaining() > 0)
            return {Choice::Take, i, -1};
    }

    int largest = -1;
    for (int i = 0; i < plan.size(); ++i) {
        if (plan[i].duplicated || plan[i].blocked || plan[i].remaining() == 0)
            continue;
        if (largest < 0 || plan[i].remaining() > plan[largest].remaining())
            largest = i;
    }
    if (largest >= 0 && plan[largest].remaining() >= 2 * minSplit)
        return {Choice::Split, largest, splitPoint(plan[largest])};

    // Near the end: duplicate the tail expected to finish last, unless it is about to finish.
    int slowest = -1;
    qint64 slowestEtaMs = -1;
    for (int i = 0; i < plan.size(); ++i) {
        const Slot &s = plan[i];
        if (!s.owned || s.duplicated || s.blocked || s.remaining() == 0 || s.ownedForMs < duplicateAboveMs)
            continue;
        const qint64 etaMs = s.speed > 0 ? s.remaining() * 1000 / s.speed : std::numeric_limits<qint64>::max();
        if (etaMs > slowestEtaMs) {
            slowestEtaMs = etaMs;
            slowest = i;
        }
    }
    if (slowest >= 0 && slowestEtaMs > duplicateAboveMs)
        return {Choice::Duplicate, slowest, -1};
    return {};
}

} // namespace ferry::SegmentPlanner
