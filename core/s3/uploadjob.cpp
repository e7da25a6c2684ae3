#include "s3/uploadjob.h"

#include "engine/ratelimiter.h"
#include "s3/s3client.h"
#include "storage/storage.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QThreadPool>

using namespace Qt::StringLiterals;

namespace ferry::s3 {

namespace {

// "s3://bucket/key" -> bucket, key
std::pair<QString, QString> splitS3Uri(const QString &uri)
{
    const QString rest = uri.mid(5);
    const qsizetype slash = rest.indexOf(u'/');
    if (!uri.startsWith(u"s3://"_s) || slash <= 0)
        return {};
    return {rest.left(slash), rest.mid(slash + 1)};
}

QString mtimeOf(const QFileInfo &info)
{
    return info.lastModified().toUTC().toString(Qt::ISODateWithMs);
}

} // namespace

UploadJob::UploadJob(StoredDownload record, JobEnvironment env, ClientProvider clients, QObject *parent)
    : TransferJob(std::move(record), std::move(env), parent), m_clients(std::move(clients)),
      m_limiter(std::make_shared<RateLimiter>()), m_backoff(BackoffPolicy{1000, 30000, 6})
{
    m_limiter->setRate(m_record.rateLimit);
}

UploadJob::~UploadJob()
{
    stopRequests();
}

qint64 UploadJob::partSizeFor(qint64 fileSize, qint64 minimum)
{
    constexpr qint64 mib = 1024 * 1024;
    constexpr qint64 maxParts = 10000;
    qint64 size = qMax(minimum, 5 * mib);
    if (fileSize > size * maxParts)
        size = ((fileSize + maxParts - 1) / maxParts + mib - 1) / mib * mib;
    return size;
}

QString UploadJob::localPath() const
{
    return QDir(m_record.directory).filePath(m_record.fileName);
}

QString UploadJob::bucket() const
{
    return splitS3Uri(m_record.source).first;
}

QString UploadJob::key() const
{
    return splitS3Uri(m_record.source).second;
}

int UploadJob::partCount() const
{
    if (m_record.partSize <= 0 || m_record.total <= 0)
        return 0;
    return int((m_record.total + m_record.partSize - 1) / m_record.partSize);
}

bool UploadJob::partConfirmed(int number) const
{
    return std::any_of(m_record.parts.begin(), m_record.parts.end(), [number](const UploadedPart &p) { return p.number == number; });
}

qint64 UploadJob::bytesDone() const
{
    if (m_record.state == DownloadState::Completed)
        return qMax<qint64>(0, m_record.total);
    qint64 done = 0;
    for (const UploadedPart &p : m_record.parts)
        done += p.size;
    for (const auto &[n, f] : m_inFlight)
        done += f.sent;
    return done;
}

bool UploadJob::sourceUnchanged(QString *why) const
{
    const QFileInfo info(localPath());
    if (!info.isFile()) {
        *why = tr("The file %1 is gone.").arg(localPath());
        return false;
    }
    if (info.size() != m_record.total || (!m_record.lastModified.isEmpty() && mtimeOf(info) != m_record.lastModified)) {
        *why = tr("The file %1 changed since the upload began.").arg(localPath());
        return false;
    }
    return true;
}

void UploadJob::start()
{
    if (isActive() || state() == DownloadState::Completed)
        return;
    Client *client = m_clients ? m_clients(m_record.account) : nullptr;
    m_waitingForCredentials = !client;
    if (!client) {
        setState(DownloadState::Paused, tr("Waiting for the credentials of this S3 account: open the account, then resume."));
        return;
    }
    QString owner;
    if (!lock(&owner)) {
        m_record.state = DownloadState::Paused;
        m_record.message = tr("Another Ferry process (pid %1) is running this transfer.").arg(owner);
        emit stateChanged(id(), state());
        return;
    }

    const QFileInfo info(localPath());
    if (!info.isFile() || !info.isReadable()) {
        fail(tr("Cannot read %1.").arg(localPath()));
        return;
    }
    QString why;
    if (m_record.total >= 0 && !m_record.uploadId.isEmpty() && !sourceUnchanged(&why)) {
        // Parts of the old content must not be mixed with the new one.
        logEvent(why + u' ' + tr("Starting the upload again."));
        forgetUpload();
    }
    m_record.total = info.size();
    m_record.lastModified = mtimeOf(info);
    m_failures.clear();
    m_notBeforeMs.clear();
    resetSpeed();
    setState(DownloadState::Downloading, QString());
    if (m_record.total < multipartThreshold)
        putWhole();
    else if (m_record.uploadId.isEmpty())
        createUpload();
    else
        checkServerParts();
}

void UploadJob::putWhole()
{
    QFile f(localPath());
    if (!f.open(QIODevice::ReadOnly)) {
        fail(tr("Cannot read %1: %2").arg(localPath(), f.errorString()));
        return;
    }
    const QByteArray data = f.readAll(); // below the multipart threshold: bounded
    if (data.size() != m_record.total) {
        fail(tr("The file %1 changed while it was read.").arg(localPath()));
        return;
    }
    Reply *r = m_clients(m_record.account)->putObject(bucket(), key(), data, {}, limiters());
    m_control = r;
    m_inFlight[1] = {r, 0, data.size(), true};
    const quint64 generation = m_generation;
    connect(r, &Reply::progress, this, [this, generation](qint64 sent, qint64) {
        if (generation == m_generation && m_inFlight.count(1))
            m_inFlight[1].sent = sent;
    });
    connect(r, &Reply::finished, this, [this, r, generation] {
        if (generation != m_generation)
            return;
        m_control.clear();
        m_inFlight.erase(1);
        if (r->error.isError()) {
            onPartFailed(0, r->error.message, r->error.retryable(), false, r->error.retryAfter());
            return;
        }
        m_record.etag = r->etag;
        m_record.finished = QDateTime::currentDateTimeUtc();
        unlock();
        setState(DownloadState::Completed, QString());
    });
}

void UploadJob::createUpload()
{
    Reply *r = m_clients(m_record.account)->createMultipartUpload(bucket(), key());
    m_control = r;
    const quint64 generation = m_generation;
    connect(r, &Reply::finished, this, [this, r, generation] {
        if (generation != m_generation)
            return;
        m_control.clear();
        if (r->error.isError() || r->uploadId.isEmpty()) {
            onPartFailed(0, r->error.isError() ? r->error.message : tr("The server did not start the upload."),
                         r->error.retryable(), false, r->error.retryAfter());
            return;
        }
        m_record.uploadId = r->uploadId;
        m_record.partSize = partSizeFor(m_record.total);
        m_record.parts.clear();
        m_env.storage->clearParts(m_record.id);
        save();
        // The id is on disk before any part goes out: a crash after this point leaves an
        // upload a restart can find again, never one only the server knows.
        m_env.storage->flush();
        logEvent(tr("Multipart upload started: %1 parts of %2 bytes.").arg(partCount()).arg(m_record.partSize));
        fillParts();
    });
}

void UploadJob::fillParts()
{
    if (state() != DownloadState::Downloading || m_control || m_checking || m_record.uploadId.isEmpty())
        return;
    const int count = partCount();
    if (count > 0 && int(m_record.parts.size()) >= count && m_inFlight.empty()) {
        if (!m_notBeforeMs.count(-1)) // a failed completion waits for its retry time
            completeUpload();
        return;
    }
    const qint64 nowMs = now();
    for (int n = 1; n <= count && int(m_inFlight.size()) < parallelParts; ++n) {
        if (partConfirmed(n) || m_inFlight.count(n))
            continue;
        if (const auto it = m_notBeforeMs.find(n); it != m_notBeforeMs.end() && it->second > nowMs)
            continue;
        readPart(n);
    }
}

void UploadJob::readPart(int number)
{
    const qint64 offset = qint64(number - 1) * m_record.partSize;
    const qint64 size = qMin(m_record.partSize, m_record.total - offset);
    m_inFlight[number] = {nullptr, 0, size};
    // The read happens on a pool thread; the result comes back through the application
    // object, where the guard can be checked safely on this thread.
    QPointer<UploadJob> self(this);
    const quint64 generation = m_generation;
    const QString path = localPath();
    QThreadPool::globalInstance()->start([self, generation, path, offset, size, number] {
        QByteArray data;
        QString error;
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly) || !f.seek(offset))
            error = f.errorString();
        else if ((data = f.read(size)).size() != size)
            error = QCoreApplication::translate("ferry", "short read");
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, generation, number, data, error] {
            if (!self || generation != self->m_generation)
                return;
            if (!error.isEmpty()) {
                self->m_inFlight.erase(number);
                self->fail(UploadJob::tr("Cannot read %1: %2").arg(self->localPath(), error));
                return;
            }
            self->sendPart(number, data);
        }, Qt::QueuedConnection);
    });
}

void UploadJob::sendPart(int number, const QByteArray &data)
{
    Reply *r = m_clients(m_record.account)->uploadPart(bucket(), key(), m_record.uploadId, number, data, limiters());
    m_inFlight[number].reply = r;
    m_inFlight[number].requested = true;
    const quint64 generation = m_generation;
    const qint64 size = data.size();
    connect(r, &Reply::progress, this, [this, generation, number](qint64 sent, qint64) {
        if (generation == m_generation && m_inFlight.count(number))
            m_inFlight[number].sent = sent;
    });
    connect(r, &Reply::finished, this, [this, r, generation, number, size] {
        if (generation != m_generation)
            return;
        m_inFlight.erase(number);
        if (r->error.isError()) {
            onPartFailed(number, r->error.message, r->error.retryable(), uploadGone(r->error), r->error.retryAfter());
            return;
        }
        const UploadedPart part{number, r->etag, size};
        m_record.parts.append(part);
        m_env.storage->savePart(m_record.id, part);
        m_failures.erase(number);
        fillParts();
    });
}

void UploadJob::onPartFailed(int number, const QString &message, bool retryable, bool uploadGone,
                             std::optional<qint64> retryAfterMs)
{
    if (uploadGone) {
        // Aborted or expired on the server: the confirmed parts are gone with it.
        restartUpload(message);
        return;
    }
    const int attempt = m_failures[number]++;
    if (!retryable || m_backoff.exhausted(attempt)) {
        fail(message);
        return;
    }
    const qint64 delay = m_backoff.delayMs(attempt, retryAfterMs);
    logEvent(tr("%1 Retrying in %2 s.").arg(message).arg((delay + 999) / 1000));
    m_notBeforeMs[number] = now() + delay;
    if (number == 0) {
        // The control request itself failed; tick() starts it again when due.
        m_control.clear();
    }
}

void UploadJob::completeUpload()
{
    QList<Part> parts;
    for (const UploadedPart &p : m_record.parts)
        parts.append({p.number, p.etag, p.size});
    std::sort(parts.begin(), parts.end(), [](const Part &a, const Part &b) { return a.number < b.number; });
    setState(DownloadState::Verifying, QString());
    Reply *r = m_clients(m_record.account)->completeMultipartUpload(bucket(), key(), m_record.uploadId, parts);
    m_control = r;
    const quint64 generation = m_generation;
    connect(r, &Reply::finished, this, [this, r, generation] {
        if (generation != m_generation)
            return;
        m_control.clear();
        if (r->error.isError()) {
            if (uploadGone(r->error)) {
                m_record.state = DownloadState::Downloading;
                onPartFailed(0, r->error.message, false, true);
                return;
            }
            m_record.state = DownloadState::Downloading;
            onPartFailed(-1, r->error.message, r->error.retryable(), false, r->error.retryAfter());
            return;
        }
        m_record.etag = r->etag;
        m_record.uploadId.clear();
        m_record.finished = QDateTime::currentDateTimeUtc();
        m_env.storage->clearParts(m_record.id);
        unlock();
        setState(DownloadState::Completed, QString());
    });
}

void UploadJob::tick()
{
    const qint64 nowMs = now();
    measureSpeed(bytesDone());
    // A request whose client went away (the account was opened again) never reports back:
    // forget it and send it again.
    if (state() == DownloadState::Verifying && !m_control) {
        m_record.state = DownloadState::Downloading;
        completeUpload();
        return;
    }
    if (state() != DownloadState::Downloading || m_control || m_checking)
        return;
    for (auto it = m_inFlight.begin(); it != m_inFlight.end();) {
        if (it->second.requested && !it->second.reply) {
            m_notBeforeMs[it->first == 1 && m_record.uploadId.isEmpty() ? 0 : it->first] = nowMs;
            it = m_inFlight.erase(it);
        } else {
            ++it;
        }
    }
    // Retries that are due.
    if (m_notBeforeMs.count(0)) {
        if (m_notBeforeMs[0] > nowMs)
            return;
        m_notBeforeMs.erase(0);
        if (m_record.total < multipartThreshold)
            putWhole();
        else
            createUpload();
        return;
    }
    if (m_notBeforeMs.count(-1) && m_notBeforeMs[-1] <= nowMs) {
        m_notBeforeMs.erase(-1);
        completeUpload();
        return;
    }
    if (m_notBeforeMs.count(-2)) {
        if (m_notBeforeMs[-2] <= nowMs) {
            m_notBeforeMs.erase(-2);
            checkServerParts();
        }
        return; // nothing is sent before the server's parts are known
    }
    if (m_record.total >= multipartThreshold && m_record.uploadId.isEmpty()) {
        createUpload(); // the create request itself was lost
        return;
    }
    fillParts();
}

void UploadJob::stopRequests()
{
    ++m_generation;
    m_checking = false;
    std::map<int, InFlight> inFlight;
    inFlight.swap(m_inFlight);
    for (auto &[n, f] : inFlight) {
        if (f.reply)
            f.reply->abort();
    }
    if (m_control)
        m_control->abort();
    m_control.clear();
}

void UploadJob::forgetUpload()
{
    if (!m_record.uploadId.isEmpty()) {
        if (Client *c = m_clients ? m_clients(m_record.account) : nullptr)
            c->abortMultipartUpload(bucket(), key(), m_record.uploadId);
    }
    forgetUploadLocally();
}

void UploadJob::forgetUploadLocally()
{
    m_record.uploadId.clear();
    m_record.partSize = 0;
    m_record.parts.clear();
    m_env.storage->clearParts(m_record.id);
    save();
}

void UploadJob::enqueue()
{
    if (state() == DownloadState::Paused || state() == DownloadState::Failed)
        setState(DownloadState::Queued, QString());
}

void UploadJob::pause(const QString &message)
{
    if (state() == DownloadState::Completed)
        return;
    stopRequests();
    unlock();
    setState(DownloadState::Paused, message);
}

void UploadJob::suspend()
{
    stopRequests();
    unlock();
    if (isActive()) {
        m_record.state = DownloadState::Queued;
        save();
    }
}

QString UploadJob::discard(FileRemoval)
{
    stopRequests();
    unlock();
    if (state() == DownloadState::Completed || m_record.uploadId.isEmpty())
        return {};
    // Cancel: the server drops the parts it holds. Until it says so, the parts cost storage,
    // so whoever removed the transfer learns the outcome through discardFinished().
    m_discardPending = true;
    Client *c = m_clients ? m_clients(m_record.account) : nullptr;
    if (!c) {
        QMetaObject::invokeMethod(this, [this] {
            finishDiscard(false, tr("The S3 account of this upload is not open."));
        }, Qt::QueuedConnection);
    } else {
        Reply *r = c->abortMultipartUpload(bucket(), key(), m_record.uploadId);
        connect(r, &Reply::finished, this, [this, r] {
            // Gone already (completed elsewhere, expired, aborted before): nothing is left.
            const bool gone = !r->error.isError() || uploadGone(r->error);
            finishDiscard(gone, gone ? QString() : r->error.message);
        });
        // The client goes away with its requests when its account is closed.
        connect(r, &QObject::destroyed, this, [this] {
            finishDiscard(false, tr("The S3 account was closed before the server answered."));
        });
    }
    forgetUploadLocally();
    return {};
}

void UploadJob::finishDiscard(bool ok, const QString &message)
{
    if (!m_discardPending)
        return;
    m_discardPending = false;
    emit discardFinished(id(), ok, message);
}

void UploadJob::setRateLimit(qint64 bytesPerSecond)
{
    m_record.rateLimit = qMax<qint64>(0, bytesPerSecond);
    m_limiter->setRate(m_record.rateLimit); // the bodies in flight ask it for every slice
    save();
}

void UploadJob::setPriority(int priority)
{
    m_record.priority = priority;
    save();
}

void UploadJob::fail(const QString &message)
{
    stopRequests();
    unlock();
    setState(DownloadState::Failed, message);
}

DownloadSnapshot UploadJob::snapshot() const
{
    DownloadSnapshot s = recordSnapshot();
    s.targetPath = localPath();
    s.done = bytesDone();
    s.resumable = true;
    s.lastModified.clear(); // the record keeps the local file's time, not the object's
    s.uploadId = m_record.uploadId;
    s.connections = int(m_inFlight.size());
    s.speed = speed();
    if (s.speed > 0 && s.total > 0)
        s.etaSeconds = (s.total - s.done + s.speed - 1) / s.speed;
    // The segment map shows parts: confirmed, in flight, waiting.
    const int count = partCount();
    if (count > 0 && count <= 2000) {
        for (int n = 1; n <= count; ++n) {
            const qint64 start = qint64(n - 1) * m_record.partSize;
            const qint64 end = qMin(m_record.total, start + m_record.partSize);
            qint64 done = partConfirmed(n) ? end - start : 0;
            bool active = false;
            if (const auto it = m_inFlight.find(n); it != m_inFlight.end()) {
                done = it->second.sent;
                active = true;
            }
            s.segments.append({start, end, done, active, 0});
        }
    } else if (s.total > 0) {
        s.segments.append({0, s.total, s.done, isActive(), s.speed});
    }
    return s;
}

} // namespace ferry::s3
