#pragma once

#include <optional>

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QUrl>

namespace ferry::s3 {

// One configured S3-compatible service. Holds no secret: credentials live in the keychain,
// the environment or ~/.aws, looked up by `id` / `profile`.
struct Account {
    QString id;           // stable, e.g. "acct-1"; the keychain entry is keyed by it
    QString name;         // shown to the user
    QUrl endpoint;        // "https://s3.amazonaws.com", "http://127.0.0.1:9000"
    QString region = QStringLiteral("us-east-1");
    bool pathStyle = false;  // true for most S3-compatible servers; AWS uses virtual hosts
    bool anonymous = false;  // public buckets: requests are not signed
    QString profile;      // when credentials come from ~/.aws (empty: keychain / environment)
};

struct Bucket {
    QString name;
    QDateTime created;
};

struct Object {
    QString key;
    qint64 size = 0;
    QDateTime lastModified;
    QByteArray etag;      // with its quotes, as S3 sends it
    QString storageClass;
};

// One page of ListObjectsV2.
struct ListPage {
    QList<Object> objects;
    QStringList prefixes;        // "folders" under the delimiter, each ending with it
    QString nextContinuationToken;
    bool truncated = false;
};

struct ObjectInfo {
    QString key;
    qint64 size = -1;
    QDateTime lastModified;
    QByteArray etag;
    QString contentType;
    QString storageClass;
    QList<QPair<QString, QString>> metadata; // x-amz-meta-* without the prefix
};

struct Part {
    int number = 0;       // 1 .. 10000
    QByteArray etag;
    qint64 size = 0;
};

// A multipart upload the server holds that was neither completed nor aborted.
struct MultipartUpload {
    QString key;
    QString uploadId;
    QDateTime initiated;  // UTC; invalid when the server did not say
    QString initiator;    // who started it: display name, else the id
    QString owner;        // who owns the parts: display name, else the id
};

// An S3 failure, with the server's code kept for programs and a sentence for people.
struct Error {
    enum Kind {
        None,
        Network,        // connection refused, reset, timeout: retry
        Throttled,      // SlowDown, 503: retry later
        Auth,           // SignatureDoesNotMatch, InvalidAccessKeyId, ExpiredToken
        Denied,         // AccessDenied
        NotFound,       // NoSuchBucket, NoSuchKey, NoSuchUpload
        Conflict,       // PreconditionFailed, ETag changed
        BadResponse,    // unparsable or hostile XML
        Unsupported,    // 405 / NotImplemented from this server
        Other,
    };
    Kind kind = None;
    int httpStatus = 0;
    QString code;         // "NoSuchBucket"
    QString message;      // translated, for people; never contains credentials
    QString region;       // when the server named the bucket's region
    qint64 retryAfterMs = -1; // the server's Retry-After, when it sent one
    bool isError() const { return kind != None; }
    std::optional<qint64> retryAfter() const { return retryAfterMs >= 0 ? std::optional<qint64>(retryAfterMs) : std::nullopt; }
    bool retryable() const { return kind == Network || kind == Throttled; }
};

} // namespace ferry::s3

Q_DECLARE_METATYPE(ferry::s3::Object)
