#pragma once

#include <QList>
#include <QPair>
#include <QtGlobal>

namespace ferry {

// Pure decisions about byte ranges, kept apart from threads and sockets so they can be tested
// with plain tables.
namespace SegmentPlanner {

struct Range {
    qint64 start = 0;
    qint64 end = 0; // exclusive
    friend bool operator==(const Range &, const Range &) = default;
};

// The planner's view of one segment.
struct Slot {
    qint64 start = 0;
    qint64 end = 0;        // exclusive
    qint64 done = 0;       // contiguous bytes from start
    bool owned = false;    // a connection is working on it
    bool duplicated = false;
    bool blocked = false;  // backing off after a failure: nobody touches it until then
    qint64 speed = 0;      // bytes per second of its connection
    qint64 ownedForMs = 0; // how long that connection has been on it (its speed means little before)
    qint64 remaining() const { return qMax<qint64>(0, end - start - done); }
};

struct Choice {
    enum Kind { Nothing, Take, Split, Duplicate };
    Kind kind = Nothing;
    int index = -1;        // the slot concerned
    qint64 splitAt = -1;   // for Split: the new connection takes [splitAt, end)
};

// Equal ranges, at most `connections`, none smaller than `minSplit` (the last one takes the rest).
QList<Range> initialRanges(qint64 total, int connections, qint64 minSplit);

// What a free connection should do. In order: take an unowned range (lowest first); else take
// the upper half of the largest remaining range, whoever owns it (a slow connection keeps only
// the half it can finish); else, near the end, duplicate the tail that will finish last, so the
// download never waits on its slowest connection ("stuck at 99 %"). A tail whose connection
// started less than `duplicateAboveMs` ago is not raced: without a measured speed, racing it
// would mostly fetch the same bytes twice.
Choice chooseWork(const QList<Slot> &plan, qint64 minSplit, qint64 duplicateAboveMs = 500);

// Split point: the middle of what is left, aligned down to 4 KiB so both halves write whole pages.
qint64 splitPoint(const Slot &slot);

} // namespace SegmentPlanner
} // namespace ferry
