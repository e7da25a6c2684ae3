#pragma once

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>

#include <memory>

namespace ferry::test {

// A Secret Service of its own for a test: a private D-Bus session bus (dbus-daemon) with
// gnome-keyring-daemon on it, whose login keyring is created and unlocked in a fresh folder.
// Nothing reaches the developer's own keychain. While it runs, DBUS_SESSION_BUS_ADDRESS of the
// test process points at its bus (restored afterwards); environment() gives the same to child
// processes. Both daemons are stopped by their process ids when the session ends.
class KeyringSession final
{
public:
    explicit KeyringSession(const QString &dir);
    ~KeyringSession();
    KeyringSession(const KeyringSession &) = delete;
    KeyringSession &operator=(const KeyringSession &) = delete;

    // The programs a session needs are installed (dbus-daemon, dbus-send, gnome-keyring-daemon).
    static bool available(QString *missing = nullptr);
    // Starts both daemons and waits until the login keyring answers; false with `error`.
    bool start(QString *error);
    QString busAddress() const { return m_address; }
    QProcessEnvironment environment(QProcessEnvironment base) const;
    // An address where no bus listens: the keychain is missing, as on a machine without D-Bus.
    static QString deadBusAddress(const QString &dir);

private:
    bool keyringAnswers() const;

    QString m_dir;
    QString m_address;
    QByteArray m_previousAddress;
    bool m_hadPreviousAddress = false;
    std::unique_ptr<QProcess> m_bus;
    std::unique_ptr<QProcess> m_keyring;
};

} // namespace ferry::test
