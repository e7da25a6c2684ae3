#pragma once

#include "s3/s3types.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

// Parsers for the XML bodies of S3 replies, and the two request bodies the client sends.
// Every parser is bounded: bodies over maxBodyBytes, nesting deeper than a few levels, more
// elements than a page can hold, DTDs and entity declarations are rejected as malformed
// rather than processed. A parser returns false (with a reason in `why`, English, for logs)
// on anything it does not understand; it never crashes or loops on hostile input.
// Pure functions: reentrant.
namespace ferry::s3::xml {

inline constexpr qint64 maxBodyBytes = 64 * 1024 * 1024;

// <Error> as S3 sends it with a failed request (and sometimes with a 200, for
// CompleteMultipartUpload).
struct ErrorBody {
    QString code;
    QString message;    // the server's English text
    QString region;     // PermanentRedirect, AuthorizationHeaderMalformed
    QString requestId;
    QString serverTime; // RequestTimeTooSkewed
};

struct PartsPage {
    QList<Part> parts;
    bool truncated = false;
    int nextPartNumberMarker = 0;
};

struct UploadsPage {
    QList<MultipartUpload> uploads;
    bool truncated = false;
    QString nextKeyMarker;
    QString nextUploadIdMarker;
};

struct DeleteResult {
    QStringList deleted;
    QStringList failedKeys;
    QList<ErrorBody> errors; // one per failed key, same order
};

// True when `body` is a well-formed <Error> document.
bool parseError(const QByteArray &body, ErrorBody *out, QString *why = nullptr);

bool parseListBuckets(const QByteArray &body, QList<Bucket> *out, QString *why = nullptr);
// ListObjectsV2; keys and prefixes are decoded when the reply says EncodingType url.
bool parseListObjects(const QByteArray &body, ListPage *out, QString *why = nullptr);
bool parseInitiateMultipartUpload(const QByteArray &body, QString *uploadId, QString *why = nullptr);
// A 200 reply that carries <Error> instead (S3 may fail a completion after sending 200) is
// reported through `error` with a true return and an empty etag.
bool parseCompleteMultipartUpload(const QByteArray &body, QByteArray *etag, ErrorBody *error,
                                  QString *why = nullptr);
bool parseListParts(const QByteArray &body, PartsPage *out, QString *why = nullptr);
// ListMultipartUploads; keys and markers are decoded when the reply says EncodingType url.
bool parseListMultipartUploads(const QByteArray &body, UploadsPage *out, QString *why = nullptr);
bool parseDeleteResult(const QByteArray &body, DeleteResult *out, QString *why = nullptr);

// Request bodies.
QByteArray completeMultipartUploadBody(const QList<Part> &parts);
QByteArray deleteObjectsBody(const QStringList &keys, bool quiet = true);

} // namespace ferry::s3::xml
