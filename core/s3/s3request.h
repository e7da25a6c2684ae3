#pragma once

#include "s3/s3types.h"

#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

class QNetworkReply;

// Addressing and header helpers shared by the S3 client and its signer. Reentrant.
namespace ferry::s3 {

// The one place that decides where a request goes. Path style puts the bucket in the path
// (endpoint/bucket/key); virtual-host style puts it in the host name (bucket.endpoint/key),
// except for bucket names that cannot be host names (dots over TLS, upper case), which S3
// still serves path-style. AWS endpoints are rewritten to the bucket's region
// (s3.REGION.amazonaws.com). Path and query are encoded as SigV4 signs them.
QUrl s3Url(const Account &account, const QString &region, const QString &bucket, const QString &key,
           const QList<QPair<QString, QString>> &query = {});

bool isAwsHost(const QString &host);

// "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 7231 IMF-fixdate); invalid when it does not parse.
QDateTime parseHttpDate(const QByteArray &value);

// Headers of a HEAD or GET reply: size, validators, type, storage class and user metadata.
ObjectInfo objectInfoFrom(const QNetworkReply *reply, const QString &key);

} // namespace ferry::s3
