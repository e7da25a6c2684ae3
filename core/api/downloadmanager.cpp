#include "api/downloadmanager.h"

#include "api/secretvault.h"
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
    if (m_vault)
        m_vault->setStateDir(m_stateDir);
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
        m_lastSeenId = qMax(m_lastSeenId, record.id);

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
    connect(j, &TransferJob::stateChanged, this, [this, j](DownloadId id, DownloadState state) {
        if (state == DownloadState::Completed && j->record().needsSecrets)
            forgetSecrets(id);
        m_dirty.insert(id);
        emit stateChanged(id, state);
        schedule();
    });
    connect(j, &TransferJob::removedElsewhere, this, &DownloadManager::forget);
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

    for (;;) {
        // The same URL again: carry on with the existing download instead of a second copy, with
        // what this request gives. Whatever it leaves unset (a `get URL` without -s after one with
        // -s 4) keeps the value given before.
        // Unless the user asked for a second copy of it (`evenIfPresent`).
        for (DownloadId id; !request.evenIfPresent && (id = existing(storedUrl, dir, fileName)) != 0;) {
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
        record.added = QDateTime::currentDateTimeUtc();
        record.state = request.startPaused ? DownloadState::Paused : DownloadState::Queued;
        record.id = m_storage->insert(record);
        if (record.id == 0) {
            *error = tr("Could not record the download in %1.").arg(m_storage->path());
            return 0;
        }
        if (std::optional<StoredDownload> other = request.evenIfPresent
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

DownloadManager::Change DownloadManager::change(DownloadId id, const std::function<void(TransferJob *)> &apply,
                                                QString *owner)
{
    TransferJob *j = job(id);
    if (!j)
        return Change::Gone;
    auto *d = qobject_cast<DownloadJob *>(j);
    if (!d || d->isActive()) {
        apply(j);
        return Change::Done;
    }
    // Nothing starts while the lock is borrowed for the change; the queue moves on afterwards.
    const bool wasScheduling = std::exchange(m_scheduling, true);
    QString holder;
    const DownloadJob::Claim claim = d->claim(&holder);
    if (claim == DownloadJob::Claim::Held) {
        apply(d);
        d->releaseClaim();
    }
    m_scheduling = wasScheduling;
    if (owner)
        *owner = holder;
    switch (claim) {
    case DownloadJob::Claim::Held:
        m_dirty.insert(id);
        schedule();
        return Change::Done;
    case DownloadJob::Claim::Busy:
        return Change::RunElsewhere;
    case DownloadJob::Claim::Gone:
        forget(id);
        return Change::Gone;
    }
    return Change::Gone;
}

void DownloadManager::forget(DownloadId id)
{
    TransferJob *j = job(id);
    if (!j)
        return;
    m_jobs.erase(id);
    m_dirty.remove(id);
    m_held.remove(id);
    m_awaitingSecrets.remove(id);
    disconnect(j, nullptr, this, nullptr);
    j->deleteLater(); // it may be inside its own start()
    emit downloadRemoved(id);
    schedule();
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

DownloadManager::Change DownloadManager::pause(DownloadId id)
{
    QString owner;
    const Change outcome = change(id, [](TransferJob *j) {
        if (j->state() != DownloadState::Completed)
            j->pause();
    }, &owner);
    if (outcome == Change::RunElsewhere) {
        if (auto *j = qobject_cast<DownloadJob *>(job(id)); j && j->state() != DownloadState::Completed)
            j->leaveTo(owner);
    }
    return outcome;
}

void DownloadManager::resume(DownloadId id)
{
    m_held.remove(id);
    m_secretsAsked.remove(id); // the keychain may hold them now (unlocked, written elsewhere)
    QString owner;
    // The scheduler starts it when a slot is free.
    if (change(id, [](TransferJob *j) { j->enqueue(); }, &owner) == Change::RunElsewhere) {
        if (auto *j = qobject_cast<DownloadJob *>(job(id)); j && j->state() != DownloadState::Completed)
            j->leaveTo(owner);
    }
    schedule();
}

bool DownloadManager::remove(DownloadId id, FileRemoval finished)
{
    TransferJob *j = job(id);
    if (!j)
        return false;
    auto *d = qobject_cast<DownloadJob *>(j);
    const bool claimed = d && !d->isActive();
    if (claimed) {
        switch (d->claim(nullptr)) {
        case DownloadJob::Claim::Held:
            break;
        case DownloadJob::Claim::Busy:
            return false; // the process running it decides; it has to be paused there first
        case DownloadJob::Claim::Gone:
            forget(id);
            return false;
        }
        // The row goes before the lock (released by discard()): a process about to start the
        // download then finds it gone.
        m_storage->remove(id);
    }
    const QString kept = j->discard(finished);
    if (j->record().needsSecrets)
        forgetSecrets(id);
    m_awaitingSecrets.remove(id);
    if (!claimed)
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
    if (!kept.isEmpty())
        emit fileKept(id, kept);
    schedule();
    if (!pending)
        emit transferDiscarded(id, true, {});
    return true;
}

void DownloadManager::pauseAll()
{
    // A pause may find a download removed by another process, which leaves m_jobs.
    QList<DownloadId> ids;
    for (const auto &[id, j] : m_jobs) {
        if (j->state() == DownloadState::Queued || j->isActive())
            ids.append(id);
    }
    for (DownloadId id : std::as_const(ids))
        pause(id);
}

void DownloadManager::setPriority(DownloadId id, int priority)
{
    change(id, [priority](TransferJob *j) { j->setPriority(priority); });
    schedule();
}

void DownloadManager::setRateLimit(DownloadId id, qint64 bytesPerSecond)
{
    change(id, [bytesPerSecond](TransferJob *j) { j->setRateLimit(bytesPerSecond); });
}

void DownloadManager::setConnections(DownloadId id, int count)
{
    change(id, [count = qBound(1, count, 32)](TransferJob *j) {
        if (auto *d = qobject_cast<DownloadJob *>(j))
            d->setConnections(count);
    });
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
            if (j->state() != DownloadState::Queued || m_held.contains(id) || m_awaitingSecrets.contains(id))
                continue;
            if (!next || j->record().priority > next->record().priority)
                next = j;
        }
        if (!next)
            break;
        if (awaitSecrets(next))
            continue;
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
    if (m_vault)
        m_vault->waitForPending(10'000); // a silent keychain ends every call after its timeout
}

} // namespace ferry
