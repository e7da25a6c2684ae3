#pragma once

// A private D-Bus daemon with a stand-in for systemd-logind on it, so that tests never reach the
// machine's real one. The daemon is this process's child and is stopped by its PID.
#include <QDBusConnection>
#include <QProcess>
#include <QStandardPaths>
#include <QStringList>

namespace ferry::test {

class FakeLogind final : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.login1.Manager")
public:
    QString canSuspend = QStringLiteral("yes");
    QString canPowerOff = QStringLiteral("yes");
    QStringList calls; // "Suspend(false)", "PowerOff(false)"

public slots:
    QString CanSuspend() { return canSuspend; }
    QString CanPowerOff() { return canPowerOff; }
    void Suspend(bool interactive)
    {
        calls.append(QStringLiteral("Suspend(%1)")
                         .arg(interactive ? QStringLiteral("true") : QStringLiteral("false")));
    }
    void PowerOff(bool interactive)
    {
        calls.append(QStringLiteral("PowerOff(%1)")
                         .arg(interactive ? QStringLiteral("true") : QStringLiteral("false")));
    }
};

class PrivateBus final
{
public:
    PrivateBus() = default;
    Q_DISABLE_COPY_MOVE(PrivateBus)
    ~PrivateBus() { stop(); }

    // Starts dbus-daemon and puts `fake` on it as org.freedesktop.login1; false with `error`.
    bool start(FakeLogind *fake, QString *error)
    {
        const QString daemon = QStandardPaths::findExecutable(QStringLiteral("dbus-daemon"));
        if (daemon.isEmpty()) {
            *error = QStringLiteral("dbus-daemon is not installed (package dbus)");
            return false;
        }
        m_daemon.start(daemon, {QStringLiteral("--session"), QStringLiteral("--print-address"),
                                QStringLiteral("--nofork")});
        if (!m_daemon.waitForStarted(10'000)) {
            *error = QStringLiteral("dbus-daemon did not start");
            return false;
        }
        while (!m_daemon.canReadLine() && m_daemon.waitForReadyRead(10'000)) {
        }
        m_address = QString::fromUtf8(m_daemon.readLine()).trimmed();
        QDBusConnection bus =
            QDBusConnection::connectToBus(m_address, QStringLiteral("fake-logind"));
        if (!bus.isConnected() || !bus.registerService(QStringLiteral("org.freedesktop.login1")) ||
            !bus.registerObject(QStringLiteral("/org/freedesktop/login1"), fake,
                                QDBusConnection::ExportAllSlots)) {
            *error = QStringLiteral("the fake logind could not be registered on %1").arg(m_address);
            return false;
        }
        return true;
    }

    QString address() const { return m_address; }

    void stop()
    {
        if (m_daemon.state() == QProcess::NotRunning)
            return;
        QDBusConnection::disconnectFromBus(QStringLiteral("fake-logind"));
        m_daemon.terminate(); // SIGTERM to this child's PID
        if (!m_daemon.waitForFinished(5000))
            m_daemon.kill();
    }

private:
    QProcess m_daemon;
    QString m_address;
};

} // namespace ferry::test
