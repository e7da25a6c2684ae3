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

DownloadSnapshot TransferJob::recordSnapshot() const
{
    const StoredDownload &r = record();
    DownloadSnapshot s;
    s.id = r.id;
    s.kind = r.kind;
    s.url = r.url;
    s.finalUrl = r.finalUrl;
    s.source = r.source;
    s.fileName = r.fileName;
    s.directory = r.directory;
    s.targetPath = r.targetPath;
    s.total = r.total;
    s.state = r.state;
    s.resumable = r.resumable;
    s.priority = r.priority;
    s.rateLimit = r.rateLimit;
    s.maxConnections = r.connections;
    s.message = r.message;
    s.etag = r.etag;
    s.lastModified = r.lastModified;
    s.added = r.added;
    return s;
}

DownloadId TransferJob::id() const
{
    return record().id;
}

} // namespace ferry
