#include "api/downloadmanager.h"

#include "api/archiveunpacker.h"
#include "api/secretvault.h"
#include "engine/dormantjob.h"
#include "engine/downloadjob.h"
#include "engine/requestsigner.h"
#include "engine/hostlimiter.h"
#include "engine/ratelimiter.h"
#include "storage/storage.h"

#include <QCoreApplication>
#include <QDir>
#include <QStandardPaths>

#include <algorithm>
#include <utility>

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
    // An archive being unpacked is unpacked again by the next process (its record says so, and
    // names the hidden folder it removes first): nothing is deleted while this one ends.
    m_extractQueue.clear(); // waiting ones wait for the next process
    for (ArchiveUnpacker *unpacker : std::as_const(m_unpackers))
        unpacker->cancelLeavingFolders();
    for (const DownloadId id : m_unpackers.keys())
        stopExtract(id);
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
    // Archives whose unpacking the last process did not finish (it may have been killed).
    if (resumeUnfinished) {
        QList<DownloadId> asked = m_extractStates.keys();
        std::sort(asked.begin(), asked.end()); // the oldest first, as the queue goes
        for (const DownloadId id : std::as_const(asked))
            continueExtract(id);
    }
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
    env.stateDir = m_stateDir;
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
        if (state == DownloadState::Completed)
            continueExtract(id); // before anyone hears of it: it is already unpacking then
        m_dirty.insert(id);
        emit stateChanged(id, state);
        schedule();
    });
    connect(j, &TransferJob::removedElsewhere, this, &DownloadManager::forget);
    m_jobs[record.id] = j;
    trackExtract(record);
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
    stopExtract(id);
    m_extractStates.remove(id);
    m_jobs.erase(id);
    m_dirty.remove(id);
    m_held.remove(id);
    m_awaitingSecrets.remove(id);
    disconnect(j, nullptr, this, nullptr);
    j->deleteLater(); // it may be inside its own start()
    emit downloadRemoved(id);
    schedule();
}

DownloadManager::Change DownloadManager::pause(DownloadId id)
{
    stopExtract(id); // a completed download that is being unpacked: resume unpacks it again
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
    continueExtract(id); // a completed one whose unpacking was interrupted
    schedule();
}

bool DownloadManager::remove(DownloadId id, FileRemoval finished)
{
    TransferJob *j = job(id);
    if (!j)
        return false;
    const bool unpackingHere = m_unpackers.contains(id);
    stopExtract(id); // its hidden folder goes; the folder it would have become never appears
    if (!unpackingHere)
        dropUnfinishedExtract(id); // one a killed process left behind
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
    m_extractStates.remove(id);
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
            changed.append(withExtract(j->snapshot()));
    }
    m_dirty.clear();
    if (!changed.isEmpty())
        emit snapshotsUpdated(changed);
}

QList<DownloadSnapshot> DownloadManager::snapshots() const
{
    QList<DownloadSnapshot> all;
    for (const auto &[id, j] : m_jobs)
        all.append(withExtract(j->snapshot()));
    return all;
}

std::optional<DownloadSnapshot> DownloadManager::snapshot(DownloadId id) const
{
    if (TransferJob *j = job(id))
        return withExtract(j->snapshot());
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
