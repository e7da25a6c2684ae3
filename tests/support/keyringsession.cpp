#include "keyringsession.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QThread>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace ferry::test {

namespace {

// Each daemon leads a session of its own: gnome-keyring-daemon signals its whole process group
// when it stops, which must not reach the test.
void detach(QProcess &process)
{
    process.setChildProcessModifier([] { ::setsid(); });
}

// Stops a daemon by its pid and reaps it.
void stop(std::unique_ptr<QProcess> &process)
{
    if (!process)
        return;
    if (process->state() != QProcess::NotRunning) {
        process->terminate();
        if (!process->waitForFinished(3000)) {
            process->kill();
            process->waitForFinished(3000);
        }
    }
    process.reset();
}

} // namespace

KeyringSession::KeyringSession(const QString &dir) : m_dir(dir)
{
    m_hadPreviousAddress = qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS");
    m_previousAddress = qgetenv("DBUS_SESSION_BUS_ADDRESS");
}

KeyringSession::~KeyringSession()
{
    stop(m_keyring);
    stop(m_bus);
    if (m_hadPreviousAddress)
        qputenv("DBUS_SESSION_BUS_ADDRESS", m_previousAddress);
    else
        qunsetenv("DBUS_SESSION_BUS_ADDRESS");
}

bool KeyringSession::available(QString *missing)
{
    QStringList absent;
    for (const QString &program : {u"dbus-daemon"_s, u"dbus-send"_s, u"gnome-keyring-daemon"_s}) {
        if (QStandardPaths::findExecutable(program).isEmpty())
            absent.append(program);
    }
    if (missing)
        *missing = absent.join(u", "_s);
    return absent.isEmpty();
}

QString KeyringSession::deadBusAddress(const QString &dir)
{
    return u"unix:path="_s + dir + u"/no-bus-here"_s;
}

QProcessEnvironment KeyringSession::environment(QProcessEnvironment base) const
{
    base.insert(u"DBUS_SESSION_BUS_ADDRESS"_s, m_address);
    return base;
}

bool KeyringSession::start(QString *error)
{
    QString missing;
    if (!available(&missing)) {
        *error = u"not installed: "_s + missing;
        return false;
    }
    // A fresh home: gnome-keyring creates the login keyring there, protected by the password it
    // reads on stdin, and unlocked.
    for (const QString &sub : {u"home"_s, u"data"_s, u"runtime"_s}) {
        if (!QDir().mkpath(m_dir + u'/' + sub)) {
            *error = u"cannot create "_s + m_dir + u'/' + sub;
            return false;
        }
    }
    QFile::setPermissions(m_dir + u"/runtime"_s,
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);

    // The bus gets the same fresh home: a service it starts on demand stays in the sandbox too.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"HOME"_s, m_dir + u"/home"_s);
    env.insert(u"XDG_DATA_HOME"_s, m_dir + u"/data"_s);
    env.insert(u"XDG_RUNTIME_DIR"_s, m_dir + u"/runtime"_s);
    env.remove(u"DBUS_SESSION_BUS_ADDRESS"_s);
    m_bus = std::make_unique<QProcess>();
    m_bus->setProcessEnvironment(env);
    detach(*m_bus);
    m_bus->start(u"dbus-daemon"_s, {u"--session"_s, u"--print-address=1"_s, u"--nofork"_s,
                                    u"--address=unix:path="_s + m_dir + u"/bus"_s});
    if (!m_bus->waitForStarted(10'000)) {
        *error = u"dbus-daemon: "_s + m_bus->errorString();
        return false;
    }
    const QDeadlineTimer busDeadline(10'000);
    while (!m_bus->canReadLine() && !busDeadline.hasExpired() &&
           m_bus->state() == QProcess::Running)
        m_bus->waitForReadyRead(200);
    m_address = QString::fromLocal8Bit(m_bus->readLine().trimmed());
    if (m_address.isEmpty()) {
        *error = u"dbus-daemon printed no address: "_s +
                 QString::fromLocal8Bit(m_bus->readAllStandardError());
        return false;
    }

    env.insert(u"DBUS_SESSION_BUS_ADDRESS"_s, m_address);
    m_keyring = std::make_unique<QProcess>();
    m_keyring->setProcessEnvironment(env);
    detach(*m_keyring);
    m_keyring->start(u"gnome-keyring-daemon"_s,
                     {u"--unlock"_s, u"--foreground"_s, u"--components=secrets"_s});
    if (!m_keyring->waitForStarted(10'000)) {
        *error = u"gnome-keyring-daemon: "_s + m_keyring->errorString();
        return false;
    }
    // An empty password leaves no login keyring behind; any other creates it unlocked.
    m_keyring->write("test-keyring");
    m_keyring->waitForBytesWritten(5000); // nothing else runs an event loop here
    m_keyring->closeWriteChannel();

    const QDeadlineTimer ready(15'000);
    while (!keyringAnswers()) {
        if (ready.hasExpired() || m_keyring->state() != QProcess::Running) {
            *error = u"gnome-keyring-daemon did not open its login keyring: "_s +
                     QString::fromLocal8Bit(m_keyring->readAllStandardError());
            return false;
        }
        QThread::msleep(100);
    }
    qputenv("DBUS_SESSION_BUS_ADDRESS", m_address.toLocal8Bit());
    return true;
}

bool KeyringSession::keyringAnswers() const
{
    const auto ask = [this](const QStringList &args) {
        QProcess probe;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"DBUS_SESSION_BUS_ADDRESS"_s, m_address);
        probe.setProcessEnvironment(env);
        probe.start(u"dbus-send"_s, QStringList{u"--session"_s, u"--print-reply"_s} + args);
        if (!probe.waitForFinished(5000)) {
            probe.kill();
            probe.waitForFinished();
            return QByteArray();
        }
        return probe.exitCode() == 0 ? probe.readAllStandardOutput() : QByteArray();
    };
    // First whether our daemon took the name: asking the service itself before that would make
    // the bus start another one.
    const QByteArray owned =
        ask({u"--dest=org.freedesktop.DBus"_s, u"/org/freedesktop/DBus"_s,
             u"org.freedesktop.DBus.NameHasOwner"_s, u"string:org.freedesktop.secrets"_s});
    if (!owned.contains("boolean true"))
        return false;
    // Present and unlocked: "variant boolean false".
    return ask({u"--dest=org.freedesktop.secrets"_s, u"/org/freedesktop/secrets/collection/login"_s,
                u"org.freedesktop.DBus.Properties.Get"_s,
                u"string:org.freedesktop.Secret.Collection"_s, u"string:Locked"_s})
        .contains("boolean false");
}

} // namespace ferry::test
