// DownloadManager: the queue's order, and moving a download in it.
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
    QList<TransferJob *> queue = queueOrder();
    const qsizetype from = queue.indexOf(job(id));
    if (from < 0 || steps == 0)
        return;
    const qsizetype to = std::clamp<qsizetype>(from + steps, 0, queue.size() - 1);
    if (to == from)
        return;
    queue.move(from, to);
    // Equal priorities are ordered by age, which no priority change can swap: the queue is
    // numbered afresh, highest first, so that every place has a priority of its own. Only
    // the downloads whose number changes are written.
    QList<DownloadId> ids;
    for (TransferJob *j : std::as_const(queue))
        ids.append(j->id());
    const int count = int(ids.size());
    for (int i = 0; i < count; ++i) {
        const int priority = count - i;
        if (TransferJob *j = job(ids.at(i)); j && j->record().priority != priority) {
            change(ids.at(i), [priority](TransferJob *t) { t->setPriority(priority); });
            m_dirty.insert(ids.at(i));
        }
    }
    schedule();
}

} // namespace ferry
