#pragma once

#include "api/downloadtypes.h"

#include <QObject>

namespace ferry {

struct StoredDownload;

// What the manager's queue needs from any transfer: a download over HTTP, an upload to S3, a
// ZIP bundle. Lives on the manager's thread.
class TransferJob : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual const StoredDownload &record() const = 0;
    virtual DownloadState state() const = 0;
    bool isActive() const { return state() == DownloadState::Downloading || state() == DownloadState::Verifying; }
    DownloadId id() const;

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
    virtual qint64 speed() const = 0;
    // Retries, errors and restarts of this run, oldest first (bounded).
    const QList<DownloadEvent> &events() const { return m_events; }
    // Paused because its account's credentials were not there yet; queued again when they come.
    bool waitingForCredentials() const { return m_waitingForCredentials; }

protected:
    // The fields every kind takes straight from its record.
    DownloadSnapshot recordSnapshot() const;
    // Adds a line to events(); a line equal to the last one is not repeated.
    void logEvent(const QString &text);

    bool m_waitingForCredentials = false;
    bool m_discardPending = false;
    QList<DownloadEvent> m_events;

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
