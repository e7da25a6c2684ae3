#pragma once

#include "api/downloadtypes.h"
#include "engine/downloadlock.h"
#include "storage/storedrecord.h"

#include <QJsonValue>
#include <QObject>
#include <functional>
#include <memory>

namespace ferry {

struct EngineSettings;
class HostLimiter;
class RateLimiter;
class Storage;

// Everything a job borrows from its manager. All of it belongs to the manager's thread.
struct JobEnvironment {
    Storage *storage = nullptr;
    HostLimiter *hosts = nullptr;
    std::shared_ptr<RateLimiter> globalLimiter;
    const EngineSettings *settings = nullptr;
    QString lockDir;
    QString stateDir;                                               // the manager's own folder
    std::function<qint64()> clock;                                  // monotonic ms
    std::function<bool(const QString &path, qint64 self)> pathTaken; // names reserved by others
};

// What the manager's queue needs from any transfer: a download over HTTP, an upload to S3, a
// ZIP bundle. The lifecycle every kind shares lives here: its record and how it is persisted,
// state changes and their log, the lock that keeps two processes off one transfer, speed.
// Lives on the manager's thread.
class TransferJob : public QObject
{
    Q_OBJECT
public:
    TransferJob(StoredDownload record, JobEnvironment env, QObject *parent = nullptr);
    ~TransferJob() override;

    const StoredDownload &record() const { return m_record; }
    DownloadState state() const { return m_record.state; }
    bool isActive() const { return state() == DownloadState::Downloading || state() == DownloadState::Verifying; }
    DownloadId id() const { return m_record.id; }

    virtual void start() = 0;
    // Back into the queue (from paused or failed); the manager decides when it starts.
    virtual void enqueue() = 0;
    virtual void pause(const QString &message = {}) = 0;
    // Stops like pause() but stays queued: for quitting, so the next start resumes it.
    virtual void suspend() = 0;
    // Stops everything and removes partial results (and the finished file as asked). Returns
    // what the user should know when a file could not go as asked (it is then kept).
    virtual QString discard(FileRemoval finished) = 0;
    // After discard(): true while a request removing the partial result from a server (an
    // upload's abort) is still under way; discardFinished() then reports how it ended.
    bool discardPending() const { return m_discardPending; }
    virtual void setRateLimit(qint64 bytesPerSecond) = 0;
    virtual void setPriority(int priority) = 0;
    // Called by the manager every tick.
    virtual void tick() = 0;
    virtual DownloadSnapshot snapshot() const = 0;
    qint64 speed() const { return isActive() ? m_speed : 0; }
    // Retries, errors and restarts of this run, oldest first (bounded).
    const QList<DownloadEvent> &events() const { return m_events; }
    // Paused because its account's credentials were not there yet; queued again when they come.
    bool waitingForCredentials() const { return m_waitingForCredentials; }

    // For what the manager does with a transfer after it ended (unpacking an archive): a line
    // in events(), also kept as the message shown when `asMessage`; and one key of the record's
    // `extra` JSON object replaced (removed when `value` is undefined) while every other key
    // stays. Both save the record.
    void note(const QString &text, bool asMessage = false);
    void setExtraValue(const QString &key, const QJsonValue &value);

protected:
    // The fields every kind takes straight from its record.
    DownloadSnapshot recordSnapshot() const;
    // Adds a line to events(); a line equal to the last one is not repeated.
    void logEvent(const QString &text);
    // Changes the state (logged, the message kept in the record when not null), saves the
    // record and tells the manager. stateChanging() runs first.
    void setState(DownloadState state, const QString &message = {});
    // For a kind that holds something while running (a download's slot on its host).
    virtual void stateChanging(DownloadState next) { Q_UNUSED(next) }
    // The record to the database as it is now.
    void save();
    // The manager's monotonic clock, in ms.
    qint64 now() const { return m_env.clock ? m_env.clock() : monotonicMs(); }
    // Updates speed() from the bytes done so far; returns the ms since the last call (0 the
    // first time after resetSpeed()).
    qint64 measureSpeed(qint64 doneBytes);
    void resetSpeed();
    // The lock file of this transfer in the manager's lock folder. False when another process
    // holds it; `owner` then gets its pid.
    bool lock(QString *owner) { return m_lock.acquire(m_env.lockDir, QString::number(m_record.id) + u".lock", owner); }
    void unlock() { m_lock.release(); }

    StoredDownload m_record;
    JobEnvironment m_env;

    bool m_waitingForCredentials = false;
    bool m_discardPending = false;
    QList<DownloadEvent> m_events;

private:
    static qint64 monotonicMs();

    DownloadLock m_lock; // held while active
    qint64 m_speed = 0;
    qint64 m_lastTickBytes = -1;
    qint64 m_lastTickMs = 0;

signals:
    void stateChanged(ferry::DownloadId id, ferry::DownloadState state);
    // Once, after discard() left discardPending(): `ok` is false with the reason in `message`
    // when what the transfer left on the server could not be removed.
    void discardFinished(ferry::DownloadId id, bool ok, const QString &message);
    // Its row is gone from the database: another process removed the transfer (and dealt with
    // its files). The job does nothing more; its manager forgets it.
    void removedElsewhere(ferry::DownloadId id);
};

} // namespace ferry
