#include "engine/dormantjob.h"

namespace ferry {

DormantJob::DormantJob(StoredDownload record, QObject *parent) : TransferJob(std::move(record), {}, parent)
{
    if (m_record.state == DownloadState::Queued)
        m_record.state = DownloadState::Paused;
}

void DormantJob::start()
{
    pause();
}

void DormantJob::enqueue()
{
    pause();
}

void DormantJob::pause(const QString &)
{
    m_record.state = DownloadState::Paused;
    m_record.message = tr("This kind of transfer cannot run here; open it in the Ferry window.");
    emit stateChanged(m_record.id, m_record.state);
}

DownloadSnapshot DormantJob::snapshot() const
{
    DownloadSnapshot s = recordSnapshot();
    for (const UploadedPart &p : m_record.parts)
        s.done += p.size;
    return s;
}

} // namespace ferry
