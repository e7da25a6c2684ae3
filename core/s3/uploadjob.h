#pragma once

#include "engine/backoff.h"
#include "engine/downloadjob.h"
#include "engine/transferjob.h"
#include "s3/s3types.h"
#include "s3/throttle.h"
#include "storage/storedrecord.h"

#include <QElapsedTimer>
#include <QPointer>
#include <functional>
#include <map>
#include <memory>

namespace ferry::s3 {

class Client;
class Reply;

// One local file into one S3 object. Below the multipart threshold a single PutObject;
// above it a multipart upload with equal parts sent a few at a time, each from a bounded
// buffer read off the GUI thread. The upload id (before any part goes out) and every confirmed
// part are recorded. Resuming asks the server first (ListParts, uploadresume.cpp): a part is
// kept when the server holds it as recorded, adopted when the server holds it unrecorded with
// the local bytes' MD5, sent otherwise; an upload the server forgot starts afresh. Removing
// the transfer aborts the upload on the server. Lives on the manager's thread.
class UploadJob final : public TransferJob
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UploadJob)
public:
    using ClientProvider = std::function<Client *(const QString &account)>;
    UploadJob(StoredDownload record, JobEnvironment env, ClientProvider clients, QObject *parent = nullptr);
    ~UploadJob() override;

    // Part size for a file: at least `minimum`, grown in MiB steps so no more than 10,000
    // parts are needed; all parts but the last have this size (some providers insist).
    static qint64 partSizeFor(qint64 fileSize, qint64 minimum = 8 * 1024 * 1024);
    static constexpr qint64 multipartThreshold = 16 * 1024 * 1024;
    static constexpr int parallelParts = 4;

    void start() override;
    void enqueue() override;
    void pause(const QString &message = {}) override;
    void suspend() override;
    QString discard(FileRemoval finished) override;
    void setRateLimit(qint64 bytesPerSecond) override;
    void setPriority(int priority) override;
    void tick() override;
    DownloadSnapshot snapshot() const override;

private:
    struct InFlight {
        QPointer<Reply> reply;
        qint64 sent = 0;
        qint64 size = 0;
        bool requested = false; // the read is done and the request went out
    };

    QString localPath() const;
    QString bucket() const;
    QString key() const;
    bool sourceUnchanged(QString *why) const;
    void putWhole();
    void createUpload();
    void fillParts();
    void readPart(int number);
    void sendPart(int number, const QByteArray &data);
    void onPartFailed(int number, const QString &message, bool retryable, bool uploadGone,
                      std::optional<qint64> retryAfterMs = std::nullopt);
    void completeUpload();
    // Resuming an upload with an id (uploadresume.cpp): ListParts, then keep, adopt or send.
    void checkServerParts();
    void reconcileParts(const QList<Part> &serverParts);
    void adoptParts(const QList<UploadedPart> &kept, const QList<Part> &candidates, int dropped);
    void finishCheck(const QList<UploadedPart> &parts, int adopted, int dropped);
    void restartUpload(const QString &why);
    // Size part `number` must have: the part size, less for the last part.
    qint64 expectedPartSize(int number) const;
    // The server no longer knows the upload id (aborted, completed, expired). Some servers
    // answer NoSuchKey where S3 says NoSuchUpload.
    static bool uploadGone(const Error &error);
    void stopRequests();
    void forgetUpload();
    void forgetUploadLocally();
    void finishDiscard(bool ok, const QString &message);
    int partCount() const;
    bool partConfirmed(int number) const;
    qint64 bytesDone() const;
    // This upload's own limit and the global one, applied to every body it sends.
    RateLimiters limiters() const { return {m_limiter, m_env.globalLimiter}; }
    void fail(const QString &message);

    ClientProvider m_clients;
    std::shared_ptr<RateLimiter> m_limiter;  // record.rateLimit; changes reach bodies in flight
    Backoff m_backoff;
    std::map<int, InFlight> m_inFlight;      // part number -> request (or a read under way)
    std::map<int, int> m_failures;           // part number -> attempts so far
    std::map<int, qint64> m_notBeforeMs;     // part number -> earliest retry
    QPointer<Reply> m_control;               // create / complete / put
    quint64 m_generation = 0;                // bumps on every stop: late reads are dropped
    bool m_checking = false;                 // the server's parts are being compared: nothing is sent
};

} // namespace ferry::s3
