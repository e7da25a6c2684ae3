#pragma once

#include "api/downloadtypes.h"
#include "zipread/zipreader.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUrl>

namespace ferry::zipread {

// Where a remote archive is: an HTTP(S) address (with the headers it needs: cookies,
// Authorization — held in memory only) or an S3 object of an account.
struct ArchiveSource
{
    // The http(s) address; for an S3 object, the object's address from the account's client
    // (Client::objectUrl), which downloads of its entries use with the account's signer.
    QUrl url;
    HeaderList headers; // sent only to the address's host
    QString account;    // S3 account id (not a secret); empty for an address
    QString bucket;
    QString key;

    bool isS3() const { return !account.isEmpty(); }
    // "s3://bucket/key" for an S3 object, the address otherwise (without a password).
    QString display() const
    {
        return isS3() ? QStringLiteral("s3://%1/%2").arg(bucket, key)
                      : url.toString(QUrl::RemovePassword);
    }
    // The archive's file name, for folder names and titles.
    QString fileName() const
    {
        const QString path = isS3() ? key : url.path();
        return path.section(u'/', -1);
    }
};

// What reading an archive's central directory found: its entries, and the version of the
// archive they belong to (size and validators), so that entries fetched later are known to come
// from the same version.
struct ArchiveListing
{
    QList<ZipEntry> entries;
    qint64 archiveSize = -1;
    QByteArray etag;         // strong ETag as first seen, or empty
    QByteArray lastModified; // used when there is no strong ETag
    // Where the central directory starts (the lowest centralOffset): the end of the last entry's
    // data in archive order. -1 when unknown.
    qint64 centralDirectoryOffset = -1;
    // What listing cost: body bytes received and requests sent.
    qint64 bytesReceived = 0;
    int requests = 0;
    QString error;           // empty on success; a sentence for people
    RemoteFailure failure = RemoteFailure::None;

    bool ok() const { return error.isEmpty(); }
};

} // namespace ferry::zipread
