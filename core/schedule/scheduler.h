#pragma once

#include "api/downloadtypes.h"
#include "schedule/schedule.h"

#include <QObject>
#include <QSet>
#include <QTimer>

class QSettings;

namespace ferry {

class Clock;
class DownloadManager;

// Runs the scheduled queue and the speed schedule against a DownloadManager. Downloads given
// to enqueue() wait (paused) for the queue's start time; at its stop time the downloads the
// schedule started are paused again. The speed schedule sets the manager's global limit.
//
// The schedule and the queue's state live in the QSettings handed in (the window's settings
// file, group "Schedule"): the core stays free of the window's code, and a start missed while
// Ferry was not running is found at the next launch.
//
// Nothing waits for a long timer: check() compares the schedule with the clock every few
// seconds, so a stop time that passed while the machine slept is acted on at the next check.
// GUI thread (the manager's thread) only.
class Scheduler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Scheduler)
public:
    // Neither the manager (already open), the clock nor the settings are owned; all must
    // outlive this. The first check() runs from the event loop, once notice() is connected.
    Scheduler(DownloadManager *manager, const Clock *clock, QSettings *store,
              QObject *parent = nullptr);

    Schedule schedule() const { return m_schedule; }
    void setSchedule(const Schedule &schedule); // stores it and checks at once
    // The global limit outside every speed rule (the user's own setting).
    void setBaseRateLimit(qint64 bytesPerSecond);

    // A download added "to the queue": while the queue waits it is paused until the start time;
    // while it runs, it runs and is paused with the rest at the stop time.
    void enqueue(DownloadId id);
    bool isQueued(DownloadId id) const { return m_members.contains(id); }
    QList<DownloadId> queued() const;
    bool queueRunning() const { return m_running; }
    // The queue is on and waits for its start: what the status bar names.
    bool waiting() const { return m_schedule.queueEnabled && !m_running; }
    QDateTime nextStart() const;
    QDateTime now() const; // the clock the schedule follows

    void startNow(); // runs the queue until it is empty or stopped
    void stopNow();  // pauses what the queue started

    // Compares the schedule with the clock and acts on what changed. Driven by a timer
    // (checkIntervalMs); tests call it after moving their clock.
    void check();
    static constexpr int checkIntervalMs = 5000;

signals:
    // Something the user should read, already translated (e.g. a missed start).
    void notice(const QString &text);
    void queueChanged(); // started, stopped, or its downloads changed
    void rateLimitApplied(qint64 bytesPerSecond);

private:
    void startQueue(const QDateTime &end);
    void stopQueue();
    void onStateChanged(DownloadId id, DownloadState state);
    void forget(DownloadId id);
    void store();

    DownloadManager *m_manager;
    const Clock *m_clock;
    QSettings *m_store;
    Schedule m_schedule;
    QSet<DownloadId> m_members; // downloads added to the scheduled queue, not finished yet
    QDateTime m_handledStart;   // the latest start time already acted on
    QDateTime m_runEnd;         // when the running queue stops; invalid: when it is empty
    bool m_running = false;
    bool m_firstCheck = true; // the first check after launch finds missed starts
    qint64 m_baseLimit = 0;
    qint64 m_appliedLimit = -1; // what check() set last; -1: nothing yet
    QTimer m_timer;
};

} // namespace ferry
