// Resuming a multipart upload: the server, not the local record, says which parts exist.
// The record may lag behind it (a part confirmed by the server just before a crash, before
// its row was written) or run ahead of it (the upload aborted or expired on the server).
#include "s3/uploadjob.h"

#include "s3/s3client.h"
#include "storage/storage.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QSet>
#include <QThreadPool>

#include <map>

using namespace Qt::StringLiterals;

namespace ferry::s3 {

namespace {

// ETags as S3 sends them carry quotes; some proxies change their case.
QByteArray plainEtag(const QByteArray &etag)
{
    QByteArray e = etag.trimmed();
    if (e.startsWith("W/"))
        e = e.mid(2);
    if (e.size() >= 2 && e.startsWith('"') && e.endsWith('"'))
        e = e.mid(1, e.size() - 2);
    return e.toLower();
}

// The MD5 of `size` bytes at `offset`, read in bounded blocks; empty on a read error.
QByteArray md5Of(QFile &file, qint64 offset, qint64 size)
{
    constexpr qint64 block = 1024 * 1024;
    if (!file.seek(offset))
        return {};
    QCryptographicHash hash(QCryptographicHash::Md5);
    for (qint64 left = size; left > 0;) {
        const QByteArray data = file.read(qMin(block, left));
        if (data.isEmpty())
            return {};
        hash.addData(data);
        left -= data.size();
    }
    return hash.result().toHex();
}

// The ETag S3 gives an object completed from these parts: the MD5 of the parts' MD5s, then
// the part count.
QByteArray multipartEtag(const QList<UploadedPart> &parts)
{
    QByteArray digests;
    for (const UploadedPart &p : parts)
        digests += QByteArray::fromHex(plainEtag(p.etag));
    return QCryptographicHash::hash(digests, QCryptographicHash::Md5).toHex() + '-' +
           QByteArray::number(parts.size());
}

} // namespace

bool UploadJob::uploadGone(const Error &error)
{
    return error.code == u"NoSuchUpload"_s || error.code == u"NoSuchKey"_s;
}

qint64 UploadJob::expectedPartSize(int number) const
{
    const qint64 offset = qint64(number - 1) * m_record.partSize;
    return qMax<qint64>(0, qMin(m_record.partSize, m_record.total - offset));
}

void UploadJob::checkServerParts()
{
    if (m_record.uploadId.isEmpty())
        return;
    Client *client = m_clients ? m_clients(m_record.account) : nullptr;
    if (!client) {
        m_notBeforeMs[-2] = now() + 1000; // the account is being opened again: ask later
        return;
    }
    if (m_record.partSize <= 0)
        m_record.partSize = partSizeFor(m_record.total);
    Reply *r = client->listParts(bucket(), key(), m_record.uploadId);
    m_control = r;
    m_checking = true;
    const quint64 generation = m_generation;
    connect(r, &Reply::finished, this, [this, r, generation] {
        if (generation != m_generation)
            return;
        m_control.clear();
        m_checking = false;
        if (!r->error.isError()) {
            reconcileParts(r->parts);
            return;
        }
        if (uploadGone(r->error)) {
            restartUpload(r->error.code.isEmpty() ? r->error.message : r->error.code);
            return;
        }
        if (r->error.kind == Error::Unsupported) {
            // A server without ListParts: the record is all there is to go by.
            logEvent(tr("The server cannot list the parts it holds; going by the local record."));
            fillParts();
            return;
        }
        onPartFailed(-2, r->error.message, r->error.retryable(), false, r->error.retryAfter());
    });
}

void UploadJob::reconcileParts(const QList<Part> &serverParts)
{
    const int count = partCount();
    std::map<int, Part> server;
    for (const Part &p : serverParts) {
        if (p.number >= 1 && p.number <= count)
            server[p.number] = p;
    }
    // A recorded part stays when the server holds it as it was sent.
    QList<UploadedPart> kept;
    int dropped = 0;
    QSet<int> keptNumbers;
    for (const UploadedPart &p : std::as_const(m_record.parts)) {
        if (p.number < 1 || p.number > count || keptNumbers.contains(p.number))
            continue;
        const auto it = server.find(p.number);
        const bool same = it != server.end() && it->second.size == expectedPartSize(p.number) &&
                          p.size == expectedPartSize(p.number) &&
                          (p.etag.isEmpty() || plainEtag(p.etag) == plainEtag(it->second.etag));
        if (!same) {
            ++dropped;
            logEvent(it == server.end()
                         ? tr("Part %1 as recorded is not on the server.").arg(p.number)
                         : tr("Part %1 on the server is not the one recorded.").arg(p.number));
            continue;
        }
        keptNumbers.insert(p.number);
        kept.append({p.number, p.etag.isEmpty() ? it->second.etag : p.etag, p.size});
    }
    // A part the server holds that was never recorded (sent, then the process died before
    // writing it down) is adopted when its ETag is the MD5 of the local bytes; any other is
    // sent again, which replaces it.
    QList<Part> candidates;
    for (const auto &[number, part] : server) {
        if (!keptNumbers.contains(number) && part.size == expectedPartSize(number) &&
            !part.etag.isEmpty())
            candidates.append(part);
    }
    if (candidates.isEmpty())
        finishCheck(kept, 0, dropped);
    else
        adoptParts(kept, candidates, dropped);
}

void UploadJob::adoptParts(const QList<UploadedPart> &kept, const QList<Part> &candidates,
                           int dropped)
{
    m_checking = true;
    QPointer<UploadJob> self(this);
    const quint64 generation = m_generation;
    const QString path = localPath();
    const qint64 partSize = m_record.partSize;
    // The hashing reads the file on a pool thread, like the parts themselves.
    QThreadPool::globalInstance()->start([self, generation, path, partSize, kept, candidates,
                                          dropped] {
        QList<UploadedPart> adopted;
        QFile file(path);
        const bool open = file.open(QIODevice::ReadOnly);
        for (const Part &p : candidates) {
            if (!open)
                break;
            const QByteArray md5 = md5Of(file, qint64(p.number - 1) * partSize, p.size);
            if (!md5.isEmpty() && md5 == plainEtag(p.etag))
                adopted.append({p.number, p.etag, p.size});
        }
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, generation, kept, adopted, dropped] {
                if (!self || generation != self->m_generation)
                    return;
                self->m_checking = false;
                QList<UploadedPart> parts = kept;
                for (const UploadedPart &p : adopted) {
                    parts.append(p);
                    self->logEvent(
                        UploadJob::tr("Part %1 was already on the server; not sending it again.")
                            .arg(p.number));
                }
                self->finishCheck(parts, int(adopted.size()), dropped);
            },
            Qt::QueuedConnection);
    });
}

void UploadJob::finishCheck(const QList<UploadedPart> &parts, int adopted, int dropped)
{
    // Also a record with duplicates or numbers past the end comes out shorter.
    const bool changed = adopted > 0 || dropped > 0 || parts.size() != m_record.parts.size();
    m_record.parts = parts;
    std::sort(m_record.parts.begin(), m_record.parts.end(),
              [](const UploadedPart &a, const UploadedPart &b) { return a.number < b.number; });
    if (changed) {
        // Rewritten in order on the storage thread: the rows end up as the list is now.
        m_env.storage->clearParts(m_record.id);
        for (const UploadedPart &p : std::as_const(m_record.parts))
            m_env.storage->savePart(m_record.id, p);
    }
    const int count = partCount();
    logEvent(tr("Resuming: the server holds %1 of %2 parts (%3 found unrecorded); %4 to send.")
                 .arg(m_record.parts.size())
                 .arg(count)
                 .arg(adopted)
                 .arg(count - int(m_record.parts.size())));
    fillParts();
}

void UploadJob::restartUpload(const QString &why)
{
    const QString id = m_record.uploadId;
    stopRequests();
    if (!m_record.parts.isEmpty() && int(m_record.parts.size()) == partCount() && !id.isEmpty()) {
        // Every part was recorded: the completion may have reached the server just before the
        // process died. An object whose ETag is the one these parts make is that upload.
        Reply *r = m_clients(m_record.account)->headObject(bucket(), key());
        m_control = r;
        const quint64 generation = m_generation;
        connect(r, &Reply::finished, this, [this, r, generation, why] {
            if (generation != m_generation)
                return;
            m_control.clear();
            QList<UploadedPart> parts = m_record.parts;
            std::sort(parts.begin(), parts.end(), [](const UploadedPart &a, const UploadedPart &b) {
                return a.number < b.number;
            });
            if (!r->error.isError() && r->info.size == m_record.total &&
                plainEtag(r->info.etag) == multipartEtag(parts)) {
                logEvent(tr("The server already completed this upload."));
                m_record.etag = r->info.etag;
                m_record.uploadId.clear();
                m_record.finished = QDateTime::currentDateTimeUtc();
                m_env.storage->clearParts(m_record.id);
                unlock();
                setState(DownloadState::Completed, QString());
                return;
            }
            m_record.parts.clear(); // not that upload: start afresh below
            restartUpload(why);
        });
        return;
    }
    logEvent(
        tr("The server no longer knows upload %1 (%2); starting a fresh upload.").arg(id, why));
    forgetUpload(); // aborts it on the server too, in case it is only hidden from this client
    createUpload();
}

} // namespace ferry::s3
