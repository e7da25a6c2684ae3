#pragma once

#include "s3/s3types.h"
#include "s3/s3xml.h"

#include <QNetworkReply>
#include <QString>

// Turns what an S3 service answered into an Error: a kind programs act on and a translated
// sentence a person understands. Messages name buckets and keys, never credentials, signatures
// or the server's string-to-sign. Reentrant.
namespace ferry::s3 {

// What a failed call was about, so messages can name it.
struct ErrorContext {
    QString bucket;
    QString key;
    QString region; // the region the request was signed for
};

Error::Kind errorKind(const QString &code, int httpStatus);

// From an error reply; `body` may be empty (HEAD) or not XML (a proxy's HTML page).
Error errorFromReply(int httpStatus, const xml::ErrorBody &body, const ErrorContext &context);
// From an error reply whose body has not been parsed yet.
Error errorFromReply(int httpStatus, const QByteArray &body, const ErrorContext &context);

// The connection failed before any HTTP status arrived.
Error networkError(QNetworkReply::NetworkError error, const QString &detail, const QString &host);

// A 2xx reply whose body could not be understood. `why` is for logs and stays English.
Error badResponse(const QString &why);

Error cancelledError();

} // namespace ferry::s3
