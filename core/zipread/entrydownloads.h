#pragma once

#include "api/downloadtypes.h"
#include "zip/zipnamemapper.h"
#include "zipread/archivelisting.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace ferry::zipread {

// One DownloadRequest per chosen entry that is a file (a chosen folder brings the files below
// it); `chosen` are indices into listing.entries. Names are made safe and unique as ZipExtractor
// makes them (ZipNameMapper), and the folders below `folder` are created (never through a
// symbolic link or a file). Entries that cannot be extracted (encrypted, links, other methods,
// no known local header) go to *refused as sentences. Each request names the entry's span of
// the archive and the archive's size and validators (DownloadRequest::zipEntry); for an S3
// archive it carries the account and the s3:// address, like any S3 object's download.
// The caller adds them to the DownloadManager.
// `names` (ZipExtractor::mapNames() over a larger choice, part of which is extracted directly)
// replaces the names of the entries it has, so no two entries of that choice share a name.
QList<DownloadRequest> entryDownloadRequests(const ArchiveSource &source,
                                             const ArchiveListing &listing,
                                             const QList<qsizetype> &chosen, const QString &folder,
                                             QStringList *refused,
                                             const QHash<qsizetype, zip::ZipName> &names = {});

// The span of the archive an entry's download fetches: from its local header to the next local
// header in archive order (the central directory after the last one), capped so that a strange
// archive cannot make it larger than the entry can be. Length 0 when the entry's local header is
// not known.
struct EntrySpanBounds
{
    qint64 offset = -1;
    qint64 length = 0;
};
EntrySpanBounds entrySpanBounds(const ArchiveListing &listing, qsizetype index);

} // namespace ferry::zipread
