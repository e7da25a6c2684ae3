// Adding a download: a request checked, its name chosen, its row recorded, or the download
// already in the list for the same address taken up again (in this process or another).
#include "api/downloadmanager.h"

#include "api/secretvault.h"
#include "engine/checksum.h"
#include "engine/downloadjob.h"
#include "engine/filenamesanitizer.h"
#include "storage/storage.h"
#include "zipread/entrydecoder.h"
#include "zipread/entryspan.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace ferry {

namespace {

// Whether a recorded download is the one a request for `url` into `dir` (named `fileName`, or
// not named) would make again. A completed one is not: the same URL again is a new copy.
bool sameDownload(const StoredDownload &r, const QUrl &url, const QString &dir, const QString &fileName)
{
    if (r.kind != TransferKind::Download || r.state == DownloadState::Completed || r.url != url || r.directory != dir)
        return false;
    return fileName.isEmpty() || !r.nameFromUser || r.fileName == fileName;
}

} // namespace

bool DownloadManager::pathTaken(const QString &path, DownloadId self) const
{
    for (const auto &[id, j] : m_jobs) {
        if (id == self || j->state() == DownloadState::Completed)
            continue;
        const QString part = j->record().partPath;
        if (!part.isEmpty() && part.chopped(5) == path)
            return true;
        // An archive entry decodes into "<part name>.unzip.part" next to its span: that name is
        // reserved too, or a download named "….unzip" could share the file.
        if (!part.isEmpty() && zipread::entrySpanOf(j->record().extra)
            && zipread::EntryDecoder::decodingPath(part).chopped(5) == path)
            return true;
    }
    return false;
}

DownloadId DownloadManager::add(const DownloadRequest &request, QString *error)
{
    const QUrl url = request.url.adjusted(QUrl::NormalizePathSegments);
    if (!url.isValid() || url.host().isEmpty() || (url.scheme() != u"http"_s && url.scheme() != u"https"_s)) {
        *error = tr("Not a downloadable address: %1 (only http and https URLs).").arg(request.url.toString(QUrl::RemovePassword));
        return 0;
    }
    const QString dir = QDir(request.directory.isEmpty() ? QDir::currentPath() : request.directory).absolutePath();
    if (!QFileInfo(dir).isDir()) {
        *error = tr("The folder %1 does not exist.").arg(dir);
        return 0;
    }
    if (!QFileInfo(dir).isWritable()) {
        *error = tr("The folder %1 is not writable (permission denied).").arg(dir);
        return 0;
    }
    if (!request.checksum.isEmpty() && !parseChecksumSpec(request.checksum, error))
        return 0;
    if (request.connections && (*request.connections < 1 || *request.connections > 32)) {
        *error = tr("Connections must be between 1 and 32, got %1.").arg(*request.connections);
        return 0;
    }

    // Every header the user gives may be a secret (an API key, a cookie, a token under any
    // name): none is stored, and each goes only to the origin it was given for.
    HeaderList secrets = request.headers;
    QUrl storedUrl = url;
    if (!url.password().isEmpty()) {
        const QByteArray basic = (url.userName() + u':' + url.password()).toUtf8().toBase64();
        secrets.append({"Authorization", "Basic " + basic});
        storedUrl = url.adjusted(QUrl::RemoveUserInfo);
    }
    const QString fileName = request.fileName.isEmpty() ? QString() : sanitizeFileName(request.fileName);

    // An archive entry chosen again from another listing (another version of the archive, or
    // another entry under the same name) is a download of its own: what the old one fetched
    // belongs to what it was listed from.
    const auto otherEntry = [&](const QByteArray &extra) {
        const std::optional<ZipEntrySpan> had = zipread::entrySpanOf(extra);
        const std::optional<ZipEntrySpan> &want = request.zipEntry;
        if (!had || !want)
            return bool(had) != bool(want);
        return had->offset != want->offset || had->length != want->length || had->archiveSize != want->archiveSize
            || had->etag != want->etag || had->lastModified != want->lastModified;
    };
    bool evenIfPresent = request.evenIfPresent;
    if (const DownloadId id = existing(storedUrl, dir, fileName); id != 0 && otherEntry(job(id)->record().extra))
        evenIfPresent = true;

    for (;;) {
        // The same URL again: carry on with the existing download instead of a second copy, with
        // what this request gives. Whatever it leaves unset (a `get URL` without -s after one with
        // -s 4) keeps the value given before.
        // Unless the user asked for a second copy of it (`evenIfPresent`).
        for (DownloadId id; !evenIfPresent && (id = existing(storedUrl, dir, fileName)) != 0;) {
            QString owner;
            const Change outcome = change(id, [&](TransferJob *t) {
                auto *j = static_cast<DownloadJob *>(t);
                if (j->state() == DownloadState::Completed)
                    return; // finished by another process meanwhile: nothing left to change
                if (!secrets.isEmpty()) {
                    j->setSecrets(secrets);
                    keepSecrets(id, j->record().url, secrets);
                }
                if (!request.checksum.isEmpty() && request.checksum != j->record().checksum)
                    j->setChecksum(request.checksum);
                if (request.connections && *request.connections != j->record().connections)
                    j->setConnections(*request.connections);
                if (request.rateLimit && *request.rateLimit != j->record().rateLimit)
                    j->setRateLimit(*request.rateLimit);
                if (request.extractArchive)
                    askExtract(j, *request.extractArchive, request.trashArchive);
                if (!request.startPaused) {
                    m_held.remove(id);
                    j->enqueue(); // a failed one too: a corrected checksum checks the kept file again
                }
            }, &owner);
            if (outcome == Change::Gone)
                continue; // removed by another process just now: look again, or add it anew
            if (outcome == Change::RunElsewhere) {
                // Its options belong to the process running it; this one only stops waiting for it.
                if (auto *j = qobject_cast<DownloadJob *>(job(id)); j && !request.startPaused)
                    j->leaveTo(owner);
            }
            return id;
        }

        StoredDownload record;
        record.url = storedUrl;
        record.directory = dir;
        record.fileName = fileName;
        record.nameFromUser = !fileName.isEmpty();
        record.connections = request.connections.value_or(record.connections);
        record.rateLimit = qMax<qint64>(0, request.rateLimit.value_or(0));
        record.checksum = request.checksum;
        record.needsSecrets = !secrets.isEmpty();
        record.priority = request.priority;
        if (request.queueFront) {
            const QList<TransferJob *> queue = queueOrder();
            if (!queue.isEmpty())
                record.priority = qMax(record.priority, queue.first()->record().priority + 1);
        }
        // Hints until the download's own probe, which decides (DownloadJob::onProbed); without
        // segments or a part file they never make start() resume.
        if (fileName.isEmpty() && !request.probedName.isEmpty())
            record.fileName = sanitizeFileName(request.probedName);
        record.total = request.probedSize >= 0 ? request.probedSize : -1;
        record.resumable = request.probedResumable && request.probedSize > 0;
        record.account = request.account;
        record.source = request.source;
        if (request.zipEntry) {
            // The entry's span is the file; its size is known from the listing.
            record.extra = zipread::withEntrySpan(record.extra, *request.zipEntry);
            record.total = request.zipEntry->length;
        }
        record.added = QDateTime::currentDateTimeUtc();
        record.state = request.startPaused ? DownloadState::Paused : DownloadState::Queued;
        if (request.extractArchive.value_or(false))
            record.extra = extractAsked(record.extra, true, request.trashArchive);
        record.id = m_storage->insert(record);
        if (record.id == 0) {
            *error = tr("Could not record the download in %1.").arg(m_storage->path());
            return 0;
        }
        if (std::optional<StoredDownload> other = evenIfPresent
                                                      ? std::nullopt
                                                      : recordedElsewhere(storedUrl, dir, fileName, record.id)) {
            // Another process added the same URL a moment earlier (its row is older than this
            // one): one download, not two copies. Its lock keeps the two processes from running
            // it together; this one carries on with it like with any existing download.
            m_storage->remove(record.id);
            if (other->state == DownloadState::Downloading || other->state == DownloadState::Verifying)
                other->state = DownloadState::Queued; // its process runs it; to this one it waits
            createJob(*other, {});
            m_held.insert(other->id); // started here only when the request asks for it
            m_dirty.insert(other->id);
            emit downloadAdded(other->id);
            continue;
        }
        createJob(record, secrets);
        keepSecrets(record.id, record.url, secrets);
        m_dirty.insert(record.id);
        emit downloadAdded(record.id);
        schedule();
        return record.id;
    }
}

DownloadId DownloadManager::existing(const QUrl &url, const QString &dir, const QString &fileName) const
{
    for (const auto &[id, t] : m_jobs) {
        if (qobject_cast<DownloadJob *>(t) && sameDownload(t->record(), url, dir, fileName))
            return id;
    }
    return 0;
}

std::optional<StoredDownload> DownloadManager::recordedElsewhere(const QUrl &url, const QString &dir,
                                                                 const QString &fileName, DownloadId self)
{
    // Ids only grow (AUTOINCREMENT), and rows from before open() are jobs here: what another
    // process added since lies between the last id this one saw and its own new row. Of two
    // processes adding the same URL at once, the later insert finds the earlier row (the lower
    // id wins), so looking at those few rows is enough, and costs one small query each.
    // Removed rows leave gaps (a cleared history leaves the counter far above every row), so
    // the look back is bounded: a duplicate made at the same moment is among the newest rows.
    constexpr DownloadId lookBack = 512;
    QList<DownloadId> candidates(m_foreign.begin(), m_foreign.end());
    for (DownloadId id = qMax(m_lastSeenId, self - lookBack) + 1; id < self; ++id)
        candidates.append(id);
    m_lastSeenId = qMax(m_lastSeenId, self);
    std::sort(candidates.begin(), candidates.end());
    std::optional<StoredDownload> found;
    for (DownloadId id : std::as_const(candidates)) {
        std::optional<StoredDownload> r = m_jobs.count(id) ? std::nullopt : m_storage->load(id);
        if (!r || r->kind != TransferKind::Download || r->state == DownloadState::Completed) {
            m_foreign.remove(id);
            continue;
        }
        if (!found && sameDownload(*r, url, dir, fileName)) {
            m_foreign.remove(id); // becomes a job here
            found = std::move(r);
        } else {
            m_foreign.insert(id); // unfinished: a later add may be its duplicate
        }
    }
    return found;
}

} // namespace ferry
