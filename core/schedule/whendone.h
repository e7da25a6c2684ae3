#pragma once

#include <QDateTime>
#include <QObject>
#include <QTimer>

namespace ferry {

class Clock;
class DownloadManager;
class Logind;

// What Ferry does once everything is done, chosen for one run: when nothing is left that could
// still complete (no download running or queued; failed and paused ones wait for the user, so
// they do not count), a countdown starts; if nobody cancels it and no download starts again,
// the action is carried out and the choice goes back to "do nothing".
//
// A choice made while nothing runs waits for the next run: it never fires on an idle list.
// The countdown reads the injected clock at every check, so tests move the clock rather than
// wait. GUI thread (the manager's thread) only.
class WhenDone final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WhenDone)
public:
    enum class Action { Nothing, Quit, Suspend, PowerOff };
    Q_ENUM(Action)

    // None is owned; all must outlive this.
    WhenDone(DownloadManager *manager, Logind *logind, const Clock *clock,
             QObject *parent = nullptr);

    Action action() const { return m_action; }
    void setAction(Action action);
    bool counting() const { return m_deadline.isValid(); }
    int secondsLeft() const;
    void cancel(); // stops the countdown, and the choice goes back to "do nothing"

    void check(); // driven by a timer (checkIntervalMs) and by the manager's state changes
    static constexpr int countdownSeconds = 60;
    static constexpr int checkIntervalMs = 1000;

signals:
    void actionChanged(ferry::WhenDone::Action action);
    // The countdown started or moved on; `secondsLeft` until `action` is carried out.
    void countdown(ferry::WhenDone::Action action, int secondsLeft);
    void countdownStopped(); // cancelled, or a download started again
    void quitRequested();    // Action::Quit fired: whoever owns the application quits it

private:
    void fire();

    DownloadManager *m_manager;
    Logind *m_logind;
    const Clock *m_clock;
    Action m_action = Action::Nothing;
    bool m_sawWork = false; // something ran since the choice was made
    QDateTime m_deadline;   // valid while counting down
    QTimer m_timer;
};

} // namespace ferry
