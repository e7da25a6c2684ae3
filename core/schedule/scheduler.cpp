#include "schedule/scheduler.h"

#include "api/downloadmanager.h"
#include "schedule/clock.h"

#include <QSettings>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace ferry {

namespace {

// A start acted on later than this after its time was missed, not merely reached by the timer.
constexpr qint64 missedAfterSeconds = 60;

} // namespace

Scheduler::Scheduler(DownloadManager *manager, const Clock *clock, QSettings *store,
                     QObject *parent)
    : QObject(parent), m_manager(manager), m_clock(clock), m_store(store),
      m_schedule(Schedule::load(*store))
{
    m_store->beginGroup(u"Schedule"_s);
    for (const QString &id :
         m_store->value(u"members"_s).toString().split(u',', Qt::SkipEmptyParts))
        m_members.insert(id.toLongLong());
    m_handledStart = m_store->value(u"handledStart"_s).toDateTime();
    m_runEnd = m_store->value(u"runEnd"_s).toDateTime();
    m_running = m_store->value(u"running"_s, false).toBool();
    m_store->endGroup();
    // Downloads removed or finished while Ferry was not running.
    for (DownloadId id : queued()) {
        const auto s = m_manager->snapshot(id);
        if (!s || s->state == DownloadState::Completed)
            m_members.remove(id);
    }
    connect(m_manager, &DownloadManager::stateChanged, this, &Scheduler::onStateChanged);
    connect(m_manager, &DownloadManager::downloadRemoved, this, &Scheduler::forget);
    connect(&m_timer, &QTimer::timeout, this, &Scheduler::check);
    m_timer.start(checkIntervalMs);
    // The first look at the clock, once whoever made this has connected to notice().
    QMetaObject::invokeMethod(this, &Scheduler::check, Qt::QueuedConnection);
}

void Scheduler::setSchedule(const Schedule &schedule)
{
    if (schedule.queue != m_schedule.queue || schedule.queueEnabled != m_schedule.queueEnabled) {
        // A new window counts from now: a begin already behind the clock whose window still
        // runs starts the queue; one whose window is over does not.
        m_handledStart = {};
    }
    m_schedule = schedule;
    m_schedule.save(*m_store);
    store();
    m_firstCheck = false; // the user is here: nothing was missed
    check();
    emit queueChanged();
}

void Scheduler::setBaseRateLimit(qint64 bytesPerSecond)
{
    m_baseLimit = bytesPerSecond;
    // The window set this limit itself; the schedule only decides again at its next check.
    if (!m_schedule.speedLimitAt(m_clock->now()))
        m_appliedLimit = bytesPerSecond;
}

void Scheduler::enqueue(DownloadId id)
{
    if (id == 0)
        return;
    m_members.insert(id);
    if (!m_running)
        m_manager->pause(id);
    else if (const auto s = m_manager->snapshot(id); s && s->state == DownloadState::Paused)
        m_manager->resume(id);
    store();
    emit queueChanged();
}

QList<DownloadId> Scheduler::queued() const
{
    QList<DownloadId> ids(m_members.cbegin(), m_members.cend());
    std::sort(ids.begin(), ids.end());
    return ids;
}

QDateTime Scheduler::nextStart() const
{
    return m_schedule.queueEnabled ? m_schedule.queue.nextStart(m_clock->now()) : QDateTime();
}

QDateTime Scheduler::now() const
{
    return m_clock->now();
}

void Scheduler::startNow()
{
    startQueue({});
}

void Scheduler::stopNow()
{
    stopQueue();
}

void Scheduler::check()
{
    const QDateTime now = m_clock->now();
    const bool launch = std::exchange(m_firstCheck, false);
    if (m_schedule.queueEnabled) {
        const QDateTime start = m_schedule.queue.lastStart(now);
        if (start.isValid() && (!m_handledStart.isValid() || start > m_handledStart)) {
            const bool fresh = !m_handledStart.isValid();
            m_handledStart = start;
            const QDateTime end = m_schedule.queue.endAfter(start);
            // A whole window that passed unseen (the machine slept through it) starts nothing;
            // nor does a start without a stop time that came before the schedule was set (a
            // queue set at 16:00 to start at 02:00 waits for 02:00, not yesterday's).
            if ((!end.isValid() && !fresh) || (end.isValid() && now < end)) {
                startQueue(end);
                if (launch && start.secsTo(now) > missedAfterSeconds && !m_members.isEmpty()) {
                    emit notice(tr("The scheduled start at %1 was missed while Ferry was not "
                                   "running; the queue starts now.")
                                    .arg(start.time().toString(u"HH:mm"_s)));
                }
            }
            store();
        }
    }
    // State, not an edge: a stop time the clock jumped over still stops the queue.
    if (m_running && m_runEnd.isValid() && now >= m_runEnd)
        stopQueue();

    const auto ruled = m_schedule.speedLimitAt(now);
    if (ruled || m_appliedLimit >= 0) {
        const qint64 limit = ruled.value_or(m_baseLimit);
        if (limit != m_appliedLimit) {
            m_appliedLimit = limit;
            m_manager->setGlobalRateLimit(limit);
            emit rateLimitApplied(limit);
        }
    }
}

void Scheduler::startQueue(const QDateTime &end)
{
    m_running = true;
    m_runEnd = end;
    for (DownloadId id : queued()) {
        const auto s = m_manager->snapshot(id);
        if (s && (s->state == DownloadState::Paused || s->state == DownloadState::Failed))
            m_manager->resume(id);
    }
    store();
    emit queueChanged();
}

void Scheduler::stopQueue()
{
    m_running = false;
    m_runEnd = {};
    for (DownloadId id : queued()) {
        const auto s = m_manager->snapshot(id);
        if (s && s->state != DownloadState::Completed && s->state != DownloadState::Paused)
            m_manager->pause(id);
    }
    store();
    emit queueChanged();
}

void Scheduler::onStateChanged(DownloadId id, DownloadState state)
{
    if (state != DownloadState::Completed || !m_members.contains(id))
        return;
    forget(id);
}

void Scheduler::forget(DownloadId id)
{
    if (!m_members.remove(id))
        return;
    // A queue started by hand (no stop time) is over when its last download is.
    if (m_members.isEmpty() && m_running && !m_runEnd.isValid())
        m_running = false;
    store();
    emit queueChanged();
}

void Scheduler::store()
{
    QStringList ids;
    for (DownloadId id : queued())
        ids.append(QString::number(id));
    m_store->beginGroup(u"Schedule"_s);
    m_store->setValue(u"members"_s, ids.join(u','));
    m_store->setValue(u"handledStart"_s, m_handledStart);
    m_store->setValue(u"runEnd"_s, m_runEnd);
    m_store->setValue(u"running"_s, m_running);
    m_store->endGroup();
}

} // namespace ferry
