#include "zipread/entrydownloads.h"

#include "s3/s3client.h"
#include "zip/zipnamemapper.h"
#include "zipread/zipextractor.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry::zipread {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ferry::zipread::EntryDownloads", text);
}

// Local header, name, the largest extra field, the data and a Zip64 data descriptor: no entry's
// span can be longer, whatever lies between it and the next one.
qint64 largestSpan(const ZipEntry &e)
{
    return 30 + e.nameBytes + 65535 + e.packedSize + 24;
}

// Entries of more than a few MiB gain from parallel ranges, small ones do not.
constexpr qint64 kParallelFrom = 4 * 1024 * 1024;

} // namespace

EntrySpanBounds entrySpanBounds(const ArchiveListing &listing, qsizetype index)
{
    const ZipEntry &entry = listing.entries.at(index);
    if (entry.localOffset < 0)
        return {};
    qint64 next = listing.centralDirectoryOffset > entry.localOffset
                      ? listing.centralDirectoryOffset
                      : listing.archiveSize;
    for (const ZipEntry &other : listing.entries) {
        if (other.localOffset > entry.localOffset)
            next = std::min(next, other.localOffset);
    }
    qint64 length = largestSpan(entry);
    if (next > entry.localOffset)
        length = std::min(length, next - entry.localOffset);
    if (listing.archiveSize > entry.localOffset)
        length = std::min(length, listing.archiveSize - entry.localOffset);
    return {entry.localOffset, length};
}

QList<DownloadRequest> entryDownloadRequests(const ArchiveSource &source,
                                             const ArchiveListing &listing,
                                             const QList<qsizetype> &chosen, const QString &folder,
                                             QStringList *refused,
                                             const QHash<qsizetype, zip::ZipName> &given)
{
    const QList<ZipEntry> &entries = listing.entries;
    // A chosen folder brings everything below it.
    QList<bool> take(entries.size(), false);
    for (qsizetype i : chosen) {
        if (i < 0 || i >= entries.size())
            continue;
        take[i] = true;
        if (entries.at(i).directory) {
            const QString prefix =
                entries.at(i).name.endsWith(u'/') ? entries.at(i).name : entries.at(i).name + u'/';
            for (qsizetype k = 0; k < entries.size(); ++k) {
                if (entries.at(k).name.startsWith(prefix))
                    take[k] = true;
            }
        }
    }
    QList<qsizetype> order;
    for (qsizetype i = 0; i < entries.size(); ++i) {
        if (take.at(i))
            order.append(i);
    }
    std::stable_sort(order.begin(), order.end(), [&](qsizetype a, qsizetype b) {
        return entries.at(a).localOffset < entries.at(b).localOffset;
    });
    // The names of the whole choice at once, as ZipExtractor::extract() makes them, unless the
    // caller mapped a larger choice already.
    const QHash<qsizetype, zip::ZipName> own = ZipExtractor::mapNames(entries, order);
    QList<zip::ZipName> names;
    for (qsizetype i : std::as_const(order))
        names.append(given.contains(i) ? given.value(i) : own.value(i));

    QList<DownloadRequest> requests;
    QDir().mkpath(folder);
    const QString root = QFileInfo(folder).absoluteFilePath();
    for (qsizetype k = 0; k < order.size(); ++k) {
        const ZipEntry &entry = entries.at(order.at(k));
        if (entry.directory)
            continue;
        if (const QString why = entry.refusal(); !why.isEmpty()) {
            refused->append(why);
            continue;
        }
        const EntrySpanBounds bounds = entrySpanBounds(listing, order.at(k));
        if (bounds.length <= 0) {
            refused->append(tr("Where “%1” lies in the archive is not known; it cannot be "
                               "downloaded on its own.")
                                .arg(entry.name));
            continue;
        }
        QStringList segments = names.at(k).entryName.split(u'/', Qt::SkipEmptyParts);
        if (segments.isEmpty())
            continue;
        const QString fileName = segments.takeLast();
        QString error;
        const QString parent = ZipExtractor::makeFolders(root, segments, &error);
        if (parent.isEmpty()) {
            refused->append(error);
            continue;
        }
        DownloadRequest request;
        request.url = source.url;
        request.headers = source.headers;
        request.directory = parent;
        request.fileName = fileName;
        request.connections = bounds.length < kParallelFrom ? 1 : 8;
        if (source.isS3()) {
            request.account = source.account;
            request.source = s3::Client::s3Uri(source.bucket, source.key);
        }
        ZipEntrySpan span;
        span.offset = bounds.offset;
        span.length = bounds.length;
        span.archiveSize = listing.archiveSize;
        span.etag = listing.etag;
        span.lastModified = listing.lastModified;
        span.name = entry.name;
        span.nameBytes = entry.nameBytes;
        span.rawName = entry.rawName;
        span.method = entry.method;
        span.crc = entry.crc;
        span.size = entry.size;
        span.packedSize = entry.packedSize;
        span.modified = entry.modified;
        request.zipEntry = span;
        request.probedName = fileName;
        request.probedSize = bounds.length;
        requests.append(request);
    }
    return requests;
}

} // namespace ferry::zipread
