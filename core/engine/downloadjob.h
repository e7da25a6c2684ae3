#pragma once

#include "engine/connectionset.h"
#include "engine/downloadlock.h"
#include "engine/enginesettings.h"
#include "engine/partfile.h"
#include "engine/segmentscheduler.h"
#include "engine/segmenttable.h"
#include "engine/transferjob.h"
#include "engine/transfertypes.h"
#include "storage/storedrecord.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QThread>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace ferry {

class Connection;
class HostLimiter;
class RateLimiter;
class RequestSigner;
class Storage;

// One download from probe to rename. Lives on the manager's thread; its connections run on
// their own threads and report back through queued signals tagged with a task id.
class DownloadJob final : public TransferJob
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DownloadJob)
public:
    DownloadJob(StoredDownload record, HeaderList secrets, JobEnvironment env, QObject *parent = nullptr);
    ~DownloadJob() override;

    void start() override;
    void enqueue() override;
    void pause(const QString &message = {}) override;
    void suspend() override;
    // Stops everything and removes the part file (and the finished file when asked).
    QString discard(FileRemoval finished) override;
    void setSecrets(const HeaderList &secrets) { m_secrets = secrets; }
    const HeaderList &secrets() const { return m_secrets; }
    // The same file from another address (checked by an AddressCheck beforehand): every byte
    // on disk is kept. Only while the download is not active. See downloadjobaddress.cpp.
    struct NewAddress {
        QUrl url;
        QUrl finalUrl;
        HeaderList secrets;
        QByteArray etag;
        QString lastModified;
        bool resumable = false;
    };
    void changeAddress(const NewAddress &address);
    // Stopped because the headers it needs are not in memory (the database never has them; the
    // manager looks in the keychain before starting it, see DownloadManager::awaitSecrets).
    bool lacksCredentials() const { return m_record.needsSecrets && m_secrets.isEmpty(); }
    void setChecksum(const QString &checksum);
    void setConnections(int connections);
    // A change made while this process is not running the download (pause, remove, options
    // given again) is made under its lock, on the row as the database has it now: neither this
    // process nor one about to start the download then works from values read earlier. Busy:
    // another process runs it (`owner` gets its pid); Gone: another process removed it.
    enum class Claim { Held, Busy, Gone };
    Claim claim(QString *owner);
    // Ends a claim once its changes are written; the lock stays only while the download runs.
    void releaseClaim();
    // Leaves the download to the process running it: paused here, not recorded.
    void leaveTo(const QString &owner);
    // Signs every request (S3 objects); null for plain HTTP.
    void setSigner(std::shared_ptr<const RequestSigner> signer) { m_signer = std::move(signer); }
    bool hasSigner() const { return m_signer != nullptr; }
    void setRateLimit(qint64 bytesPerSecond) override;
    void setPriority(int priority) override;
    // Called by the manager every tick: speed, checkpoints, new connections, due retries.
    void tick() override;
    DownloadSnapshot snapshot() const override;

private:
    using Link = ConnectionSet::Link;

    void probe();
    void onProbed(quint64 serial, quint64 taskId, const ProbeResult &result);
    void onFinished(quint64 serial, quint64 taskId);
    void onFailed(quint64 serial, quint64 taskId, const TransferError &error);
    bool openPartFile(bool fresh, QString *error);
    // Takes what the database holds now (see claim()); false when the row is gone.
    bool reload();
    void resumeFromRecord();
    void beginTransfer();
    void fillConnections();
    void noteWaiting();
    Link *newLink();
    void restartFromZero(const QString &why);
    // Progress to the database after an fdatasync. Skipped while the previous one is still
    // queued (slow disks must not pile up work), unless `force`.
    void checkpoint(bool force = false);
    void maybeFinish();
    void verifyAndRename();
    void fail(const QString &message);
    void halt(DownloadState state, const QString &message);
    void stateChanging(DownloadState next) override;
    qint64 desiredConnections() const;
    QString host() const;
    TransferTask baseTask() const;
    TransferTask rangeTask() const;
    // An entry of a remote archive (downloadjobentry.cpp): the file is the entry's span of the
    // archive, checked against the listing's size and validators, decoded when complete.
    bool adoptEntryProbe(ProbeResult *r);
    void decodeEntry();
    bool entryFinishedAlready();
    // Stops a decoding under way, waits for its thread and removes its file.
    void cancelDecoding();
    // The decoded file, when this download created one (see ZipEntrySpan::decodedInode).
    PartFile::Identity decodedIdentity() const;
    void recordEntrySpan();
    // After the span turned out not to be the listed entry: the part file and its progress go,
    // so that resuming fetches the span again.
    void dropSpan();
    QString entryChangedMessage() const;

    HeaderList m_secrets;
    std::shared_ptr<const RequestSigner> m_signer;
    std::shared_ptr<PartFile> m_file;
    std::shared_ptr<WriteGate> m_gate;
    std::shared_ptr<RateLimiter> m_limiter;
    SegmentTable m_segments;
    ConnectionSet m_links;
    SegmentScheduler m_scheduler;
    int m_linkCap = 0;                // lowered when the server says it is busy
    int m_probeFailures = 0;
    int m_duplicateFailures = 0;
    quint64 m_verifyGeneration = 0;
    std::shared_ptr<std::atomic_int> m_pendingCheckpoints = std::make_shared<std::atomic_int>(0);
    qint64 m_probeNotBeforeMs = 0;
    qint64 m_lastCheckpointMs = 0;
    bool m_planned = false;
    bool m_refreshingUrl = false;     // re-probing the original URL after its redirect expired
    bool m_verifying = false;
    bool m_ifRangeIgnored = false;    // the server answers If-Range with the whole file
    bool m_onHost = false;            // counted among the host's running downloads
    bool m_waitingNote = false;       // the message says it waits for a connection
    bool m_claimed = false;           // the lock is held for a change, see claim()
    std::optional<ZipEntrySpan> m_zipEntry; // from the record's extra JSON
    std::shared_ptr<std::atomic_bool> m_decodeCancel;
    QPointer<QThread> m_decodeThread;
};

} // namespace ferry
