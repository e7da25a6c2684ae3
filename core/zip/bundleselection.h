#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

namespace ferry::zip {

// What a ZIP bundle is made of and where it goes; stored as JSON in the transfer's record
// (StoredDownload::extra) so a queued or interrupted bundle can start again after a restart.
// Holds no secret: the account id only names whose credentials sign the requests.
struct BundleSelection {
    QString account;
    QString bucket;            // where the selected objects are
    QStringList keys;          // selected objects
    QStringList prefixes;      // selected folders, each expanded by listing (ending in '/')
    QString localPath;         // ZIP into a local file: its final path
    QString targetBucket;      // or streamed into this bucket ...
    QString targetKey;         // ... under this key
    int deflateLevel = 6;      // 1-9
    bool skipOnError = false;  // a failing object is reported and left out instead of failing the job
    qint64 shareExpirySeconds = 7 * 24 * 3600; // presigned link after a bucket bundle (≤ 7 days)

    bool toBucket() const { return !targetBucket.isEmpty(); }
    QByteArray toJson() const;
    // False (with `error`) when the JSON is unusable or names neither or both destinations.
    static bool fromJson(const QByteArray &json, BundleSelection *out, QString *error);

    // The folder every selected key and prefix sits in ("photos/" for "photos/2023/" and
    // "photos/a.jpg"; "" when they share none): archive names are relative to it, so the
    // selected items themselves are the top level of the archive.
    static QString commonParent(const QStringList &keys, const QStringList &prefixes);
};

// One object of an expanded selection, in archive order.
struct BundleItem {
    QString key;
    qint64 size = 0;
    QDateTime lastModified;
    QByteArray etag;       // as listed; every GET carries it as If-Match
    QString entryName;     // archive name (ZipNameMapper); directories end in '/'
    bool directory = false;
};

} // namespace ferry::zip
