#include "engine/segmenttable.h"

#include <algorithm>

namespace ferry {

void SegmentTable::load(const QList<SegmentRecord> &records)
{
    m_segments.clear();
    for (const SegmentRecord &r : records) {
        auto p = std::make_shared<SegmentProgress>(r.start, r.end);
        p->written = r.done;
        m_segments.push_back({p});
    }
}

void SegmentTable::plan(const QList<SegmentPlanner::Range> &ranges)
{
    m_segments.clear();
    for (const auto &range : ranges)
        m_segments.push_back({std::make_shared<SegmentProgress>(range.start, range.end)});
}

void SegmentTable::planStream(qint64 total)
{
    m_segments.clear();
    m_segments.push_back({std::make_shared<SegmentProgress>(0, total >= 0 ? total : -1)});
}

std::shared_ptr<SegmentProgress> SegmentTable::split(int index, qint64 at)
{
    auto &old = m_segments[std::size_t(index)].progress;
    auto upper = std::make_shared<SegmentProgress>(at, old->end.load());
    old->end = at; // its connection stops there by itself
    m_segments.insert(m_segments.begin() + index + 1, Segment{upper});
    return upper;
}

SegmentTable::Segment *SegmentTable::find(const std::shared_ptr<SegmentProgress> &progress)
{
    const auto it = std::find_if(m_segments.begin(), m_segments.end(), [&](const Segment &s) { return s.progress == progress; });
    return it == m_segments.end() ? nullptr : &*it;
}

bool SegmentTable::anyProgress() const
{
    return std::any_of(m_segments.begin(), m_segments.end(), [](const Segment &s) { return s.progress->written > 0; });
}

bool SegmentTable::allComplete() const
{
    return std::all_of(m_segments.begin(), m_segments.end(), [](const Segment &s) { return s.progress->complete(); });
}

qint64 SegmentTable::doneOf(const SegmentProgress &progress)
{
    const qint64 length = progress.length();
    const qint64 written = progress.written.load();
    return length < 0 ? written : qMin(written, length);
}

qint64 SegmentTable::bytesDone() const
{
    qint64 sum = 0;
    for (const Segment &s : m_segments)
        sum += doneOf(*s.progress);
    return sum;
}

QList<SegmentRecord> SegmentTable::records() const
{
    QList<SegmentRecord> out;
    out.reserve(qsizetype(m_segments.size()));
    for (const Segment &s : m_segments)
        out.append({s.progress->start, s.progress->end.load(), doneOf(*s.progress)});
    return out;
}

} // namespace ferry
