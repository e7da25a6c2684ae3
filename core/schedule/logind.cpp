#include "schedule/logind.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>

using namespace Qt::StringLiterals;

namespace ferry {

namespace {

const QString service = u"org.freedesktop.login1"_s;
const QString path = u"/org/freedesktop/login1"_s;
const QString interface = u"org.freedesktop.login1.Manager"_s;
constexpr int timeoutMs = 5000;

QDBusMessage call(const QString &method)
{
    return QDBusMessage::createMethodCall(service, path, interface, method);
}

} // namespace

Logind::Logind(const QString &busAddress, QObject *parent) : QObject(parent)
{
    if (busAddress.isEmpty()) {
        m_connectionName = QDBusConnection::systemBus().name();
    } else {
        // One named connection per object: a test's private bus is left when this goes.
        m_connectionName = u"ferry-logind-%1"_s.arg(quintptr(this), 0, 16);
        QDBusConnection::connectToBus(busAddress, m_connectionName);
    }
}

Logind::~Logind()
{
    if (m_connectionName != QDBusConnection::systemBus().name())
        QDBusConnection::disconnectFromBus(m_connectionName);
}

void Logind::query()
{
    ask(u"CanSuspend"_s, &m_suspend);
    ask(u"CanPowerOff"_s, &m_powerOff);
}

void Logind::ask(const QString &method, Answer *into)
{
    QDBusConnection bus(m_connectionName);
    if (!bus.isConnected()) {
        *into = Answer::Unreachable;
        emit availabilityChanged();
        return;
    }
    auto *watcher = new QDBusPendingCallWatcher(bus.asyncCall(call(method), timeoutMs), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, into, watcher] {
        watcher->deleteLater();
        const QDBusPendingReply<QString> reply = *watcher;
        const QString text = reply.isError() ? QString() : reply.value();
        *into = text == u"yes"_s         ? Answer::Yes
                : text == u"challenge"_s ? Answer::Challenge
                : text == u"no"_s        ? Answer::No
                : text == u"na"_s        ? Answer::NotApplicable
                                         : Answer::Unreachable;
        emit availabilityChanged();
    });
}

QString Logind::reason(Answer answer)
{
    switch (answer) {
    case Answer::Yes:
    case Answer::Challenge:
        return {};
    case Answer::No:
        return tr("The system does not allow this user to do it.");
    case Answer::NotApplicable:
        return tr("This machine cannot do it.");
    case Answer::Unknown:
        return tr("Asking the system whether this is possible…");
    case Answer::Unreachable:
        break;
    }
    return tr("The system's login manager (logind) did not answer.");
}

void Logind::perform(Action action)
{
    QDBusMessage message = call(action == Action::Suspend ? u"Suspend"_s : u"PowerOff"_s);
    message << false; // not interactive: the user chose it beforehand
    auto *watcher = new QDBusPendingCallWatcher(
        QDBusConnection(m_connectionName).asyncCall(message, timeoutMs), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, action, watcher] {
        watcher->deleteLater();
        const QDBusPendingReply<> reply = *watcher;
        if (reply.isError()) {
            emit failed(
                action == Action::Suspend
                    ? tr("The computer could not be suspended: %1").arg(reply.error().message())
                    : tr("The computer could not be powered off: %1").arg(reply.error().message()));
            return;
        }
        emit performed(action);
    });
}

} // namespace ferry
