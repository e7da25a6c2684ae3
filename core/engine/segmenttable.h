#pragma once

#include "engine/segmentplanner.h"
#include "engine/transfertypes.h"
#include "storage/storedrecord.h"

#include <memory>
#include <vector>

namespace ferry {

// The byte ranges of one download, in order, and how far each has got. Belongs to the job's
// thread; the progress objects inside are shared with the connections writing them.
class SegmentTable final
{
public:
    struct Segment {
        std::shared_ptr<SegmentProgress> progress;
        int failures = 0;              // consecutive failures without progress
        qint64 lastFailureWritten = -1;
        qint64 notBeforeMs = 0;        // backoff: nobody takes it before then
    };

    void clear() { m_segments.clear(); }
    void load(const QList<SegmentRecord> &records);
    // One range per planned piece; a stream of unknown size is a single range up to -1.
    void plan(const QList<SegmentPlanner::Range> &ranges);
    void planStream(qint64 total);
    // The upper part [at, end) of segment `index` becomes a segment of its own.
    std::shared_ptr<SegmentProgress> split(int index, qint64 at);

    bool empty() const { return m_segments.empty(); }
    int size() const { return int(m_segments.size()); }
    Segment &operator[](int index) { return m_segments[std::size_t(index)]; }
    const Segment &operator[](int index) const { return m_segments[std::size_t(index)]; }
    auto begin() { return m_segments.begin(); }
    auto end() { return m_segments.end(); }
    auto begin() const { return m_segments.begin(); }
    auto end() const { return m_segments.end(); }
    Segment *find(const std::shared_ptr<SegmentProgress> &progress);

    bool anyProgress() const;
    bool allComplete() const;
    qint64 bytesDone() const;
    // What may be persisted: `done` never past a segment's end.
    QList<SegmentRecord> records() const;
    // Bytes on disk from the segment's start, clamped to its length (a connection being
    // stopped may write a little past a lowered end).
    static qint64 doneOf(const SegmentProgress &progress);

private:
    std::vector<Segment> m_segments;
};

} // namespace ferry
