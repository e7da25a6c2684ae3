#pragma once

#include "api/downloadtypes.h"

namespace ferry {

// One byte range of a download as persisted: [start, end), of which `done` bytes from
// start are known to be on disk (flushed before the row was written).
struct SegmentRecord {
    qint64 start = 0;
    qint64 end = 0;
    qint64 done = 0;
};

// A part of a multipart upload the server has confirmed.
struct UploadedPart {
    int number = 0;
    QByteArray etag;
    qint64 size = 0;
};

// The persisted form of a download. Headers the user gave (any of them may be a secret: a
// cookie, an API key) and URL passwords are never part of it: they stay in memory only.
struct StoredDownload {
    DownloadId id = 0;
    QUrl url;
    QUrl finalUrl;
    QString directory;
    QString fileName;     // chosen name (final file is directory/fileName, made unique)
    QString partPath;     // in-progress file; empty until planned
    QString targetPath;   // final path once completed
    bool nameFromUser = false;
    qint64 total = -1;
    QByteArray etag;
    QString lastModified;
    bool resumable = false;
    DownloadState state = DownloadState::Queued;
    QString message;
    int connections = 8;
    qint64 rateLimit = 0;
    QString checksum;
    bool needsSecrets = false;
    int priority = 0;
    QDateTime added;
    QDateTime finished;
    int restarts = 0;
    QList<SegmentRecord> segments;
    // The part file this download created (st_dev, st_ino; 0 = not known). A rename keeps
    // them, so they identify the finished file too: nothing else is ever removed as "ours".
    quint64 partDevice = 0;
    quint64 partInode = 0;

    TransferKind kind = TransferKind::Download;
    QString account;      // S3 account id whose credentials sign the requests (not a secret)
    QString source;       // "s3://bucket/key" for S3 transfers (download source, upload target)
    QString uploadId;     // multipart upload in progress
    qint64 partSize = 0;
    QByteArray extra;     // kind-specific JSON (a bundle's selection)
    QList<UploadedPart> parts; // confirmed parts, loaded with the row; saved with savePart()
};

} // namespace ferry
