#include "engine/transferjob.h"

#include "storage/storedrecord.h"

namespace ferry {

void TransferJob::logEvent(const QString &text)
{
    constexpr qsizetype maxEvents = 500;
    if (!m_events.isEmpty() && m_events.last().text == text)
        return;
    m_events.append({QDateTime::currentDateTimeUtc(), text});
    if (m_events.size() > maxEvents)
        m_events.removeFirst();
}

DownloadId TransferJob::id() const
{
    return record().id;
}

} // namespace ferry
