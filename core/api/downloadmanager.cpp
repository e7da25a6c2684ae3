#include "api/downloadmanager.h"

#include "engine/checksum.h"
#include "engine/dormantjob.h"
#include "engine/downloadjob.h"
#include "engine/requestsigner.h"
#include "engine/filenamesanitizer.h"
#include "engine/hostlimiter.h"
#include "engine/ratelimiter.h"
#include "storage/storage.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace ferry {

QString stateName(DownloadState state)
{
    switch (state) {
    case DownloadState::Queued: return QCoreApplication::translate("ferry", "queued");
    case DownloadState::Downloading: return QCoreApplication::translate("ferry", "downloading");
    case DownloadState::Verifying: return QCoreApplication::translate("ferry", "verifying");
    case DownloadState::Paused: return QCoreApplication::translate("ferry", "paused");
    case DownloadState::Completed: return QCoreApplication::translate("ferry", "completed");
    case DownloadState::Failed: return QCoreApplication::translate("ferry", "failed");
    }
    return {};
}


DownloadManager::DownloadManager(const QString &stateDir, EngineSettings settings, QObject *parent)
    : QObject(parent), m_stateDir(stateDir), m_settings(settings),
      m_hosts(std::make_unique<HostLimiter>(settings.connectionsPerHost)),
      m_globalLimiter(std::make_shared<RateLimiter>())
{
    m_globalLimiter->setRate(settings.globalRateLimit);
    m_clock.start();
    m_ticker.setInterval(tickMs);
    connect(&m_ticker, &QTimer::timeout, this, &DownloadManager::tick);
}

DownloadManager::~DownloadManager()
{
    m_ticker.stop();
    for (auto &[id, j] : m_jobs) {
        j->blockSignals(true); // no rescheduling while shutting down
        j->suspend();
        delete j;
    }
    m_jobs.clear();
}

QString DownloadManager::defaultStateDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + u"/ferry"_s;
}

bool DownloadManager::open(bool resumeUnfinished, QString *error)
{
    if (!QDir().mkpath(m_stateDir)) {
        *error = tr("Cannot create the state folder %1.").arg(m_stateDir);
        return false;
    }
    m_storage = std::make_unique<Storage>(m_stateDir + u"/ferry.sqlite"_s);
    if (!m_storage->open(error))
        return false;
    for (StoredDownload &record : m_storage->loadAll()) {
        // A download that was running when its process died is simply queued again.
        if (record.state == DownloadState::Downloading || record.state == DownloadState::Verifying) {
            record.state = DownloadState::Queued;
            m_recovered.append(record.id);
        }
        createJob(record, {});
        if (!resumeUnfinished && record.state == DownloadState::Queued)
            m_held.insert(record.id); // stays queued, but waits until asked for

    }
    m_ticker.start();
    schedule();
    return true;
}

JobEnvironment DownloadManager::environment()
{
    JobEnvironment env;
    env.storage = m_storage.get();
    env.hosts = m_hosts.get();
    env.globalLimiter = m_globalLimiter;
    env.settings = &m_settings;
    env.lockDir = m_stateDir + u"/locks"_s;
    env.clock = [this] { return m_clock.elapsed(); };
    env.pathTaken = [this](const QString &p, DownloadId self) { return pathTaken(p, self); };
    return env;
}

TransferJob *DownloadManager::createJob(const StoredDownload &record, const HeaderList &secrets)
{
    TransferJob *j = nullptr;
    if (record.kind == TransferKind::Download) {
        auto *d = new DownloadJob(record, secrets, environment(), this);
        if (!record.account.isEmpty() && m_signers.contains(record.account))
            d->setSigner(m_signers.value(record.account)(record.source, record.url));
        j = d;
    } else if (const auto it = m_factories.find(record.kind); it != m_factories.end()) {
        j = it->second(record, environment(), this);
    }
    if (!j)
        j = new DormantJob(record, this);
    connect(j, &TransferJob::stateChanged, this, [this](DownloadId id, DownloadState state) {
        m_dirty.insert(id);
        emit stateChanged(id, state);
        schedule();
    });
    m_jobs[record.id] = j;
    return j;
}

TransferJob *DownloadManager::job(DownloadId id) const
{
    const auto it = m_jobs.find(id);
    return it == m_jobs.end() ? nullptr : it->second;
}

void DownloadManager::setSignerFactory(const QString &account, SignerFactory factory)
{
    m_signers.insert(account, factory);
    for (auto &[id, j] : m_jobs) {
        if (j->record().account != account)
            continue;
        if (auto *d = qobject_cast<DownloadJob *>(j))
            d->setSigner(factory(d->record().source, d->record().url));
        if (j->waitingForCredentials() && j->state() == DownloadState::Paused)
            j->enqueue();
    }
    schedule();
}

void DownloadManager::setJobFactory(TransferKind kind, JobFactory factory)
{
    m_factories[kind] = std::move(factory);
}

DownloadId DownloadManager::addTransfer(StoredDownload record, QString *error)
{
    if (!m_storage || m_factories.find(record.kind) == m_factories.end()) {
        *error = tr("This kind of transfer is not available here.");
        return 0;
    }
    record.added = QDateTime::currentDateTimeUtc();
    record.id = m_storage->insert(record);
    if (record.id == 0) {
        *error = tr("Could not record the transfer in %1.").arg(m_storage->path());
        return 0;
    }
    createJob(record, {});
    m_dirty.insert(record.id);
    emit downloadAdded(record.id);
    schedule();
    return record.id;
}

bool DownloadManager::pathTaken(const QString &path, DownloadId self) const
{
    for (const auto &[id, j] : m_jobs) {
        if (id == self || j->state() == DownloadState::Completed)
            continue;
        const QString part = j->record().partPath;
        if (!part.isEmpty() && part.chopped(5) == path)
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
    if (request.connections < 1 || request.connections > 32) {
        *error = tr("Connections must be between 1 and 32, got %1.").arg(request.connections);
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

    for (const auto &[id, t] : m_jobs) {
        auto *j = qobject_cast<DownloadJob *>(t);
        if (!j)
            continue;
        const StoredDownload &r = j->record();
        if (r.state == DownloadState::Completed || r.url != storedUrl || r.directory != dir)
            continue;
        if (!fileName.isEmpty() && r.nameFromUser && r.fileName != fileName)
            continue;
        // The same URL again: carry on with the existing download instead of a second copy.
        if (!secrets.isEmpty())
            j->setSecrets(secrets);
        if (!request.startPaused)
            resume(id);
        return id;
    }

    StoredDownload record;
    record.url = storedUrl;
    record.directory = dir;
    record.fileName = fileName;
    record.nameFromUser = !fileName.isEmpty();
    record.connections = request.connections;
    record.rateLimit = request.rateLimit;
    record.checksum = request.checksum;
    record.needsSecrets = !secrets.isEmpty();
    record.priority = request.priority;
    record.account = request.account;
    record.source = request.source;
    record.added = QDateTime::currentDateTimeUtc();
    record.state = request.startPaused ? DownloadState::Paused : DownloadState::Queued;
    record.id = m_storage->insert(record);
    if (record.id == 0) {
        *error = tr("Could not record the download in %1.").arg(m_storage->path());
        return 0;
    }
    createJob(record, secrets);
    m_dirty.insert(record.id);
    emit downloadAdded(record.id);
    schedule();
    return record.id;
}

void DownloadManager::pause(DownloadId id)
{
    if (TransferJob *j = job(id); j && j->state() != DownloadState::Completed)
        j->pause();
}

void DownloadManager::resume(DownloadId id)
{
    m_held.remove(id);
    if (TransferJob *j = job(id))
        j->enqueue(); // the scheduler starts it when a slot is free
    schedule();
}

bool DownloadManager::remove(DownloadId id, bool deleteFile)
{
    TransferJob *j = job(id);
    if (!j)
        return false;
    j->discard(deleteFile);
    m_storage->remove(id);
    m_jobs.erase(id);
    m_dirty.remove(id);
    m_held.remove(id);
    disconnect(j, &TransferJob::stateChanged, this, nullptr);
    const bool pending = j->discardPending();
    if (pending) {
        // Out of the queue already, the job lives on until the server has answered its abort.
        connect(j, &TransferJob::discardFinished, this, [this, j](DownloadId done, bool ok, const QString &message) {
            j->deleteLater();
            emit transferDiscarded(done, ok, message);
        });
    } else {
        delete j;
    }
    emit downloadRemoved(id);
    schedule();
    if (!pending)
        emit transferDiscarded(id, true, {});
    return true;
}

void DownloadManager::pauseAll()
{
    for (auto &[id, j] : m_jobs) {
        if (j->state() != DownloadState::Completed && j->state() != DownloadState::Failed)
            j->pause();
    }
}

void DownloadManager::setPriority(DownloadId id, int priority)
{
    if (TransferJob *j = job(id))
        j->setPriority(priority);
    schedule();
}

void DownloadManager::setRateLimit(DownloadId id, qint64 bytesPerSecond)
{
    if (TransferJob *j = job(id))
        j->setRateLimit(bytesPerSecond);
}

void DownloadManager::setGlobalRateLimit(qint64 bytesPerSecond)
{
    m_settings.globalRateLimit = bytesPerSecond;
    m_globalLimiter->setRate(bytesPerSecond);
}

void DownloadManager::setMaxConcurrentDownloads(int count)
{
    m_settings.maxConcurrentDownloads = qMax(1, count);
    schedule();
}

void DownloadManager::setConnectionsPerHost(int count)
{
    m_settings.connectionsPerHost = qMax(1, count);
    m_hosts->setDefaultCap(count);
}

void DownloadManager::schedule()
{
    if (m_scheduling)
        return;
    m_scheduling = true;
    int running = 0;
    for (const auto &[id, j] : m_jobs)
        running += j->isActive() ? 1 : 0;
    while (running < m_settings.maxConcurrentDownloads) {
        TransferJob *next = nullptr;
        for (const auto &[id, j] : m_jobs) {
            if (j->state() != DownloadState::Queued || m_held.contains(id))
                continue;
            if (!next || j->record().priority > next->record().priority)
                next = j;
        }
        if (!next)
            break;
        next->start(); // leaves Queued either way (running, or paused with a reason)
        if (next->isActive())
            ++running;
    }
    m_scheduling = false;
}

void DownloadManager::tick()
{
    QList<DownloadSnapshot> changed;
    for (const auto &[id, j] : m_jobs) {
        const bool wasActive = j->isActive();
        j->tick();
        if (wasActive || j->isActive() || m_dirty.contains(id))
            changed.append(j->snapshot());
    }
    m_dirty.clear();
    if (!changed.isEmpty())
        emit snapshotsUpdated(changed);
}

QList<DownloadSnapshot> DownloadManager::snapshots() const
{
    QList<DownloadSnapshot> all;
    for (const auto &[id, j] : m_jobs)
        all.append(j->snapshot());
    return all;
}

std::optional<DownloadSnapshot> DownloadManager::snapshot(DownloadId id) const
{
    if (TransferJob *j = job(id))
        return j->snapshot();
    return std::nullopt;
}

DownloadManager::Totals DownloadManager::totals() const
{
    Totals t;
    for (const auto &[id, j] : m_jobs) {
        if (j->isActive()) {
            ++t.active;
            t.speed += j->speed();
        } else if (j->state() == DownloadState::Queued && !m_held.contains(id)) {
            ++t.queued;
        }
    }
    return t;
}

QList<DownloadEvent> DownloadManager::events(DownloadId id) const
{
    if (TransferJob *j = job(id))
        return j->events();
    return {};
}

void DownloadManager::flush()
{
    if (m_storage)
        m_storage->flush();
}

} // namespace ferry
