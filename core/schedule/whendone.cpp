#include "schedule/whendone.h"

#include "api/downloadmanager.h"
#include "schedule/clock.h"
#include "schedule/logind.h"

#include <algorithm>

namespace ferry {

WhenDone::WhenDone(DownloadManager *manager, Logind *logind, const Clock *clock, QObject *parent)
    : QObject(parent), m_manager(manager), m_logind(logind), m_clock(clock)
{
    connect(&m_timer, &QTimer::timeout, this, &WhenDone::check);
    connect(m_manager, &DownloadManager::stateChanged, this, &WhenDone::check);
}

void WhenDone::setAction(Action action)
{
    const bool wasCounting = counting();
    m_deadline = {};
    m_sawWork = false;
    m_action = action;
    if (action == Action::Nothing)
        m_timer.stop();
    else
        m_timer.start(checkIntervalMs);
    if (wasCounting)
        emit countdownStopped();
    emit actionChanged(action);
    check();
}

int WhenDone::secondsLeft() const
{
    return counting() ? int(std::max<qint64>(0, m_clock->now().secsTo(m_deadline))) : 0;
}

void WhenDone::cancel()
{
    setAction(Action::Nothing);
}

void WhenDone::check()
{
    if (m_action == Action::Nothing)
        return;
    const DownloadManager::Totals totals = m_manager->totals();
    if (totals.active > 0 || totals.queued > 0) {
        m_sawWork = true;
        if (counting()) {
            m_deadline = {};
            emit countdownStopped();
        }
        return;
    }
    if (!m_sawWork)
        return;
    if (!counting()) {
        m_deadline = m_clock->now().addSecs(countdownSeconds);
        emit countdown(m_action, countdownSeconds);
        return;
    }
    const int left = secondsLeft();
    if (left > 0)
        emit countdown(m_action, left);
    else
        fire();
}

void WhenDone::fire()
{
    const Action action = m_action;
    // Per run: the next run starts from "do nothing" again.
    m_action = Action::Nothing;
    m_deadline = {};
    m_sawWork = false;
    m_timer.stop();
    emit countdownStopped();
    emit actionChanged(Action::Nothing);
    switch (action) {
    case Action::Quit:
        emit quitRequested();
        break;
    case Action::Suspend:
        m_logind->perform(Logind::Action::Suspend);
        break;
    case Action::PowerOff:
        m_logind->perform(Logind::Action::PowerOff);
        break;
    case Action::Nothing:
        break;
    }
}

} // namespace ferry
