#pragma once

#include "api/downloadtypes.h"
#include "s3/s3types.h"
#include "s3/sigv4.h"
#include "s3/throttle.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <functional>
#include <vector>
#include <memory>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;

namespace ferry {
class RequestSigner;
}

namespace ferry::s3 {

// One S3 call in flight. Emits finished() exactly once, then deletes itself later. abort()
// ends it with an error (finished() still comes). The result members that apply to the call
// are filled in before finished().
class Reply final : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    void abort();

    Error error;
    QByteArray body;              // GetObject
    QList<Bucket> buckets;        // ListBuckets
    ListPage page;                // ListObjectsV2
    ObjectInfo info;              // HeadObject, GetObject headers
    QString uploadId;             // CreateMultipartUpload
    QByteArray etag;              // PutObject, UploadPart, CompleteMultipartUpload
    QList<Part> parts;            // ListParts: every page
    QList<MultipartUpload> uploads; // ListMultipartUploads: every page
    QStringList failedKeys;       // DeleteObjects: keys the server refused

signals:
    void finished();
    void progress(qint64 done, qint64 total); // uploads and downloads

private:
    friend class Client;
    std::function<void()> m_abort;
};

// The S3 API of one account: addressing, signing, region discovery and clock-skew
// correction. Lives on (and is used from) the thread that created it; its requests run on
// that thread's event loop.
class Client final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Client)
public:
    Client(Account account, Credentials credentials, QObject *parent = nullptr);
    ~Client() override;

    const Account &account() const { return m_account; }
    // For a second client on another thread (a bundle worker); stays in memory.
    const Credentials &credentials() const { return m_credentials; }

    Reply *listBuckets();
    // One page (≤ maxKeys) of keys under `prefix`; `delimiter` "/" groups folders.
    Reply *listObjects(const QString &bucket, const QString &prefix, const QString &delimiter = {},
                       const QString &continuationToken = {}, int maxKeys = 1000);
    Reply *headObject(const QString &bucket, const QString &key);
    // Bytes [from, to] inclusive; to < 0 means to the end. Whole body held in memory: for
    // small objects and tests (large ones go through the download engine).
    // Object bodies (GetObject, PutObject, UploadPart) move only as fast as `limiters` grant;
    // nullopt takes the client's own (setRateLimiters()).
    Reply *getObject(const QString &bucket, const QString &key, qint64 from = 0, qint64 to = -1,
                     const QByteArray &ifMatch = {}, std::optional<RateLimiters> limiters = std::nullopt);
    Reply *putObject(const QString &bucket, const QString &key, const QByteArray &data,
                     const QString &contentType = {}, std::optional<RateLimiters> limiters = std::nullopt);
    Reply *createMultipartUpload(const QString &bucket, const QString &key, const QString &contentType = {});
    Reply *uploadPart(const QString &bucket, const QString &key, const QString &uploadId, int partNumber,
                      const QByteArray &data, std::optional<RateLimiters> limiters = std::nullopt);
    Reply *completeMultipartUpload(const QString &bucket, const QString &key, const QString &uploadId,
                                   const QList<Part> &parts);
    Reply *abortMultipartUpload(const QString &bucket, const QString &key, const QString &uploadId);
    // Every part the server holds for the upload, in the server's order, asked for
    // `pageSize` (1 .. 1000) at a time.
    Reply *listParts(const QString &bucket, const QString &key, const QString &uploadId, int pageSize = 1000);
    // Every unfinished multipart upload under `prefix`, asked for `pageSize` (1 .. 1000) at a time.
    Reply *listMultipartUploads(const QString &bucket, const QString &prefix = {}, int pageSize = 1000);
    Reply *deleteObjects(const QString &bucket, const QStringList &keys);

    // A presigned GET (or other method) URL for sharing, valid for 1 .. 604800 seconds.
    QUrl presignedUrl(const QString &bucket, const QString &key, qint64 expiresSeconds,
                      const QByteArray &method = "GET") const;
    // Unsigned address of an object, the way this account addresses it.
    QUrl objectUrl(const QString &bucket, const QString &key) const;
    // "s3://bucket/key"
    static QString s3Uri(const QString &bucket, const QString &key);
    // A signer the download engine uses for ranged GETs of objects in `bucket` (thread-safe,
    // holds a copy of the credentials and the bucket's region as known now).
    std::shared_ptr<const RequestSigner> signerFor(const QString &bucket) const;
    // Region of a bucket as learned from the server (account region until then).
    QString regionOf(const QString &bucket) const;
    // What a stored address already says about a bucket's region (after a restart, before
    // any reply taught it); a region learned from the server is kept.
    void rememberRegion(const QString &bucket, const QString &region);
    // Seconds to add to the local clock, learned from a RequestTimeTooSkewed reply.
    qint64 clockSkewSeconds() const { return m_skewSeconds; }
    // Limiters the object bodies of later calls obey by default (none: no throttling, the
    // bodies go to and from Qt as plain byte arrays). Limiters may be shared across threads.
    void setRateLimiters(RateLimiters limiters) { m_limiters = std::move(limiters); }
    const RateLimiters &rateLimiters() const { return m_limiters; }
    // Requests this client may have on the wire at once. Qt opens at most 6 connections per
    // host and network access manager (Qt 6.4 has no setting for it), so a client that keeps
    // more requests in flight spreads them over several managers. Default 6.
    void setMaxConnections(int connections);
    int maxConnections() const { return int(m_nams.size()) * kConnectionsPerManager; }

private:
    struct Call;
    Reply *send(std::shared_ptr<Call> call);
    void dispatch(std::shared_ptr<Call> call, QPointer<Reply> reply);
    void handleFinished(const std::shared_ptr<Call> &call, const QPointer<Reply> &reply, QNetworkReply *network,
                        const QString &region, const QByteArray &body);
    QNetworkReply *putThrottled(QNetworkAccessManager *nam, QNetworkRequest request, const Call &call);
    void finish(Reply *reply, const Error &error = {});
    bool isAnonymous() const;

    Account m_account;
    Credentials m_credentials;
    QNetworkAccessManager *newManager();
    QNetworkAccessManager *leastBusyManager();

    static constexpr int kConnectionsPerManager = 6;
    std::vector<QNetworkAccessManager *> m_nams; // owned as children
    QHash<QNetworkAccessManager *, int> m_inFlight;
    QHash<QString, QString> m_regions; // bucket -> region
    qint64 m_skewSeconds = 0;
    RateLimiters m_limiters;
};

} // namespace ferry::s3
