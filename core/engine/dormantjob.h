#pragma once

#include "engine/transferjob.h"

namespace ferry {

// A stored transfer this process cannot run (its kind has no factory here, e.g. an upload
// seen by a program built without S3 support). It shows as paused and keeps its row.
class DormantJob final : public TransferJob
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DormantJob)
public:
    DormantJob(StoredDownload record, QObject *parent = nullptr);

    void start() override;
    void enqueue() override;
    void pause(const QString &message = {}) override;
    void suspend() override {}
    QString discard(FileRemoval) override { return {}; }
    void setRateLimit(qint64) override {}
    void setPriority(int priority) override { m_record.priority = priority; }
    void tick() override {}
    DownloadSnapshot snapshot() const override;
};

} // namespace ferry
