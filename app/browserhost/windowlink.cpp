#include "windowlink.h"

#include "common/instancename.h"

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>
#include <QThread>

using namespace Qt::StringLiterals;

namespace ferry::browserhost {

namespace {

// An answer is a line of {"ok":…}; anything much longer is not one.
constexpr qint64 maxAnswerBytes = 1024 * 1024;

QJsonObject failure(const QString &error)
{
    return QJsonObject{{u"ok"_s, false}, {u"error"_s, error}};
}

} // namespace

WindowLink::WindowLink(const QString &serverName) : m_name(serverName) {}

bool WindowLink::connectNow()
{
    m_socket.abort();
    m_socket.connectToServer(m_name);
    if (!m_socket.waitForConnected(1000))
        return false;
    // Cookies go only to a window of this user, never to a socket someone else put there.
    if (!ferry::app::peerIsThisUser(m_socket.socketDescriptor())) {
        m_socket.abort();
        return false;
    }
    return true;
}

bool WindowLink::startAndConnect(const QString &program, const QStringList &arguments, int timeoutMs, QString *error)
{
    // The window must not hold the browser's pipes (the browser waits for them to close) nor
    // write into the message stream; startDetached() also detaches it (setsid), so
    // the browser ending the host does not end the window.
    QProcess process;
    process.setProgram(program);
    process.setArguments(arguments);
    process.setStandardInputFile(QProcess::nullDevice());
    process.setStandardOutputFile(QProcess::nullDevice());
    process.setStandardErrorFile(QProcess::nullDevice());
    if (!process.startDetached()) {
        *error = u"Ferry could not be started (%1)."_s.arg(program);
        return false;
    }
    // The window listens once its start-up reaches the single-instance check; polling is
    // simpler than watching for a socket file whose name the platform decides.
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (connectNow())
            return true;
        QThread::msleep(100);
    }
    *error = u"Ferry was started but did not answer within %1 seconds."_s.arg(timeoutMs / 1000);
    return false;
}

QJsonObject WindowLink::exchange(const QJsonObject &message, int timeoutMs)
{
    m_socket.write(QJsonDocument(message).toJson(QJsonDocument::Compact) + '\n');
    const QDeadlineTimer deadline(timeoutMs);
    while (!m_socket.canReadLine()) {
        if (m_socket.bytesAvailable() > maxAnswerBytes)
            return failure(u"Ferry's answer was too long."_s);
        if (m_socket.state() != QLocalSocket::ConnectedState && m_socket.bytesAvailable() == 0)
            return failure(u"Ferry closed the connection without answering."_s);
        if (deadline.hasExpired())
            return failure(u"Ferry did not answer within %1 seconds."_s.arg(timeoutMs / 1000));
        if (!m_socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime()))) &&
            m_socket.state() != QLocalSocket::ConnectedState && !m_socket.canReadLine())
            return failure(u"Ferry closed the connection without answering."_s);
    }
    const QByteArray line = m_socket.readLine(maxAnswerBytes);
    m_socket.disconnectFromServer();
    const QJsonDocument answer = QJsonDocument::fromJson(line);
    if (!answer.isObject() || !answer.object().value(u"ok"_s).isBool())
        return failure(u"Ferry answered something the browser host does not understand."_s);
    QJsonObject relayed = answer.object();
    if (!relayed.value(u"ok"_s).toBool() && !relayed.value(u"error"_s).isString())
        relayed.insert(u"error"_s, u"Ferry refused the download."_s);
    return relayed;
}

QString WindowLink::findWindowProgram(const QString &hostDir)
{
    const QFileInfo beside(hostDir + u"/ferry"_s);
    if (beside.isFile() && beside.isExecutable())
        return beside.absoluteFilePath();
    return QStandardPaths::findExecutable(u"ferry"_s);
}

} // namespace ferry::browserhost
