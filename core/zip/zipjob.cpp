#include "zip/zipjob.h"

#include "engine/filenamesanitizer.h"
#include "engine/partfile.h"
#include "engine/ratelimiter.h"
#include "s3/s3client.h"
#include "storage/storage.h"
#include "zip/bundlejournal.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

using namespace Qt::StringLiterals;

namespace ferry::zip {

namespace {

// How far a bundle got, kept in its record's JSON next to the selection: the journal bytes
// its last checkpoint made valid, and the progress at that point.
struct ResumePoint {
    qint64 journal = -1;
    qint64 done = 0;
    int entries = 0;
};

ResumePoint resumePoint(const QByteArray &extra)
{
    const QJsonObject o = QJsonDocument::fromJson(extra).object()[u"resume"_s].toObject();
    if (o.isEmpty())
        return {};
    return {o[u"journal"_s].toInteger(-1), o[u"done"_s].toInteger(), o[u"entries"_s].toInt()};
}

QByteArray withResumePoint(const QByteArray &extra, const ResumePoint &point)
{
    QJsonObject o = QJsonDocument::fromJson(extra).object();
    if (point.journal < 0) {
        o.remove(u"resume"_s);
    } else {
        QJsonObject r;
        r[u"journal"_s] = point.journal;
        r[u"done"_s] = point.done;
        r[u"entries"_s] = point.entries;
        o[u"resume"_s] = r;
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace

ZipJob::ZipJob(StoredDownload record, const JobEnvironment &env, AccessProvider access, BundlerOptions options,
               QObject *parent)
    : TransferJob(std::move(record), env, parent), m_access(std::move(access)), m_options(options),
      m_limiter(std::make_shared<RateLimiter>())
{
    m_limiter->setRate(m_record.rateLimit);
    if (!BundleSelection::fromJson(m_record.extra, &m_selection, &m_selectionError))
        m_selection = {};
}

ZipJob::~ZipJob()
{
    if (m_thread) {
        // Stop (what was written stays, to continue next time) and give the worker a moment;
        // the thread must not be destroyed while it runs.
        QThread *thread = m_thread;
        stopWorker();
        thread->wait(10000);
    }
}

StoredDownload ZipJob::recordFor(const BundleSelection &selection)
{
    StoredDownload r;
    r.kind = selection.toBucket() ? TransferKind::ZipBucket : TransferKind::ZipLocal;
    r.account = selection.account;
    r.extra = selection.toJson();
    r.connections = BundlerOptions{}.maxRequests;
    // Where the objects come from, for the list's address column (and the row needs one).
    r.url = QUrl(s3::Client::s3Uri(selection.bucket, BundleSelection::commonParent(selection.keys, selection.prefixes)));
    if (selection.toBucket()) {
        r.source = s3::Client::s3Uri(selection.targetBucket, selection.targetKey);
        r.fileName = selection.targetKey.section(u'/', -1);
        r.directory = u""_s; // no local folder, but the column is NOT NULL (an empty, non-null string)
    } else {
        const QFileInfo info(selection.localPath);
        r.directory = info.absolutePath();
        r.fileName = info.fileName();
        r.partPath = info.absoluteFilePath() + u".part"_s;
    }
    return r;
}

QString ZipJob::journalPath() const
{
    return m_env.stateDir.isEmpty() ? QString() : m_env.stateDir + u"/bundles/%1.journal"_s.arg(m_record.id);
}

void ZipJob::start()
{
    if (isActive() || state() == DownloadState::Completed || m_thread)
        return;
    if (m_stopping && !m_stopping->wait(10000)) // the last run must let go of its files first
        return;
    if (!m_selectionError.isEmpty()) {
        setState(DownloadState::Failed, m_selectionError);
        return;
    }
    const std::optional<Access> access = m_access ? m_access(m_selection.account) : std::nullopt;
    m_waitingForCredentials = !access;
    if (!access) {
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
    ResumePoint point = resumePoint(m_record.extra);
    if (const QString archive = finishedUnrecorded(); !archive.isEmpty()) {
        m_done = point.done;
        m_entriesDone = point.entries;
        logEvent(tr("The last run finished the archive %1.").arg(archive));
        onFinished(true, {}, archive);
        return;
    }
    BundleSelection selection = m_selection;
    if (point.journal >= 0 && (!QFileInfo::exists(journalPath())
                               || (!selection.toBucket() && !QFileInfo::exists(m_record.partPath)))) {
        logEvent(tr("What the last run wrote is gone; the bundle starts again from the beginning."));
        point = {};
    }
    if (point.journal >= 0 && !selection.toBucket()) {
        selection.localPath = m_record.targetPath;
    } else if (!selection.toBucket()) {
        // Never replace an existing file: pick "name (1).zip" now, so the .part is named after it.
        const QFileInfo wanted(QDir(m_record.directory).filePath(m_record.fileName));
        const QString path = uniqueFilePath(wanted.absolutePath(), wanted.fileName());
        if (path.isEmpty()) {
            unlock();
            setState(DownloadState::Failed, tr("No free file name for %1.").arg(wanted.absoluteFilePath()));
            return;
        }
        selection.localPath = path;
        m_record.partPath = path + u".part"_s;
        m_record.targetPath = path;
    }
    m_done = point.done;
    m_entriesDone = point.entries;
    m_entriesTotal = 0;
    m_skipped.clear();
    resetSpeed();
    if (point.journal < 0)
        m_record.total = -1;
    m_record.extra = withResumePoint(m_record.extra, point);

    m_thread = new QThread;
    m_thread->setObjectName(u"zip-%1"_s.arg(m_record.id));
    auto *bundler = new ZipBundler(access->account, access->credentials, selection, m_options);
    // Aborted first only when starting anew; otherwise known so that removing the bundle
    // while it resumes still aborts it.
    bundler->setStaleUpload(m_record.uploadId);
    bundler->setJournal(journalPath(), point.journal);
    bundler->setRateLimiters({m_limiter, m_env.globalLimiter});
    bundler->moveToThread(m_thread);
    m_bundler = bundler;
    QThread *thread = m_thread;
    // Whatever way the bundler ends, the thread quits and both are deleted on their own, so a
    // job removed meanwhile does not have to wait for an upload's abort to come back.
    connect(bundler, &ZipBundler::finished, thread, &QThread::quit, Qt::DirectConnection);
    connect(bundler, &ZipBundler::stopped, thread, &QThread::quit, Qt::DirectConnection);
    connect(thread, &QThread::finished, bundler, &QObject::deleteLater);
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    connect(bundler, &ZipBundler::listed, this, [this](qint64 bytes, int entries) {
        m_record.total = bytes;
        m_entriesTotal = entries;
        logEvent(tr("%n object(s) to bundle.", nullptr, entries));
    });
    connect(bundler, &ZipBundler::progress, this, [this](qint64 bytes, int entries) {
        m_done = bytes;
        m_entriesDone = entries;
    });
    connect(bundler, &ZipBundler::note, this, &ZipJob::logEvent);
    connect(bundler, &ZipBundler::skipped, this, [this](const QString &key, const QString &reason) {
        m_skipped.append({key, reason});
    });
    connect(bundler, &ZipBundler::uploadStarted, this, [this](const QString &uploadId) {
        // Also in the journal; here so the upload can be aborted when the bundle is removed.
        m_record.uploadId = uploadId;
        save();
    });
    connect(bundler, &ZipBundler::checkpointed, this, [this](qint64 journal, qint64 done, int entries) {
        m_record.extra = withResumePoint(m_record.extra, {journal, done, entries});
        save();
    });
    connect(bundler, &ZipBundler::journalSynced, this, [this](qint64 journal) {
        ResumePoint point = resumePoint(m_record.extra);
        point.journal = journal;
        m_record.extra = withResumePoint(m_record.extra, point);
        save();
    });
    connect(bundler, &ZipBundler::finished, this, &ZipJob::onFinished);
    thread->start();
    QMetaObject::invokeMethod(bundler, &ZipBundler::start, Qt::QueuedConnection);
    setState(DownloadState::Downloading, QString());
}

QString ZipJob::finishedUnrecorded() const
{
    if (m_selection.toBucket() || m_record.targetPath.isEmpty())
        return {};
    const std::optional<BundleJournal::Completion> done = BundleJournal::completionIn(journalPath());
    if (!done || done->path != m_record.targetPath || !PartFile::matches(done->path, done->identity)
        || QFileInfo(done->path).size() != done->size)
        return {};
    return done->path;
}

void ZipJob::onFinished(bool ok, const QString &message, const QString &result)
{
    m_thread = nullptr;
    m_bundler.clear();
    unlock();
    if (!ok) {
        // What the last checkpoint covers stays (the .part or the upload, and the journal):
        // resuming continues from there.
        if (!QFileInfo::exists(journalPath()))
            m_record.extra = withResumePoint(m_record.extra, {});
        setState(DownloadState::Failed, message);
        return;
    }
    m_record.uploadId.clear();
    m_record.extra = withResumePoint(m_record.extra, {});
    m_done = qMax<qint64>(m_done, m_record.total);
    m_record.finished = QDateTime::currentDateTimeUtc();
    QString note;
    if (!m_skipped.isEmpty()) {
        QStringList lines;
        for (const auto &[key, reason] : std::as_const(m_skipped))
            lines.append(u"%1 (%2)"_s.arg(key, reason));
        note = tr("%n object(s) left out: %1", nullptr, int(m_skipped.size())).arg(lines.join(u"; "_s));
    }
    if (m_selection.toBucket()) {
        m_shareLink = result;
        setState(DownloadState::Completed, note.isEmpty() ? result : note + u' ' + result);
    } else {
        m_record.targetPath = result;
        m_record.partPath.clear();
        setState(DownloadState::Completed, note.isEmpty() ? QString() : note);
    }
    // Only once the record says Completed (setState() saved it): until then the journal is
    // what tells a finished archive from one to make again.
    if (!journalPath().isEmpty())
        QFile::remove(journalPath());
    if (m_selection.toBucket())
        emit shareLinkReady(id(), result);
}

void ZipJob::stopWorker(bool cancel)
{
    if (!m_thread)
        return;
    if (ZipBundler *b = m_bundler.data()) {
        disconnect(b, nullptr, this, nullptr);
        QMetaObject::invokeMethod(b, cancel ? &ZipBundler::cancel : &ZipBundler::stop, Qt::QueuedConnection);
    }
    m_stopping = m_thread;
    m_thread = nullptr;
    m_bundler.clear();
    resetSpeed();
    unlock();
    if (cancel) {
        m_record.uploadId.clear();
        m_record.extra = withResumePoint(m_record.extra, {});
    }
}

void ZipJob::removeLeftovers()
{
    if (!journalPath().isEmpty())
        QFile::remove(journalPath());
    m_record.extra = withResumePoint(m_record.extra, {});
    if (!m_selection.toBucket()) {
        if (state() != DownloadState::Completed && !m_record.partPath.isEmpty())
            QFile::remove(m_record.partPath);
        return;
    }
    const QString uploadId = m_record.uploadId;
    m_record.uploadId.clear();
    if (uploadId.isEmpty())
        return;
    const std::optional<Access> access = m_access ? m_access(m_selection.account) : std::nullopt;
    if (!access) {
        logEvent(tr("The unfinished upload %1 stays on the server (its account is not open); abort it under Unfinished Uploads.").arg(uploadId));
        return;
    }
    // A bundle that is not running still has parts on the server: a short-lived worker aborts
    // the upload.
    auto *thread = new QThread;
    thread->setObjectName(u"zip-abort-%1"_s.arg(m_record.id));
    auto *bundler = new ZipBundler(access->account, access->credentials, m_selection, m_options);
    bundler->setStaleUpload(uploadId);
    bundler->moveToThread(thread);
    connect(bundler, &ZipBundler::stopped, thread, &QThread::quit, Qt::DirectConnection);
    connect(thread, &QThread::finished, bundler, &QObject::deleteLater);
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    m_discardPending = true;
    connect(bundler, &ZipBundler::stopped, this, [this] {
        m_discardPending = false;
        emit discardFinished(id(), true, {});
    });
    thread->start();
    QMetaObject::invokeMethod(bundler, &ZipBundler::cancel, Qt::QueuedConnection);
}

void ZipJob::enqueue()
{
    if (state() == DownloadState::Paused || state() == DownloadState::Failed)
        setState(DownloadState::Queued, QString());
}

void ZipJob::pause(const QString &message)
{
    if (state() == DownloadState::Completed)
        return;
    stopWorker();
    setState(DownloadState::Paused, message);
}

void ZipJob::suspend()
{
    stopWorker();
    if (isActive()) {
        m_record.state = DownloadState::Queued;
        save();
    }
}

QString ZipJob::discard(FileRemoval finished)
{
    if (m_thread) {
        stopWorker(true);
    } else if (state() != DownloadState::Completed) {
        removeLeftovers();
    }
    if (finished == FileRemoval::Keep || state() != DownloadState::Completed || m_selection.toBucket()
        || m_record.targetPath.isEmpty())
        return {};
    QFile archive(m_record.targetPath);
    if (finished == FileRemoval::Delete) {
        archive.remove();
        return {};
    }
    if (!archive.exists() || archive.moveToTrash())
        return {};
    return tr("%1 could not be moved to the trash (%2); the file was kept.").arg(m_record.targetPath, archive.errorString());
}

void ZipJob::setRateLimit(qint64 bytesPerSecond)
{
    m_record.rateLimit = qMax<qint64>(0, bytesPerSecond);
    m_limiter->setRate(m_record.rateLimit); // thread-safe: the running worker sees it at once
    save();
}

void ZipJob::setPriority(int priority)
{
    m_record.priority = priority;
    save();
}

void ZipJob::tick()
{
    measureSpeed(m_done);
}

DownloadSnapshot ZipJob::snapshot() const
{
    DownloadSnapshot s = recordSnapshot();
    s.targetPath = m_selection.toBucket() ? QString() : (m_record.targetPath.isEmpty() ? m_selection.localPath : m_record.targetPath);
    // Progress counts the selected objects' bytes read into the archive; a finished bundle
    // loaded from the database has read them all.
    s.done = m_record.state == DownloadState::Completed ? qMax<qint64>(m_done, m_record.total) : m_done;
    s.resumable = true;
    s.connections = isActive() ? m_options.maxRequests : 0;
    s.speed = speed();
    if (s.speed > 0 && s.total > 0)
        s.etaSeconds = qMax<qint64>(0, s.total - s.done + s.speed - 1) / s.speed;
    s.entriesDone = m_record.state == DownloadState::Completed ? qMax(m_entriesDone, m_entriesTotal) : m_entriesDone;
    s.entriesTotal = m_entriesTotal;
    if (s.total > 0)
        s.segments.append({0, s.total, s.done, isActive(), s.speed});
    return s;
}

} // namespace ferry::zip
