#pragma once

#include "s3/s3types.h"
#include "s3/sigv4.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QObject>
#include <QPair>
#include <QSet>
#include <QString>
#include <QUrl>

#include <atomic>
#include <functional>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace ferry::s3 {
class Client;
class Reply;
} // namespace ferry::s3

namespace ferry::zipread {

// Why a ranged read of a remote archive failed.
enum class RemoteFailure {
    None,
    NoRanges, // the server sends the whole file instead of a byte range
    Changed,  // the archive is no longer the version first seen (ETag / Last-Modified / size)
    Http,     // the server refused (4xx/5xx other than the above)
    Network,  // unreachable, reset, timed out, after retries
    Aborted,  // the reader was cancelled
    Corrupt,  // not a ZIP archive, truncated, or a damaged entry (set by the reader)
    Local,    // the extracted file cannot be written (set by the reader)
};

// The bytes of one ranged GET, or why there are none.
struct RangeAnswer
{
    RemoteFailure failure = RemoteFailure::None;
    QString message; // for people, translated; never contains credentials
    QByteArray data;
    qint64 from = -1;  // archive offset of data[0]
    qint64 total = -1; // size of the whole archive
};

// Issues the ranged GETs of a RemoteZipDevice. Lives on (and is only called on) the device's
// private network thread, which also owns its network access manager or S3 client. The first
// answer fixes the archive's validators (a strong ETag, else Last-Modified) and size; every later
// request carries them (If-Match and If-Range), and every answer is checked against them, so a
// changed archive ends the read with RemoteFailure::Changed instead of mixing two versions.
class RangeFetcher : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(const RangeAnswer &answer)>;
    using QObject::QObject;

    // `length` bytes from `from`; from < 0 asks for the last `length` bytes (the archive's tail,
    // which also tells its size). `done` is called exactly once, on this object's thread.
    virtual void fetch(qint64 from, qint64 length, Done done) = 0;
    // Ends every request in flight with RemoteFailure::Aborted.
    virtual void abortAll() = 0;
    // How many requests went out, retries and redirects included. Thread-safe.
    int requestCount() const { return m_requests.load(); }
    // The validators and size of the version being read, fixed by the first answer. Read them
    // on another thread only after an answer was handed over (the device's wait orders them).
    QByteArray etag() const { return m_etag; }
    QByteArray lastModified() const { return m_lastModified; }

protected:
    // Compares an answer's validators with the ones seen first (and remembers the first ones).
    // False with *why set when they differ.
    bool checkValidators(const QByteArray &etag, const QByteArray &lastModified, qint64 total,
                         QString *why);
    QByteArray m_etag;         // strong ETag of the version being read, or empty
    QByteArray m_lastModified; // used when there is no strong ETag
    qint64 m_total = -1;
    std::atomic_int m_requests = 0;
};

// Plain HTTP(S): GET with Range, If-Match and If-Range. HTTP/2 is off so every request is an
// ordinary HTTP/1.1 exchange on a kept-alive connection; redirects are followed here (at most 10,
// never from https to http) and custom headers only go to the host they were given for.
class HttpRangeFetcher final : public RangeFetcher
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpRangeFetcher)
public:
    HttpRangeFetcher(const QUrl &url, const QList<QPair<QByteArray, QByteArray>> &headers,
                     QObject *parent = nullptr);
    ~HttpRangeFetcher() override;

    void fetch(qint64 from, qint64 length, Done done) override;
    void abortAll() override;

private:
    struct Call;
    void send(const std::shared_ptr<Call> &call);
    void headersArrived(QNetworkReply *reply, const std::shared_ptr<Call> &call);
    void finished(QNetworkReply *reply, const std::shared_ptr<Call> &call);
    void answer(const std::shared_ptr<Call> &call, RangeAnswer answer);
    bool retry(const std::shared_ptr<Call> &call);

    QUrl m_origin;
    QUrl m_url; // after redirects of the first request
    QList<QPair<QByteArray, QByteArray>> m_headers;
    QNetworkAccessManager *m_nam;
    QSet<QNetworkReply *> m_replies;
};

// An S3 object through the account's signed ranged GETs: HeadObject first (size and ETag), then
// GetObject with Range and If-Match. The client is created on the network thread from a copy of
// the account and its keys, so the caller's client (bound to its own thread) is never shared.
class S3RangeFetcher final : public RangeFetcher
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(S3RangeFetcher)
public:
    S3RangeFetcher(const s3::Account &account, const s3::Credentials &credentials,
                   const QString &bucket, const QString &key, QObject *parent = nullptr);
    ~S3RangeFetcher() override;

    void fetch(qint64 from, qint64 length, Done done) override;
    void abortAll() override;

private:
    void get(qint64 from, qint64 length, const Done &done, int attempt);
    RangeAnswer failureOf(const s3::Error &error) const;

    s3::Client *m_client;
    QString m_bucket;
    QString m_key;
    QSet<s3::Reply *> m_replies;
};

} // namespace ferry::zipread
