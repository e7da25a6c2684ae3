#pragma once

#include <QObject>
#include <QString>

namespace ferry {

// Asks systemd-logind (org.freedesktop.login1 on the system bus) whether the machine may be
// suspended or powered off, and does it. Every call is asynchronous: the answers come back as
// signals, so a slow or absent bus never freezes the window. A test points it at its own bus
// (a private dbus-daemon with a fake service) by address. Lives on the thread that made it.
class Logind final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Logind)
public:
    // logind's answer to CanSuspend / CanPowerOff; Unknown until asked, Unreachable when the
    // bus or the service did not answer.
    enum class Answer { Unknown, Yes, Challenge, No, NotApplicable, Unreachable };
    enum class Action { Suspend, PowerOff };
    Q_ENUM(Answer)
    Q_ENUM(Action)

    // `busAddress` empty: the system bus.
    explicit Logind(const QString &busAddress = {}, QObject *parent = nullptr);
    ~Logind() override;

    void query(); // asks both; availabilityChanged() follows
    Answer answer(Action action) const
    {
        return action == Action::Suspend ? m_suspend : m_powerOff;
    }
    // Yes, or "challenge" (the user will be asked for a password by the desktop).
    static bool allowed(Answer answer)
    {
        return answer == Answer::Yes || answer == Answer::Challenge;
    }
    static QString reason(Answer answer); // why a choice is not offered, for its tooltip
    void perform(Action action);          // failed() when logind refuses

signals:
    void availabilityChanged();
    void performed(ferry::Logind::Action action);
    void failed(const QString &message);

private:
    void ask(const QString &method, Answer *into);

    QString m_connectionName;
    Answer m_suspend = Answer::Unknown;
    Answer m_powerOff = Answer::Unknown;
};

} // namespace ferry
