// DownloadManager: the queue's order, and moving downloads in it.
#include "api/downloadmanager.h"

#include "engine/transferjob.h"
#include "storage/storedrecord.h"

#include <algorithm>

namespace ferry {

QList<TransferJob *> DownloadManager::queueOrder() const
{
    QList<TransferJob *> queue;
    for (const auto &[id, j] : m_jobs) {
        if (j->state() != DownloadState::Completed)
            queue.append(j);
    }
    // Stable: among equal priorities the id order of m_jobs stays, as in schedule().
    std::stable_sort(queue.begin(), queue.end(), [](const TransferJob *a, const TransferJob *b) {
        return a->record().priority > b->record().priority;
    });
    return queue;
}

void DownloadManager::moveInQueue(DownloadId id, int steps)
{
    const QList<TransferJob *> queue = queueOrder();
    const qsizetype from = queue.indexOf(job(id));
    if (from < 0 || steps == 0)
        return;
    const qsizetype to = std::clamp<qsizetype>(from + steps, 0, queue.size() - 1);
    if (to == from)
        return;
    // Towards the front it lands before the download now at `to`; towards the back, before
    // the one after it (none: the end).
    const qsizetype before = to < from ? to : to + 1;
    moveInQueueBefore({id}, before < queue.size() ? queue.at(before)->id() : DownloadId(0));
}

void DownloadManager::moveInQueueBefore(const QList<DownloadId> &ids, DownloadId beforeId)
{
    const QList<TransferJob *> old = queueOrder();
    QList<TransferJob *> moving;
    QList<TransferJob *> queue;
    for (TransferJob *j : old)
        (ids.contains(j->id()) ? moving : queue).append(j);
    if (moving.isEmpty())
        return;
    // A place inside the moved block means right after it: the next download that stays.
    qsizetype anchor = old.indexOf(job(beforeId));
    while (anchor >= 0 && anchor < old.size() && moving.contains(old.at(anchor)))
        ++anchor;
    const qsizetype at =
        anchor >= 0 && anchor < old.size() ? queue.indexOf(old.at(anchor)) : queue.size();
    for (qsizetype i = 0; i < moving.size(); ++i)
        queue.insert(at + i, moving.at(i));
    if (queue == old)
        return;
    // Equal priorities are ordered by age, which no priority change can swap: the queue is
    // numbered afresh, highest first, so that every place has a priority of its own. Only
    // the downloads whose number changes are written.
    QList<DownloadId> order;
    for (TransferJob *j : std::as_const(queue))
        order.append(j->id());
    const int count = int(order.size());
    for (int i = 0; i < count; ++i) {
        const int priority = count - i;
        if (TransferJob *j = job(order.at(i)); j && j->record().priority != priority) {
            change(order.at(i), [priority](TransferJob *t) { t->setPriority(priority); });
            m_dirty.insert(order.at(i));
        }
    }
    schedule();
}

} // namespace ferry
